"""factory_boy factories of the engagement app's records."""

import datetime

import factory

from engagement.choices import LinkKind, PointActivity, VisitorLevel
from engagement.models import (
    BodyMember,
    CatalogueEntry,
    ContactLink,
    DeliberationBody,
    Meeting,
    PointEntry,
    PointRule,
    PostClaim,
    ServicePost,
    Topic,
    VillagerPointEntry,
    Visit,
    VisitingCadre,
)
from governance.testing.factories import UserFactory
from villages.testing.factories import PartyMembershipFactory, PersonFactory, division

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


# --- contact ---


class ContactDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "engagement.ContactDay"

    division = factory.LazyFunction(lambda: division(VILLAGE))
    held_on = factory.Sequence(lambda n: datetime.date(2025, 12, 2) - datetime.timedelta(days=7 * n))  # Tuesdays
    attendees = 12
    matters_raised = factory.Sequence(lambda n: f"村道路灯损坏{n}")
    matters_settled = 1


# --- party ---


class ServicePostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePost

    division = factory.LazyFunction(lambda: division(VILLAGE))
    name = factory.Sequence(lambda n: f"服务岗{n}")
    duty = "政策宣传、环境监督"


class PostClaimFactory(factory.django.DjangoModelFactory):
    """A claim of a post by a party member of the post's village (a new member by default)."""

    class Meta:
        model = PostClaim

    post = factory.SubFactory(ServicePostFactory)
    member = factory.LazyAttribute(lambda claim: PartyMembershipFactory(branch=claim.post.division))
    claimed_on = datetime.date(2025, 3, 1)


class PointRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointRule
        django_get_or_create = ("district", "activity")

    district = factory.LazyFunction(lambda: division(VILLAGE[:6]))
    activity = PointActivity.ACTIVITY
    points = 5


class PointEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointEntry

    member = factory.SubFactory(PartyMembershipFactory)
    activity = PointActivity.ACTIVITY
    points = 5
    earned_on = datetime.date(2025, 6, 1)


class VillagerPointEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillagerPointEntry

    division = factory.LazyFunction(lambda: division(VILLAGE))
    person = factory.LazyAttribute(lambda entry: PersonFactory(division=entry.division))
    points = 3
    earned_on = datetime.date(2025, 6, 1)


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


# --- centres ---


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "engagement.ServiceCentre"

    division = factory.LazyFunction(lambda: division(VILLAGE))
    level = "village"
    area_m2 = 400
    service_area_m2 = 300
    households_served = 1000


class OperatingFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "engagement.OperatingFund"

    division = factory.LazyFunction(lambda: division(VILLAGE))
    year = 2026
    amount_fen = 400_000 * 100


class EmergencyPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "engagement.EmergencyPlan"

    division = factory.LazyFunction(lambda: division(VILLAGE))
    title = factory.Sequence(lambda n: f"防汛防台风应急预案{n}")
    adopted_on = datetime.date(2024, 3, 1)
    people_trained = 12


class DrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "engagement.Drill"

    plan = factory.SubFactory(EmergencyPlanFactory)
    held_on = datetime.date(2026, 5, 12)
    participants = 30


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
