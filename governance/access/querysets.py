"""Jurisdiction scoping: the one mechanism every reachable queryset goes through.

In the manner of NetBox's RestrictedQuerySet: `Model.objects.restrict(user, "view")` keeps the rows
whose division lies in a subtree where one of the user's assignments grants the action, plus rows
granted beyond the tree (`granted_beyond_tree`): one by one through django-guardian, or by a
domain app to the members of a district's department over the matters of its remit. Subtrees are matched by code prefix,
which the primary-key index on Division.code (C collation) serves.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import connections, router
from django.db.models import Q, QuerySet

from governance.access import grants_cache
from governance.clock import today

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

_CACHE_ATTRIBUTE = "_jurisdiction_cache"
_DEPARTMENTS_CACHE_ATTRIBUTE = "_departments_cache"


def collapse_prefixes(codes: set[str] | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Drop every code that lies inside another code of the set: "4406" covers "440605"."""
    kept: list[str] = []
    for code in sorted(set(codes), key=lambda c: (len(c), c)):
        if not any(code.startswith(shorter) for shorter in kept):
            kept.append(code)
    return tuple(sorted(kept))


# The markers of the departments' rows and of the stamp's row in grants_of's one query (no app
# label looks like them).
_DEPARTMENT_MARKER = "@department"
_STAMP_MARKER = "@stamp"

# Where PortalTokenAuthentication leaves the grants stamp it read with the user (a string, or None
# when the stamp row is gone); absent, grants_of reads it.
GRANTS_STAMP_ATTRIBUTE = "_grants_stamp"

# An assignment over a division covers the divisions merged into it (撤并: the division model's
# `merged_into`, whose reverse is `absorbed`) once they are retired, and those merged into them
# before: this many mergers back. A village merged three times over is the farthest in practice.
MERGERS_FOLLOWED = 3


def grants_of(user) -> Mapping[str, tuple[str, ...]]:
    """Permission name → collapsed division codes where the user's assignments grant it.

    Read once per user object and cached on it, so a request pays for it once; kept by the worker
    between requests while the grants stamp holds (governance.access.grants_cache): the token
    authentication and the session's sign-in backend read the stamp with the user, so a request
    whose user's grants are kept asks nothing for them. One query when they must be read, which
    also reads the departments the user works for (departments_of) and the stamp they were read
    under.
    """
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    day = today()
    connection = connections[router.db_for_read(apps.get_model("governance", "Assignment"))]
    # Without the stamp read with the user (a Celery task's user, a test's), reading it would
    # cost a query as well: the grants are read, and kept for the requests to come.
    stamp = getattr(user, GRANTS_STAMP_ATTRIBUTE, None)
    kept = grants_cache.recall(user.pk, stamp, day) if stamp is not None else None
    if kept is None:
        kept = _read_grants(user, day, connection)
    grants, departments = kept
    setattr(user, _CACHE_ATTRIBUTE, grants)
    setattr(user, _DEPARTMENTS_CACHE_ATTRIBUTE, departments)
    return grants


def _read_grants(user, day, connection) -> tuple:
    """The user's grants and departments, read from the tables in one statement with the stamp
    they were read under, and kept under it."""
    codes_by_perm: dict[str, set[str]] = {}
    departments: set[tuple[str, str]] = set()
    stamp = None
    with connection.cursor() as cursor:
        cursor.execute(_grants_sql(), {"user": user.pk, "today": day, "hops": MERGERS_FOLLOWED})
        for perm, codes in cursor.fetchall():
            if perm == _DEPARTMENT_MARKER:
                departments.add(tuple(codes))
            elif perm == _STAMP_MARKER:
                stamp = codes[0]
            else:
                codes_by_perm.setdefault(perm, set()).update(codes)
    grants = {perm: collapse_prefixes(codes) for perm, codes in codes_by_perm.items()}
    return grants_cache.remember(user.pk, stamp, day, grants, tuple(sorted(departments)))


