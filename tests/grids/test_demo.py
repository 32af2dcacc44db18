"""The grids part of the Nanhai demo (grids/demo/), run by manage.py load_demo through
governance.registry.demo_steps: every village and community of 狮山镇 covered by grids with their
workers, and a year of events in every state with the steps of their history.

villages' load and this app's step are loaded once for the module, in a transaction rolled back
when it is done."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from governance.access.models import Assignment
from governance.audit import history_of
from governance.registry import registry
from governance.reporting import per_unit, percent
from governance.testing.fixtures import demo_with_only
from grids.choices import (
    DEFAULT_CATEGORIES,
    SATISFACTION_TARGET_PERCENT,
    SATISFIED_KINDS,
    EventState,
    Route,
    Satisfaction,
    StepKind,
)
from grids.demo import (
    DEMO_GRID_WORKER,
    GRIDS_BY_HOUSEHOLDS,
    LOW_SATISFACTION_VILLAGES,
    TOWN_OFFICIAL,
    VILLAGE_CLERK,
    build_plan,
    grid_count,
    town_villages,
)
from grids.demo.plan import EVENT_DAYS
from grids.models import EventCategory, EventStep, Grid, GridEvent
from villages import demo
from villages.models import Division, Level


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """villages' load and this app's step only, rolled back when the module is done."""
    with demo_with_only("grids", django_db_blocker) as printed:
        yield printed


@pytest.fixture
def shishan(loaded_demo, db):
    return Division.objects.filter(parent_id=demo.TOWN_CODE, level=Level.VILLAGE)


@pytest.fixture
def events(shishan):
    return GridEvent.objects.filter(division__code__startswith=demo.TOWN_CODE)


@pytest.fixture
def histories(events):
    """Each event's steps in the order they were recorded, by event id (two queries)."""
    by_event = defaultdict(list)
    for step in EventStep.objects.filter(event__in=events).order_by("event_id", "id"):
        by_event[step.event_id].append(step)
    return {event: by_event[event.pk] for event in events}


def users(*usernames):
    return dict(get_user_model().objects.filter(username__in=usernames).values_list("username", "id"))


def test_the_grids_step_is_registered_for_the_demo():
    assert "grids" in registry.demo_steps


def test_load_demo_prints_the_grids_summary(loaded_demo):
    (line,) = [line for line in loaded_demo.splitlines() if line.startswith("网格 / grids")]
    assert "84 个村（社区）" in line and "超期 overdue" in line


def test_every_village_and_community_of_shishan_is_covered_by_three_to_six_grids_by_its_households(shishan):
    per_village = Counter(Grid.objects.filter(division__in=shishan).values_list("division_id", flat=True))
    villages = town_villages()

    assert len(villages) == shishan.count() == 84
    assert set(per_village) == {village.code for village in villages}
    assert {village.code: grid_count(village.households) for village in villages} == per_village
    assert set(per_village.values()) == set(range(GRIDS_BY_HOUSEHOLDS[0], GRIDS_BY_HOUSEHOLDS[1] + 1))
    assert not Grid.objects.exclude(division__in=shishan).exists()


def test_each_grid_has_its_own_named_worker_holding_the_grid_worker_role_over_its_village(shishan):
    grids = list(Grid.objects.filter(division__in=shishan).select_related("worker"))
    held = set(
        Assignment.objects.filter(role__slug="grid_worker").values_list("user_id", "division_id"),
    )

    assert len({grid.worker_id for grid in grids}) == len(grids)
    for grid in grids:
        assert (grid.worker_id, grid.division_id) in held
        name = grid.worker.last_name + grid.worker.first_name
        assert len(name) >= 2 and all("\u4e00" <= char <= "\u9fff" for char in name)
        assert grid.worker.is_active and grid.worker.has_usable_password()
        assert grid.name.endswith("网格") and grid.area and 150 <= grid.households <= 400


def test_the_demo_grid_worker_walks_the_first_grid_of_the_village_clerks_village(shishan):
    grid = Grid.objects.filter(division_id=demo.DEMO_VILLAGE_CODE).order_by("id").select_related("worker").first()

    assert grid.worker.username == DEMO_GRID_WORKER
    assert grid.name == "唐边村第一网格"
    assert Assignment.objects.filter(
        user=grid.worker, division_id=demo.DEMO_VILLAGE_CODE, role__slug="grid_worker"
    ).exists()
    assert GridEvent.objects.filter(grid=grid, reported_by=grid.worker).exists()


def test_the_district_has_its_default_event_categories(shishan):
    categories = EventCategory.objects.filter(district_id=demo.DISTRICT_CODE)
    categories = set(categories.values_list("code", "time_limit_hours"))
    assert categories == {(code, hours) for code, _name, hours in DEFAULT_CATEGORIES}


