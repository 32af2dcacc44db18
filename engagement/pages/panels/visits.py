"""The engagement dashboard's panel of visits: per unit (the towns of a district, the villages of a
town), the active visiting cadres and how many meet every quota of Guangxi §16 in the period
(engagement.querysets.visits.coverage_table), with a chart of the share meeting them.

A town's cadres count in their town; for a town's dashboard, a cadre counts in each village linked
to them (包联村). A county secretary (the district's) counts in no town: the district's table shows
them in a line of their own. Fixed queries: the units, the cadres, their linked villages, one
statement of counts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from engagement.models import VisitingCadre
from engagement.querysets.visits import coverage_table
from governance.access.querysets import holds_anywhere
from governance.reporting import percent, units_of
from villages.choices import Level
from villages.models import Division

PERM = "engagement.view_visitingcadre"
# A unit meets its target when every cadre counted in it meets every quota.
TARGET_PERCENT = 100


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views none of
    the theme: see engagement.pages.dashboard."""
    if not holds_anywhere(user, PERM):
        return None
    units = units_of(Division.objects.restrict(user, "view"), division, period.end)
    by_village = division.report_unit_level == Level.VILLAGE
    cadres = list(
        VisitingCadre.objects.restrict(user, "view")
        .filter(division__code__startswith=division.code[:9] if by_village else division.code, active=True)
        .prefetch_related("villages")
        .order_by("id")
    )
    behind = {row.cadre.pk for row in coverage_table(cadres, period) if not row.coverage.met}
    counts = {unit["code"]: {"cadres": 0, "met": 0} for unit in units}
    others = {"cadres": 0, "met": 0}
    for cadre in cadres:
        if by_village:
            places = [village.code for village in cadre.villages.all() if village.code in counts]
        else:
            places = [cadre.division_id[:9]] if cadre.division_id[:9] in counts else []
        for place in places or ([] if by_village else [None]):
            count = counts[place] if place else others
            count["cadres"] += 1
            count["met"] += cadre.pk not in behind
    rows = [
        {
            "unit": unit["code"],
            "name": unit["name"],
            **counts[unit["code"]],
            "share": percent(counts[unit["code"]]["met"], counts[unit["code"]]["cadres"], 2),
        }
        for unit in units
    ]
    return {
        "key": "visits",
        "template": "engagement/panels/visits.html",
        "visit_rows": rows,
        "visit_others": others if others["cadres"] else None,
        "visit_cadres": len(cadres),
        "visit_met": len(cadres) - len(behind),
        "charts": [
            {
                "id": "chart-visits",
                "title": _("达到走访要求的干部占比（%）"),
                "names": [row["name"] for row in rows],
                "values": [row["share"] for row in rows],
                "target": TARGET_PERCENT,
            }
        ],
    }