@functools.cache
def _grants_sql() -> str:
    """grants_of's one query, written out: every request pays for it, and the ORM's union of five
    joins cost 3 ms to compile and 3 ms to plan where this costs under 1 ms (bench/api_load).

    `held` is each assignment's division, then (recursively, up to MERGERS_FOLLOWED hops) every
    division merged into it that is retired by today: the successor's officials administer what
    was merged into it. Its permissions come through the assignment's role; a department the user
    works for comes as one row under the marker, [district code, department code].
    """
    table = {
        label: apps.get_model(*label.split(".", 1))._meta.db_table
        for label in (
            "governance.Assignment",
            "governance.Role",
            "governance.DepartmentMember",
            "governance.Department",
            "villages.Division",
            "auth.Permission",
            "contenttypes.ContentType",
        )
    }
    role_permissions = apps.get_model("governance", "Role").permissions.through._meta.db_table
    return f"""
        WITH RECURSIVE held (code, role_id, hops) AS (
                SELECT division_id, role_id, 0 FROM {table["governance.Assignment"]} WHERE user_id = %(user)s
            UNION ALL
                SELECT merged.code, held.role_id, held.hops + 1
                FROM held
                JOIN {table["villages.Division"]} merged
                  ON merged.merged_into_id = held.code AND merged.retired_on <= %(today)s
                WHERE held.hops < %(hops)s
        )
        SELECT content_type.app_label || '.' || permission.codename, array_agg(DISTINCT held.code)
        FROM held
        JOIN {role_permissions} granted ON granted.role_id = held.role_id
        JOIN {table["auth.Permission"]} permission ON permission.id = granted.permission_id
        JOIN {table["contenttypes.ContentType"]} content_type ON content_type.id = permission.content_type_id
        GROUP BY 1
        UNION ALL
        SELECT '{_DEPARTMENT_MARKER}', ARRAY[department.district_id::text, department.code::text]
        FROM {table["governance.DepartmentMember"]} member
        JOIN {table["governance.Department"]} department ON department.id = member.department_id
        WHERE member.user_id = %(user)s
        UNION ALL
        SELECT '{_STAMP_MARKER}', ARRAY[({grants_cache.STAMP_SQL})]
    """


def forget_jurisdiction(user) -> None:
    """Drop the cached grants, after the user's assignments (or departments) changed."""
    for attribute in (_CACHE_ATTRIBUTE, _DEPARTMENTS_CACHE_ATTRIBUTE, GRANTS_STAMP_ATTRIBUTE):
        if hasattr(user, attribute):
            delattr(user, attribute)


def departments_of(user) -> tuple[tuple[str, str], ...]:
    """(district code, department code) of every department the user works for
    (governance.departments.DepartmentMember); read with the user's grants (grants_of: one query
    for both, cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    if getattr(user, _DEPARTMENTS_CACHE_ATTRIBUTE, None) is None:
        grants_of(user)
    return getattr(user, _DEPARTMENTS_CACHE_ATTRIBUTE, None) or ()


def jurisdiction_codes(user, perm: str) -> tuple[str, ...]:
    """Codes of the subtrees in which `user` holds `perm` ("app_label.codename")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    return grants_of(user).get(perm, ())


def assigned_codes(user) -> tuple[str, ...]:
    """Codes of every division the user is assigned to, whatever the role: their jurisdiction."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    return collapse_prefixes({code for codes in grants_of(user).values() for code in codes})


def holds_in(user, perm: str, division_code: str) -> bool:
    """True when `user` holds `perm` over the division with this code (superusers always)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(division_code.startswith(code) for code in jurisdiction_codes(user, perm))


def holds_anywhere(user, perm: str) -> bool:
    """True when `user` holds `perm` over some division (superusers always): whether a page,
    a link or a home count is theirs at all. No query: the grants are cached on the user."""
    return bool(getattr(user, "is_superuser", False) and user.is_active) or bool(jurisdiction_codes(user, perm))


def held_condition(user, perm: str, scope_field: str) -> Q | None:
    """The condition "`scope_field` lies in a subtree where `user` holds `perm`"; None when they
    hold it nowhere. (Superusers are the caller's to let through.)"""
    condition = Q()
    for code in jurisdiction_codes(user, perm):
        condition |= Q(**{f"{scope_field}__startswith": code})
    return condition or None


def lies_in_jurisdiction(user, model, **lookup) -> bool:
    """True when the object `lookup` finds exists where the user may know of it: they may view
    it, or it lies in the subtree of one of their assignments, whatever the role. Tells a 403
    (in the jurisdiction, but the action is not granted) from a 404 (out of it, or absent).
    A malformed lookup value finds nothing."""
    from django.core.exceptions import ValidationError

    try:
        if model.objects.restrict(user, "view").filter(**lookup).exists():
            return True
        scope_code = model.objects.filter(**lookup).values_list(model.scope_field, flat=True).first()
    except (TypeError, ValueError, ValidationError):
        return False
    return scope_code is not None and any(scope_code.startswith(code) for code in assigned_codes(user))