def test_a_year_of_events_stands_in_every_state_most_of_them_closed(events):
    states = Counter(events.values_list("state", flat=True))
    now = timezone.now()
    first, last = min(events.values_list("reported_at", flat=True)), max(events.values_list("reported_at", flat=True))

    assert 4000 <= sum(states.values()) <= 7000
    assert set(states) == set(EventState.values)
    assert states[EventState.REPORTED] >= 3 and states[EventState.HANDLED] >= 5 and states[EventState.EVALUATED] >= 5
    assert states[EventState.ASSESSED] >= 30
    assert states[EventState.CLOSED] > 0.9 * sum(states.values())
    assert now - datetime.timedelta(days=EVENT_DAYS + 1) < first and last <= now
    assert not events.exclude(category__district_id=demo.DISTRICT_CODE).exists()


def test_every_event_lies_in_its_grids_village_and_is_due_after_its_categorys_time_limit(events):
    mismatched = [
        event
        for event in events.select_related("grid", "category")
        if event.division_id != event.grid.division_id
        or event.due_at - event.reported_at != datetime.timedelta(hours=event.category.time_limit_hours)
    ]
    assert mismatched == []


def test_events_take_both_routes_and_whistled_ones_name_the_departments_that_arrived(events, histories):
    routes = Counter(events.exclude(route="").values_list("route", flat=True))
    whistled_open = events.whistled()

    assert routes[Route.VILLAGE] > routes[Route.WHISTLE] > 0
    assert whistled_open.exists()
    for event, steps in histories.items():
        if event.route != Route.WHISTLE:
            assert event.departments == [] and not [s for s in steps if s.kind == StepKind.ARRIVE]
            continue
        assert 1 <= len(event.departments) <= 2
        (assess,) = [step for step in steps if step.kind == StepKind.ASSESS]
        assert assess.route == Route.WHISTLE and assess.departments == event.departments
        arrivals = [step for step in steps if step.kind == StepKind.ARRIVE]
        assert all(set(step.departments) <= set(event.departments) for step in arrivals)
        if event.state != EventState.ASSESSED:
            assert arrivals, "departments report to the scene before the handling"


def test_evaluations_of_each_kind_are_recorded_and_a_dissatisfied_one_sends_the_event_back(events, histories):
    evaluations = Counter(
        EventStep.objects.filter(event__in=events, kind=StepKind.EVALUATE).values_list("satisfaction", flat=True)
    )
    sent_back = events.filter(satisfaction=Satisfaction.DISSATISFIED)
    handled_again = [
        event
        for event, steps in histories.items()
        if event.state == EventState.CLOSED and [s.kind for s in steps].count(StepKind.HANDLE) == 2
    ]

    assert set(evaluations) == set(Satisfaction.values)
    assert evaluations[Satisfaction.SATISFIED] > evaluations[Satisfaction.BASICALLY_SATISFIED]
    assert evaluations[Satisfaction.BASICALLY_SATISFIED] > evaluations[Satisfaction.DISSATISFIED] > 0
    assert sent_back.filter(state=EventState.ASSESSED, handled_at__isnull=True, handled_by__isnull=True).exists()
    assert not sent_back.exclude(state__in=[EventState.ASSESSED, EventState.HANDLED]).exists()
    assert handled_again, "some events sent back were handled again, evaluated again and closed"


def test_some_events_are_overdue_open_ones_and_ones_handled_late(events):
    now = timezone.now()
    overdue = events.overdue(now)

    assert overdue.open().filter(handled_at__isnull=True).exists()
    assert overdue.filter(state=EventState.CLOSED).exists()
    assert 0 < overdue.count() < 0.2 * events.count()
    flagged = dict(events.with_overdue(now).values_list("pk", "overdue"))
    assert sum(flagged.values()) == overdue.count()


def test_each_events_steps_follow_its_flow_with_consistent_times_and_actors(histories):
    ids = users(TOWN_OFFICIAL, VILLAGE_CLERK)
    expected_last = {
        EventState.REPORTED: {StepKind.REPORT},
        EventState.ASSESSED: {StepKind.ASSESS, StepKind.ARRIVE, StepKind.EVALUATE},
        EventState.HANDLED: {StepKind.HANDLE},
        EventState.EVALUATED: {StepKind.EVALUATE},
        EventState.CLOSED: {StepKind.CLOSE},
    }
    for event, steps in histories.items():
        kinds = [step.kind for step in steps]
        moments = [step.at for step in steps]
        assert kinds[0] == StepKind.REPORT and kinds.count(StepKind.REPORT) == 1, event.pk
        assert moments == sorted(moments), event.pk
        assert steps[0].at == event.reported_at and steps[0].by_id == event.reported_by_id
        assert kinds[-1] in expected_last[event.state], (event.pk, event.state, kinds)
        if event.state != EventState.REPORTED:
            (assess,) = [step for step in steps if step.kind == StepKind.ASSESS]
            assert assess.at == event.assessed_at and assess.by_id == ids[TOWN_OFFICIAL]
            assert assess.route == event.route
        handles = [step for step in steps if step.kind == StepKind.HANDLE]
        evaluations = [step for step in steps if step.kind == StepKind.EVALUATE]
        if event.handled_at is not None:
            assert (handles[-1].at, handles[-1].by_id) == (event.handled_at, event.handled_by_id)
        if evaluations:
            assert (evaluations[-1].at, evaluations[-1].satisfaction) == (event.evaluated_at, event.satisfaction)
            assert {step.by_id for step in evaluations} == {ids[TOWN_OFFICIAL]}
        else:
            assert event.satisfaction == "" and event.evaluated_at is None
        assert len(evaluations) <= len(handles) <= len(evaluations) + 1
        assert event.updated_at == steps[-1].at


