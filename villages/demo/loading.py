"""Writing the Nanhai demo to the database: the division import, the demo users with their
assignments, then the generated records (villages/demo/generation.py) with COPY, all in one
transaction; the audit triggers record every row with the context source="load_demo".
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from governance.audit import acting_as
from governance.bulk_load import copy_rows, next_ids, prepare_for_audited_copy
from villages.demo.generation import DemoPlan, build_plan, demo_digest
from villages.demo.plan import (
    ADMIN_NAME,
    ADMIN_USERNAME,
    DEFAULT_SEED,
    DEMO_USERS,
    DISTRICT_CODE,
    TOWN_COUNT,
    VILLAGE_COUNT,
    demo_password,
    division_files,
)
from villages.identity import birth_date_from_id, gender_from_id
from villages.models import (
    Division,
    Household,
    Level,
    Membership,
    PartyMembership,
    Person,
    Position,
    PositionFiling,
)


def demo_is_loaded() -> bool:
    """True when Nanhai already has cooperatives: the demo (or real data) is there."""
    return Division.objects.filter(code__startswith=DISTRICT_CODE, level=Level.COOPERATIVE).exists()


@dataclass
class LoadSummary:
    seed: int
    counts: dict[str, int]
    seconds: float
    # The one-line summaries of the other apps' demo steps (governance.registry.demo_steps).
    steps: dict[str, str] = field(default_factory=dict)


def load_demo(seed: int = DEFAULT_SEED, progress: Callable[[str], None] | None = None) -> LoadSummary:
    """Import Nanhai's divisions and write the plan of `seed`, in one transaction.

    Every audit event written carries the context source="load_demo".
    """
    from villages.importing import import_division_files

    say = progress or (lambda message: None)
    started = time.monotonic()
    plan = build_plan(seed)
    say(f"已生成演示数据 / plan drawn: {len(plan.cooperatives)} 经济社, {len(plan.people)} 人 / people")
    with transaction.atomic():
        # Two audit contexts one after the other: the importer adds its own keys to the context
        # it runs in, which should not follow the generated records.
        with acting_as(None, source="load_demo"):
            result = import_division_files(division_files(), within=DISTRICT_CODE, progress=progress)
        say(f"已导入区划 / divisions imported: {result.inserted} new, {result.unchanged} unchanged")
        _check_divisions()
        with acting_as(None, source="load_demo", seed=seed):
            with connection.cursor() as cursor:
                prepare_for_audited_copy(cursor)
            users = _write_users()
            counts = _write_plan(plan, users)
        say("已创建演示账号 / demo users ready: " + ", ".join(user.username for user in DEMO_USERS))
        steps = _run_demo_steps(say)
    return LoadSummary(seed=seed, counts=counts, seconds=time.monotonic() - started, steps=steps)


def _run_demo_steps(say: Callable[[str], None]) -> dict[str, str]:
    """The other apps' parts of the demo (governance.registry.demo_steps, registered from their
    ready()), in registration order, in the load's transaction: villages names none of them."""
    from governance.registry import registry

    steps = {}
    for name, step in registry.demo_steps.items():
        steps[name] = step()
        say(steps[name])
    return steps


def _check_divisions() -> None:
    towns = Division.objects.filter(code__startswith=DISTRICT_CODE, level=Level.TOWN).count()
    villages = Division.objects.filter(code__startswith=DISTRICT_CODE, level=Level.VILLAGE).count()
    if (towns, villages) != (TOWN_COUNT, VILLAGE_COUNT):
        raise RuntimeError(
            f"南海区区划不完整 / Nanhai divisions incomplete: {towns} towns, {villages} villages "
            f"(expected {TOWN_COUNT}, {VILLAGE_COUNT})"
        )


def _write_users() -> dict[str, object]:
    """The demo sign-ins with their assignments, and the superuser; returns username → user."""
    from governance.access.models import Assignment, Role
    from governance.access.roles import sync_roles
    from governance.departments import DepartmentMember, ensure_departments

    sync_roles()  # roles are synced after migrate; again here in case a flush emptied the table
    User = get_user_model()
    password = make_password(demo_password())  # hashed once: the hasher is slow on purpose
    users: dict[str, object] = {}
    specs = [(u.username, u.last_name, u.first_name, False) for u in DEMO_USERS]
    specs.append((ADMIN_USERNAME, *ADMIN_NAME, True))
    for username, last_name, first_name, superuser in specs:
        user, _created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = last_name, first_name
        user.is_active = True
        user.is_staff = user.is_superuser = superuser
        user.password = password
        user.save()
        users[username] = user
    roles = {role.slug: role for role in Role.objects.all()}
    departments = {department.code: department for department in ensure_departments(DISTRICT_CODE)}
    for spec in DEMO_USERS:
        if spec.role:
            Assignment.objects.get_or_create(
                user=users[spec.username], division_id=spec.division_code, role=roles[spec.role]
            )
        if spec.department:
            DepartmentMember.objects.get_or_create(user=users[spec.username], department=departments[spec.department])
    return users


