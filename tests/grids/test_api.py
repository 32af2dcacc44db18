"""The grids API (docs/api.md, "Grids"; DESIGN.md section 7): access matrices for every endpoint,
each step through the API and its refusals (400 out of order with its message, 403 to the
handler closing, 404 another town's event), overdue judged at the request, photos, and pinned
query counts that do not grow with the rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

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
from governance.testing.fixtures import OUTSIDER
from governance.uploads import attach_files
from grids.choices import EventState, PhotoStage, Route, Satisfaction
from grids.models import EventCategory, EventPhoto, Grid, GridEvent
from grids.services.events import HANDLER_MAY_NOT_CLOSE
from grids.testing.factories import GridEventFactory, GridFactory, category, grid_worker
from villages.testing.factories import division

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40
TEXT_BYTES = "不是图片。".encode()

VIEWERS = {"district_admin", "town_official", "village_clerk", "grid_worker", "inspector"}
REPORTERS = {"district_admin", "town_official", "village_clerk", "grid_worker"}
# Who may take each step inside their jurisdiction (grids.grants): the town's grid centre
# assesses, whistles, records the evaluation and closes; the village handles.
STEP_TAKERS = {
    "assess": {"district_admin", "town_official"},
    "arrive": {"district_admin", "town_official"},
    "handle": {"district_admin", "town_official", "village_clerk", "grid_worker"},
    "evaluate": {"district_admin", "town_official"},
    "close": {"district_admin", "town_official"},
}

# Grids and events lie in a village: (inside, outside) the caller's jurisdiction. A cooperative's
# clerk has no grid (grids cover villages): a test below says what they get.
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


@pytest.fixture(scope="module", autouse=True)
def module_private_media(tmp_path_factory):
    """Photos written by the class-wide scenarios and by the tests go to a temporary folder."""
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")):
        yield


def photo(name: str = "现场.jpg", content: bytes = JPEG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def an_event(code: str, **fields) -> GridEvent:
    grid = Grid.objects.filter(division_id=code).first() or GridFactory(division=division(code))
    return GridEventFactory(grid=grid, **fields)


def handled_fields(handler) -> dict:
    now = timezone.now()
    return {
        "route": Route.VILLAGE,
        "assessed_at": now - datetime.timedelta(minutes=40),
        "handled_at": now - datetime.timedelta(minutes=30),
        "handled_by": handler,
        "summary": "已清理",
    }


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


class TestGridAccess(
    VillageLevelRecords, APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests, APIViewTestCases.HistoryTests
):
    basename = "grid"
    model = Grid
    viewers = VIEWERS

    def make_object(self, code):
        return GridFactory(division=division(code))


class TestGridEventAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    """Reporting outside the jurisdiction: the grid is not found (404), nothing is written."""

    basename = "gridevent"
    model = GridEvent
    viewers = VIEWERS
    adders = REPORTERS

    def make_object(self, code):
        return an_event(code)

    def create_data(self, code, scenario, who):
        return {"grid": scenario.objects[code].grid_id, "category": "dispute", "description": "路灯不亮"}


class TestGridEventStepAccess(VillageLevelRecords, APITestCase):
    """Each step answers like the event: 404 outside the jurisdiction, 403 inside it for a role
    that may not take the step, and the step taken for one that may."""

    basename = "gridevent"
    model = GridEvent

    def make_object(self, code):
        return code  # each test builds its event in the state its step needs

    STATES = {
        "assess": (EventState.REPORTED, {}),
        "arrive": (EventState.ASSESSED, {"route": Route.WHISTLE, "departments": ["城市管理和综合执法局"]}),
        "handle": (EventState.ASSESSED, {"route": Route.VILLAGE}),
        "evaluate": (EventState.HANDLED, {}),
        "close": (EventState.EVALUATED, {"satisfaction": Satisfaction.SATISFIED}),
    }
    BODIES = {
        "assess": {"route": "village"},
        "arrive": {"departments": ["城市管理和综合执法局"]},
        "handle": {"summary": "已修复"},
        "evaluate": {"satisfaction": "satisfied"},
        "close": {},
    }

    def test_a_step_is_taken_only_inside_the_jurisdiction_by_a_role_that_may(self, scenario, who, where, step, db):
        code = self.place(who, where)
        state, fields = self.STATES[step]
        if state in (EventState.HANDLED, EventState.EVALUATED):
            fields = {**handled_fields(grid_worker(code)), **fields}
        event = an_event(code, state=state, **fields)
        body = dict(self.BODIES[step])
        if step == "handle":
            body["handled_at"] = timezone.now().isoformat()

        response = client_as(who).post(reverse(f"api:gridevent-{step}", args=[event.pk]), body, format="json")

        expected = self.expected_on_one_object(who, code, STEP_TAKERS[step], 200)
        assert response.status_code == expected, response.content[:500]
        event.refresh_from_db()
        assert event.steps.filter(kind=step).exists() == (expected == 200)


@pytest.mark.parametrize("who", CALLERS)
def test_the_categories_are_those_of_the_district_the_caller_works_in(world, who):
    ours = category("dispute", "440605")
    theirs = category("dispute", w.FAR_DISTRICT)

    client = client_as(who)
    listed = client.get("/api/v1/grid-event-categories/")
    mine, far = (client.get(f"/api/v1/grid-event-categories/{made.pk}/") for made in (ours, theirs))

    if who == ANONYMOUS:
        assert (listed.status_code, mine.status_code, far.status_code) == (401, 401, 401)
    elif who in ("coop_clerk", OUTSIDER):  # no grant on categories anywhere
        assert listed.status_code == 403 and far.status_code == 404
    else:
        assert listed.status_code == 200
        assert [row["id"] for row in results_of(listed)] == [ours.pk]
        assert mine.status_code == 200 and far.status_code == 404
        assert {"code", "name", "time_limit_hours"} <= set(mine.json())


def test_a_cooperative_clerk_has_no_grid_and_no_event(world):
    an_event(w.VILLAGE)
    client = client_as("coop_clerk")

    assert client.get("/api/v1/grids/").status_code == 403
    assert client.get("/api/v1/grid-events/").status_code == 403


# --- 2. Lists ------------------------------------------------------------------------------------


def test_the_grids_of_a_village_name_their_worker_by_display_name(world):
    worker = grid_worker(w.VILLAGE, first_name="嘉慧", last_name="陈")
    grid = GridFactory(division=division(w.VILLAGE), worker=worker, name="第一网格")
    GridFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))

    rows = results_of(client_as("town_official").get("/api/v1/grids/", {"division": w.VILLAGE}))

    assert rows == [
        {"id": grid.pk, "division": w.VILLAGE, "name": "第一网格", "worker": "陈嘉慧", "area": "", "households": None}
    ]


def test_the_event_list_filters_by_division_state_and_overdue_judged_at_the_request(world):
    now = timezone.now()
    late = an_event(w.VILLAGE, reported_at=now - datetime.timedelta(hours=80))  # 72 hours: overdue
    fresh = an_event(w.VILLAGE, reported_at=now - datetime.timedelta(hours=1))
    elsewhere = an_event(w.OTHER_VILLAGE_SAME_TOWN, state=EventState.ASSESSED, route=Route.VILLAGE)
    client = client_as("town_official")

    everything = {row["id"]: row["overdue"] for row in results_of(client.get("/api/v1/grid-events/"))}
    overdue = results_of(client.get("/api/v1/grid-events/", {"overdue": "true"}))
    on_time = results_of(client.get("/api/v1/grid-events/", {"overdue": "false", "division": w.VILLAGE}))
    assessed = results_of(client.get("/api/v1/grid-events/", {"state": "assessed"}))

    assert everything == {late.pk: True, fresh.pk: False, elsewhere.pk: False}
    assert [row["id"] for row in overdue] == [late.pk]
    assert [row["id"] for row in on_time] == [fresh.pk]
    assert [row["id"] for row in assessed] == [elsewhere.pk]


def test_an_event_handled_after_its_due_time_stays_overdue(world):
    now = timezone.now()
    event = an_event(
        w.VILLAGE,
        state=EventState.HANDLED,
        reported_at=now - datetime.timedelta(hours=100),
        **{**handled_fields(world.user("village_clerk")), "handled_at": now - datetime.timedelta(hours=20)},
    )

    row = client_as("town_official").get(f"/api/v1/grid-events/{event.pk}/").json()

    assert event.due_at == event.reported_at + datetime.timedelta(hours=72)
    assert row["overdue"] is True


# --- 3. The flow through the API --------------------------------------------------------------------


@pytest.fixture
def grid(world):
    return GridFactory(division=division(w.VILLAGE), worker=world.user("grid_worker"))


def report(grid, who="grid_worker", **body):
    payload = {"grid": grid.pk, "category": "dispute", "description": "两户因排水沟堵塞发生争执", **body}
    return client_as(who).post("/api/v1/grid-events/", payload, format="json")


def step(who, event_id, name, **body):
    return client_as(who).post(f"/api/v1/grid-events/{event_id}/{name}/", body, format="json")


def test_a_report_answers_201_with_the_id_the_state_and_the_due_time(grid):
    category("dispute", time_limit_hours=72)
    reported_at = timezone.now() - datetime.timedelta(hours=2)

    response = report(grid, reported_at=reported_at.isoformat())

    assert response.status_code == 201, response.content
    body = response.json()
    event = GridEvent.objects.get(pk=body["id"])
    assert body["state"] == "reported"
    assert datetime.datetime.fromisoformat(body["due_at"]) == reported_at + datetime.timedelta(hours=72)
    assert event.due_at == reported_at + datetime.timedelta(hours=72) and event.reported_by.username == "grid_worker"
    assert [row["kind"] for row in body["steps"]] == ["report"]


def test_a_first_report_in_a_district_creates_its_default_categories(grid):
    assert not EventCategory.objects.exists()

    response = report(grid, category="safety_hazard")

    assert response.status_code == 201, response.content
    assert EventCategory.objects.filter(district_id="440605").count() > 1
    assert response.json()["category"] == "safety_hazard"


def test_a_whole_flow_whistled_handled_sent_back_handled_again_evaluated_and_closed_by_another(grid):
    event_id = report(grid).json()["id"]

    whistled = step("town_official", event_id, "assess", route="whistle", departments=["城市管理和综合执法局"])
    arrived = step("town_official", event_id, "arrive", departments=["城市管理和综合执法局"])
    handled = step("village_clerk", event_id, "handle", handled_at=timezone.now().isoformat(), summary="已疏通")
    sent_back = step("town_official", event_id, "evaluate", satisfaction="dissatisfied")
    again = step("grid_worker", event_id, "handle", handled_at=timezone.now().isoformat(), summary="已重新疏通")
    evaluated = step("town_official", event_id, "evaluate", satisfaction="basically_satisfied")
    closed = step("district_admin", event_id, "close", note="核查无误")

    states = [r.json()["state"] for r in (whistled, arrived, handled, sent_back, again, evaluated, closed)]
    assert states == ["assessed", "assessed", "handled", "assessed", "handled", "evaluated", "closed"]
    assert whistled.json()["route"] == "whistle" and whistled.json()["departments"] == ["城市管理和综合执法局"]
    final = closed.json()
    assert final["satisfaction"] == "basically_satisfied" and final["closed_by"]
    assert [row["kind"] for row in final["steps"]] == [
        "report",
        "assess",
        "arrive",
        "handle",
        "evaluate",
        "handle",
        "evaluate",
        "close",
    ]
    detail = client_as("inspector").get(f"/api/v1/grid-events/{event_id}/").json()
    assert detail["steps"] == final["steps"]


def test_a_step_out_of_order_is_a_400_on_state_with_its_message(grid):
    event_id = report(grid).json()["id"]

    response = step("town_official", event_id, "close")

    assert response.status_code == 400
    assert response.json() == {"state": ["该事件当前状态为“已上报”，不能进行“关闭”。"]}
    assert GridEvent.objects.get(pk=event_id).state == EventState.REPORTED


def test_the_user_who_recorded_the_handling_may_not_close_it(grid):
    event_id = report(grid).json()["id"]
    step("town_official", event_id, "assess", route="village")
    step("town_official", event_id, "handle", handled_at=timezone.now().isoformat(), summary="镇里直接处置")
    step("district_admin", event_id, "evaluate", satisfaction="satisfied")

    refused = step("town_official", event_id, "close")
    closed = step("district_admin", event_id, "close")

    assert refused.status_code == 403 and refused.json() == {"detail": str(HANDLER_MAY_NOT_CLOSE)}
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_another_towns_event_is_404_for_every_step_and_for_reading(world):
    event = an_event(w.OTHER_TOWN_VILLAGE)
    client = client_as("town_official")

    assert client.get(f"/api/v1/grid-events/{event.pk}/").status_code == 404
    for name, body in (("assess", {"route": "village"}), ("close", {})):
        assert client.post(f"/api/v1/grid-events/{event.pk}/{name}/", body, format="json").status_code == 404
    assert GridEvent.objects.get(pk=event.pk).state == EventState.REPORTED


def test_whistling_needs_departments_of_the_district(grid):
    event_id = report(grid).json()["id"]

    none = step("town_official", event_id, "assess", route="whistle")
    unknown = step("town_official", event_id, "assess", route="whistle", departments=["不存在局"])
    bad_route = step("town_official", event_id, "assess", route="somewhere")

    assert none.status_code == 400 and list(none.json()) == ["departments"]
    assert unknown.status_code == 400 and "不存在局" in unknown.json()["departments"][0]
    assert bad_route.status_code == 400 and list(bad_route.json()) == ["route"]


def test_a_report_with_an_unknown_category_or_from_the_future_is_a_field_error(grid):
    unknown = report(grid, category="no_such_kind")
    future = report(grid, reported_at=(timezone.now() + datetime.timedelta(hours=2)).isoformat())
    blank = report(grid, description="  ")

    assert unknown.status_code == 400 and list(unknown.json()) == ["category"]
    assert future.status_code == 400 and list(future.json()) == ["reported_at"]
    assert blank.status_code == 400 and list(blank.json()) == ["description"]
    assert not GridEvent.objects.exists()


def test_a_report_in_a_grid_that_does_not_exist_is_404(world):
    assert report(Grid(pk=999999)).status_code == 404


# --- 4. Photos ---------------------------------------------------------------------------------


def photo_at(code: str) -> EventPhoto:
    event = an_event(code)
    [made] = attach_files(EventPhoto, record=event, files=[photo()], acting_user=event.reported_by)
    return made


class TestEventPhotoAccess(VillageLevelRecords, APITestCase):
    """The photos of an event answer like the event: 404 outside the jurisdiction, 403 inside it
    without the right (to view for the list, to handle or be its reporter for an upload)."""

    basename = "eventphoto"
    model = EventPhoto
    viewers = VIEWERS
    # Who may add photos to an open event they did not report: whoever may handle it.
    adders = STEP_TAKERS["handle"]

    def make_object(self, code):
        return photo_at(code)

    def url(self, made, action="list"):
        kwargs = {"event_pk": made.event_id}
        if action != "list":
            kwargs["pk"] = made.pk
        return reverse(f"api:eventphoto-{action}", kwargs=kwargs)

    def test_the_photo_list_answers_like_the_event(self, scenario, who, where, db):
        made = self.object_at(scenario, who, where)

        response = client_as(who).get(self.url(made))

        expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
        assert response.status_code == expected, response.content[:500]
        if expected == 200:
            assert [(row["id"], row["stage"]) for row in results_of(response)] == [(made.pk, "report")]

    def test_the_token_download_answers_like_the_event(self, scenario, who, where, db):
        made = self.object_at(scenario, who, where)

        response = client_as(who).get(self.url(made, "download"))

        expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
        assert response.status_code == expected
        if expected == 200:
            assert b"".join(response.streaming_content) == JPEG_BYTES

    def test_photos_are_uploaded_only_by_those_who_may_handle_the_event(self, scenario, who, where, db):
        made = self.object_at(scenario, who, where)
        rows_before = EventPhoto.objects.count()

        response = client_as(who).post(self.url(made), {"files": [photo()], "stage": "handling"}, format="multipart")

        expected = self.expected_on_one_object(who, self.place(who, where), self.adders, 201)
        assert response.status_code == expected, response.content[:500]
        assert EventPhoto.objects.count() == rows_before + (1 if expected == 201 else 0)
        if expected == 201:
            assert response.json()[0]["stage"] == PhotoStage.HANDLING


def test_a_bad_photo_refuses_the_upload_naming_it(grid):
    event_id = report(grid).json()["id"]

    response = client_as("grid_worker").post(
        f"/api/v1/grid-events/{event_id}/photos/",
        {"files": [photo(), photo("文字.jpg", TEXT_BYTES)]},
        format="multipart",
    )

    assert response.status_code == 400 and "文字.jpg" in response.json()["files"][0]
    assert not EventPhoto.objects.exists()


def test_the_reporter_adds_photos_to_their_open_event_and_not_once_it_is_closed(grid, world):
    event_id = report(grid).json()["id"]
    url = f"/api/v1/grid-events/{event_id}/photos/"

    added = client_as("grid_worker").post(url, {"files": [photo()]}, format="multipart")
    GridEvent.objects.filter(pk=event_id).update(state=EventState.CLOSED)
    refused = client_as("grid_worker").post(url, {"files": [photo()]}, format="multipart")

    assert added.status_code == 201 and added.json()[0]["stage"] == "report"
    assert refused.status_code == 403


# --- 5. Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/grid-events/", "/api/v1/grids/", "/api/v1/grid-event-categories/", "photos"],
)
def test_a_list_costs_the_same_queries_for_1_row_as_for_many(world, url):
    """Pinned (the grants cached on the user): the page's count and the page; for the photos,
    the event first."""
    event = an_event(w.VILLAGE)
    category("dispute")
    if url == "photos":
        url = f"/api/v1/grid-events/{event.pk}/photos/"
        attach_files(EventPhoto, record=event, files=[photo()], acting_user=event.reported_by)
    client = client_as("town_official")
    client.get(url)  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, url)

    grid = event.grid
    for number in range(4):
        GridFactory(division=division(w.VILLAGE))
        more = GridEventFactory(grid=grid, state=EventState.HANDLED, **handled_fields(world.user("village_clerk")))
        category(f"kind{number}")
        if "photos" in url:
            attach_files(EventPhoto, record=event, files=[photo()], acting_user=more.reported_by)
    many_queries, many_rows = queries_and_rows(client, url)

    assert many_rows > one_rows
    assert many_queries == one_queries
    assert one_queries == (3 if "photos" in url else 2)


def test_the_detail_of_an_event_with_its_steps_costs_fixed_queries(grid, django_assert_max_num_queries):
    event_id = report(grid).json()["id"]
    step("town_official", event_id, "assess", route="village")
    client = client_as("inspector")
    client.get(f"/api/v1/grid-events/{event_id}/")  # the grants cached

    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/grid-events/{event_id}/")

    assert [row["kind"] for row in response.json()["steps"]] == ["report", "assess"]
