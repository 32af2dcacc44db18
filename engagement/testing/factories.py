"""factory_boy factories of the engagement app's records."""

import datetime

import factory

from engagement.choices import LinkKind, VisitorLevel
from engagement.models import CatalogueEntry, ContactLink, DeliberationBody, Meeting, Visit, VisitingCadre
from governance.testing.factories import UserFactory
from villages.testing.factories import division

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


# --- visits ---


class KeptContactFactory(factory.django.DjangoModelFactory):
    """A household a village cadre or party member keeps contact with (Guangxi §10)."""

    class Meta:
        model = "engagement.KeptContact"

    person = factory.SubFactory("villages.testing.factories.PersonFactory")
    kind = "household"
    household = factory.SubFactory(
        "villages.testing.factories.HouseholdFactory", division=factory.SelfAttribute("..person.division")
    )
    since = datetime.date(2025, 1, 1)
