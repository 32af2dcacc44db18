"""The flow of a grid event (grids.services): report, assess or whistle, arrival, handle,
evaluate (dissatisfied sends it back), close by another (查办分离), each refused out of order,
without the right, or out of scope; overdue at the boundary of the time limit.

Moments are fixed relative to a reference instant passed to the querysets (`at`), so the tests do
not depend on the clock, except "not ahead of now", tested with an hour from now."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.audit import history_of
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from grids import services
from grids.choices import EventState, PhotoStage, Route, Satisfaction, StepKind
from grids.models import EventStep, GridEvent
from grids.services.actions import GridsAction
from grids.testing.factories import GridEventFactory, GridFactory, category, grid_worker
from villages.testing.factories import division

pytestmark = pytest.mark.django_db
REPORTED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def grid(world):
    return GridFactory(division=division(w.VILLAGE), worker=world.user("grid_worker"))


@pytest.fixture
def dispute(world):
    return category("dispute", time_limit_hours=72)


@pytest.fixture
def official(world):
    return world.user("town_official")


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


def reported(grid, dispute, user, **fields):
    return services.report_event(
        acting_user=user,
        grid=grid,
        category=dispute,
        description="两户因排水沟堵塞发生争执",
        reported_at=REPORTED,
        **fields,
    )


def test_a_reported_event_is_due_after_its_category_time_limit(grid, dispute, world):
    event = reported(grid, dispute, world.user("grid_worker"))
    assert event.state == EventState.REPORTED
    assert event.due_at == REPORTED + datetime.timedelta(hours=72)
    assert event.division_id == w.VILLAGE
    assert list(event.steps.values_list("kind", flat=True)) == [StepKind.REPORT]


def test_a_report_is_audited_under_its_action(grid, dispute, world):
    event = reported(grid, dispute, world.user("grid_worker"))
    assert (history_of(event)[0].pgh_context or {}).get("action") == GridsAction.REPORT_EVENT


def test_a_grid_worker_of_another_village_cannot_report_here(grid, dispute):
    stranger = grid_worker(w.OTHER_VILLAGE_SAME_TOWN)
    with pytest.raises(PermissionDenied):
        reported(grid, dispute, stranger)
    assert not GridEvent.objects.exists()


def test_a_report_ahead_of_now_is_refused(grid, dispute, world):
    with pytest.raises(ValidationError) as refused:
        services.report_event(
            acting_user=world.user("grid_worker"),
            grid=grid,
            category=dispute,
            description="x",
            reported_at=timezone.now() + datetime.timedelta(hours=1),
        )
    assert "reported_at" in refused.value.message_dict


def test_a_category_of_another_district_is_refused(grid, world):
    far = category("dispute", district_code=w.FAR_DISTRICT)
    with pytest.raises(ValidationError) as refused:
        reported(grid, far, world.user("grid_worker"))
    assert "category" in refused.value.message_dict


def test_the_whole_flow_ends_closed_by_someone_other_than_the_handler(grid, dispute, world, official, clerk):
    event = reported(grid, dispute, world.user("grid_worker"))
    event = services.assess_event(
        event, acting_user=official, route=Route.WHISTLE, departments=["城市管理和综合执法局"]
    )
    assert (event.state, event.departments) == (EventState.ASSESSED, ["城市管理和综合执法局"])
    services.record_arrival(event, acting_user=official, departments=["城市管理和综合执法局"])
    event = services.handle_event(
        event, acting_user=clerk, handled_at=REPORTED + datetime.timedelta(hours=5), summary="疏通排水沟"
    )
    assert event.state == EventState.HANDLED
    event = services.evaluate_event(event, acting_user=official, satisfaction=Satisfaction.SATISFIED)
    assert event.state == EventState.EVALUATED
    event = services.close_event(event, acting_user=official)
    assert event.state == EventState.CLOSED and event.closed_by == official
    assert list(event.steps.values_list("kind", flat=True)) == [
        StepKind.REPORT,
        StepKind.ASSESS,
        StepKind.ARRIVE,
        StepKind.HANDLE,
        StepKind.EVALUATE,
        StepKind.CLOSE,
    ]


def test_the_handler_may_not_close_the_event(grid, dispute, official):
    event = GridEventFactory(
        grid=grid,
        category=dispute,
        state=EventState.EVALUATED,
        handled_by=official,
        handled_at=timezone.now() - datetime.timedelta(minutes=5),
        satisfaction=Satisfaction.SATISFIED,
    )
    with pytest.raises(PermissionDenied) as refused:
        services.close_event(event, acting_user=official)
    assert "查办分离" in str(refused.value)
    event.refresh_from_db()
    assert event.state == EventState.EVALUATED


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (EventState.REPORTED, "handle"),
        (EventState.REPORTED, "evaluate"),
        (EventState.REPORTED, "close"),
        (EventState.ASSESSED, "assess"),
        (EventState.ASSESSED, "close"),
        (EventState.HANDLED, "close"),
        (EventState.CLOSED, "assess"),
    ],
)
def test_a_step_out_of_order_is_refused_with_the_state_named(grid, dispute, world, state, step):
    event = GridEventFactory(grid=grid, category=dispute, state=state)
    district_admin = world.user("district_admin")
    call = {
        "assess": lambda: services.assess_event(event, acting_user=district_admin, route=Route.VILLAGE),
        "handle": lambda: services.handle_event(
            event, acting_user=district_admin, handled_at=timezone.now(), summary="x"
        ),
        "evaluate": lambda: services.evaluate_event(
            event, acting_user=district_admin, satisfaction=Satisfaction.SATISFIED
        ),
        "close": lambda: services.close_event(event, acting_user=district_admin),
    }[step]
    with pytest.raises(ValidationError) as refused:
        call()
    assert str(EventState(state).label) in refused.value.message_dict["state"][0]
    assert EventStep.objects.filter(event=event).count() == 0


def test_dissatisfied_sends_the_event_back_to_be_handled_again_and_keeps_the_evaluation(grid, dispute, official, clerk):
    event = GridEventFactory(grid=grid, category=dispute, state=EventState.ASSESSED, route=Route.VILLAGE)
    event = services.handle_event(event, acting_user=clerk, handled_at=timezone.now(), summary="已调解")
    event = services.evaluate_event(event, acting_user=official, satisfaction=Satisfaction.DISSATISFIED)
    assert (event.state, event.satisfaction, event.handled_at) == (EventState.ASSESSED, Satisfaction.DISSATISFIED, None)
    assert event.steps.filter(kind=StepKind.EVALUATE, satisfaction=Satisfaction.DISSATISFIED).exists()
    event = services.handle_event(event, acting_user=clerk, handled_at=timezone.now(), summary="再次调解，达成协议")
    assert event.state == EventState.HANDLED


def test_whistling_names_departments_of_the_district(grid, dispute, official):
    event = GridEventFactory(grid=grid, category=dispute)
    with pytest.raises(ValidationError) as refused:
        services.assess_event(event, acting_user=official, route=Route.WHISTLE, departments=["火星局"])
    assert "火星局" in refused.value.message_dict["departments"][0]
    with pytest.raises(ValidationError):
        services.assess_event(event, acting_user=official, route=Route.WHISTLE, departments=[])
    event.refresh_from_db()
    assert event.state == EventState.REPORTED


def test_a_village_clerk_cannot_assess(grid, dispute, clerk):
    event = GridEventFactory(grid=grid, category=dispute)
    with pytest.raises(PermissionDenied):
        services.assess_event(event, acting_user=clerk, route=Route.VILLAGE)


def test_an_official_of_another_town_cannot_assess(grid, dispute):
    stranger = UserFactory()
    assign(stranger, w.OTHER_TOWN, "town_official")
    event = GridEventFactory(grid=grid, category=dispute)
    with pytest.raises(PermissionDenied):
        services.assess_event(event, acting_user=stranger, route=Route.VILLAGE)


def test_handling_before_the_report_is_refused(grid, dispute, clerk):
    event = GridEventFactory(grid=grid, category=dispute, state=EventState.ASSESSED, route=Route.VILLAGE)
    with pytest.raises(ValidationError) as refused:
        services.handle_event(
            event, acting_user=clerk, handled_at=event.reported_at - datetime.timedelta(minutes=1), summary="x"
        )
    assert "handled_at" in refused.value.message_dict


@pytest.mark.parametrize(
    ("handled_after_hours", "unhandled_at_hours", "overdue"),
    [
        (72, None, False),  # handled at the very due time: on time
        (73, None, True),
        (None, 72, False),  # asked at the due time, unhandled: not yet overdue
        (None, 73, True),
    ],
)
def test_overdue_at_the_boundary_of_the_time_limit(grid, dispute, handled_after_hours, unhandled_at_hours, overdue):
    handled_at = REPORTED + datetime.timedelta(hours=handled_after_hours) if handled_after_hours else None
    event = GridEventFactory(
        grid=grid,
        category=dispute,
        reported_at=REPORTED,
        handled_at=handled_at,
        state=EventState.HANDLED if handled_at else EventState.ASSESSED,
    )
    at = REPORTED + datetime.timedelta(hours=unhandled_at_hours or 1000)
    assert GridEvent.objects.with_overdue(at).get(pk=event.pk).overdue is overdue
    assert event.is_overdue(at) is overdue
    assert GridEvent.objects.overdue(at).filter(pk=event.pk).exists() is overdue


def test_photos_at_handling_are_kept_with_their_stage(grid, dispute, clerk, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    event = GridEventFactory(grid=grid, category=dispute, state=EventState.ASSESSED, route=Route.VILLAGE)
    event = services.handle_event(
        event,
        acting_user=clerk,
        handled_at=timezone.now(),
        summary="已清理",
        photos=[SimpleUploadedFile("after.png", png, content_type="image/png")],
    )
    assert list(event.photos.values_list("stage", flat=True)) == [PhotoStage.HANDLING]