def test_every_closed_event_was_handled_evaluated_and_closed_by_someone_other_than_its_handler(histories):
    closed = {event: steps for event, steps in histories.items() if event.state == EventState.CLOSED}

    assert closed
    for event, steps in closed.items():
        kinds = [step.kind for step in steps]
        assert {StepKind.REPORT, StepKind.ASSESS, StepKind.HANDLE, StepKind.EVALUATE, StepKind.CLOSE} <= set(kinds)
        assert kinds[-1] == StepKind.CLOSE and kinds.count(StepKind.CLOSE) == 1
        assert steps[-1].at == event.closed_at and steps[-1].by_id == event.closed_by_id
        assert event.closed_by_id != event.handled_by_id and event.handled_by_id is not None
        assert event.satisfaction in SATISFIED_KINDS


def test_the_village_clerk_reports_and_handles_in_their_village_and_the_town_official_closes(events):
    ids = users(TOWN_OFFICIAL, VILLAGE_CLERK)
    in_clerks_village = events.filter(division_id=demo.DEMO_VILLAGE_CODE)

    assert in_clerks_village.filter(reported_by_id=ids[VILLAGE_CLERK]).exists()
    assert in_clerks_village.filter(handled_by_id=ids[VILLAGE_CLERK]).exists()
    assert set(events.filter(state=EventState.CLOSED).values_list("closed_by_id", flat=True)) == {ids[TOWN_OFFICIAL]}
    assert not events.exclude(division_id=demo.DEMO_VILLAGE_CODE).filter(reported_by_id=ids[VILLAGE_CLERK]).exists()


def test_some_villages_fall_below_the_satisfaction_target_and_the_town_meets_it(events):
    town = Division.objects.get(code=demo.TOWN_CODE)
    rows = per_unit(events, "division_id", town).annotate(
        evaluated=Count("id", filter=~Q(satisfaction="")),
        satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED_KINDS)),
    )
    shares = {row["unit"]: percent(row["satisfied"], row["evaluated"], 2) for row in rows}
    totals = events.satisfaction_totals()

    assert len(shares) == 84
    assert {unit for unit, share in shares.items() if share < SATISFACTION_TARGET_PERCENT} == set(
        LOW_SATISFACTION_VILLAGES
    )
    assert percent(totals["satisfied"], totals["evaluated"], 2) >= SATISFACTION_TARGET_PERCENT
    assert demo.DEMO_VILLAGE_CODE not in LOW_SATISFACTION_VILLAGES


def test_the_demo_events_are_in_the_audit_trail_of_the_load(events):
    event = events.filter(state=EventState.CLOSED).first()
    (inserted,) = history_of(event)
    assert inserted.pgh_context["source"] == "load_demo"
    step = event.steps.first()
    (inserted,) = history_of(step)
    assert inserted.pgh_context["source"] == "load_demo"


def test_the_plan_is_the_same_for_the_same_seed_and_moment(shishan):
    villages = town_villages()
    limits = {code: hours for code, _name, hours in DEFAULT_CATEGORIES}
    now = timezone.localtime().replace(second=0, microsecond=0)

    first, second = build_plan(villages, limits, now), build_plan(villages, limits, now)

    assert first == second
    assert build_plan(villages, limits, now, seed=1) != first


@pytest.mark.parametrize("hour", [3, 12, 22])
def test_some_events_wait_for_assessment_whatever_the_hour_of_the_load(shishan, hour):
    villages = town_villages()
    limits = {code: hours for code, _name, hours in DEFAULT_CATEGORIES}
    now = timezone.localtime().replace(hour=hour, minute=48, second=0, microsecond=0)

    plan = build_plan(villages, limits, now)

    waiting = [event for event in plan.events if event.state == EventState.REPORTED]
    assert len(waiting) >= 3
    assert all(event.reported_at <= now for event in plan.events)
