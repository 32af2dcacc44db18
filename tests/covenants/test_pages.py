"""The browser pages of the covenants app: the access matrix of each page (PageAccessTests), and
what the pages do: recording and confirming violations through the services, the covenant record
on a person's page, the public covenant, the comparison of versions, pinned query counts."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from covenants.choices import Severity, VersionStatus
from covenants.models import Clause, Violation
from covenants.testing.factories import (
    ClauseFactory,
    CovenantVersionFactory,
    ViolationFactory,
    published_covenant,
    repeat_violations,
)
from covenants.versions import ADDED, CHANGED, REMOVED, SAME, compare_clauses
from governance.guards import NOT_IN_THE_FUTURE
from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Person, PositionKind
from villages.testing.factories import HouseholdFactory, PersonFactory, PositionFactory, division

ROLES = list(w.ROLE_HOME)
TODAY = datetime.date.today()

# covenants/grants.py. A covenant and its violations lie in the village (村/社区): a cooperative
# clerk, assigned over a cooperative only, sees none of them although the grants name the models,
# but the covenant in force (IN_FORCE_READERS below). The grid worker views the village (a page on
# it answers 403 without the right) and nothing of this app.
VILLAGE_VIEWERS = set(ROLES) - {"coop_clerk"}
VIOLATION_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
RECORDERS = {"district_admin", "town_official", "village_clerk"}  # they also confirm (four eyes aside)

# The village inside every role's jurisdiction but the cooperative clerk's, and one just outside;
# the cooperative clerk's own cooperative (a member's violation lies in its village) and the next.
VILLAGE_PLACES = {role: (w.VILLAGE, w.JUST_OUTSIDE[role]) for role in ROLES}
VILLAGE_PLACES["coop_clerk"] = (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE)

_sequence = itertools.count(1)


def clause_in(code: str, number: int = 1) -> Clause:
    """A clause of the general covenant in force in the village of `code`, made the first time."""
    village = code[:12]
    found = Clause.objects.filter(
        version__covenant__division_id=village, version__status=VersionStatus.PUBLISHED, number=number
    ).first()
    return found or published_covenant(village).clauses.get(number=number)


def villager(code: str, **extra) -> Person:
    """A person of `code`, named after it (the register's marker) with a fresh ID number."""
    n = next(_sequence)
    return PersonFactory(
        division=division(code),
        name=extra.pop("name", f"违约人{code}号"),
        id_number=make_id_number("440605", datetime.date(1980, 1, 1) + datetime.timedelta(days=n), n % 1000),
        **extra,
    )


def violation_at(code: str, **extra) -> Violation:
    """A violation of clause 1 by a person of `code`, recorded by a clerk who is none of the role
    users (so that any of them may confirm it); confirmed unless confirmed_on=None."""
    return ViolationFactory(clause=clause_in(code), person=villager(code), **extra)


# --- the access matrix -------------------------------------------------------------------------


class TestViolationRegister(PageAccessTests):
    is_list = True
    viewers = VIOLATION_VIEWERS
    places = VILLAGE_PLACES

    def url(self, _none):
        return reverse("covenants:violations")

    def make_object(self, code):
        return violation_at(code)

    def marker(self, violation):
        return violation.person.name


class TestViolationPage(PageAccessTests):
    viewers = VIOLATION_VIEWERS
    places = VILLAGE_PLACES

    def url(self, violation):
        return reverse("covenants:violation", args=[violation.pk])

    def make_object(self, code):
        return violation_at(code)


class TestViolationRecordPage(PageAccessTests):
    """登记违约 in a village: who views the village but may not record there gets 403; a
    cooperative has no record page (404), so the cooperative clerk's places find none."""

    viewers = VILLAGE_VIEWERS
    posters = RECORDERS
    places = VILLAGE_PLACES

    def url(self, place):
        return reverse("covenants:violation_add", args=[place.code])

    def make_object(self, code):
        return SimpleNamespace(code=code, clause=clause_in(code), person=villager(code))

    def post_data(self, place):
        return {
            "id_number": place.person.id_number,
            "clause": place.clause.pk,
            "occurred_on": "2025-06-01",
            "facts": "占用集体土地堆放杂物。",
            "severity": Severity.MINOR,
        }


class TestViolationConfirmPage(PageAccessTests):
    """认定 of a violation recorded by someone else: those who may confirm post, the inspector
    (who only views violations) gets 403. The recorder's own refusal is tested below."""

    viewers = VIOLATION_VIEWERS
    posters = RECORDERS
    places = VILLAGE_PLACES

    def url(self, violation):
        return reverse("covenants:violation_confirm", args=[violation.pk])

    def make_object(self, code):
        return violation_at(code, confirmed_on=None)

    def post_data(self, violation):
        return {"confirmed_on": TODAY.isoformat(), "severity": Severity.MINOR}


# A covenant in force binds the members of the village's cooperatives: a cooperative's clerk reads
# it, and its version in force (covenants.querysets.binding_covenants_condition), not another
# village's. The grid worker's role names none of this app's models.
IN_FORCE_READERS = set(ROLES) - {"grid_worker"}
IN_FORCE_PLACES = {**VILLAGE_PLACES, "coop_clerk": (w.COOPERATIVE, w.OTHER_VILLAGE_SAME_TOWN)}


class TestCovenantPage(PageAccessTests):
    viewers = IN_FORCE_READERS
    places = IN_FORCE_PLACES

    def url(self, covenant):
        return reverse("covenants:covenant", args=[covenant.pk])

    def make_object(self, code):
        return clause_in(code).version.covenant


class TestVersionPage(PageAccessTests):
    viewers = IN_FORCE_READERS
    places = IN_FORCE_PLACES

    def url(self, version):
        return reverse("covenants:version", args=[version.pk])

    def make_object(self, code):
        return clause_in(code).version


# --- recording and confirming ------------------------------------------------------------------


@pytest.fixture
def covenant(world):
    return published_covenant(w.VILLAGE)


def record(client, offender, clause, **extra):
    data = {
        "id_number": offender.id_number,
        "clause": clause.pk,
        "occurred_on": "2025-06-01",
        "facts": "在村道违规停车。",
        "severity": Severity.MINOR,
        **extra,
    }
    return client.post(reverse("covenants:violation_add", args=[w.VILLAGE]), data)


def test_recording_through_the_page_creates_the_violation_under_the_clerk(world, covenant):
    clerk = world.user("village_clerk")
    person = villager(w.COOPERATIVE, name="张大山")
    clause = covenant.clauses.get(number=3)

    response = record(client_for(clerk), person, clause)

    violation = Violation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("covenants:violation", args=[violation.pk])
    assert (violation.person, violation.clause, violation.division_id) == (person, clause, w.VILLAGE)
    assert violation.recorded_by == clerk and violation.confirmed_on is None
    page = client_for(clerk).get(response.url)
    assert "张大山" in page.text and "待认定" in page.text


def test_the_person_can_be_picked_by_name_instead_of_the_id_number(world, covenant):
    person = villager(w.VILLAGE)

    response = record(
        client_for(world.user("village_clerk")), person, covenant.clauses.get(number=1), id_number="", person=person.pk
    )

    assert response.status_code == 302
    assert Violation.objects.get().person == person


def test_an_id_number_not_registered_in_the_village_is_a_field_error_in_chinese(world, covenant):
    neighbour = villager(w.OTHER_VILLAGE_SAME_TOWN)

    response = record(client_for(world.user("town_official")), neighbour, covenant.clauses.get(number=1))

    assert response.status_code == 200
    assert "本村（社区）没有登记该身份证号的人员。" in response.text
    assert not Violation.objects.exists()


def test_a_day_in_the_future_is_refused_by_the_service_as_a_field_error(world, covenant):
    person = villager(w.VILLAGE)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()

    response = record(
        client_for(world.user("village_clerk")), person, covenant.clauses.get(number=1), occurred_on=tomorrow
    )

    assert response.status_code == 200
    assert str(NOT_IN_THE_FUTURE) in response.text
    assert not Violation.objects.exists()


def test_the_record_form_offers_only_the_clauses_in_force_in_the_village(world, covenant):
    draft = CovenantVersionFactory(covenant=covenant.covenant, number=2, status=VersionStatus.DRAFT)
    ClauseFactory(version=draft, number=1, text="草稿中的条款。")
    clause_in(w.OTHER_VILLAGE_SAME_TOWN)

    response = client_for(world.user("town_official")).get(reverse("covenants:violation_add", args=[w.VILLAGE]))

    offered = set(response.context["form"].fields["clause"].queryset)
    assert offered == set(covenant.clauses.all())
    assert "第1条 不得侵占集体资产。" in response.text and "草稿中的条款。" not in response.text


def test_the_recorder_is_not_offered_the_confirmation_and_may_not_confirm(world, covenant):
    clerk = world.user("village_clerk")
    record(client_for(clerk), villager(w.VILLAGE), covenant.clauses.get(number=1))
    violation = Violation.objects.get()
    confirm_url = reverse("covenants:violation_confirm", args=[violation.pk])

    page = client_for(clerk).get(reverse("covenants:violation", args=[violation.pk]))
    refused_get = client_for(clerk).get(confirm_url)
    refused_post = client_for(clerk).post(confirm_url, {"confirmed_on": TODAY.isoformat(), "severity": "minor"})

    assert page.status_code == 200 and confirm_url not in page.text
    assert refused_get.status_code == refused_post.status_code == 403
    violation.refresh_from_db()
    assert violation.confirmed_on is None
    official_page = client_for(world.user("town_official")).get(reverse("covenants:violation", args=[violation.pk]))
    assert confirm_url in official_page.text


def test_confirming_a_repeat_shows_its_bars_and_their_tier_on_the_persons_panel(world, covenant):
    person = villager(w.VILLAGE, name="李二")
    earlier = datetime.date(2025, 3, 1)  # within 12 months before the one recorded (2025-06-01)
    ViolationFactory(clause=covenant.clauses.get(number=2), person=person, occurred_on=earlier, confirmed_on=earlier)
    record(client_for(world.user("village_clerk")), person, covenant.clauses.get(number=1), severity="serious")
    violation = Violation.objects.get(confirmed_on=None)
    official = client_for(world.user("town_official"))
    person_url = reverse("villages:person", args=[person.pk])
    before = official.get(person_url)

    response = official.post(
        reverse("covenants:violation_confirm", args=[violation.pk]),
        {"confirmed_on": TODAY.isoformat(), "severity": Severity.SERIOUS},
    )
    after = official.get(person_url)

    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.confirmed_by == world.user("town_official")
    assert 'id="covenant-record"' in before.text and "不得参与集体资产竞投" not in before.text
    assert 'id="barred-asset_bidding"' in after.text and 'id="barred-election"' in after.text
    assert 'id="barred-nomination"' in after.text
    assert "屡教不改（12个月内第2次违反《" in after.text and "3年内不得参与集体资产竞投（第1条" in after.text
    assert "一般违约：不发放公约遵守奖；单次违约不取消资格" in after.text  # the earlier one, by its tier
    assert reverse("covenants:violation", args=[violation.pk]) in after.text


def test_the_persons_panel_says_a_serious_single_violation_bars_nothing(world, covenant):
    person = villager(w.VILLAGE, name="赵五")
    parking = ClauseFactory(
        version=covenant, number=9, bars_asset_bidding=False, withholds_award=False, restricts_vehicle_access=True
    )
    ViolationFactory(
        clause=parking,
        person=person,
        severity=Severity.SERIOUS,
        occurred_on=TODAY - datetime.timedelta(days=10),
        confirmed_on=TODAY - datetime.timedelta(days=3),
    )

    page = client_for(world.user("town_official")).get(reverse("villages:person", args=[person.pk])).text

    assert "情节较为严重：限制车辆出入、移送相关部门处理；单次违约不取消资格" in page
    assert 'id="barred-election"' not in page and 'id="barred-asset_bidding"' not in page


def test_the_covenant_record_is_not_shown_to_who_may_not_view_violations(world, covenant):
    violation_at(w.COOPERATIVE)
    person = Violation.objects.get().person

    coop = client_for(world.user("coop_clerk")).get(reverse("villages:person", args=[person.pk]))

    assert coop.status_code == 200
    assert 'id="covenant-record"' not in coop.text


def test_an_appeal_filed_and_upheld_lifts_the_sanctions(world, covenant):
    violation = violation_at(w.VILLAGE, severity=Severity.SERIOUS, confirmed_on=TODAY - datetime.timedelta(days=5))
    clerk, official = client_for(world.user("village_clerk")), client_for(world.user("town_official"))

    filed = clerk.post(
        reverse("covenants:violation_appeal", args=[violation.pk]),
        {"filed_on": TODAY.isoformat(), "reason": "不是本人所为。"},
    )
    clerk_may_not_decide = clerk.get(reverse("covenants:violation_decide_appeal", args=[violation.pk]))
    decided = official.post(
        reverse("covenants:violation_decide_appeal", args=[violation.pk]),
        {"upheld": "true", "decided_on": TODAY.isoformat()},
    )

    assert filed.status_code == decided.status_code == 302
    assert clerk_may_not_decide.status_code == 403
    violation.refresh_from_db()
    assert violation.appeal_upheld is True
    page = official.get(reverse("villages:person", args=[violation.person_id]))
    assert 'id="barred-election"' not in page.text


def test_a_rectification_before_the_violation_is_a_field_error(world, covenant):
    violation = violation_at(w.VILLAGE)

    response = client_for(world.user("village_clerk")).post(
        reverse("covenants:violation_rectify", args=[violation.pk]), {"rectified_on": "2020-01-01"}
    )

    assert response.status_code == 200
    assert "整改日期不能早于发生日期。" in response.text


# --- the register ------------------------------------------------------------------------------


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {violation.person.name for violation in response.context["object_list"]}


def test_the_register_filters_by_state_severity_division_and_day(world, covenant):
    ViolationFactory(
        clause=covenant.clauses.get(number=1), person=villager(w.VILLAGE, name="待认定者"), confirmed_on=None
    )
    ViolationFactory(
        clause=covenant.clauses.get(number=1), person=villager(w.COOPERATIVE, name="严重者"), severity=Severity.SERIOUS
    )
    ViolationFactory(
        clause=clause_in(w.OTHER_VILLAGE_SAME_TOWN),
        person=villager(w.OTHER_VILLAGE_SAME_TOWN, name="邻村者"),
        occurred_on=datetime.date(2024, 5, 1),
        confirmed_on=datetime.date(2024, 5, 2),
        appeal_filed_on=datetime.date(2024, 5, 3),
    )
    client = client_for(world.user("town_official"))
    url = reverse("covenants:violations")

    assert listed(client.get(url)) == {"待认定者", "严重者", "邻村者"}
    assert listed(client.get(url, {"state": "recorded"})) == {"待认定者"}
    assert listed(client.get(url, {"state": "confirmed"})) == {"严重者"}
    assert listed(client.get(url, {"state": "appealed"})) == {"邻村者"}
    assert listed(client.get(url, {"severity": "serious"})) == {"严重者"}
    assert listed(client.get(url, {"division": w.VILLAGE})) == {"待认定者", "严重者"}
    assert listed(client.get(url, {"occurred_to": "2024-12-31"})) == {"邻村者"}
    assert listed(client.get(url, {"occurred_from": "2025-01-01"})) == {"待认定者", "严重者"}


def test_the_register_shows_the_sanctions_each_violation_causes_today(world, covenant):
    ViolationFactory(
        clause=covenant.clauses.get(number=1),
        person=villager(w.VILLAGE, name="被限制者"),
        severity=Severity.SERIOUS,
        occurred_on=TODAY - datetime.timedelta(days=10),
        confirmed_on=TODAY - datetime.timedelta(days=3),
    )

    response = client_for(world.user("town_official")).get(reverse("covenants:violations"))

    [row] = response.context["object_list"]
    assert row.tier_text == "情节较为严重：不发放公约遵守奖、移送相关部门处理；单次违约不取消资格"
    assert any(text.startswith("情节较为严重：移送相关部门处理（违反《") for text in row.sanctions_today)
    assert not any("不得当选" in text for text in row.sanctions_today)
    assert row.tier_text in response.text
    assert "罗村村委会" in response.text and "第1条" in response.text


def test_the_register_and_the_violations_page_name_a_repeats_bars_and_why(world, covenant):
    person = villager(w.VILLAGE, name="屡犯者")
    _first, repeat = repeat_violations(
        clause=covenant.clauses.get(number=1), person=person, confirmed_on=TODAY - datetime.timedelta(days=3)
    )
    official = client_for(world.user("town_official"))

    register = official.get(reverse("covenants:violations"))
    detail = official.get(reverse("covenants:violation", args=[repeat.pk]))

    row = next(row for row in register.context["object_list"] if row.pk == repeat.pk)
    assert row.tier_text.startswith("屡教不改（12个月内第2次违反《")
    assert "5年内不得当选领导职务或代表" in row.tier_text and "单次违约" not in row.tier_text
    assert detail.context["tier_text"] == row.tier_text
    assert 'id="violation-tier"' in detail.text and "5年内不得被推荐为“两代表一委员”（第1条" in detail.text


def test_home_counts_the_violations_waiting_for_the_users_confirmation(world, covenant):
    clerk = world.user("village_clerk")
    ViolationFactory(clause=covenant.clauses.get(number=1), person=villager(w.VILLAGE, name="甲"), confirmed_on=None)
    ViolationFactory(
        clause=covenant.clauses.get(number=1),
        person=villager(w.VILLAGE, name="乙"),
        confirmed_on=None,
        recorded_by=clerk,
    )

    official = client_for(world.user("town_official"))
    home = official.get(reverse("home"))
    own = client_for(clerk).get(reverse("home"))
    inspector = client_for(world.user("inspector")).get(reverse("home"))

    assert home.context["pending_counts"]["violations_to_confirm"] == 2
    assert "2 条违约记录待认定" in home.text
    assert own.context["pending_counts"]["violations_to_confirm"] == 1  # not the one the clerk recorded
    assert inspector.context["pending_counts"]["violations_to_confirm"] == 0
    assert listed(client_for(clerk).get(reverse("covenants:violations_to_confirm"), follow=True)) == {"甲"}


# --- covenants, versions, the public page ----------------------------------------------------


def test_the_covenant_page_lists_its_versions_and_the_clauses_in_force(world, covenant):
    CovenantVersionFactory(covenant=covenant.covenant, number=2, status=VersionStatus.DRAFT)

    response = client_for(world.user("report_reader")).get(reverse("covenants:covenant", args=[covenant.covenant_id]))

    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert [c.number for c in response.context["clauses"]] == [1, 2, 3, 4]
    assert "车辆按位停放。" in response.text


def test_the_version_comparison_marks_added_removed_and_changed_clauses(world, covenant):
    covenant.status = VersionStatus.SUPERSEDED
    covenant.save()
    newer = CovenantVersionFactory(covenant=covenant.covenant, number=2)
    ClauseFactory(version=newer, number=1, text="不得侵占集体资产。")
    ClauseFactory(version=newer, number=2, text="垃圾分类定时定点投放。")
    ClauseFactory(version=newer, number=3, text="车辆按位停放。")
    ClauseFactory(version=newer, number=5, text="爱护公共设施。")

    response = client_for(world.user("town_official")).get(reverse("covenants:version", args=[newer.pk]))

    assert response.status_code == 200
    kinds = {change.number: change.kind for change in response.context["changes"]}
    assert kinds == {1: SAME, 2: CHANGED, 3: SAME, 4: REMOVED, 5: ADDED}
    assert 'id="change-2"' in response.text and "<ins>定时定点</ins>" in response.text
    assert response.context["changed_count"] == 3


def test_compare_clauses_is_a_pure_clause_by_clause_comparison():
    changes = compare_clauses([(1, "甲乙丙"), (2, "丁")], [(1, "甲乙戊"), (3, "己")])

    assert [(c.number, c.kind) for c in changes] == [(1, CHANGED), (2, REMOVED), (3, ADDED)]
    assert [(s.op, s.text) for s in changes[0].segments] == [("equal", "甲乙"), ("delete", "丙"), ("insert", "戊")]
    assert compare_clauses([(1, "同")], [(1, "同")])[0].kind == SAME


def test_the_public_page_shows_the_published_covenants_clauses_and_no_names(world, covenant):
    draft = CovenantVersionFactory(covenant=covenant.covenant, number=2, status=VersionStatus.DRAFT)
    ClauseFactory(version=draft, number=1, text="尚未公布的条款。")
    violation = violation_at(w.VILLAGE, severity=Severity.SERIOUS)

    response = Client().get(reverse("public_division", args=[w.VILLAGE]))

    assert response.status_code == 200
    assert 'id="public-covenant"' in response.text
    for text in ("不得侵占集体资产。", "垃圾分类投放。", "车辆按位停放。", "不得违法搭建。", covenant.covenant.title):
        assert text in response.text
    assert "尚未公布的条款。" not in response.text
    assert violation.person.name not in response.text and violation.person.id_number not in response.text


def test_a_village_without_a_published_covenant_shows_no_covenant_section(world):
    version = published_covenant(w.VILLAGE)
    version.status = VersionStatus.DRAFT
    version.save()

    response = Client().get(reverse("public_division", args=[w.VILLAGE]))

    assert 'id="public-covenant"' not in response.text


# --- query counts ------------------------------------------------------------------------------
# The same number of queries for one row as for many, pinned: 3 per request (session, user,
# grants) + those of the page.


def add_violations(n: int) -> None:
    clause = clause_in(w.OTHER_VILLAGE_SAME_TOWN)
    for _ in range(n):
        ViolationFactory(clause=clause, person=villager(w.OTHER_VILLAGE_SAME_TOWN), severity=Severity.SERIOUS)


def repeat_offender() -> Person:
    """A person with a household and a position, so that villages' sections all cost their query."""
    found = Person.objects.filter(name="屡犯者").first()
    if found is not None:
        return found
    household = HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    person = villager(w.OTHER_VILLAGE_SAME_TOWN, name="屡犯者", household=household)
    villager(w.OTHER_VILLAGE_SAME_TOWN, household=household)
    PositionFactory(
        person=person, division=division(w.OTHER_VILLAGE_SAME_TOWN), kind=PositionKind.VILLAGER_REPRESENTATIVE
    )
    return person


def add_offences(n: int) -> None:
    person = repeat_offender()
    for number in range(n):
        ViolationFactory(
            clause=clause_in(w.OTHER_VILLAGE_SAME_TOWN, number=number % 4 + 1),
            person=person,
            occurred_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            confirmed_on=datetime.date(2025, 6, 1),
        )


QUERY_PAGES = {
    # + count, page of violations with person, division, clause and covenant, the filter's
    # division by name, the sanctions of the page's people
    "register": (add_violations, lambda: reverse("covenants:violations") + f"?division={w.OTHER_VILLAGE_SAME_TOWN}", 7),
    # villages' 9 + the person's violations, their sanctions + supervision's leadership posts left
    # without an audit on leaving (the town official views audits)
    "person page": (add_offences, lambda: reverse("villages:person", args=[repeat_offender().pk]), 12),
}


@pytest.mark.parametrize("page_name", QUERY_PAGES)
def test_a_page_costs_the_same_queries_for_one_row_and_for_many(world, page_name):
    add_rows, url, pinned = QUERY_PAGES[page_name]
    client = client_for(world.user("town_official"))

    add_rows(1)
    with_one = queries_for(client, url())
    add_rows(30)
    with_many = queries_for(client, url())

    assert with_one == with_many == pinned


def test_a_serious_violation_is_referred_from_its_page_and_the_page_then_names_the_department(world, covenant):
    violation = violation_at(w.VILLAGE, severity="serious")
    minor = violation_at(w.VILLAGE)
    clerk = client_for(world.user("village_clerk"))

    before = clerk.get(reverse("covenants:violation", args=[violation.pk]))
    referred = clerk.post(
        reverse("covenants:violation_refer", args=[violation.pk]),
        {"department": "区自然资源局", "referred_on": "2025-04-01"},
    )
    after = clerk.get(reverse("covenants:violation", args=[violation.pk]))
    not_for_a_minor_one = clerk.get(reverse("covenants:violation_refer", args=[minor.pk]))

    assert 'id="refer-violation"' in before.text
    assert referred.status_code == 302
    assert "区自然资源局" in after.text and 'id="refer-violation"' not in after.text
    assert not_for_a_minor_one.status_code == 404
