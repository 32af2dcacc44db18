"""Each user's grants kept by the worker between requests (governance.access.grants_cache): a
change to what grants them is seen by the very next request, and nothing is ever answered for
another user or after a rolled-back transaction."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from governance.access.grants_cache import STAMP_SQL
from governance.access.models import Assignment, Role
from governance.access.querysets import grants_of
from governance.api.authentication import PortalTokenAuthentication
from governance.departments import Department, DepartmentMember, ensure_departments
from governance.testing.factories import UserFactory, assign
from governance.testing.schema import SchemaCheckedAPIClient as APIClient
from governance.testing.world import DISTRICT, FAR_VILLAGE, OTHER_VILLAGE_SAME_TOWN, VILLAGE
from villages.models import Division

pytestmark = pytest.mark.usefixtures("grants_kept")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def division_status(client, code: str) -> int:
    return client.get(f"/api/v1/divisions/{code}/").status_code


def stamp() -> str:
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL)
        return cursor.fetchone()[0]


def authenticated(user):
    """The user as a request's token authentication gives it: with the stamp read with it."""
    found, _token = PortalTokenAuthentication().authenticate_credentials(Token.objects.get_or_create(user=user)[0].key)
    return found


@pytest.fixture
def clerk(world):
    user = UserFactory(username="kept_clerk")
    assign(user, VILLAGE, "village_clerk")
    return user


def test_a_second_request_reads_no_grants_while_nothing_changed(clerk):
    client = token_client(clerk)
    assert division_status(client, VILLAGE) == 200

    with CaptureQueriesContext(connection) as second:
        assert division_status(client, VILLAGE) == 200

    # The token with its user and the stamp; the division.
    assert len(second) == 2


def test_an_assignment_given_after_the_grants_were_kept_counts_at_the_next_request(clerk):
    client = token_client(clerk)
    assert division_status(client, FAR_VILLAGE) == 404

    assign(clerk, FAR_VILLAGE, "village_clerk")

    assert division_status(client, FAR_VILLAGE) == 200


def test_an_assignment_taken_away_is_refused_at_the_next_request(clerk):
    client = token_client(clerk)
    assert division_status(client, VILLAGE) == 200

    Assignment.objects.filter(user=clerk).delete()

    assert division_status(client, VILLAGE) in (403, 404)


def test_a_permission_taken_from_the_role_is_refused_at_the_next_request(clerk):
    client = token_client(clerk)
    assert division_status(client, VILLAGE) == 200

    Role.objects.get(slug="village_clerk").permissions.remove(Permission.objects.get(codename="view_division"))

    assert division_status(client, VILLAGE) == 403


def test_the_grants_kept_for_one_user_are_never_answered_for_another(clerk):
    neighbour = UserFactory(username="neighbour_clerk")
    assign(neighbour, OTHER_VILLAGE_SAME_TOWN, "village_clerk")

    assert division_status(token_client(clerk), VILLAGE) == 200
    assert division_status(token_client(neighbour), VILLAGE) == 404
    assert division_status(token_client(neighbour), OTHER_VILLAGE_SAME_TOWN) == 200
    assert division_status(token_client(clerk), OTHER_VILLAGE_SAME_TOWN) == 404


def test_grants_read_inside_a_rolled_back_transaction_are_never_answered_after_it(clerk):
    with transaction.atomic():
        assign(clerk, FAR_VILLAGE, "village_clerk")
        inside = grants_of(authenticated(clerk))
        assert FAR_VILLAGE in inside["villages.view_division"]
        transaction.set_rollback(True)

    # Another change brings the stamp's counter back to the value it had inside the transaction.
    assign(clerk, OTHER_VILLAGE_SAME_TOWN, "village_clerk")

    after = grants_of(authenticated(clerk))["villages.view_division"]
    assert FAR_VILLAGE not in after and OTHER_VILLAGE_SAME_TOWN in after


def test_a_second_change_within_one_transaction_is_seen_as_well(clerk):
    with transaction.atomic():
        assign(clerk, FAR_VILLAGE, "village_clerk")
        assert FAR_VILLAGE in grants_of(authenticated(clerk))["villages.view_division"]
        Assignment.objects.filter(user=clerk, division_id=FAR_VILLAGE).delete()
        assert FAR_VILLAGE not in grants_of(authenticated(clerk))["villages.view_division"]


