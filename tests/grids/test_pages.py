"""The grids pages (issue 17 point 3): the access matrix of every page (each role inside and
outside its jurisdiction, the outsider, the anonymous visitor), each step form posting to its
service with its refusals on the form's fields in Chinese, the event centre's tabs and counts, the
home page's counts, a village's grid map and its link on the village's page, the dashboard's
figures, and pinned query counts that do not grow with the rows.

Events are built in a state directly (grids.testing.factories) where a page only shows them, and
through the pages where the flow is the subject."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.testing import world as w
from governance.testing.factories import UserFactory
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from grids import services
from grids.choices import EventState, Route, Satisfaction, StepKind
from grids.forms import MOMENT_FORMAT
from grids.models import EventPhoto, Grid, GridEvent
from grids.testing.factories import GridEventFactory, GridFactory, category, grid_worker
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

# Who may do what with grids and events (grids/grants.py).
GRID_VIEWERS = {"district_admin", "town_official", "village_clerk", "grid_worker", "inspector"}
GRID_EDITORS = {"district_admin", "town_official", "village_clerk"}
REPORTERS = {"district_admin", "town_official", "village_clerk", "grid_worker"}
ASSESSORS = {"district_admin", "town_official"}
HANDLERS = {"district_admin", "town_official", "village_clerk", "grid_worker"}
WHISTLED_TO = "城市管理和综合执法局"
# A 1×1 JPEG: what a phone's camera sends, as far as the upload checks are concerned.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def village_of(code: str) -> str:
    return code[:12]


def grid_in(code: str) -> Grid:
    """A grid in the village of `code` (a cooperative's: its village's), named after the code."""
    return GridFactory(division=division(village_of(code)), name=f"网格{code}号")


def event_in(code: str, **fields) -> GridEvent:
    grid = grid_in(code)
    category("dispute", district_code=code[:6])
    return GridEventFactory(grid=grid, **fields)


def now_typed() -> str:
    return timezone.localtime().strftime(MOMENT_FORMAT)


# --- access: grids -------------------------------------------------------------------------------


class TestGridListPage(PageAccessTests):
    viewers = GRID_VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("grids:grids")

    def make_object(self, code):
        return grid_in(code)

    def marker(self, grid):
        return grid.name


class TestVillageGridMapPage(PageAccessTests):
    viewers = GRID_VIEWERS

    def url(self, grid):
        return reverse("grids:village_grids", args=[grid.division_id])

    def make_object(self, code):
        return grid_in(code)


class TestGridCreatePage(PageAccessTests):
    # Whoever views the village may open the form's address; only who draws grids there posts.
    viewers = GRID_VIEWERS | {"report_reader"}
    posters = GRID_EDITORS

    def url(self, grid):
        return reverse("grids:grid_add", args=[grid.division_id])

    def make_object(self, code):
        return grid_in(code)

    def post_data(self, grid):
        return {"name": "新划网格", "worker": grid.worker_id, "area": "一至三组", "households": "120"}


class TestGridEditPage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = GRID_EDITORS

    def url(self, grid):
        return reverse("grids:grid_edit", args=[grid.pk])

    def make_object(self, code):
        return grid_in(code)

    def post_data(self, grid):
        return {"name": f"{grid.name}（改）", "worker": grid.worker_id, "area": "", "households": ""}


# --- access: events ------------------------------------------------------------------------------


class TestEventReportPage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = REPORTERS

    def url(self, grid):
        return reverse("grids:event_report") + f"?grid={grid.pk}"

    def make_object(self, code):
        grid = grid_in(code)
        category("dispute", district_code=code[:6])
        return grid

    def post_data(self, grid):
        dispute = category("dispute", district_code=grid.division_id[:6])
        return {"grid": grid.pk, "category": dispute.pk, "description": "两户因排水沟堵塞发生争执"}


class TestEventCentrePage(PageAccessTests):
    viewers = GRID_VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("grids:events")

    def make_object(self, code):
        return event_in(code)

    def marker(self, event):
        return event.grid.name


class TestOverdueTab(PageAccessTests):
    viewers = GRID_VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("grids:events_overdue")

    def make_object(self, code):
        return event_in(code, reported_at=timezone.now() - datetime.timedelta(days=10))

    def marker(self, event):
        return event.grid.name


class TestEventPage(PageAccessTests):
    viewers = GRID_VIEWERS

    def url(self, event):
        return reverse("grids:event", args=[event.pk])

    def make_object(self, code):
        return event_in(code)


class TestAssessPage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = ASSESSORS

    def url(self, event):
        return reverse("grids:event_assess", args=[event.pk])

    def make_object(self, code):
        return event_in(code)

    def post_data(self, event):
        return {"route": Route.WHISTLE, "departments": [WHISTLED_TO], "note": "需执法部门到场"}


class TestArrivalPage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = ASSESSORS

    def url(self, event):
        return reverse("grids:event_arrival", args=[event.pk])

    def make_object(self, code):
        return event_in(code, state=EventState.ASSESSED, route=Route.WHISTLE, departments=[WHISTLED_TO])

    def post_data(self, event):
        return {"departments": [WHISTLED_TO]}


class TestHandlePage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = HANDLERS

    def url(self, event):
        return reverse("grids:event_handle", args=[event.pk])

    def make_object(self, code):
        return event_in(code, state=EventState.ASSESSED, route=Route.VILLAGE)

    def post_data(self, event):
        return {"handled_at": now_typed(), "summary": "已疏通排水沟，双方和解"}


def handled_by_someone_else(code: str, state: str) -> GridEvent:
    moment = timezone.now() - datetime.timedelta(minutes=30)
    return event_in(
        code,
        state=state,
        route=Route.VILLAGE,
        handled_at=moment,
        handled_by=UserFactory(),
        summary="已处置",
        satisfaction=Satisfaction.SATISFIED if state == EventState.EVALUATED else "",
    )


class TestEvaluatePage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = ASSESSORS

    def url(self, event):
        return reverse("grids:event_evaluate", args=[event.pk])

    def make_object(self, code):
        return handled_by_someone_else(code, EventState.HANDLED)

    def post_data(self, event):
        return {"satisfaction": Satisfaction.BASICALLY_SATISFIED, "note": "电话回访"}


class TestClosePage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = ASSESSORS

    def url(self, event):
        return reverse("grids:event_close", args=[event.pk])

    def make_object(self, code):
        return handled_by_someone_else(code, EventState.EVALUATED)

    def post_data(self, event):
        return {"note": "现场核查无误"}


class TestPhotosPage(PageAccessTests):
    viewers = GRID_VIEWERS
    posters = HANDLERS  # and the reporter, who is none of the role users here

    def url(self, event):
        return reverse("grids:event_photos", args=[event.pk])

    def make_object(self, code):
        return event_in(code, state=EventState.ASSESSED, route=Route.VILLAGE)

    def post_data(self, event):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {"photos": [SimpleUploadedFile("补拍.jpg", JPEG, content_type="image/jpeg")]}


class TestDashboardPage(PageAccessTests):
    viewers = GRID_VIEWERS

    def url(self, place):
        return reverse("grids:dashboard") + f"?division={place.code}"

    def make_object(self, code):
        return division(code)


# --- grids ---------------------------------------------------------------------------------------


def test_a_village_clerk_draws_a_grid_with_its_worker_and_corrects_it(world):
    worker = world.user("grid_worker")
    client = signed_in_client(world.user("village_clerk"))

    response = client.post(
        reverse("grids:grid_add", args=[w.VILLAGE]),
        {"name": "第一网格", "worker": worker.pk, "area": "一组、二组", "households": "86"},
    )

    grid = Grid.objects.get(division_id=w.VILLAGE)
    assert response.url == reverse("grids:village_grids", args=[w.VILLAGE])
    assert (grid.name, grid.worker, grid.area, grid.households) == ("第一网格", worker, "一组、二组", 86)
    client.post(
        reverse("grids:grid_edit", args=[grid.pk]), {"name": "第一网格", "worker": worker.pk, "households": "90"}
    )
    grid.refresh_from_db()
    assert (grid.area, grid.households) == ("", 90)


def test_the_grid_form_offers_only_users_of_the_village_and_says_what_is_wrong_in_chinese(world):
    stranger = grid_worker(w.OTHER_VILLAGE_SAME_TOWN)
    client = signed_in_client(world.user("village_clerk"))

    response = client.post(reverse("grids:grid_add", args=[w.VILLAGE]), {"worker": stranger.pk, "households": "-1"})

    errors = response.context["form"].errors
    assert errors["name"] == ["该字段是必填项。"]
    assert "选择一个有效的选项" in errors["worker"][0]
    assert errors["households"] == ["确保该值大于或等于0。"]
    assert not Grid.objects.exists()


def test_a_village_grid_map_colours_each_tile_by_its_events(world):
    quiet = GridFactory(division=division(w.VILLAGE), name="A网格")
    busy = GridFactory(division=division(w.VILLAGE), name="B网格")
    late = GridFactory(division=division(w.VILLAGE), name="C网格")
    GridEventFactory(grid=busy)
    GridEventFactory(grid=late, reported_at=timezone.now() - datetime.timedelta(days=10))
    GridEventFactory(grid=quiet, state=EventState.CLOSED, handled_at=timezone.now())

    response = signed_in_client(world.user("town_official")).get(reverse("grids:village_grids", args=[w.VILLAGE]))

    assert f'id="grid-tile-{quiet.pk}" data-state="clear"' in response.text
    assert f'id="grid-tile-{busy.pk}" data-state="open"' in response.text
    assert f'id="grid-tile-{late.pk}" data-state="late"' in response.text
    assert 'id="add-grid"' in response.text


def test_a_grid_worker_sees_the_map_without_the_button_to_draw_a_grid(world):
    GridFactory(division=division(w.VILLAGE), worker=world.user("grid_worker"))

    response = signed_in_client(world.user("grid_worker")).get(reverse("grids:village_grids", args=[w.VILLAGE]))

    assert 'id="add-grid"' not in response.text
    assert 'id="report-event"' in response.text


def test_the_village_page_links_to_its_grid_map_with_its_grids_and_open_events(world):
    grid = GridFactory(division=division(w.VILLAGE))
    GridEventFactory(grid=grid)
    GridEventFactory(grid=grid, state=EventState.CLOSED, handled_at=timezone.now())

    page = signed_in_client(world.user("town_official")).get(reverse("villages:division", args=[w.VILLAGE])).text
    reader = signed_in_client(world.user("report_reader")).get(reverse("villages:division", args=[w.VILLAGE])).text

    assert 'id="hub-grids-link"' in page
    assert reverse("grids:village_grids", args=[w.VILLAGE]) in page
    assert "1 个网格 · 未关闭事件 1" in page
    assert 'id="hub-grids-link"' not in reader


# --- reporting on a phone ------------------------------------------------------------------------


def test_a_grid_worker_finds_their_own_grid_preselected_and_reports_with_a_photo(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    worker = world.user("grid_worker")
    grid = GridFactory(division=division(w.VILLAGE), worker=worker)
    GridFactory(division=division(w.VILLAGE), name="别人的网格")
    dispute = category("dispute", time_limit_hours=72)
    client = signed_in_client(worker)

    form = client.get(reverse("grids:event_report")).context["form"]
    assert form.initial["grid"] == grid.pk
    assert 'capture="environment"' in str(form["photos"])

    response = client.post(
        reverse("grids:event_report"),
        {
            "grid": grid.pk,
            "category": dispute.pk,
            "description": "两户因排水沟堵塞发生争执",
            "location": "一组祠堂前",
            "photos": [SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")],
        },
    )

    event = GridEvent.objects.get()
    assert response.url == reverse("grids:event", args=[event.pk])
    assert (event.grid, event.reported_by, event.location) == (grid, worker, "一组祠堂前")
    assert event.due_at == event.reported_at + datetime.timedelta(hours=72)
    assert EventPhoto.objects.get(event=event).original_name == "现场.jpg"
    page = client.get(response.url).text
    assert "已上报事件，须在" in page and 'class="event-thumbnail img-thumbnail"' in page


def test_a_report_without_a_description_or_with_a_bad_photo_is_refused_on_its_fields(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    grid = GridFactory(division=division(w.VILLAGE), worker=world.user("grid_worker"))
    dispute = category("dispute")
    client = signed_in_client(world.user("grid_worker"))

    response = client.post(
        reverse("grids:event_report"),
        {"grid": grid.pk, "category": dispute.pk, "photos": [SimpleUploadedFile("a.jpg", b"not a photo")]},
    )

    errors = response.context["form"].errors
    assert errors["description"] == ["该字段是必填项。"]
    assert "不是允许的文件类型" in errors["photos"][0]
    assert not GridEvent.objects.exists()


def test_the_report_form_offers_the_categories_of_the_grids_district_creating_the_defaults_once(world):
    grid = GridFactory(division=division(w.VILLAGE), worker=world.user("grid_worker"))

    form = (
        signed_in_client(world.user("grid_worker"))
        .get(reverse("grids:event_report") + f"?grid={grid.pk}")
        .context["form"]
    )

    assert [c.code for c in form.fields["category"].queryset][:2] == ["dispute", "environment"]
    assert "安全隐患（24 小时内办结）" in str(form["category"])


# --- the flow, step by step ----------------------------------------------------------------------


def test_each_step_form_posts_to_its_service_and_the_timeline_shows_who_did_what(world):
    grid = grid_in(w.VILLAGE)
    event = services.report_event(
        acting_user=world.user("grid_worker"),
        grid=grid,
        category=category("dispute"),
        description="路灯不亮",
        reported_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    official = signed_in_client(world.user("town_official"))
    clerk = signed_in_client(world.user("village_clerk"))
    admin = signed_in_client(world.user("district_admin"))
    page = reverse("grids:event", args=[event.pk])

    assert 'id="assess-event"' in official.get(page).text
    assert 'id="assess-event"' not in clerk.get(page).text
    official.post(reverse("grids:event_assess", args=[event.pk]), {"route": "whistle", "departments": [WHISTLED_TO]})
    assert 'id="record-arrival"' in official.get(page).text
    official.post(reverse("grids:event_arrival", args=[event.pk]), {"departments": [WHISTLED_TO], "note": "已到场"})
    assert 'id="handle-event"' in clerk.get(page).text
    clerk.post(reverse("grids:event_handle", args=[event.pk]), {"handled_at": now_typed(), "summary": "已清理"})
    official.post(reverse("grids:event_evaluate", args=[event.pk]), {"satisfaction": "satisfied"})
    clerk_page = clerk.get(page).text
    assert 'id="close-event"' not in clerk_page
    assert 'id="handler-may-not-close"' in clerk_page
    admin.post(reverse("grids:event_close", args=[event.pk]), {"note": "核查无误"})

    event.refresh_from_db()
    assert event.state == EventState.CLOSED
    assert event.closed_by == world.user("district_admin")
    assert list(event.steps.values_list("kind", flat=True)) == [
        StepKind.REPORT,
        StepKind.ASSESS,
        StepKind.ARRIVE,
        StepKind.HANDLE,
        StepKind.EVALUATE,
        StepKind.CLOSE,
    ]
    timeline = admin.get(page).text
    assert timeline.count('class="event-step"') == 6
    assert WHISTLED_TO in timeline and "已清理" in timeline and "满意" in timeline


def test_whistling_without_a_department_is_refused_on_the_departments_field(world):
    event = event_in(w.VILLAGE)

    response = signed_in_client(world.user("town_official")).post(
        reverse("grids:event_assess", args=[event.pk]), {"route": "whistle"}
    )

    assert response.context["form"].errors["departments"] == ["吹哨报到须指定至少一个职能部门。"]
    event.refresh_from_db()
    assert event.state == EventState.REPORTED


def test_a_handling_before_the_report_is_refused_on_its_field(world):
    event = event_in(w.VILLAGE, state=EventState.ASSESSED, route=Route.VILLAGE)
    before = timezone.localtime(event.reported_at - datetime.timedelta(hours=2)).strftime(MOMENT_FORMAT)

    response = signed_in_client(world.user("village_clerk")).post(
        reverse("grids:event_handle", args=[event.pk]), {"handled_at": before, "summary": "已处置"}
    )

    assert response.context["form"].errors["handled_at"] == ["办结时间不能早于上报时间。"]


def test_a_dissatisfied_evaluation_sends_the_event_back_to_be_handled(world):
    event = handled_by_someone_else(w.VILLAGE, EventState.HANDLED)

    signed_in_client(world.user("town_official")).post(
        reverse("grids:event_evaluate", args=[event.pk]), {"satisfaction": "dissatisfied", "note": "仍有积水"}
    )

    event.refresh_from_db()
    assert (event.state, event.satisfaction, event.handled_at) == (EventState.ASSESSED, "dissatisfied", None)


def test_whoever_handled_the_event_may_not_close_it(world):
    admin = world.user("district_admin")
    event = event_in(
        w.VILLAGE,
        state=EventState.EVALUATED,
        route=Route.VILLAGE,
        handled_at=timezone.now(),
        handled_by=admin,
        satisfaction=Satisfaction.SATISFIED,
    )

    response = signed_in_client(admin).get(reverse("grids:event_close", args=[event.pk]))

    assert response.status_code == 403
    assert 'id="handler-may-not-close"' in signed_in_client(admin).get(reverse("grids:event", args=[event.pk])).text


@pytest.mark.parametrize(
    ("step", "state"),
    [
        ("event_assess", EventState.ASSESSED),
        ("event_arrival", EventState.REPORTED),
        ("event_handle", EventState.REPORTED),
        ("event_evaluate", EventState.ASSESSED),
        ("event_close", EventState.HANDLED),
    ],
)
def test_a_step_out_of_order_is_not_offered(world, step, state):
    whistled = state != EventState.REPORTED
    event = event_in(
        w.VILLAGE,
        state=state,
        route=Route.WHISTLE if whistled else "",
        departments=[WHISTLED_TO] if whistled else [],
    )

    response = signed_in_client(world.user("district_admin")).get(reverse(f"grids:{step}", args=[event.pk]))

    assert response.status_code == 404


def test_another_towns_event_is_404_to_a_town_official(world):
    event = event_in(w.OTHER_TOWN_VILLAGE)
    client = signed_in_client(world.user("town_official"))

    assert client.get(reverse("grids:event", args=[event.pk])).status_code == 404
    assert client.post(reverse("grids:event_assess", args=[event.pk]), {"route": "village"}).status_code == 404


def test_photos_added_after_the_assessment_are_the_handlings_and_a_closed_event_takes_none(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = event_in(w.VILLAGE, state=EventState.ASSESSED, route=Route.VILLAGE)
    closed = handled_by_someone_else(f"{w.VILLAGE}z", EventState.EVALUATED)
    GridEvent.objects.filter(pk=closed.pk).update(state=EventState.CLOSED, closed_at=timezone.now())
    client = signed_in_client(world.user("village_clerk"))

    client.post(
        reverse("grids:event_photos", args=[event.pk]),
        {"photos": [SimpleUploadedFile("处置后.jpg", JPEG, content_type="image/jpeg")]},
    )
    empty = client.post(reverse("grids:event_photos", args=[event.pk]), {})

    assert EventPhoto.objects.get(event=event).stage == "handling"
    assert empty.context["form"].errors["files"] == ["请拍照或选择要上传的照片。"]
    assert 'id="handling-photos"' in client.get(reverse("grids:event", args=[event.pk])).text
    assert client.get(reverse("grids:event_photos", args=[closed.pk])).status_code == 404


# --- the event centre and the home page ----------------------------------------------------------


def test_the_event_centre_counts_each_tab_and_marks_the_overdue(world):
    long_ago = timezone.now() - datetime.timedelta(days=10)
    event_in(w.VILLAGE)  # new
    event_in(w.OTHER_VILLAGE_SAME_TOWN, state=EventState.ASSESSED, route=Route.WHISTLE, departments=[WHISTLED_TO])
    late = event_in(f"{w.VILLAGE}x", reported_at=long_ago)  # new and overdue
    handled_by_someone_else(f"{w.OTHER_VILLAGE_SAME_TOWN}y", EventState.HANDLED)
    event_in(w.OTHER_TOWN_VILLAGE)  # another town's: not counted

    client = signed_in_client(world.user("town_official"))
    response = client.get(reverse("grids:events"))

    counts = {each["tab"].key: each["count"] for each in response.context["tabs"]}
    assert counts == {"new": 2, "to_handle": 1, "whistled": 1, "to_evaluate": 1, "overdue": 1, "all": 4}
    overdue = client.get(reverse("grids:events_overdue"))
    assert [event.pk for event in overdue.context["object_list"]] == [late.pk]
    assert "overdue-badge" in overdue.text


def test_the_event_centre_pages_its_tab_in_order_from_one_page_to_the_next(world, monkeypatch):
    from grids.pages.centre import EventCentreView

    monkeypatch.setattr(EventCentreView, "paginate_by", 2)
    now = timezone.now()
    events = [
        event_in(f"{w.VILLAGE}{days}", reported_at=now - datetime.timedelta(days=days), due_at=now - due)
        for days, due in (
            (10, datetime.timedelta(days=2)),
            (12, datetime.timedelta(days=5)),
            (14, datetime.timedelta(days=3)),
        )
    ]
    newest, middle, oldest = events
    event_in(w.OTHER_TOWN_VILLAGE)  # another town's: never on a page
    client = signed_in_client(world.user("town_official"))

    def shown(name, page):
        response = client.get(reverse(name), {"page": page})
        return [event.pk for event in response.context["object_list"]], response.context["paginator"].count

    assert shown("grids:events", 1) == ([newest.pk, middle.pk], 3)
    assert shown("grids:events", 2) == ([oldest.pk], 3)
    assert shown("grids:events_overdue", 1) == ([middle.pk, oldest.pk], 3)  # the longest overdue first
    assert shown("grids:events_overdue", 2) == ([newest.pk], 3)
    assert all(event.overdue for event in client.get(reverse("grids:events")).context["object_list"])


def test_the_home_page_tells_each_role_what_waits_for_them(world):
    event_in(w.VILLAGE)
    event_in(f"{w.VILLAGE}a", state=EventState.ASSESSED, route=Route.VILLAGE)
    event_in(f"{w.VILLAGE}b", reported_at=timezone.now() - datetime.timedelta(days=10))
    handled_by_someone_else(f"{w.VILLAGE}c", EventState.HANDLED)

    official = signed_in_client(world.user("town_official")).get(reverse("home"))
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home"))
    inspector = signed_in_client(world.user("inspector")).get(reverse("home"))

    assert official.context["pending_counts"]["grid_events_to_assess"] == 2
    assert official.context["pending_counts"]["grid_events_to_evaluate"] == 1
    assert official.context["pending_counts"]["grid_events_overdue"] == 1
    assert official.context["pending_counts"]["grid_events_to_handle"] == 1  # the town may handle too
    assert "2 件网格事件待研判。" in official.text
    assert reverse("grids:events_new") in official.text
    assert clerk.context["pending_counts"]["grid_events_to_handle"] == 1
    assert clerk.context["pending_counts"]["grid_events_to_assess"] == 0
    assert "1 件网格事件待处置。" in clerk.text
    assert not any(
        inspector.context["pending_counts"][key] for key in inspector.context["pending_counts"] if "grid" in key
    )


def test_the_navigation_shows_the_grid_pages_to_whom_they_are_for(world):
    worker = signed_in_client(world.user("grid_worker")).get(reverse("home")).text
    reader = signed_in_client(world.user("report_reader")).get(reverse("home")).text
    inspector = signed_in_client(world.user("inspector")).get(reverse("home")).text

    assert reverse("grids:event_report") in worker and reverse("grids:events") in worker
    assert reverse("grids:events") not in reader and reverse("grids:grids") not in reader
    assert reverse("grids:events") in inspector and reverse("grids:event_report") not in inspector


# --- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_satisfaction_against_the_target_per_village(world):
    year = timezone.localdate().year
    reported = timezone.now() - datetime.timedelta(hours=5)
    for satisfaction in (Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.DISSATISFIED):
        event_in(
            f"{w.VILLAGE}{satisfaction}{GridEvent.objects.count()}",
            reported_at=reported,
            state=EventState.EVALUATED,
            handled_at=reported + datetime.timedelta(hours=2),
            satisfaction=satisfaction,
        )
    event_in(w.OTHER_VILLAGE_SAME_TOWN, reported_at=reported)

    response = signed_in_client(world.user("town_official")).get(
        reverse("grids:dashboard"), {"division": w.TOWN, "period": str(year)}
    )

    units = {row["unit"]: row for row in response.context["units"]}
    assert units[w.VILLAGE]["satisfied_share"] == 66.67 and not units[w.VILLAGE]["target_met"]
    assert units[w.VILLAGE]["hours_to_handle"] == 2.0
    assert units[w.OTHER_VILLAGE_SAME_TOWN]["evaluated"] == 0
    assert response.context["totals"]["events"] == 4
    assert 'id="grids-dashboard-data"' in response.text and "js/grids_dashboard.js" in response.text
    assert "<script>" not in response.text.split('id="grids-dashboard-data"')[1]


def test_a_bad_period_is_the_forms_error_and_the_year_is_shown(world):
    response = signed_in_client(world.user("town_official")).get(reverse("grids:dashboard"), {"period": "2026-13"})

    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert response.context["period"].label == str(timezone.localdate().year)


# --- pinned query counts -------------------------------------------------------------------------


def many_events(count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        event_in(f"{w.VILLAGE}{number:03d}", reported_at=timezone.now() - datetime.timedelta(days=number + 5))


@pytest.mark.parametrize(
    ("name", "pinned"),
    [("grids:events", 7), ("grids:events_overdue", 7), ("grids:grids", 5), ("grids:dashboard", 8)],
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_many(world, name, pinned):
    client = signed_in_client(world.user("town_official"))
    many_events(1)
    one = queries_for(client, reverse(name))
    many_events(12, start=1)

    assert queries_for(client, reverse(name)) == one == pinned


def test_the_village_map_and_an_events_page_have_pinned_query_counts(world):
    client = signed_in_client(world.user("town_official"))
    event = event_in(w.VILLAGE)
    map_url = reverse("grids:village_grids", args=[w.VILLAGE])
    one = queries_for(client, map_url)
    for number in range(5):
        GridEventFactory(grid=GridFactory(division=division(w.VILLAGE), name=f"加{number}"))

    assert queries_for(client, map_url) == one == 5
    assert queries_for(client, reverse("grids:event", args=[event.pk])) == 6


def test_the_home_pages_grid_counts_cost_one_query(world):
    client = signed_in_client(world.user("town_official"))
    from governance.registry import registry

    with_grids = queries_for(client, reverse("home"))
    saved = {key: registry.pending_work.pop(key) for key in list(registry.pending_work) if key.startswith("grid_")}
    try:
        without = queries_for(client, reverse("home"))
    finally:
        registry.pending_work.update(saved)

    assert with_grids - without == 1
