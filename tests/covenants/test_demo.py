"""The covenants part of the Nanhai demo (covenants/demo.py), run by manage.py load_demo through
governance.registry.demo_steps: a published general covenant with barring clauses in every
village with a collective economy, and the village clerk's village's violations.

The full demo is loaded once for the module, in a transaction rolled back when it is done."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from covenants import services, texts
from covenants.choices import CovenantKind, EligibilityAction, SanctionKind, Severity, VersionStatus
from covenants.demo import ADOPTED_ON, DEMO_CLAUSES, FILED_ON, PUBLISHED_ON, covenant_title
from covenants.models import Clause, Covenant, CovenantVersion, Violation
from covenants.services import sanctions
from governance.audit import history_of
from governance.registry import registry
from villages import demo
from villages.models import Division, Level

# A day on which the demo's repeat (confirmed 2026-09-10) bars its person, whatever today is.
ASKED_ON = datetime.date(2027, 1, 4)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", force=True, stdout=out)
        with connection.cursor() as cursor:  # run the load's deferred checks once (tests/villages/test_demo.py)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def nanhai(loaded_demo, db):
    return Division.objects.filter(code__startswith=demo.DISTRICT_CODE, level=Level.VILLAGE)


@pytest.fixture
def violations(nanhai):
    return Violation.objects.filter(division_id=demo.DEMO_VILLAGE_CODE).select_related("clause", "person")


def test_the_covenants_step_is_registered_for_the_demo():
    assert "covenants" in registry.demo_steps


def test_every_village_with_a_collective_economy_has_one_published_general_covenant_with_barring_clauses(nanhai):
    collective = set(nanhai.filter(has_collective_economy=True).values_list("code", flat=True))
    in_force = CovenantVersion.objects.filter(
        status=VersionStatus.PUBLISHED, covenant__kind=CovenantKind.GENERAL, covenant__division__in=collective
    )
    per_village = Counter(in_force.values_list("covenant__division_id", flat=True))
    barring = Clause.objects.filter(version__in=in_force, bars_asset_bidding=True, bars_election=True)

    assert len(collective) == demo.COLLECTIVE_VILLAGE_COUNT == 222
    assert set(per_village) == collective and set(per_village.values()) == {1}
    assert set(barring.values_list("version__covenant__division_id", flat=True)) == collective
    assert not Covenant.objects.exclude(division__in=collective).exists()


def test_every_demo_covenant_has_the_six_clauses_with_their_consequences(nanhai):
    versions = CovenantVersion.objects.filter(
        covenant__division__code__startswith=demo.DISTRICT_CODE, status=VersionStatus.PUBLISHED
    )
    clauses = Clause.objects.filter(version__in=versions)

    assert clauses.count() == 6 * versions.count() == 6 * 222
    assert Counter(clauses.values_list("category", flat=True)) == {spec.category: 222 for spec in DEMO_CLAUSES}
    assert clauses.filter(withholds_award=True).count() == 5 * 222
    assert clauses.filter(restricts_vehicle_access=True, category="停车").count() == 222
    assert clauses.filter(compensation_fen__gt=0, category="两违").count() == 222
    assert set(versions.values_list("adopted_on", "filed_on", "published_on")) == {(ADOPTED_ON, FILED_ON, PUBLISHED_ON)}


def test_the_covenants_are_named_after_their_village_or_community(nanhai):
    village = Covenant.objects.get(division_id=demo.DEMO_VILLAGE_CODE, kind=CovenantKind.GENERAL)

    assert village.title == "唐边村村规民约"
    assert covenant_title("桂一社区居委会") == "桂一社区居民公约"
    assert covenant_title("桂城社区") == "桂城社区居民公约"


def test_the_village_clerks_village_has_a_violation_of_each_tier(violations):
    shapes = sorted((v.confirmed_on is not None, v.severity, v.appeal_upheld is True) for v in violations)

    assert shapes == [
        (False, Severity.MINOR, False),
        (True, Severity.MINOR, False),
        (True, Severity.MINOR, False),
        (True, Severity.SERIOUS, False),
        (True, Severity.SERIOUS, False),
        (True, Severity.SERIOUS, True),
    ]
    assert len({v.person_id for v in violations}) == 5
    assert violations[0].division.parent.name == "狮山镇"


def test_the_demo_violations_are_recorded_by_the_village_clerk_and_confirmed_by_the_town_official(violations):
    for violation in violations:
        assert violation.recorded_by.username == "village_clerk"
        if violation.confirmed_on:
            assert violation.confirmed_by.username == "town_official"
            assert violation.confirmed_on >= violation.occurred_on
        assert violation.person.division_id.startswith(demo.DEMO_VILLAGE_CODE)
        assert violation.occurred_on <= datetime.date.today()


def repeater_and_serious_single(violations):
    by_person = Counter(v.person_id for v in violations if v.confirmed_on and not v.appeal_upheld)
    (repeater,) = [person for person, count in by_person.items() if count == 2]
    (single,) = [
        v.person_id
        for v in violations
        if v.severity == Severity.SERIOUS and not v.appeal_upheld and v.person_id != repeater
    ]
    return repeater, single


def test_exactly_one_person_of_the_demo_violations_is_barred_the_repeat_violator(violations):
    repeater, _single = repeater_and_serious_single(violations)
    actions = (EligibilityAction.ELECTION, EligibilityAction.NOMINATION, EligibilityAction.ASSET_BIDDING)

    barred = {
        action: {v.person_id for v in violations if not sanctions.eligibility(v.person_id, action, ASKED_ON).eligible}
        for action in actions
    }

    assert barred == {action: {repeater} for action in actions}
    election = sanctions.eligibility(repeater, EligibilityAction.ELECTION, ASKED_ON)
    bidding = sanctions.eligibility(repeater, EligibilityAction.ASSET_BIDDING, ASKED_ON)
    assert (election.eligible_from, bidding.eligible_from) == (datetime.date(2031, 9, 10), datetime.date(2029, 9, 10))
    assert texts.describe_bar(bidding.reasons[0]).startswith("屡教不改（12个月内第2次违反《唐边村村规民约》）")


def test_the_demos_single_serious_violation_brings_restrictions_and_a_referral_and_no_bar(violations):
    _repeater, single = repeater_and_serious_single(violations)

    kinds = {s.kind for s in sanctions.sanctions_of([single])[single]}

    assert kinds == {SanctionKind.COMPENSATION, SanctionKind.REFERRAL, SanctionKind.AWARD_WITHHELD}
    assert texts.describe_tier(sanctions.sanctions_of([single])[single]).endswith("单次违约不取消资格")


def test_the_upheld_appeal_leaves_its_person_free(violations):
    (upheld,) = [v for v in violations if v.appeal_upheld]

    assert sanctions.sanctions_of([upheld.person_id]) == {}


def test_the_covenants_load_is_in_the_audit_trail_with_its_source(violations):
    for obj in (
        Covenant.objects.get(division_id=demo.DEMO_VILLAGE_CODE, kind=CovenantKind.GENERAL),
        violations.first(),
    ):
        (event,) = history_of(obj)
        assert event.pgh_context["source"] == "load_demo"


def test_load_demo_prints_the_covenants_summary(loaded_demo):
    (line,) = [line for line in loaded_demo.splitlines() if line.startswith("村规民约 / covenants")]

    assert "222 部施行中" in line and "1332 条款" in line and "6 条违约记录" in line
    assert "1 人今日不得当选" in line  # the repeat violator, counted once for their two violations


def test_the_village_clerks_village_shows_a_red_and_a_black_list_on_its_public_page(nanhai):
    """Three approved nominations of the year the demo is loaded in, one waiting for the town
    official, four eyes; the repeat violator and the single serious one are on the black list,
    each line saying which tier applied."""
    from django.test import Client
    from django.urls import reverse

    from covenants.choices import NominationStatus
    from covenants.models import RedListNomination
    from covenants.services.honour_lists import honour_lists, honour_period_of
    from governance.periods import Period

    today = datetime.date.today()
    nominations = RedListNomination.objects.filter(division_id=demo.DEMO_VILLAGE_CODE)
    statuses = Counter(nominations.values_list("status", flat=True))
    lists = honour_lists(demo.DEMO_VILLAGE_CODE, honour_period_of(today), today)
    black = honour_lists(demo.DEMO_VILLAGE_CODE, Period.parse("2027"), ASKED_ON).black
    page = Client().get(reverse("public_division", args=[demo.DEMO_VILLAGE_CODE])).text

    assert statuses == {NominationStatus.APPROVED: 3, NominationStatus.PROPOSED: 1}
    assert all(n.decided_by_id != n.nominated_by_id for n in nominations if n.decided_by_id)
    assert len(lists.red) == 3
    assert {entry.person_id for entry in black} == {
        v.person_id
        for v in Violation.objects.filter(division_id=demo.DEMO_VILLAGE_CODE, severity=Severity.SERIOUS)
        if v.appeal_upheld is not True
    }
    tiers = {entry.person_id: {s.tier for s in entry.sanctions} for entry in black}
    assert sorted(map(sorted, tiers.values())) == [["repeat"], ["serious"]]
    assert 'id="public-honour_lists"' in page
    assert all(entry.name not in page for entry in lists.red)


def test_the_demo_villages_submitted_versions_wait_for_the_department_of_their_kind(nanhai):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(
        ["civil_affairs_reviewer", "natural_resources_reviewer", "district_admin"], field_name="username"
    )
    waiting = CovenantVersion.objects.filter(
        status=VersionStatus.SUBMITTED, covenant__division_id=demo.DEMO_VILLAGE_CODE
    )

    def kinds(user):
        return sorted(CovenantVersion.objects.awaiting_review_by(user).values_list("covenant__kind", flat=True))

    assert sorted(waiting.values_list("covenant__kind", "number")) == [
        (CovenantKind.GENERAL, 2),
        (CovenantKind.HOMESTEAD, 1),
        (CovenantKind.PARKING, 1),
    ]
    assert {version.submitted_by.username for version in waiting} == {"village_clerk"}
    assert kinds(users["civil_affairs_reviewer"]) == [CovenantKind.GENERAL]
    assert kinds(users["natural_resources_reviewer"]) == [CovenantKind.HOMESTEAD]
    assert kinds(users["district_admin"]) == sorted(
        [CovenantKind.GENERAL, CovenantKind.HOMESTEAD, CovenantKind.PARKING]
    )
    parking = waiting.get(covenant__kind=CovenantKind.PARKING).covenant
    assert services.missing_reviewers(parking).startswith("南海区尚未设置公安分局审查人员")
    assert services.missing_reviewers(waiting.get(covenant__kind=CovenantKind.HOMESTEAD).covenant) is None


def test_load_demo_prints_the_versions_awaiting_review(loaded_demo):
    (line,) = [line for line in loaded_demo.splitlines() if line.startswith("村规民约 / covenants")]

    assert "3 个版本待审查" in line