@pytest.mark.parametrize(
    "change",
    [
        "an assignment's role",
        "a role's permissions",
        "a role",
        "a permission's name",
        "a department's members",
        "a division's merger",
        "a division's retirement",
        "a department",
        "a content type",
    ],
)
def test_every_table_the_grants_are_read_from_changes_the_stamp(clerk, change):
    department = ensure_departments(DISTRICT)[0]  # made before the stamp is read: only `change` counts
    before = stamp()
    if change == "an assignment's role":
        Assignment.objects.filter(user=clerk).update(role=Role.objects.get(slug="grid_worker"))
    elif change == "a role's permissions":
        Role.objects.get(slug="village_clerk").permissions.remove(Permission.objects.get(codename="view_division"))
    elif change == "a role":
        Role.objects.filter(slug="village_clerk").update(name="村文书")
    elif change == "a permission's name":
        Permission.objects.filter(codename="view_division").update(name="查看区划")
    elif change == "a department's members":
        DepartmentMember.objects.create(department=department, user=clerk)
    elif change == "a division's merger":
        Division.objects.filter(pk=FAR_VILLAGE).update(merged_into_id=VILLAGE, retired_on="2024-12-31")
    elif change == "a division's retirement":
        Division.objects.filter(pk=FAR_VILLAGE).update(retired_on="2024-12-31")
    elif change == "a department":
        Department.objects.filter(pk=department.pk).update(name="民政局（改）")
    else:
        ContentType.objects.filter(app_label="villages", model="division").update(model="division")
    assert stamp() != before


def test_a_divisions_name_leaves_the_stamp_as_it_was(clerk):
    before = stamp()
    Division.objects.filter(pk=FAR_VILLAGE).update(name="改名村")
    assert stamp() == before


def test_an_unknown_token_and_a_deactivated_users_token_are_refused_with_drfs_messages(clerk):
    from django.utils import translation

    unknown = APIClient()
    unknown.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    deactivated = token_client(clerk)
    clerk.is_active = False
    clerk.save()

    for client, message in ((unknown, "Invalid token."), (deactivated, "User inactive or deleted.")):
        response = client.get(f"/api/v1/divisions/{VILLAGE}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 401
        with translation.override("zh-hans"):
            assert response.json()["detail"] == str(translation.gettext(message)) != message


def test_a_merger_hands_over_on_its_day_with_no_write_to_change_the_stamp(clerk, monkeypatch):
    # The day is part of what the grants are kept under: the merged village's subtree passes to
    # the successor's clerk when its retirement day comes, though nothing is written that day.
    Division.objects.filter(pk=FAR_VILLAGE).update(merged_into_id=VILLAGE, retired_on="2030-01-02")
    monkeypatch.setattr("governance.access.querysets.today", lambda: datetime.date(2030, 1, 1))
    assert FAR_VILLAGE not in grants_of(authenticated(clerk))["villages.view_division"]

    monkeypatch.setattr("governance.access.querysets.today", lambda: datetime.date(2030, 1, 2))
    assert FAR_VILLAGE in grants_of(authenticated(clerk))["villages.view_division"]


def test_a_signed_in_page_reads_the_stamp_with_its_user_and_no_grants_the_second_time(clerk):
    from django.test import Client

    browser = Client()
    browser.force_login(clerk)
    assert browser.get("/people/").status_code == 200

    with CaptureQueriesContext(connection) as second:
        assert browser.get("/people/").status_code == 200

    statements = [query["sql"] for query in second.captured_queries]
    assert any("governance_grants_stamp" in sql and "auth_user" in sql for sql in statements)
    assert not any("WITH RECURSIVE held" in sql for sql in statements)


def test_the_worker_keeps_the_users_used_last_and_lets_the_oldest_go(monkeypatch):
    from governance.access import grants_cache

    monkeypatch.setattr(grants_cache, "KEPT_USERS", 2)
    day = datetime.date(2026, 1, 1)
    for user_id in (1, 2):
        grants_cache.remember(user_id, "1:1", day, {"villages.view_division": (VILLAGE,)}, ())
    assert grants_cache.recall(1, "1:1", day) is not None  # 1 used again: 2 is now the oldest
    grants_cache.remember(3, "1:1", day, {}, ())

    assert grants_cache.recall(2, "1:1", day) is None
    assert grants_cache.recall(1, "1:1", day) is not None and grants_cache.recall(3, "1:1", day) is not None
    assert grants_cache.recall(1, "1:2", day) is None  # another version: not kept
