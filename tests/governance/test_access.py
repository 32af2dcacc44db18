"""Jurisdiction scoping: restrict(user, action), grants per assignment, several assignments."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.access.querysets import (
    assigned_codes,
    collapse_prefixes,
    forget_jurisdiction,
    holds_anywhere,
    holds_in,
    jurisdiction_codes,
    lies_in_jurisdiction,
)
from governance.access.roles import ROLE_DEFINITIONS
from governance.testing.api import client_as
from governance.testing.factories import assign
from governance.testing.world import (
    COOPERATIVE,
    DISTRICT,
    FAR_VILLAGE,
    OTHER_COOPERATIVE_SAME_VILLAGE,
    OTHER_TOWN,
    OTHER_TOWN_VILLAGE,
    OTHER_VILLAGE_SAME_TOWN,
    ROLE_HOME,
    VILLAGE,
)
from villages.identity import make_id_number
from villages.models import Division, Person
from villages.testing.factories import PersonFactory, division

# --- collapse_prefixes ----------------------------------------------------------------------


def test_collapse_prefixes_drops_every_code_inside_another():
    assert collapse_prefixes({"440605124001", "440605", "440605121", "4406"}) == ("4406",)


def test_collapse_prefixes_keeps_siblings_and_unrelated_codes_sorted():
    assert collapse_prefixes(["440605124", "440605121", "45", "440605124001"]) == ("440605121", "440605124", "45")


def test_collapse_prefixes_of_nothing_is_nothing():
    assert collapse_prefixes(set()) == ()


def test_collapse_prefixes_keeps_duplicates_once():
    assert collapse_prefixes(("440605", "440605")) == ("440605",)


# --- restrict() -------------------------------------------------------------------------------


@pytest.fixture
def people(world):
    """One person in each village and cooperative of the world, by division code."""
    codes = [
        VILLAGE,
        COOPERATIVE,
        OTHER_COOPERATIVE_SAME_VILLAGE,
        OTHER_VILLAGE_SAME_TOWN,
        OTHER_TOWN_VILLAGE,
        FAR_VILLAGE,
    ]
    return {code: PersonFactory(division=division(code)) for code in codes}


def codes_of(queryset) -> set[str]:
    return set(queryset.values_list("division_id", flat=True))


def test_restrict_keeps_the_rows_in_the_subtree_of_the_assignment(world, people):
    clerk = world.user("village_clerk")

    assert codes_of(Person.objects.restrict(clerk, "view")) == {VILLAGE, COOPERATIVE, OTHER_COOPERATIVE_SAME_VILLAGE}


def test_where_held_keeps_the_viewable_rows_where_another_permission_is_held_too(world, people, admin_user):
    clerk, town_official = world.user("village_clerk"), world.user("town_official")

    changed_by_clerk = Person.objects.restrict(clerk, "view").where_held(clerk, "villages.change_person")
    assert codes_of(changed_by_clerk) == codes_of(Person.objects.restrict(clerk, "change"))
    assert VILLAGE in codes_of(changed_by_clerk) and FAR_VILLAGE not in codes_of(changed_by_clerk)
    assert not Person.objects.restrict(town_official, "view").where_held(town_official, "villages.change_person")
    assert not Person.objects.where_held(AnonymousUser(), "villages.view_person").exists()
    assert codes_of(Person.objects.where_held(admin_user, "villages.change_person")) == set(people)


def test_holds_anywhere_tells_who_holds_a_permission_somewhere(world, admin_user):
    assert holds_anywhere(world.user("village_clerk"), "villages.change_person")
    assert not holds_anywhere(world.user("town_official"), "villages.change_person")
    assert not holds_anywhere(AnonymousUser(), "villages.view_person")
    assert not holds_anywhere(None, "villages.view_person")
    assert holds_anywhere(admin_user, "villages.change_person")


def test_restrict_does_not_reach_up_the_tree(world, people):
    coop_clerk = world.user("coop_clerk")

    assert codes_of(Person.objects.restrict(coop_clerk, "view")) == {COOPERATIVE}


def test_restrict_is_per_action(world, people):
    town_official = world.user("town_official")

    assert codes_of(Person.objects.restrict(town_official, "view")) == {
        VILLAGE,
        COOPERATIVE,
        OTHER_COOPERATIVE_SAME_VILLAGE,
        OTHER_VILLAGE_SAME_TOWN,
    }
    assert not Person.objects.restrict(town_official, "change").exists()
    assert not Person.objects.restrict(town_official, "add").exists()


def test_restrict_gives_nothing_for_a_role_without_the_models_permission(world, people):
    assert not Person.objects.restrict(world.user("report_reader"), "view").exists()
    assert Division.objects.restrict(world.user("report_reader"), "view").filter(code=OTHER_TOWN_VILLAGE).exists()


def test_restrict_gives_nothing_to_a_user_without_assignments(world, people):
    assert not Person.objects.restrict(world.outsider, "view").exists()
    assert not Division.objects.restrict(world.outsider, "view").exists()


@pytest.mark.parametrize("user", [None, AnonymousUser()], ids=["no user", "anonymous"])
def test_restrict_gives_nothing_to_the_anonymous(people, user):
    assert not Person.objects.restrict(user, "view").exists()
    assert not Division.objects.restrict(user, "view").exists()


def test_restrict_gives_nothing_to_an_inactive_user_whatever_their_assignments(world, people):
    admin = world.user("district_admin")
    admin.is_active = False

    assert not Person.objects.restrict(admin, "view").exists()
    assert not holds_in(admin, "villages.view_person", VILLAGE)
    assert assigned_codes(admin) == ()


def test_restrict_gives_everything_to_a_superuser_without_assignments(people, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")

    assert codes_of(Person.objects.restrict(root, "delete")) == set(people)
    assert holds_in(root, "villages.view_personal_data_person", FAR_VILLAGE)


def test_the_grants_are_read_once_per_user_object(world, people):
    clerk = world.user("village_clerk")
    forget_jurisdiction(clerk)

    with CaptureQueriesContext(connection) as first:
        jurisdiction_codes(clerk, "villages.view_person")
    with CaptureQueriesContext(connection) as second:
        jurisdiction_codes(clerk, "villages.change_person")
        holds_in(clerk, "villages.add_person", VILLAGE)

    assert (len(first), len(second)) == (1, 0)


def test_a_new_assignment_counts_once_the_cached_grants_are_forgotten(world, people):
    clerk = world.user("village_clerk")
    assert not holds_in(clerk, "villages.view_person", OTHER_TOWN_VILLAGE)

    assign(clerk, OTHER_TOWN, "inspector")  # forgets the cached grants of this user object

    assert holds_in(clerk, "villages.view_person", OTHER_TOWN_VILLAGE)


@pytest.mark.parametrize("role", sorted(ROLE_HOME))
def test_each_roles_jurisdiction_is_the_division_it_is_assigned_over(world, role):
    assert assigned_codes(world.user(role)) == (ROLE_HOME[role],)


def test_every_role_of_the_world_is_a_role_of_the_portal(world):
    assert set(ROLE_HOME) == set(ROLE_DEFINITIONS)


# --- lies_in_jurisdiction: 403 or 404 for what a caller may not do ---------------------------


def test_an_object_lies_in_the_jurisdiction_of_any_role_assigned_over_its_division(world, people):
    reader = world.user("report_reader")  # assigned over the district, may not view people

    assert lies_in_jurisdiction(reader, Person, pk=people[OTHER_TOWN_VILLAGE].pk)
    assert not lies_in_jurisdiction(reader, Person, pk=people[FAR_VILLAGE].pk)


def test_an_absent_or_malformed_object_lies_in_no_jurisdiction(world, people):
    admin = world.user("district_admin")

    assert not lies_in_jurisdiction(admin, Person, pk=10**12)
    assert not lies_in_jurisdiction(admin, Person, pk="abc")
    assert not lies_in_jurisdiction(admin, Division, code="\x00")
    assert not lies_in_jurisdiction(world.outsider, Person, pk=people[VILLAGE].pk)


# --- several assignments: per action, the union of the subtrees that grant it ---------------


@pytest.fixture
def clerk_and_inspector(world):
    """The village clerk of VILLAGE, also inspector over the other town (九江镇)."""
    user = world.user("village_clerk")
    assign(user, OTHER_TOWN, "inspector")
    return user


def test_two_assignments_combine_per_action_not_widest_wins(clerk_and_inspector, people):
    user = clerk_and_inspector

    assert codes_of(Person.objects.restrict(user, "view")) == {
        VILLAGE,
        COOPERATIVE,
        OTHER_COOPERATIVE_SAME_VILLAGE,
        OTHER_TOWN_VILLAGE,
    }
    assert codes_of(Person.objects.restrict(user, "change")) == {VILLAGE, COOPERATIVE, OTHER_COOPERATIVE_SAME_VILLAGE}
    assert assigned_codes(user) == (OTHER_TOWN, VILLAGE)


def person_data(code: str) -> dict:
    return {"name": "新村民", "id_number": make_id_number("440605", datetime.date(1992, 2, 2), 5), "division": code}


def test_a_user_with_two_assignments_adds_where_one_grants_adding(clerk_and_inspector, client_for):
    response = client_for(clerk_and_inspector).post("/api/v1/people/", person_data(VILLAGE))

    assert response.status_code == 201
    assert Person.objects.filter(division_id=VILLAGE).count() == 1


def test_a_user_with_two_assignments_may_not_add_where_the_other_only_grants_viewing(clerk_and_inspector, client_for):
    response = client_for(clerk_and_inspector).post("/api/v1/people/", person_data(OTHER_TOWN_VILLAGE))

    assert response.status_code == 403  # the division is in the jurisdiction, but not writable
    assert not Person.objects.exists()


def test_a_user_with_two_assignments_views_but_may_not_change_where_the_other_grants_viewing(
    clerk_and_inspector, client_for, people
):
    inspected = people[OTHER_TOWN_VILLAGE]
    client = client_for(clerk_and_inspector)

    assert client.get(f"/api/v1/people/{inspected.pk}/").status_code == 200
    assert client.patch(f"/api/v1/people/{inspected.pk}/", {"name": "改名"}).status_code == 403
    inspected.refresh_from_db()
    assert inspected.name != "改名"


def test_a_user_with_two_assignments_may_not_move_a_person_into_the_viewed_town(
    clerk_and_inspector, client_for, people
):
    own = people[VILLAGE]

    response = client_for(clerk_and_inspector).patch(f"/api/v1/people/{own.pk}/", {"division": OTHER_TOWN_VILLAGE})

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.division_id == VILLAGE


def test_a_user_with_two_assignments_lists_the_union_of_what_both_let_them_view(clerk_and_inspector, people):
    response = client_as("village_clerk").get("/api/v1/people/")

    assert {row["division"] for row in response.json()["results"]} == {
        VILLAGE,
        COOPERATIVE,
        OTHER_COOPERATIVE_SAME_VILLAGE,
        OTHER_TOWN_VILLAGE,
    }


def test_a_district_assignment_covers_every_village_of_the_district_in_one_grant(world, people):
    admin = world.user("district_admin")

    assert jurisdiction_codes(admin, "villages.change_person") == (DISTRICT,)
    assert codes_of(Person.objects.restrict(admin, "change")) == set(people) - {FAR_VILLAGE}
    assert not holds_in(admin, "villages.view_person", FAR_VILLAGE)
    assert holds_in(world.user("town_official"), "villages.view_person", OTHER_VILLAGE_SAME_TOWN)
    assert not holds_in(world.user("town_official"), "villages.view_person", OTHER_TOWN_VILLAGE)


def test_a_records_scope_code_reads_its_division_key_without_a_query(world, django_assert_num_queries):
    from villages.models import Position, PositionFiling

    person = PersonFactory(division=division(VILLAGE))
    fresh = type(person).objects.get(pk=person.pk)
    with django_assert_num_queries(0):
        assert fresh.scope_code() == VILLAGE
    assert division(VILLAGE).scope_code() == VILLAGE
    position = Position.objects.create(
        person=person, division=division(VILLAGE), kind="party_secretary", started_on="2021-03-01"
    )
    filing = PositionFiling.objects.create(
        position=position, filed_with=division(DISTRICT), submitted_by=world.user("village_clerk")
    )
    fresh_filing = PositionFiling.objects.get(pk=filing.pk)
    with django_assert_num_queries(1):  # the position, then its division key
        assert fresh_filing.scope_code() == VILLAGE
