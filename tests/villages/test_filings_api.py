"""Filing (备案) through the API: the clerk submits, someone else in scope decides."""

import pytest

from governance.testing import world as w
from villages.models import FilingStatus, PositionFiling, PositionKind
from villages.testing.factories import PositionFactory, division

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(world):
    return PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)


def submit(client, position):
    return client.post("/api/v1/filings/", {"position": position.pk}, format="json")


def test_the_village_clerk_submits_and_the_town_official_accepts(world, client_for, head):
    submitted = submit(client_for(world.user("village_clerk")), head)
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["filed_with"] == w.TOWN
    decided = client_for(world.user("town_official")).post(
        f"/api/v1/filings/{submitted.json()['id']}/decide/", {"accept": True, "note": "同意备案"}, format="json"
    )
    assert decided.status_code == 200, decided.content
    assert PositionFiling.objects.get().status == FilingStatus.ACCEPTED


def test_the_submitter_cannot_decide_their_own_filing(world, client_for, head):
    official = client_for(world.user("town_official"))
    submitted = submit(official, head)
    decided = official.post(f"/api/v1/filings/{submitted.json()['id']}/decide/", {"accept": True}, format="json")
    assert decided.status_code == 403
    assert PositionFiling.objects.get().status == FilingStatus.SUBMITTED


def test_a_clerk_cannot_decide_a_filing(world, client_for, head):
    submitted = submit(client_for(world.user("village_clerk")), head)
    decided = client_for(world.user("coop_clerk")).post(
        f"/api/v1/filings/{submitted.json()['id']}/decide/", {"accept": True}, format="json"
    )
    assert decided.status_code == 403


def test_an_official_of_another_town_does_not_see_the_filing(world, client_for, head):
    from governance.testing.factories import UserFactory, assign

    other = UserFactory(username="other_town_official")
    assign(other, w.OTHER_TOWN, "town_official")
    submitted = submit(client_for(world.user("village_clerk")), head)
    client = client_for(other)
    assert client.get(f"/api/v1/filings/{submitted.json()['id']}/").status_code == 404
    assert (
        client.post(f"/api/v1/filings/{submitted.json()['id']}/decide/", {"accept": True}, format="json").status_code
        == 404
    )
    assert client.get("/api/v1/filings/").json()["results"] == []


def test_a_position_out_of_scope_cannot_be_submitted(world, client_for):
    elsewhere = PositionFactory(division=division("440605121001"), kind=PositionKind.PARTY_SECRETARY)
    response = submit(client_for(world.user("village_clerk")), elsewhere)
    assert response.status_code == 400
    assert "position" in response.json()
    assert not PositionFiling.objects.exists()


def test_a_decision_without_accept_is_a_field_error(world, client_for, head):
    submitted = submit(client_for(world.user("village_clerk")), head)
    response = client_for(world.user("town_official")).post(
        f"/api/v1/filings/{submitted.json()['id']}/decide/", {"accept": "perhaps"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"accept": ["必须是有效的布尔值。"]}
    assert PositionFiling.objects.get().status == FilingStatus.SUBMITTED


def test_the_decision_answers_the_decided_filing(world, client_for, head):
    submitted = submit(client_for(world.user("village_clerk")), head).json()
    official = world.user("town_official")
    response = client_for(official).post(
        f"/api/v1/filings/{submitted['id']}/decide/", {"accept": False, "note": "材料不全"}, format="json"
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert {key: answer[key] for key in ("id", "position", "filed_with", "status", "decided_by", "note")} == {
        "id": submitted["id"],
        "position": head.pk,
        "filed_with": w.TOWN,
        "status": FilingStatus.RETURNED,
        "decided_by": official.pk,
        "note": "材料不全",
    }
    assert answer["decided_at"] is not None


def test_deciding_a_decided_filing_answers_the_services_refusal(world, client_for, head):
    submitted = submit(client_for(world.user("village_clerk")), head).json()
    official = client_for(world.user("town_official"))
    url = f"/api/v1/filings/{submitted['id']}/decide/"
    assert official.post(url, {"accept": True}, format="json").status_code == 200
    again = official.post(url, {"accept": False, "note": "改为退回"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"status": ["该备案已审核。"]}
    filing = PositionFiling.objects.get()
    assert (filing.status, filing.note) == (FilingStatus.ACCEPTED, "")


def test_positions_show_their_latest_filing_status(world, client_for, head):
    submit(client_for(world.user("village_clerk")), head)
    listed = client_for(world.user("town_official")).get("/api/v1/positions/", {"kind": "cooperative_head"})
    assert [row["filing_status"] for row in listed.json()["results"]] == ["submitted"]


def test_a_reviewer_granted_one_filing_sees_and_decides_only_that_filing(world, client_for, head):
    from guardian.shortcuts import assign_perm

    from governance.testing.factories import UserFactory

    clerk = client_for(world.user("village_clerk"))
    granted = PositionFiling.objects.get(pk=submit(clerk, head).json()["id"])
    other_head = PositionFactory(
        division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), kind=PositionKind.COOPERATIVE_HEAD
    )
    not_granted = PositionFiling.objects.get(pk=submit(clerk, other_head).json()["id"])
    reviewer = UserFactory(username="county_reviewer")
    assign_perm("villages.view_positionfiling", reviewer, granted)
    assign_perm("villages.approve_positionfiling", reviewer, granted)
    client = client_for(reviewer)

    assert [row["id"] for row in client.get("/api/v1/filings/").json()["results"]] == [granted.pk]
    assert client.get(f"/api/v1/filings/{not_granted.pk}/").status_code == 404
    assert client.post(f"/api/v1/filings/{not_granted.pk}/decide/", {"accept": True}, format="json").status_code == 404
    decided = client.post(f"/api/v1/filings/{granted.pk}/decide/", {"accept": True}, format="json")
    assert decided.status_code == 200, decided.content
    granted.refresh_from_db()
    assert granted.status == FilingStatus.ACCEPTED and granted.decided_by == reviewer


def test_the_filings_list_costs_the_same_queries_for_one_row_and_a_hundred(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from villages.models import Position
    from villages.testing.factories import PersonFactory

    official = world.user("town_official")
    clerk = world.user("village_clerk")

    def file_heads(count: int) -> None:
        for _ in range(count):
            coop = division(f"440605124001{PositionFiling.objects.count() + 100:03d}")
            position = Position.objects.create(
                person=PersonFactory(division=coop),
                division=coop,
                kind=PositionKind.COOPERATIVE_HEAD,
                started_on="2021-03-01",
            )
            PositionFiling.objects.create(position=position, filed_with_id=w.TOWN, submitted_by=clerk)

    def count_queries() -> tuple[int, int]:
        client = client_for(type(official).objects.get(pk=official.pk))  # fresh: grants not cached
        with CaptureQueriesContext(connection) as captured:
            rows = len(client.get("/api/v1/filings/", {"page_size": 1000}).json()["results"])
        return len(captured), rows

    file_heads(1)
    one = count_queries()
    file_heads(99)
    hundred = count_queries()
    assert (one[1], hundred[1]) == (1, 100)
    assert one[0] == hundred[0] == 3
