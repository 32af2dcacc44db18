"""The Nanhai demo (manage.py load_demo): the figures of the Nanhai opinions, the demo sign-ins,
determinism, and the command's guards.

The full demo is loaded once for the module (about 20-30 s), inside a transaction that is rolled
back when the module is done, so nothing of it reaches the other test modules. Each test runs in
a savepoint inside it (pytest-django's `db`).
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import global_settings
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q

from governance.access.models import Assignment
from governance.audit import history_of
from villages import demo
from villages.identity import birth_date_from_id, gender_from_id, validate_id_number, validate_phone
from villages.models import (
    FILED_WITH_LEVEL,
    MIN_RESERVE_CADRES_PER_VILLAGE,
    Division,
    FilingStatus,
    Household,
    Level,
    Membership,
    PartyMembership,
    Person,
    Position,
    PositionFiling,
    PositionKind,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A day in the current (2026) term, and one in the 2021 term, whatever today is.
IN_CURRENT_TERM = datetime.date(2026, 6, 1)
IN_FORMER_TERM = datetime.date(2024, 6, 1)
SECRETARY_KINDS = (PositionKind.PARTY_SECRETARY, PositionKind.SECRETARY_AND_DIRECTOR)
DIRECTOR_KINDS = (PositionKind.COMMITTEE_DIRECTOR, PositionKind.SECRETARY_AND_DIRECTOR)


@pytest.fixture(scope="module")
def plan() -> demo.DemoPlan:
    return demo.build_plan(demo.DEFAULT_SEED)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The output of `load_demo --force` (tests run with DEBUG off), loaded once per module."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = io.StringIO()
            call_command("load_demo", force=True, stdout=out)
            # Run the deferred foreign-key checks of the load now, once: every test's teardown
            # checks the deferred constraints (Django's TestCase), which would otherwise run the
            # whole load's queue again after each test.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def nanhai(loaded_demo, db):
    return Division.objects.filter(code__startswith=demo.DISTRICT_CODE)


def current(day: datetime.date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


# --- the generator, without a database -----------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1010, "一千零一十"),
        (2047, "二千零四十七"),
        (10000, "一万"),
        (20001, "二万零一"),
        (100010, "十万零一十"),
    ],
)
def test_numbers_are_written_in_chinese_numerals(number, written):
    assert demo.chinese_numeral(number) == written


def test_cooperatives_are_named_by_their_number_in_chinese():
    assert [demo.cooperative_name(n) for n in (1, 2, 10, 11, 23)] == [
        "第一经济社",
        "第二经济社",
        "第十经济社",
        "第十一经济社",
        "第二十三经济社",
    ]


def test_the_plan_follows_the_nanhai_figures(plan):
    towns, villages = demo.read_villages()
    committees = {v.code for v in villages if v.kind == "village"}
    communities = {v.code for v in villages if v.kind == "community"}
    collective = set(plan.collective_village_codes)
    per_village = Counter(code[:12] for code, _name in plan.cooperatives)

    assert len(towns) == 7 and len(villages) == 307
    assert len(collective) == demo.COLLECTIVE_VILLAGE_COUNT == 222
    assert committees <= collective
    assert len(collective & communities) == demo.COLLECTIVE_COMMUNITY_COUNT == 156
    assert len(plan.cooperatives) == demo.COOPERATIVE_COUNT == 2047
    assert set(per_village) == collective
    assert min(per_village.values()) >= 1
    assert max(per_village.values()) <= demo.MAX_COOPERATIVES_PER_VILLAGE
    assert len(set(per_village.values())) > 10  # varied, not an even spread


def test_the_same_seed_draws_the_same_plan(plan):
    assert demo.build_plan(demo.DEFAULT_SEED).digest() == plan.digest()


def test_the_same_seed_draws_the_same_plan_in_another_process_with_other_string_hashing(plan):
    # Python randomises str hashes per process: a plan that iterated over a set of strings would
    # differ between runs. Draw it in a fresh interpreter with another hash seed.
    script = (
        "import django; django.setup(); from villages import demo; "
        f"print(demo.build_plan({demo.DEFAULT_SEED}).digest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "DJANGO_SETTINGS_MODULE": "governance.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == plan.digest()


def test_another_seed_draws_another_plan(plan):
    other = demo.build_plan(demo.DEFAULT_SEED + 1)
    assert other.digest() != plan.digest()
    assert len(other.cooperatives) == demo.COOPERATIVE_COUNT


def test_every_planned_id_number_is_valid_unique_and_from_nanhai(plan):
    numbers = [person.id_number for person in plan.people]
    for number in numbers:
        validate_id_number(number)
    assert len(set(numbers)) == len(numbers)
    assert all(number.startswith("440605") for number in numbers)
    assert all(birth_date_from_id(number) <= demo.LATEST_BIRTH for number in numbers)


def test_every_planned_phone_is_a_valid_mobile_number_or_none(plan):
    phones = [person.phone for person in plan.people if person.phone]
    assert phones
    for phone in phones:
        validate_phone(phone)


def test_the_plan_keeps_clear_of_the_test_factories_birth_dates(plan):
    first, last = demo.FACTORY_BIRTHS
    assert not any(first <= person.birth_date <= last for person in plan.people)


# --- the loaded demo ----------------------------------------------------------------------------


def test_the_demo_has_7_towns_307_villages_and_2047_cooperatives_under_222_collective_villages(nanhai):
    levels = dict(nanhai.values_list("level").annotate(n=Count("code")))
    assert levels == {Level.DISTRICT: 1, Level.TOWN: 7, Level.VILLAGE: 307, Level.COOPERATIVE: 2047}
    assert Division.objects.filter(code__in=["44", "4406"]).count() == 2
    collective = nanhai.filter(level=Level.VILLAGE, has_collective_economy=True)
    assert collective.count() == 222
    assert collective.filter(code__regex=r"^\d{9}[23]").count() == 66  # every villagers' committee
    assert collective.filter(code__regex=r"^\d{9}[01]").count() == 156  # former-village communities
    with_cooperatives = set(nanhai.filter(level=Level.COOPERATIVE).values_list("parent_id", flat=True).distinct())
    assert with_cooperatives == set(collective.values_list("code", flat=True))


def test_cooperatives_are_numbered_under_their_village_and_named_in_order(nanhai):
    for code, name, parent in nanhai.filter(level=Level.COOPERATIVE).values_list("code", "name", "parent_id"):
        assert code[:12] == parent
        assert name == demo.cooperative_name(int(code[12:]))
    # numbered from 001 without gaps
    counts = nanhai.filter(level=Level.COOPERATIVE).values("parent_id").annotate(n=Count("code"))
    for row in counts:
        assert nanhai.filter(code=f"{row['parent_id']}{row['n']:03d}").exists()


def test_the_loaded_demo_matches_the_plan_of_its_seed(nanhai, plan):
    # Same seed, same plan (tested above), and the database holds exactly that plan: a second
    # load into an empty database gives the same cooperatives, people and ID numbers.
    assert demo.database_digest() == plan.digest()


def test_every_loaded_id_number_passes_validation_and_agrees_with_gender_and_birth(nanhai):
    people = Person.objects.filter(division__code__startswith=demo.DISTRICT_CODE)
    assert 15_000 <= people.count() <= 25_000
    for id_number, gender, birth_date in people.values_list("id_number", "gender", "birth_date"):
        validate_id_number(id_number)
        assert gender == gender_from_id(id_number)
        assert birth_date == birth_date_from_id(id_number)


def test_people_live_in_households_headed_by_one_of_them(nanhai):
    people = Person.objects.filter(division__code__startswith=demo.DISTRICT_CODE)
    assert not people.filter(household__isnull=True).exists()
    assert not people.exclude(household__division_id=F("division_id")).exists()
    households = Household.objects.filter(division__code__startswith=demo.DISTRICT_CODE)
    assert not households.filter(head__isnull=True).exists()
    assert not households.exclude(head__household_id=F("id")).exists()


def test_everyone_registered_in_a_cooperative_is_a_member_of_it(nanhai):
    in_cooperatives = Person.objects.filter(
        division__level=Level.COOPERATIVE, division__code__startswith=demo.DISTRICT_CODE
    )
    members = Membership.objects.filter(cooperative__code__startswith=demo.DISTRICT_CODE)
    assert members.count() == in_cooperatives.count()
    assert not members.exclude(cooperative_id=F("person__division_id")).exists()
    assert not members.filter(shares__lte=0).exists()


def test_the_named_users_hold_their_assignments(nanhai, settings):
    # The module's load ran outside the per-test fast hasher (tests/conftest.py): check with
    # Django's default hashers.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    User = get_user_model()
    expected = {
        ("district_admin", "440605", "district_admin"),
        ("town_official", "440605124", "town_official"),
        ("other_town_official", "440605121", "town_official"),
        ("village_clerk", demo.DEMO_VILLAGE_CODE, "village_clerk"),
        ("coop_clerk", demo.DEMO_COOPERATIVE_CODE, "coop_clerk"),
        ("inspector", "440605", "inspector"),
        ("report_reader", "440605", "report_reader"),
    }
    assigned = set(Assignment.objects.values_list("user__username", "division_id", "role__slug"))
    assert expected <= assigned
    usernames = [user.username for user in demo.DEMO_USERS] + ["admin"]
    users = User.objects.filter(username__in=usernames)
    assert users.count() == len(usernames)
    # One hash for all (the hasher is slow by design): checking one checks them all.
    assert len({user.password for user in users}) == 1
    assert users.first().check_password(django_settings.DEMO_PASSWORD)
    for user in users:
        assert user.last_name and user.first_name
        assert all("\u4e00" <= char <= "\u9fff" for char in user.last_name + user.first_name)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="district_admin").is_superuser


def test_the_village_clerk_works_in_a_shishan_villagers_committee_with_a_collective_economy(nanhai):
    village = Division.objects.get(code=demo.DEMO_VILLAGE_CODE)
    assert village.parent_id == demo.TOWN_CODE == "440605124"
    assert village.village_kind == "village"
    assert village.has_collective_economy
    assert village.name == "唐边村委会"
    cooperative = Division.objects.get(code=demo.DEMO_COOPERATIVE_CODE)
    assert cooperative.parent_id == village.code and cooperative.name == "第一经济社"
    assert Person.objects.filter(division=cooperative).exists()


@pytest.mark.parametrize("day", [IN_FORMER_TERM, IN_CURRENT_TERM], ids=["2021 term", "2026 term"])
def test_every_village_has_one_party_secretary_and_one_director_in_each_term(nanhai, day):
    positions = Position.objects.filter(current(day), division__code__startswith=demo.DISTRICT_CODE)
    secretaries = Counter(positions.filter(kind__in=SECRETARY_KINDS).values_list("division_id", flat=True))
    directors = Counter(positions.filter(kind__in=DIRECTOR_KINDS).values_list("division_id", flat=True))
    villages = set(nanhai.filter(level=Level.VILLAGE).values_list("code", flat=True))
    assert set(secretaries) == villages and set(secretaries.values()) == {1}
    assert set(directors) == villages and set(directors.values()) == {1}
    one_shoulder = positions.filter(kind=PositionKind.SECRETARY_AND_DIRECTOR).count()
    assert 0 < one_shoulder < len(villages)  # 一肩挑 in some villages, not all


@pytest.mark.parametrize("day", [IN_FORMER_TERM, IN_CURRENT_TERM], ids=["2021 term", "2026 term"])
def test_every_cooperative_has_a_head_and_two_to_four_committee_members_in_each_term(nanhai, day):
    positions = Position.objects.filter(
        current(day), division__level=Level.COOPERATIVE, division__code__startswith=demo.DISTRICT_CODE
    )
    heads = Counter(positions.filter(kind=PositionKind.COOPERATIVE_HEAD).values_list("division_id", flat=True))
    committees = Counter(
        positions.filter(kind=PositionKind.COOPERATIVE_COMMITTEE_MEMBER).values_list("division_id", flat=True)
    )
    assert len(heads) == 2047 and set(heads.values()) == {1}
    assert len(committees) == 2047 and set(committees.values()) <= {2, 3, 4}


def test_villages_and_cooperatives_have_representatives(nanhai):
    positions = Position.objects.filter(current(IN_CURRENT_TERM), division__code__startswith=demo.DISTRICT_CODE)
    with_villager_reps = positions.filter(kind=PositionKind.VILLAGER_REPRESENTATIVE).values("division_id").distinct()
    with_member_reps = positions.filter(kind=PositionKind.MEMBER_REPRESENTATIVE).values("division_id").distinct()
    assert with_villager_reps.count() == 307
    assert with_member_reps.count() == 2047


def test_only_the_documented_villages_are_short_of_reserve_cadres(nanhai):
    short = dict(nanhai.villages_short_of_reserve_cadres(on=IN_CURRENT_TERM).values_list("code", "reserve_cadres"))
    assert short == demo.RESERVE_CADRE_SHORTFALL
    assert demo.DEMO_VILLAGE_CODE not in short
    assert any(code.startswith(demo.TOWN_CODE) for code in short)  # the town official sees one
    assert all(count < MIN_RESERVE_CADRES_PER_VILLAGE for count in short.values())


def test_party_secretaries_are_party_members_of_their_village(nanhai):
    secretaries = Position.objects.filter(kind__in=SECRETARY_KINDS, division__code__startswith=demo.DISTRICT_CODE)
    assert secretaries.exists()
    for person_id, division_id, started_on in secretaries.values_list("person_id", "division_id", "started_on"):
        membership = PartyMembership.objects.get(person_id=person_id)
        assert membership.branch_id == division_id[:12]
        assert membership.joined_on < started_on


def test_cooperative_heads_and_secretaries_are_filed_where_the_rules_say(nanhai):
    filings = PositionFiling.objects.filter(position__division__code__startswith=demo.DISTRICT_CODE).select_related(
        "position"
    )
    filed = set(filings.values_list("position_id", flat=True))
    needing = Position.objects.filter(kind__in=list(FILED_WITH_LEVEL), division__code__startswith=demo.DISTRICT_CODE)
    assert filed == set(needing.values_list("id", flat=True))
    for filing in filings:
        assert filing.filed_with_id == filing.position.filing_division_code()
        assert filing.decided_by_id != filing.submitted_by_id  # four eyes
        assert (filing.decided_at is None) == (filing.status == FilingStatus.SUBMITTED)
        assert filing.submitted_at.date() >= filing.position.started_on


def test_most_cooperative_head_filings_are_accepted_and_a_few_wait_in_shishan(nanhai):
    heads = PositionFiling.objects.filter(
        position__kind=PositionKind.COOPERATIVE_HEAD, position__division__code__startswith=demo.DISTRICT_CODE
    )
    statuses = Counter(heads.values_list("status", flat=True))
    assert statuses[FilingStatus.ACCEPTED] > 0.9 * heads.count()
    assert statuses[FilingStatus.SUBMITTED] > 0
    waiting_in_shishan = heads.filter(status=FilingStatus.SUBMITTED, filed_with_id=demo.TOWN_CODE)
    assert waiting_in_shishan.filter(position__division__code__startswith=demo.DEMO_VILLAGE_CODE).exists()
    assert waiting_in_shishan.filter(submitted_by__username="village_clerk").exists()


def test_the_load_is_recorded_in_the_audit_trail_with_its_source(nanhai):
    person = Person.objects.filter(division_id=demo.DEMO_COOPERATIVE_CODE).first()
    event = history_of(person).first()
    assert event.pgh_context["source"] == "load_demo"
    division_event = history_of(Division.objects.get(code=demo.DEMO_VILLAGE_CODE)).last()
    assert division_event.pgh_context["source"] == "load_demo"


# --- the command's guards ------------------------------------------------------------------------


def test_load_demo_if_empty_does_nothing_on_a_loaded_database(nanhai, settings):
    settings.DEBUG = True
    people_before = Person.objects.count()
    out = io.StringIO()
    call_command("load_demo", if_empty=True, stdout=out)
    assert "跳过" in out.getvalue() and "nothing to do" in out.getvalue()
    assert Person.objects.count() == people_before
    assert nanhai.filter(level=Level.COOPERATIVE).count() == 2047


def test_load_demo_refuses_to_load_a_second_time(nanhai, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="demo is loaded"):
        call_command("load_demo", stdout=io.StringIO())


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG") as refused:
        call_command("load_demo", if_empty=True, stdout=io.StringIO())
    assert "--force" in str(refused.value)


def test_load_demo_with_force_runs_with_debug_off(nanhai, settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("load_demo", if_empty=True, force=True, stdout=out)
    assert "nothing to do" in out.getvalue()


def test_the_first_load_reported_what_it_wrote(loaded_demo):
    assert "2047 经济社" in loaded_demo
    assert "demo loaded in" in loaded_demo


def test_the_banner_shows_the_portal_address_and_every_sign_in(db):
    out = io.StringIO()
    call_command("demo_banner", port=8123, stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    for user in demo.DEMO_USERS:
        assert user.username in text and user.division_code in text
    assert "admin/" in text and "superuser" in text
    assert "DEMO_PASSWORD" in text
