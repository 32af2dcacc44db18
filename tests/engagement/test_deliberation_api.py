"""The deliberation API (docs/api.md, "Deliberation"): access matrices for bodies, members, meetings,
topics and each topic step, the district's catalogue read from above, the flow through the
services with its refusals (four eyes 403, a step out of order 400 naming the state, field errors
in Chinese), the filters, and pinned query counts that do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import TopicStatus
from engagement.models import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from engagement.testing.factories import (
    BodyMemberFactory,
    CatalogueEntryFactory,
    MeetingFactory,
    TopicFactory,
    body_in,
)
from governance.testing import world as w
from governance.testing.api import (
    ANONYMOUS,
    CALLERS,
    APITestCase,
    APIViewTestCases,
    client_as,
    queries_and_rows,
    results_of,
)
from governance.testing.factories import UserFactory
from governance.testing.fixtures import OUTSIDER
from rights_lists.testing.factories import decision_on
from villages.testing.factories import PersonFactory, division

D = datetime.date
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
KEEPERS = {"district_admin", "village_clerk"}  # the village keeps its body, members, meetings, topics
STEP_TAKERS = {
    "review": {"district_admin", "town_official"},  # 预审: the town (and the district)
    "deliberate": {"district_admin", "village_clerk"},
}
# Deliberation bodies lie in villages: (inside, outside) each caller's jurisdiction. A cooperative's
# clerk has none (a test below says what they get).
VILLAGE_PLACES = {
    "district_admin": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    "town_official": (w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE),
    "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "grid_worker": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "inspector": (w.VILLAGE, w.FAR_VILLAGE),
    "report_reader": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    OUTSIDER: (w.VILLAGE, w.FAR_VILLAGE),
    ANONYMOUS: (w.VILLAGE, w.FAR_VILLAGE),
}
VILLAGE_LEVEL_CALLERS = tuple(who for who in CALLERS if who != "coop_clerk")


def entry_for(code: str, **fields) -> CatalogueEntry:
    return CatalogueEntryFactory(district=division(code[:6]), **fields)


def approved_topic(code: str, **fields) -> Topic:
    return TopicFactory(
        body=body_in(code),
        status=TopicStatus.APPROVED,
        reviewed_on=D(2026, 3, 3),
        reviewed_by=UserFactory(),
        **fields,
    )


class VillageLevelRecords:
    places = VILLAGE_PLACES

    def build_objects(self, world):
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))
        if "step" in metafunc.fixturenames:
            metafunc.parametrize("step", tuple(STEP_TAKERS))


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestBodyAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.UpdateTests,
):
    basename = "deliberationbody"
    model = DeliberationBody
    viewers = VIEWERS
    changers = KEEPERS
    update_data = {"rules": "每月第一个周二召开议事会议。"}

    def make_object(self, code):
        return body_in(code)


class TestBodyCreation(VillageLevelRecords, APIViewTestCases.CreateTests):
    """One body per village: the places have none yet."""

    basename = "deliberationbody"
    model = DeliberationBody
    adders = KEEPERS

    def make_object(self, code):
        return division(code)

    def create_data(self, code, scenario, who):
        return {"division": code, "name": "村民议事会", "rules": "", "formed_on": "2025-01-01"}


class TestBodyMemberAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    basename = "bodymember"
    model = BodyMember
    viewers = VIEWERS
    adders = changers = KEEPERS
    update_data = {"role": "乡贤"}

    def make_object(self, code):
        return BodyMemberFactory(body=body_in(code))

    def create_data(self, code, scenario, who):
        return {"body": body_in(code).pk, "person": PersonFactory(division=division(code)).pk, "role": "党员代表"}


class TestMeetingAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    basename = "meeting"
    model = Meeting
    viewers = VIEWERS
    adders = changers = KEEPERS
    update_data = {"attendance": 21}

    def make_object(self, code):
        return MeetingFactory(body=body_in(code))

    def create_data(self, code, scenario, who):
        return {"body": body_in(code).pk, "held_on": "2026-01-06", "attendance": 12, "minutes": "议定修路方案"}


class TestTopicAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "topic"
    model = Topic
    viewers = VIEWERS
    adders = KEEPERS

    def make_object(self, code):
        return TopicFactory(body=body_in(code))

    def create_data(self, code, scenario, who):
        return {
            "body": body_in(code).pk,
            "entry": scenario.objects[code].entry_id,
            "title": "村道路灯安装",
            "proposed_on": "2026-03-02",
        }


class TestTopicStepAccess(VillageLevelRecords, APITestCase):
    """Each step answers like the topic: 404 outside the jurisdiction, 403 inside it for a role that
    may not take it, and the step taken for one that may."""

    basename = "topic"
    model = Topic

    def make_object(self, code):
        return code  # each test builds its topic in the state its step needs

    def test_a_step_is_taken_only_inside_the_jurisdiction_by_a_role_that_may(self, scenario, who, where, step, db):
        code = self.place(who, where)
        if step == "review":
            topic = TopicFactory(body=body_in(code))
            body = {"approved": True, "reviewed_on": "2026-03-03"}
        else:
            topic = approved_topic(code)
            body = {"meeting": MeetingFactory(body=topic.body).pk, "outcome": "agreed"}

        response = client_as(who).post(reverse(f"api:topic-{step}", args=[topic.pk]), body, format="json")

        expected = self.expected_on_one_object(who, code, STEP_TAKERS[step], 200)
        assert response.status_code == expected, response.content[:500]
        topic.refresh_from_db()
        done = TopicStatus.APPROVED if step == "review" else TopicStatus.DELIBERATED
        assert (topic.status == done) == (expected == 200)
        if step == "deliberate":
            assert (topic.reviewed_on == D(2026, 3, 3)) and (topic.meeting_id is not None) == (expected == 200)


def test_a_cooperative_clerk_has_no_deliberation_record(world):
    TopicFactory(body=body_in(w.VILLAGE))
    client = client_as("coop_clerk")

    for url in ("/api/v1/deliberation-bodies/", "/api/v1/deliberation-topics/", "/api/v1/deliberation-meetings/"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", CALLERS)
def test_the_catalogue_is_the_districts_read_by_everyone_who_works_in_it(world, who):
    ours = entry_for(w.VILLAGE, title="村内道路建设")
    theirs = entry_for(w.FAR_VILLAGE, title="村内道路建设")

    client = client_as(who)
    listed = client.get("/api/v1/deliberation-catalogue/")
    mine, far = (client.get(f"/api/v1/deliberation-catalogue/{made.pk}/") for made in (ours, theirs))

    if who == ANONYMOUS:
        assert (listed.status_code, mine.status_code, far.status_code) == (401, 401, 401)
    elif who in ("coop_clerk", "grid_worker", OUTSIDER):  # no grant on the catalogue anywhere
        assert listed.status_code == 403 and far.status_code == 404
    else:
        assert listed.status_code == 200
        assert [row["id"] for row in results_of(listed)] == [ours.pk]
        assert mine.status_code == 200 and far.status_code == 404
        assert mine.json() == {
            "id": ours.pk,
            "district": w.DISTRICT,
            "title": "村内道路建设",
            "description": "",
            "active": True,
        }


@pytest.mark.parametrize("who", ["district_admin", "town_official", "village_clerk", "inspector", "report_reader"])
def test_only_the_district_keeps_its_catalogue(world, who):
    entry = entry_for(w.VILLAGE, title="人居环境整治")
    client = client_as(who)

    created = client.post(
        "/api/v1/deliberation-catalogue/", {"district": w.DISTRICT, "title": "集体资产管理"}, format="json"
    )
    changed = client.patch(f"/api/v1/deliberation-catalogue/{entry.pk}/", {"active": False}, format="json")

    if who == "district_admin":
        assert created.status_code == 201 and created.json()["district"] == w.DISTRICT
        assert changed.status_code == 200 and changed.json()["active"] is False
    else:
        assert created.status_code == 403
        # The entry lies above the reader's subtree: they may read it, never change it.
        assert changed.status_code in (403, 404)
        assert CatalogueEntry.objects.get(pk=entry.pk).active is True


def test_the_catalogue_is_kept_in_a_district_of_the_callers_and_once_per_title(world):
    entry_for(w.VILLAGE, title="人居环境整治")
    client = client_as("district_admin")

    far = client.post("/api/v1/deliberation-catalogue/", {"district": w.FAR_DISTRICT, "title": "甲"}, format="json")
    town = client.post("/api/v1/deliberation-catalogue/", {"district": w.TOWN, "title": "乙"}, format="json")
    twice = client.post(
        "/api/v1/deliberation-catalogue/", {"district": w.DISTRICT, "title": "人居环境整治"}, format="json"
    )

    assert far.status_code == 404
    assert town.status_code == 400 and town.json() == {"district": ["指导目录由区（县）制定。"]}
    assert twice.status_code == 400 and twice.json() == {"title": ["本区的指导目录已有该议题类别。"]}


# --- 2. Bodies and members -------------------------------------------------------------------------


def test_a_body_shows_its_members_and_a_village_has_one_body(world):
    body = body_in(w.VILLAGE, name="罗村议事会")
    member = BodyMemberFactory(body=body, role="乡贤")
    client = client_as("village_clerk")

    shown = client.get(f"/api/v1/deliberation-bodies/{body.pk}/").json()
    again = client.post(
        "/api/v1/deliberation-bodies/",
        {"division": w.VILLAGE, "name": "第二个议事会", "formed_on": "2025-01-01"},
        format="json",
    )
    cooperative = client_as("district_admin").post(
        "/api/v1/deliberation-bodies/",
        {"division": w.COOPERATIVE, "name": "经济社议事会", "formed_on": "2025-01-01"},
        format="json",
    )

    assert shown["division"] == w.VILLAGE and shown["name"] == "罗村议事会"
    assert shown["members"] == [
        {
            "id": member.pk,
            "body": body.pk,
            "person": member.person_id,
            "person_name": member.person.name,
            "role": "乡贤",
        }
    ]
    assert again.status_code == 400 and again.json() == {"division": ["该村（社区）已有议事协商组织。"]}
    assert cooperative.status_code == 400 and cooperative.json() == {"division": ["议事协商组织须设在村（社区）。"]}


def test_a_body_formed_in_the_future_or_without_a_name_is_refused_on_its_fields(world):
    response = client_as("village_clerk").post(
        "/api/v1/deliberation-bodies/", {"division": w.VILLAGE, "formed_on": "2999-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"name": ["该字段是必填项。"], "formed_on": ["日期不能晚于今天。"]}


def test_a_member_is_a_person_of_the_village_and_joins_once(world):
    body = body_in(w.VILLAGE)
    person = PersonFactory(division=division(w.COOPERATIVE))  # a cooperative of the village: theirs
    stranger = PersonFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    client = client_as("village_clerk")

    joined = client.post("/api/v1/deliberation-body-members/", {"body": body.pk, "person": person.pk}, format="json")
    twice = client.post("/api/v1/deliberation-body-members/", {"body": body.pk, "person": person.pk}, format="json")
    other = client.post("/api/v1/deliberation-body-members/", {"body": body.pk, "person": stranger.pk}, format="json")

    assert joined.status_code == 201 and joined.json()["person_name"] == person.name
    assert twice.status_code == 400 and twice.json() == {"person": ["该人员已是议事会成员。"]}
    assert other.status_code == 400 and other.json() == {"person": ["成员须是本村（社区）登记的人员。"]}


def test_the_district_removes_a_member_and_the_village_clerk_may_not(world):
    member = BodyMemberFactory(body=body_in(w.VILLAGE))

    refused = client_as("village_clerk").delete(f"/api/v1/deliberation-body-members/{member.pk}/")
    removed = client_as("district_admin").delete(f"/api/v1/deliberation-body-members/{member.pk}/")

    assert (refused.status_code, removed.status_code) == (403, 204)
    assert not BodyMember.objects.filter(pk=member.pk).exists()


def test_a_meeting_of_another_towns_body_is_not_found_and_nothing_is_written(world):
    response = client_as("town_official").get(
        f"/api/v1/deliberation-meetings/{MeetingFactory(body=body_in(w.OTHER_TOWN_VILLAGE)).pk}/"
    )
    created = client_as("village_clerk").post(
        "/api/v1/deliberation-meetings/",
        {"body": body_in(w.OTHER_VILLAGE_SAME_TOWN).pk, "held_on": "2026-01-06", "attendance": 9},
        format="json",
    )

    assert response.status_code == 404
    assert created.status_code == 404
    assert not Meeting.objects.filter(body__division_id=w.OTHER_VILLAGE_SAME_TOWN).exists()


def test_a_meeting_needs_a_day_not_in_the_future_and_someone_attending(world):
    response = client_as("village_clerk").post(
        "/api/v1/deliberation-meetings/",
        {"body": body_in(w.VILLAGE).pk, "held_on": "2999-01-01", "attendance": 0},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"held_on": ["日期不能晚于今天。"], "attendance": ["请确保该值大于或者等于 1。"]}


# --- 3. The flow through the API -------------------------------------------------------------------


def propose(who="village_clerk", code=w.VILLAGE, **fields):
    body = body_in(code)
    data = {
        "body": body.pk,
        "entry": entry_for(code).pk,
        "title": "村道路灯安装",
        "proposed_on": "2026-03-02",
        **fields,
    }
    return client_as(who).post("/api/v1/deliberation-topics/", data, format="json")


def step(who, topic_id, name, **body):
    return client_as(who).post(f"/api/v1/deliberation-topics/{topic_id}/{name}/", body, format="json")


def test_a_topic_is_proposed_pre_reviewed_by_another_and_deliberated_in_a_meeting(world):
    proposed = propose()
    topic_id = proposed.json()["id"]
    meeting = MeetingFactory(body=body_in(w.VILLAGE), held_on=D(2026, 3, 10))
    decision = decision_on(w.VILLAGE)

    reviewed = step("town_official", topic_id, "review", approved=True, reviewed_on="2026-03-03", note="符合目录")
    deliberated = step(
        "village_clerk", topic_id, "deliberate", meeting=meeting.pk, outcome="needs_decision", decision=decision.pk
    )

    assert proposed.status_code == 201
    assert proposed.json() | {"id": None, "entry": None} == {
        "id": None,
        "body": body_in(w.VILLAGE).pk,
        "division": w.VILLAGE,
        "entry": None,
        "entry_title": proposed.json()["entry_title"],
        "title": "村道路灯安装",
        "proposed_on": "2026-03-02",
        "proposed_by": "village_clerk",
        "status": "proposed",
        "reviewed_on": None,
        "reviewed_by": None,
        "review_note": "",
        "meeting": None,
        "outcome": "",
        "decision": None,
    }
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "approved"
    assert reviewed.json()["reviewed_by"] == "town_official"
    assert deliberated.status_code == 200, deliberated.content
    assert (deliberated.json()["status"], deliberated.json()["meeting"], deliberated.json()["decision"]) == (
        "deliberated",
        meeting.pk,
        decision.pk,
    )


def test_the_proposer_does_not_pre_review_their_own_topic(world):
    topic_id = propose("district_admin").json()["id"]

    response = step("district_admin", topic_id, "review", approved=True, reviewed_on="2026-03-03")

    assert response.status_code == 403
    assert response.json() == {"detail": "不能办理自己登记或提交的记录，须由另一人办理。"}
    assert Topic.objects.get(pk=topic_id).status == TopicStatus.PROPOSED


def test_a_step_out_of_order_is_refused_naming_the_state(world):
    topic_id = propose().json()["id"]
    meeting = MeetingFactory(body=body_in(w.VILLAGE))

    early = step("village_clerk", topic_id, "deliberate", meeting=meeting.pk, outcome="agreed")
    step("town_official", topic_id, "review", approved=False, reviewed_on="2026-03-03", note="不属于目录范围")
    again = step("town_official", topic_id, "review", approved=True, reviewed_on="2026-03-03")
    rejected = step("village_clerk", topic_id, "deliberate", meeting=meeting.pk, outcome="agreed")

    assert early.status_code == 400
    assert early.json() == {"status": ["只有预审通过的议题才能提交协商（当前状态：已提出）。"]}
    assert again.status_code == 400 and again.json() == {"status": ["该议题已预审（当前状态：预审未通过）。"]}
    assert rejected.json() == {"status": ["只有预审通过的议题才能提交协商（当前状态：预审未通过）。"]}


def test_a_rejection_needs_its_reason(world):
    topic_id = propose().json()["id"]

    response = step("town_official", topic_id, "review", approved=False, reviewed_on="2026-03-03")

    assert response.status_code == 400 and response.json() == {"note": ["预审未通过须说明理由。"]}


def test_a_topic_comes_from_the_catalogue_of_the_bodys_district_and_an_active_entry(world):
    far_entry = entry_for(w.FAR_VILLAGE)
    retired = entry_for(w.VILLAGE, active=False)

    other_district = propose(entry=far_entry.pk)
    inactive = propose(entry=retired.pk)
    future = propose(proposed_on="2999-01-01")
    elsewhere = propose(code=w.OTHER_VILLAGE_SAME_TOWN)

    assert other_district.status_code == 400
    assert other_district.json() == {"entry": ["议题须出自本区的议事协商指导目录。"]}
    assert inactive.status_code == 400 and inactive.json() == {"entry": ["该目录类别已停用。"]}
    assert future.status_code == 400 and future.json() == {"proposed_on": ["日期不能晚于今天。"]}
    assert elsewhere.status_code == 404
    assert not Topic.objects.exists()


def test_the_deliberation_names_a_meeting_of_its_body_and_a_decision_only_when_needed(world):
    topic = approved_topic(w.VILLAGE)
    other_body_meeting = MeetingFactory(body=body_in(w.OTHER_VILLAGE_SAME_TOWN))
    before_review = MeetingFactory(body=topic.body, held_on=D(2026, 3, 1))
    meeting = MeetingFactory(body=topic.body, held_on=D(2026, 3, 5))
    decision = decision_on(w.VILLAGE)
    far_decision = decision_on(w.OTHER_VILLAGE_SAME_TOWN)

    unseen = step("village_clerk", topic.pk, "deliberate", meeting=other_body_meeting.pk, outcome="agreed")
    other_body = step("district_admin", topic.pk, "deliberate", meeting=other_body_meeting.pk, outcome="agreed")
    early = step("village_clerk", topic.pk, "deliberate", meeting=before_review.pk, outcome="agreed")
    not_needed = step(
        "village_clerk", topic.pk, "deliberate", meeting=meeting.pk, outcome="agreed", decision=decision.pk
    )
    elsewhere = step(
        "district_admin", topic.pk, "deliberate", meeting=meeting.pk, outcome="needs_decision", decision=far_decision.pk
    )
    bad_outcome = step("village_clerk", topic.pk, "deliberate", meeting=meeting.pk, outcome="maybe")

    assert unseen.json() == {"meeting": ["没有该协商会议，或不在您的辖区内。"]}
    assert other_body.json() == {"meeting": ["会议须是本议事会的会议。"]}
    assert early.json() == {"meeting": ["协商会议不能早于预审。"]}
    assert not_needed.json() == {"decision": ["只有需按“四议两公开”决策的议题才关联决策。"]}
    assert elsewhere.json() == {"decision": ["决策须是本村（社区）的决策。"]}
    assert bad_outcome.status_code == 400 and list(bad_outcome.json()) == ["outcome"]
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED


# --- 4. Lists and filters ---------------------------------------------------------------------------


def test_the_topic_list_filters_by_division_subtree_and_status(world):
    here = TopicFactory(body=body_in(w.VILLAGE))
    there = approved_topic(w.OTHER_VILLAGE_SAME_TOWN)
    other_town = TopicFactory(body=body_in(w.OTHER_TOWN_VILLAGE))
    client = client_as("district_admin")

    def ids(**params):
        return {row["id"] for row in results_of(client.get("/api/v1/deliberation-topics/", params))}

    assert ids(division=w.TOWN) == {here.pk, there.pk}
    assert ids(division=w.VILLAGE) == {here.pk}
    assert ids(status="approved") == {there.pk}
    assert ids(status="proposed", division=w.DISTRICT) == {here.pk, other_town.pk}
    assert client.get("/api/v1/deliberation-topics/", {"status": "nonsense"}).status_code == 400


def test_meetings_and_bodies_filter_by_division(world):
    ours = MeetingFactory(body=body_in(w.VILLAGE))
    MeetingFactory(body=body_in(w.OTHER_VILLAGE_SAME_TOWN))
    client = client_as("town_official")

    meetings = results_of(client.get("/api/v1/deliberation-meetings/", {"division": w.VILLAGE}))
    bodies = results_of(client.get("/api/v1/deliberation-bodies/", {"division": w.VILLAGE}))

    assert [row["id"] for row in meetings] == [ours.pk]
    assert [row["division"] for row in bodies] == [w.VILLAGE]


# --- 5. Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deliberation-bodies/",
        "/api/v1/deliberation-body-members/",
        "/api/v1/deliberation-catalogue/",
        "/api/v1/deliberation-meetings/",
        "/api/v1/deliberation-topics/",
    ],
)
def test_a_deliberation_list_costs_the_same_queries_for_1_row_as_for_many(world, url):
    """Pinned (the grants cached on the user): the page's count and the page (the bodies' members
    with their people: one more, prefetched)."""
    body = body_in(w.VILLAGE)
    BodyMemberFactory(body=body)
    MeetingFactory(body=body)
    TopicFactory(body=body)
    client = client_as("district_admin")
    client.get(url)  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, url)

    for number in range(3, 7):
        other = body_in(f"{w.TOWN}{number:03d}")
        BodyMemberFactory(body=other)
        BodyMemberFactory(body=body)
        MeetingFactory(body=other)
        TopicFactory(body=other, status=TopicStatus.REJECTED, review_note="不符", reviewed_by=UserFactory())
        entry_for(w.VILLAGE)
    many_queries, many_rows = queries_and_rows(client, url)

    assert many_rows > one_rows
    assert many_queries == one_queries
    assert one_queries == (3 if "bodies" in url else 2)
