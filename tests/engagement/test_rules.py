"""The engagement rules of DESIGN.md section 3 at their boundaries: the five links (五挂钩), visit
coverage quotas (Guangxi §16), the topic pre-review's four eyes, service centre size (Jiangsu 六),
the operating fund's top-up (Jiangsu 十一), the direct-contact day (Tuesday)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from engagement import services
from engagement.choices import (
    MIN_OPERATING_FUND_FEN,
    LinkKind,
    QuotaTarget,
    TopicStatus,
    VisitorLevel,
)
from engagement.models import ContactDay, ContactLink, OperatingFund, ServiceCentre
from engagement.querysets import coverage_of, missing_links, quota_window
from engagement.testing.factories import (
    CatalogueEntryFactory,
    ContactLinkFactory,
    DeliberationBodyFactory,
    VisitFactory,
    VisitingCadreFactory,
)
from governance.periods import Period
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from villages.testing.factories import HouseholdFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_village_with_four_links_misses_the_deputies(world):
    for kind in (LinkKind.DISTRICT_LEADER, LinkKind.DISTRICT_BRANCH, LinkKind.TOWN_LEADER, LinkKind.TOWN_BRANCH):
        ContactLinkFactory(kind=kind)
    filled = ContactLink.objects.filled_by_village(D(2026, 6, 1))
    assert missing_links(filled[w.VILLAGE]) == [LinkKind.DEPUTIES]


def test_a_link_ended_before_the_day_is_missing_on_it(world):
    ContactLinkFactory(kind=LinkKind.TOWN_LEADER, since=D(2025, 1, 1), until=D(2026, 5, 31))
    assert ContactLink.objects.filled_by_village(D(2026, 5, 31)) == {w.VILLAGE: {LinkKind.TOWN_LEADER}}
    assert ContactLink.objects.filled_by_village(D(2026, 6, 1)) == {}


def test_a_new_town_leader_link_ends_the_previous_one_the_day_before(world):
    official = world.user("town_official")
    first = services.fill_link(
        acting_user=official, village_code=w.VILLAGE, kind=LinkKind.TOWN_LEADER, holder="张三", since=D(2025, 1, 1)
    )
    services.fill_link(
        acting_user=official, village_code=w.VILLAGE, kind=LinkKind.TOWN_LEADER, holder="李四", since=D(2026, 3, 1)
    )
    first.refresh_from_db()
    assert first.until == D(2026, 2, 28)


def test_two_current_town_leader_links_are_refused_by_the_database(world):
    ContactLinkFactory(kind=LinkKind.TOWN_LEADER)
    with pytest.raises(IntegrityError):
        ContactLinkFactory(kind=LinkKind.TOWN_LEADER)


def test_several_deputies_link_one_village(world):
    ContactLinkFactory(kind=LinkKind.DEPUTIES)
    ContactLinkFactory(kind=LinkKind.DEPUTIES)
    assert ContactLink.objects.filter(kind=LinkKind.DEPUTIES).count() == 2


def test_a_village_clerk_cannot_fill_a_link(world):
    with pytest.raises(PermissionDenied):
        services.fill_link(
            acting_user=world.user("village_clerk"),
            village_code=w.VILLAGE,
            kind=LinkKind.TOWN_LEADER,
            holder="张三",
            since=D(2025, 1, 1),
        )


def test_the_direct_contact_day_is_a_tuesday(world):
    assert ContactDay(division_id=w.VILLAGE, held_on=D(2026, 12, 1)).on_contact_weekday  # a Tuesday
    assert not ContactDay(division_id=w.VILLAGE, held_on=D(2026, 12, 2)).on_contact_weekday


def test_a_town_cadre_must_visit_every_household_of_their_villages_each_year(world):
    cadre = VisitingCadreFactory(level=VisitorLevel.TOWN_CADRE)
    cadre.villages.add(division(w.VILLAGE))
    households = [HouseholdFactory(division=division(w.COOPERATIVE)) for _ in range(3)]
    HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN[:12] + "001"))  # not their village
    VisitFactory(visitor=cadre, household=households[0], division=households[0].division, visited_on=D(2026, 2, 1))
    VisitFactory(visitor=cadre, household=households[1], division=households[1].division, visited_on=D(2026, 12, 31))
    # Last year's visit does not count this year.
    VisitFactory(visitor=cadre, household=households[2], division=households[2].division, visited_on=D(2025, 12, 31))
    (coverage,) = coverage_of(cadre, Period.parse("2026"))
    assert (coverage.target, coverage.required, coverage.visited, coverage.met) == (QuotaTarget.HOUSEHOLDS, 3, 2, False)
    assert coverage.share == pytest.approx(66.67)


def test_a_town_leader_has_a_half_year_group_quota_and_a_term_household_quota(world):
    cadre = VisitingCadreFactory(level=VisitorLevel.TOWN_LEADER, term_started_on=D(2022, 1, 1))
    cadre.villages.add(division(w.VILLAGE))
    division(w.COOPERATIVE)
    division(w.OTHER_COOPERATIVE_SAME_VILLAGE)
    household = HouseholdFactory(division=division(w.COOPERATIVE))
    VisitFactory(visitor=cadre, division=division(w.COOPERATIVE), household=household, visited_on=D(2023, 5, 5))
    VisitFactory(visitor=cadre, division=division(w.COOPERATIVE), visited_on=D(2026, 6, 30))
    VisitFactory(visitor=cadre, division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), visited_on=D(2026, 7, 1))
    groups, households = coverage_of(cadre, Period.parse("2026-H1"))
    assert (groups.required, groups.visited) == (2, 1)  # the July visit is the second half's
    assert (households.required, households.visited, households.met) == (1, 1, True)


def test_the_term_window_ends_after_five_years(world):
    start, end = quota_window("term", Period.parse("2030"), D(2026, 3, 1))
    assert (start, end) == (D(2026, 3, 1), D(2030, 12, 31))
    start, end = quota_window("term", Period.parse("2031"), D(2026, 3, 1))
    assert end == D(2031, 2, 28)


def test_a_county_secretary_covers_every_village_of_the_district(world):
    cadre = VisitingCadreFactory(level=VisitorLevel.COUNTY_SECRETARY, division=division(w.DISTRICT))
    for code in (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE):
        division(code)
    VisitFactory(visitor=cadre, division=division(w.COOPERATIVE), visited_on=D(2026, 1, 6))
    (coverage,) = coverage_of(cadre, Period.parse("2026"))
    assert (coverage.target, coverage.required, coverage.visited) == (QuotaTarget.VILLAGES, 3, 1)


def test_a_visit_outside_the_cadres_town_is_refused(world):
    cadre = VisitingCadreFactory(division=division(w.TOWN))
    with pytest.raises(ValidationError) as refused:
        services.record_visit(
            acting_user=world.user("district_admin"),
            visitor=cadre,
            division_code=w.OTHER_TOWN_VILLAGE,
            visited_on=D(2026, 3, 3),
        )
    assert "division" in refused.value.message_dict


def test_whoever_proposed_a_topic_does_not_pre_review_it(world):
    admin = world.user("district_admin")  # may propose and review
    body = DeliberationBodyFactory()
    entry = CatalogueEntryFactory()
    topic = services.propose_topic(
        acting_user=admin, body=body, entry=entry, title="修缮村道", proposed_on=D(2026, 3, 2)
    )
    with pytest.raises(PermissionDenied):
        services.review_topic(topic, acting_user=admin, approved=True, reviewed_on=D(2026, 3, 3))
    topic = services.review_topic(
        topic, acting_user=world.user("town_official"), approved=True, reviewed_on=D(2026, 3, 3)
    )
    assert topic.status == TopicStatus.APPROVED


def test_a_rejection_needs_its_reason(world):
    second = UserFactory()
    assign(second, w.TOWN, "town_official")
    topic = services.propose_topic(
        acting_user=world.user("village_clerk"),
        body=DeliberationBodyFactory(),
        entry=CatalogueEntryFactory(),
        title="修缮村道",
        proposed_on=D(2026, 3, 2),
    )
    with pytest.raises(ValidationError) as refused:
        services.review_topic(topic, acting_user=second, approved=False, reviewed_on=D(2026, 3, 3))
    assert "note" in refused.value.message_dict


@pytest.mark.parametrize(("area", "met"), [(Decimal("30.0"), True), (Decimal("29.9"), False)])
def test_a_centre_needs_30_square_metres_per_100_households(area, met):
    centre = ServiceCentre(area_m2=area, service_area_m2=area, households_served=100)
    assert centre.meets_area is met


@pytest.mark.parametrize(("service", "met"), [(Decimal("70.0"), True), (Decimal("69.9"), False)])
def test_seventy_percent_of_a_centre_is_service_space(service, met):
    assert (
        ServiceCentre(area_m2=Decimal("100.0"), service_area_m2=service, households_served=1).meets_service_share is met
    )


@pytest.mark.parametrize(
    ("amount", "topup"), [(MIN_OPERATING_FUND_FEN, 0), (MIN_OPERATING_FUND_FEN - 1, 1), (100_000_00, 28_000_000)]
)
def test_the_county_makes_up_the_fund_to_380000_yuan(amount, topup):
    assert OperatingFund(amount_fen=amount).county_topup_fen == topup