def _at(day: datetime.date) -> datetime.datetime:
    """10:00 on `day`, local time: filings are dated in office hours."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _write_plan(plan: DemoPlan, users: dict[str, object]) -> dict[str, int]:
    """COPY the plan in below the imported divisions; returns rows written per kind.

    COPY rather than bulk_create: the rows are plain data already, and Django's per-object work
    for some 80,000 rows would cost more than the database does. The audit triggers fire for
    COPY as for INSERT. Rows that others point at get their ids from their own sequences first,
    so that every row goes in complete, in one pass; the foreign keys are checked at commit
    (Django makes them DEFERRABLE INITIALLY DEFERRED), so households and people may point at
    each other.
    """
    Division.objects.filter(code__in=plan.collective_village_codes).update(has_collective_economy=True)
    copy_rows(
        Division,
        ("code", "name", "level", "parent", "has_collective_economy"),
        ((code, name, Level.COOPERATIVE, code[:12], False) for code, name in plan.cooperatives),
    )
    household_ids = next_ids(Household, len(plan.households))
    person_ids = next_ids(Person, len(plan.people))
    position_ids = next_ids(Position, len(plan.positions))
    copy_rows(
        Household,
        ("id", "division", "number", "address", "head"),
        (
            (household_ids[i], h.division_code, h.number, h.address, person_ids[h.head])
            for i, h in enumerate(plan.households)
        ),
    )
    registered_at = timezone.now()
    copy_rows(
        Person,
        (
            "id",
            "division",
            "household",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "created_at",
            "updated_at",
        ),
        (
            (
                person_ids[i],
                p.division_code,
                household_ids[p.household] if p.household is not None else None,
                p.name,
                p.id_number,
                # Person.save() derives these from the ID number; COPY does not call it.
                gender_from_id(p.id_number),
                birth_date_from_id(p.id_number),
                p.phone,
                registered_at,
                registered_at,
            )
            for i, p in enumerate(plan.people)
        ),
    )
    copy_rows(
        Membership,
        ("person", "cooperative", "shares", "joined_on"),
        ((person_ids[m.person], m.cooperative_code, m.shares, m.joined_on) for m in plan.memberships),
    )
    copy_rows(
        PartyMembership,
        ("person", "branch", "joined_on"),
        ((person_ids[m.person], m.branch_code, m.joined_on) for m in plan.party_memberships),
    )
    copy_rows(
        Position,
        ("id", "person", "division", "kind", "started_on", "term_ends_on", "ended_on"),
        (
            (position_ids[i], person_ids[q.person], q.division_code, q.kind, q.started_on, q.term_ends_on, q.ended_on)
            for i, q in enumerate(plan.positions)
        ),
    )
    copy_rows(
        PositionFiling,
        ("position", "filed_with", "status", "submitted_by", "submitted_at", "decided_by", "decided_at", "note"),
        (
            (
                position_ids[f.position],
                f.filed_with_code,
                f.status,
                users[f.submitted_by].pk,
                _at(f.submitted_on),
                users[f.decided_by].pk if f.decided_by else None,
                _at(f.decided_on) if f.decided_on else None,
                f.note,
            )
            for f in plan.filings
        ),
    )
    return {
        "cooperatives": len(plan.cooperatives),
        "households": len(plan.households),
        "people": len(plan.people),
        "memberships": len(plan.memberships),
        "party_memberships": len(plan.party_memberships),
        "positions": len(plan.positions),
        "filings": len(plan.filings),
    }


def database_digest() -> str:
    """The same fingerprint as DemoPlan.digest(), read back from the database (Nanhai only)."""
    in_district = {"division__code__startswith": DISTRICT_CODE}
    return demo_digest(
        collective=Division.objects.filter(
            code__startswith=DISTRICT_CODE, level=Level.VILLAGE, has_collective_economy=True
        ).values_list("code", flat=True),
        cooperatives=Division.objects.filter(code__startswith=DISTRICT_CODE, level=Level.COOPERATIVE).values_list(
            "code", "name"
        ),
        people=Person.objects.filter(**in_district).values_list("id_number", "name", "division_id", "phone"),
        positions=Position.objects.filter(**in_district).values_list(
            "person__id_number", "division_id", "kind", "started_on", "ended_on"
        ),
    )