# What write_target_refusal() answers when a written record lies where the user may not act.
FORBIDDEN = "forbidden"  # in the user's jurisdiction, but the action is not granted there: 403
OUT_OF_SCOPE_TARGET = "out_of_scope"  # outside it (or gone): 404, so that nothing leaks


def write_target_refusal(user, instance, action: str) -> str | None:
    """None when the saved `instance` lies where `user` may `action`; otherwise why not.

    Called inside the write's transaction, after the save (the API and the pages both do), so
    that a record created or moved outside the user's scope is rolled back by the caller.
    """
    model = type(instance)
    if model.objects.restrict(user, action).filter(pk=instance.pk).exists():
        return None
    if lies_in_jurisdiction(user, model, pk=instance.pk):
        return FORBIDDEN
    return OUT_OF_SCOPE_TARGET


def permission_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class RestrictedQuerySet(QuerySet):
    def restrict(self, user: AbstractBaseUser | None, action: str = "view") -> RestrictedQuerySet:
        """Keep only the rows `user` may `action` ("view", "add", "change", "delete", ...)."""
        return self.restrict_at(user, action, self.model.scope_field)

    def restrict_at(self, user: AbstractBaseUser | None, action: str, scope_field: str) -> RestrictedQuerySet:
        """Keep only the rows `user` may `action`, judging the action at the division that
        `scope_field` names instead of the model's own scope: a filing is approved where it is
        filed (`filed_with__code`), not where the position is held. Explicit per-object grants
        count as in restrict()."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        perm = permission_name(self.model, action)
        condition = held_condition(user, perm, scope_field) or Q()
        beyond = self.granted_beyond_tree(user, perm)
        if beyond is not None:
            condition |= beyond
        if not condition:
            return self.none()
        return self.filter(condition)

    def granted_beyond_tree(self, user: AbstractBaseUser, perm: str) -> Q | None:
        """The rows granted to `user` for `perm` ("app_label.codename") beyond their assignments'
        subtrees, as a condition; None when nothing is. Here: the rows granted one by one with
        django-guardian (models that opt in). A domain app's queryset adds what it grants to the
        members of a department (departments_of) over the matters of the department's remit."""
        explicit = _explicitly_granted(self.model, user, perm)
        return Q(pk__in=explicit) if explicit is not None else None

    def where_held(self, user: AbstractBaseUser | None, perm: str, scope_field: str | None = None):
        """Narrow rows (already restricted) to those where `user` also holds another permission,
        `perm`, at the division `scope_field` names (the model's scope by default): the units of
        a grid where the user enters scores, the posts where they may view integrity talks.
        Nothing for a user who holds it nowhere; everything for a superuser."""
        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self
        condition = held_condition(user, perm, scope_field or self.model.scope_field)
        return self.filter(condition) if condition else self.none()


def _explicitly_granted(model, user, perm: str):
    """A subquery of the primary keys granted to the user one by one with django-guardian.

    Only models that opt in (`guardian_grants = True`) consult guardian; the content type is
    joined inside the subquery, so even they pay no extra query. The tree itself is never
    expressed as per-object rows.
    """
    if not getattr(model, "guardian_grants", False):
        return None
    from django.db.models.functions import Cast
    from guardian.models import UserObjectPermission

    codename = perm.split(".", 1)[1]
    # guardian stores object keys as text; cast them to the model's key type for the IN test.
    return (
        UserObjectPermission.objects.filter(
            user_id=user.pk,
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            permission__codename=codename,
        )
        .annotate(granted_pk=Cast("object_pk", model._meta.pk))
        .values("granted_pk")
    )


def holds_explicit_grants(user, model, perm: str) -> bool:
    """True when `perm` is granted to the user beyond the tree (granted_beyond_tree) on at least
    one object of `model`: one by one (guardian), or as a department's member."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    beyond = getattr(model.objects.all(), "granted_beyond_tree", None)
    granted = beyond(user, perm) if beyond is not None else None
    return granted is not None and model.objects.filter(granted).exists()
