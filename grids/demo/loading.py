"""The grids demo written into the database (grids/demo/plan.py says what it holds).

Set-based, in the load's transaction and under its audit context (source="load_demo"): the
district's categories and departments, the grid workers with their assignments and the grids are
a few bulk_create calls; the events and their steps are two COPYs, as villages/demo/loading.py
writes the people, with their ids drawn from the events' sequence first. The audit triggers
record every row.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Left
from django.utils import timezone

from governance.access.models import Assignment, Role
from governance.audit import acting_as, keep_audit_triggers_linear
from governance.bulk_load import copy_rows, next_ids
from governance.departments import ensure_departments
from grids.choices import EventState
from grids.demo.plan import LOW_SATISFACTION_VILLAGES, GridPlan, Village, build_plan
from grids.models import EventStep, Grid, GridEvent
from grids.services import ensure_categories
from villages.demo.plan import DISTRICT_CODE, TOWN_CODE
from villages.models import Division, Household, Level

GRID_WORKER_ROLE = "grid_worker"


def load_demo_grids() -> str:
    """Write the grids part of the demo; returns the one-line summary load_demo prints."""
    with acting_as(None, source="load_demo"):
        with connection.cursor() as cursor:
            keep_audit_triggers_linear(cursor)
        categories = {category.code: category for category in ensure_categories(DISTRICT_CODE)}
        ensure_departments(DISTRICT_CODE)  # whistled events name them
        now = timezone.localtime().replace(second=0, microsecond=0)
        plan = build_plan(
            town_villages(), {code: category.time_limit_hours for code, category in categories.items()}, now
        )
        users = _write_workers(plan)
        grids = Grid.objects.bulk_create(
            Grid(
                division_id=grid.village_code,
                name=grid.name,
                area=grid.area,
                households=grid.households,
                worker_id=users[grid.worker],
            )
            for grid in plan.grids
        )
        _write_events(plan, [grid.pk for grid in grids], {code: c.pk for code, c in categories.items()}, users)
    states = plan.states()
    overdue = sum((event.handled_at or now) > event.due_at for event in plan.events)
    return (
        f"网格 / grids: 狮山镇 {len({grid.village_code for grid in plan.grids})} 个村（社区）villages, "
        f"{len(plan.grids)} 个网格 grids with their workers; {len(plan.events)} 件事件 events of a year "
        f"({', '.join(f'{state} {states[state]}' for state in EventState.values)}), {overdue} 件超期 overdue, "
        f"{len(LOW_SATISFACTION_VILLAGES)} 个村（社区）满意率低于 90% below the satisfaction target."
    )


def town_villages() -> list[Village]:
    """The villages and communities of 狮山镇 in code order, with their households in the demo
    (two queries)."""
    households = dict(
        Household.objects.filter(division__code__startswith=TOWN_CODE)
        .annotate(village=Left("division_id", 12))
        .values("village")
        .annotate(n=Count("id"))
        .values_list("village", "n")
    )
    villages = Division.objects.filter(parent_id=TOWN_CODE, level=Level.VILLAGE).order_by("code")
    return [Village(code, name, households.get(code, 0)) for code, name in villages.values_list("code", "name")]


def _write_workers(plan: GridPlan) -> dict[str, int]:
    """The generated grid workers (the demo's password, from the `grid_worker` sign-in), each
    assigned the grid worker role over their village; returns username → id of every user the
    plan names."""
    User = get_user_model()
    generated = [grid for grid in plan.grids if grid.worker_name is not None]
    named = {grid.worker for grid in plan.grids} | {step.by for event in plan.events for step in event.steps}
    named -= {grid.worker for grid in generated}
    users = dict(User.objects.filter(username__in=named).values_list("username", "id"))
    missing = named - set(users)
    if missing:
        raise RuntimeError(f"演示账号缺失 / demo sign-ins missing: {', '.join(sorted(missing))}")
    password = User.objects.filter(username__in=named).values_list("password", flat=True).first()
    created = User.objects.bulk_create(
        User(username=grid.worker, last_name=grid.worker_name[0], first_name=grid.worker_name[1], password=password)
        for grid in generated
    )
    role = Role.objects.get(slug=GRID_WORKER_ROLE)
    Assignment.objects.bulk_create(
        Assignment(user=user, division_id=grid.village_code, role=role)
        for user, grid in zip(created, generated, strict=True)
    )
    users.update((user.username, user.pk) for user in created)
    return users


def _array(names: tuple[str, ...]) -> str:
    """A PostgreSQL array literal of department names (which hold no comma, quote or brace)."""
    return "{" + ",".join(names) + "}"


def _write_events(plan: GridPlan, grid_ids: list[int], category_ids: dict[str, int], users: dict[str, int]) -> None:
    event_ids = next_ids(GridEvent, len(plan.events))
    user = users.get
    copy_rows(
        GridEvent,
        (
            "id",
            "division",
            "grid",
            "category",
            "description",
            "location",
            "state",
            "reported_at",
            "reported_by",
            "due_at",
            "route",
            "departments",
            "assessed_at",
            "handled_at",
            "handled_by",
            "summary",
            "satisfaction",
            "evaluated_at",
            "closed_at",
            "closed_by",
            "updated_at",
        ),
        (
            (
                event_id,
                plan.grids[event.grid].village_code,
                grid_ids[event.grid],
                category_ids[event.category],
                event.description,
                event.location,
                event.state,
                event.reported_at,
                user(event.reported_by),
                event.due_at,
                event.route,
                _array(event.departments),
                event.assessed_at,
                event.handled_at,
                user(event.handled_by) if event.handled_by else None,
                event.summary,
                event.satisfaction,
                event.evaluated_at,
                event.closed_at,
                user(event.closed_by) if event.closed_by else None,
                event.updated_at,
            )
            for event_id, event in zip(event_ids, plan.events, strict=True)
        ),
    )
    copy_rows(
        EventStep,
        ("event", "kind", "at", "by", "route", "departments", "satisfaction", "note"),
        (
            (event_id, step.kind, step.at, user(step.by), step.route, _array(step.departments))
            + (step.satisfaction, step.note)
            for event_id, event in zip(event_ids, plan.events, strict=True)
            for step in event.steps
        ),
    )
