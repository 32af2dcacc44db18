"""factory_boy factories of the engagement app's records."""

import datetime

import factory

from engagement.choices import LinkKind, VisitorLevel
from engagement.models import (
    BodyMember,
    CatalogueEntry,
    ContactLink,
    DeliberationBody,
    Meeting,
    Topic,
    Visit,
    VisitingCadre,
)
from governance.testing.factories import UserFactory
from villages.testing.factories import PersonFactory, division

VILLAGE = "440605124001"


class ContactLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLink

    division = factory.LazyFunction(lambda: division(VILLAGE))
    kind = LinkKind.TOWN_LEADER
    holder = factory.Sequence(lambda n: f"挂钩领导{n}")
    since = datetime.date(2025, 1, 1)


class VisitingCadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitingCadre

    division = factory.LazyFunction(lambda: division(VILLAGE[:9]))
    name = factory.Sequence(lambda n: f"走访干部{n}")
    level = VisitorLevel.TOWN_CADRE
    term_started_on = datetime.date(2022, 1, 1)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    visitor = factory.SubFactory(VisitingCadreFactory)
    division = factory.LazyFunction(lambda: division(VILLAGE))
    visited_on = datetime.date(2026, 3, 3)
    recorded_by = factory.SubFactory(UserFactory)


class DeliberationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliberationBody

    division = factory.LazyFunction(lambda: division(VILLAGE))
    name = "村民议事会"
    formed_on = datetime.date(2024, 1, 1)


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry

    district = factory.LazyFunction(lambda: division(VILLAGE[:6]))
    title = factory.Sequence(lambda n: f"公共设施建设{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(DeliberationBodyFactory)
    held_on = datetime.date(2026, 4, 7)
    attendance = 15


# --- deliberation ---


class BodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(DeliberationBodyFactory)
    person = factory.LazyAttribute(lambda member: PersonFactory(division=member.body.division))
    role = "村民代表"


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic proposed on 2 March 2026 from the catalogue of the body's district."""

    class Meta:
        model = Topic

    body = factory.SubFactory(DeliberationBodyFactory)
    entry = factory.LazyAttribute(lambda topic: CatalogueEntryFactory(district=division(topic.body.division_id[:6])))
    title = factory.Sequence(lambda n: f"协商议题{n}")
    proposed_on = datetime.date(2026, 3, 2)
    proposed_by = factory.SubFactory(UserFactory)


def body_in(code: str, **fields) -> DeliberationBody:
    """The deliberation body of the village `code`, made when it has none."""
    return DeliberationBody.objects.filter(division_id=code).first() or DeliberationBodyFactory(
        division=division(code), **fields
    )
