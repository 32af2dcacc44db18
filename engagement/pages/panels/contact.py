"""The engagement dashboard's panel of direct contact (五挂钩): per unit of the town or district
(villages of a town, towns of a district) its villages, those with all five links filled on the
day counted (the period's last day, or today while it runs), their share (percent, 1 decimal;
target 100) and the links missing. Two queries whatever the number of units and villages: the
units, the villages with the kinds of link they hold (a correlated count)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from engagement.choices import LINKS_PER_VILLAGE
from engagement.querysets.contact import active_on, with_links_filled
from governance import clock
from governance.access.querysets import holds_in
from governance.reporting import percent, unit_in, units_and_successors
from villages.choices import Level
from villages.models import Division

PERM = "engagement.view_contactlink"
# Every village has its five links (Nanhai party-building plan): the chart's target, in percent.
TARGET_PERCENT = 100


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views none of
    the theme: see engagement.pages.dashboard."""
    if not holds_in(user, PERM, division.code):
        return None
    on = min(period.end, clock.today())
    divisions = Division.objects.restrict(user, "view")
    units, successors = units_and_successors(divisions, division, on)
    length = division.report_unit_code_length
    villages = with_links_filled(
        divisions.subtree(division.code).filter(active_on(on), level=Level.VILLAGE), on
    ).values_list("code", "links_filled")
    counts: dict[str, dict[str, int]] = {}
    for code, filled in villages:
        unit = counts.setdefault(unit_in(code, length, successors), {"villages": 0, "complete": 0, "missing": 0})
        unit["villages"] += 1
        unit["complete"] += filled >= LINKS_PER_VILLAGE
        unit["missing"] += LINKS_PER_VILLAGE - min(filled, LINKS_PER_VILLAGE)
    rows = []
    for unit in units:
        found = counts.get(unit["code"], {"villages": 0, "complete": 0, "missing": 0})
        rows.append({**unit, **found, "share": percent(found["complete"], found["villages"])})
    return {
        "key": "contact",
        "template": "engagement/panels/contact.html",
        "title": _("五挂钩落实情况"),
        "on": on,
        "rows": rows,
        "target": TARGET_PERCENT,
        "charts": [
            {
                "id": "chart-contact-links",
                "title": _("五挂钩全部落实的村（社区）占比（%）"),
                "names": [row["name"] for row in rows],
                "values": [row["share"] for row in rows],
                "target": TARGET_PERCENT,
            }
        ],
    }
