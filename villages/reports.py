"""Roll-ups over the hierarchy: GROUP BY on a code prefix, never a walk over the tree."""

from django.db.models import Count
from django.db.models.functions import Substr

from villages.models import CODE_LENGTH_BY_LEVEL, LEVEL_ORDER, Division, Level, level_for_code


def division_rollup(code: str, queryset=None) -> dict[str, dict[str, int]]:
    """For each child of the division `code`: how many active divisions of each lower level lie in
    its subtree (itself excluded). One GROUP BY on the child-length prefix of the code.

    `queryset` is the (already restricted) Division queryset to count; all divisions by default.
    """
    level = level_for_code(code)
    if level is None or level == Level.COOPERATIVE:
        return {}
    child_level = LEVEL_ORDER[LEVEL_ORDER.index(level) + 1]
    child_length = CODE_LENGTH_BY_LEVEL[child_level]
    divisions = queryset if queryset is not None else Division.objects.all()
    rows = (
        divisions.filter(code__startswith=code, retired_on__isnull=True)
        .exclude(level__in=LEVEL_ORDER[: LEVEL_ORDER.index(child_level) + 1])
        .annotate(child=Substr("code", 1, child_length))
        .values("child", "level")
        .annotate(n=Count("*"))
        .order_by("child", "level")
    )
    rollup: dict[str, dict[str, int]] = {}
    for row in rows:
        rollup.setdefault(row["child"], {})[row["level"]] = row["n"]
    return rollup
