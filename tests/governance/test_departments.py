"""The departments of a district (governance.departments): data of the district, created with
their standard names on demand, their members read with the user's grants in one query, and the
read-only list GET /api/v1/departments/ with its access matrix."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext

from governance.access.querysets import departments_of, forget_jurisdiction, grants_of
from governance.departments import (
    STANDARD_DEPARTMENT_NAMES,
    Department,
    DepartmentCode,
    department_name,
    ensure_departments,
    has_members,
)
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, CALLERS, client_as, queries_and_rows, results_of
from governance.testing.factories import UserFactory, join_department
from governance.testing.fixtures import OUTSIDER

URL = "/api/v1/departments/"


def test_the_departments_migration_is_present():
    assert ("governance", "0005_departments") in MigrationLoader(None, ignore_no_migrations=True).disk_migrations


def test_every_standard_department_has_a_name_and_the_list_holds_the_ones_the_covenants_name():
    assert set(STANDARD_DEPARTMENT_NAMES) == set(DepartmentCode.values)
    assert STANDARD_DEPARTMENT_NAMES[DepartmentCode.CIVIL_AFFAIRS] == "民政局"
    assert STANDARD_DEPARTMENT_NAMES[DepartmentCode.NATURAL_RESOURCES] == "自然资源局"


def test_a_districts_standard_departments_are_created_once_and_keep_the_districts_names(world):
    created = ensure_departments(w.DISTRICT)
    Department.objects.filter(district_id=w.DISTRICT, code="industry_information").update(name="经济促进局")

    again = ensure_departments(w.DISTRICT)

    assert len(created) == len(again) == len(STANDARD_DEPARTMENT_NAMES)
    assert department_name(w.DISTRICT, "industry_information") == "经济促进局"
    assert department_name(w.FAR_DISTRICT, "civil_affairs") == "民政局"  # none created there yet
    assert not Department.objects.filter(district_id=w.FAR_DISTRICT).exists()


def test_a_district_has_one_department_per_code(world):
    ensure_departments(w.DISTRICT)

    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(district_id=w.DISTRICT, code="civil_affairs", name="又一个民政局")
    Department.objects.create(district_id=w.FAR_DISTRICT, code="civil_affairs", name="民政局")


def test_a_users_departments_are_read_with_their_grants_in_one_query(world):
    user = world.user("village_clerk")
    join_department(user, w.DISTRICT, "civil_affairs")
    forget_jurisdiction(user)

    with CaptureQueriesContext(connection) as captured:
        grants = grants_of(user)
        departments = departments_of(user)

    assert len(captured) == 1
    assert departments == ((w.DISTRICT, "civil_affairs"),)
    assert grants["covenants.view_covenant"] == (w.VILLAGE,)  # the role's grants are unchanged


def test_a_department_has_members_only_while_one_is_active(world):
    assert not has_members(w.DISTRICT, "civil_affairs")
    member = UserFactory(username="minzheng")
    join_department(member, w.DISTRICT, "civil_affairs")
    assert has_members(w.DISTRICT, "civil_affairs") and not has_members(w.FAR_DISTRICT, "civil_affairs")

    member.is_active = False
    member.save()
    assert not has_members(w.DISTRICT, "civil_affairs")


# --- GET /api/v1/departments/ ----------------------------------------------------------------------


@pytest.fixture
def departments(world):
    return ensure_departments(w.DISTRICT), ensure_departments(w.FAR_DISTRICT)


@pytest.mark.parametrize("who", CALLERS)
def test_each_caller_lists_the_departments_of_the_districts_it_works_in(departments, who):
    nanhai, _far = departments

    response = client_as(who).get(URL, {"page_size": 100})

    if who == ANONYMOUS:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    listed = {(row["district"], row["code"]) for row in results_of(response)}
    expected = set() if who == OUTSIDER else {(d.district_id, d.code) for d in nanhai}
    assert listed == expected


def test_a_department_member_without_an_assignment_lists_their_districts_departments(departments):
    member = UserFactory(username="ziranziyuan")
    join_department(member, w.FAR_DISTRICT, "natural_resources")
    from governance.testing.schema import SchemaCheckedAPIClient as APIClient

    client = APIClient()
    client.force_authenticate(member)
    listed = {row["district"] for row in results_of(client.get(URL, {"page_size": 100}))}

    assert listed == {w.FAR_DISTRICT}


def test_the_list_keeps_the_departments_of_the_district_containing_a_division(departments, world):
    client = client_as("district_admin")

    in_village = results_of(client.get(URL, {"division": w.VILLAGE, "page_size": 100}))
    far = results_of(client.get(URL, {"division": w.FAR_VILLAGE, "page_size": 100}))

    assert {row["district"] for row in in_village} == {w.DISTRICT}
    assert len(in_village) == len(STANDARD_DEPARTMENT_NAMES)
    assert far == []  # another district's: not the caller's
    below = results_of(client_as("village_clerk").get(URL, {"division": w.DISTRICT, "page_size": 100}))
    assert {"code": "civil_affairs", "name": "民政局", "district": w.DISTRICT} in below


def test_the_list_costs_the_same_queries_for_one_district_and_for_two(world):
    ensure_departments(w.DISTRICT)
    one, rows_one = queries_and_rows(client_as("village_clerk"), URL, {"page_size": 100})
    member = UserFactory(username="two_districts")
    join_department(member, w.FAR_DISTRICT, "finance")
    join_department(member, w.DISTRICT, "finance")
    from governance.testing.schema import SchemaCheckedAPIClient as APIClient

    client = APIClient()
    client.force_authenticate(member)
    ensure_departments(w.FAR_DISTRICT)
    two, rows_two = queries_and_rows(client, URL, {"page_size": 100})

    assert (rows_one, rows_two) == (len(STANDARD_DEPARTMENT_NAMES), 2 * len(STANDARD_DEPARTMENT_NAMES))
    assert one == two == 3  # the session's grants and departments, the count, the rows


def test_the_command_makes_a_user_a_member_and_removes_them(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from governance.departments import DepartmentMember

    user = UserFactory(username="minzheng")
    out = StringIO()

    call_command("department_member", "minzheng", w.DISTRICT, "civil_affairs", stdout=out)
    assert DepartmentMember.objects.filter(user=user, department__code="civil_affairs").exists()
    assert "民政局" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("department_member", "minzheng", w.DISTRICT, "ministry_of_magic")
    call_command("department_member", "minzheng", w.DISTRICT, "civil_affairs", remove=True, stdout=out)
    assert not DepartmentMember.objects.filter(user=user).exists()
