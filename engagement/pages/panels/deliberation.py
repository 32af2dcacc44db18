"""The engagement dashboard's panel of deliberation (议事协商): per unit, the villages and communities
with a deliberation body against the 100% target (Jiangsu 一), as a table and a bar chart, and the
topics proposed in the period by where they stand. Three queries whatever the number of units: the
units, the coverage (one GROUP BY), the topics (one GROUP BY)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from engagement.choices import DELIBERATION_COVERAGE_TARGET_PERCENT, TopicStatus
from engagement.models import Topic
from engagement.querysets.deliberation import coverage_counts, coverage_met, coverage_share
from governance.access.querysets import holds_in
from governance.reporting import per_unit, units_of
from villages.models import Division

VIEW_BODY = "engagement.view_deliberationbody"


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views no
    deliberation body there: see engagement.pages.dashboard."""
    if not holds_in(user, VIEW_BODY, division.code):
        return None
    divisions = Division.objects.restrict(user, "view")
    units = units_of(divisions, division, period.end)
    coverage = coverage_counts(divisions, division, period.end)
    topics = (
        Topic.objects.restrict(user, "view")
        .filter(body__division__code__startswith=division.code)
        .filter(proposed_on__gte=period.start, proposed_on__lte=period.end)
    )
    by_status = {
        row.pop("unit"): row
        for row in per_unit(topics, "body__division_id", division, period.end).annotate(
            **{status.value: Count("id", filter=Q(status=status)) for status in TopicStatus}
        )
    }
    rows = []
    for unit in units:
        counted = coverage.get(unit["code"], {"villages": 0, "with_body": 0})
        share = coverage_share(counted["with_body"], counted["villages"])
        statuses = by_status.get(unit["code"], {})
        rows.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "villages": counted["villages"],
                "with_body": counted["with_body"],
                "share": share,
                "met": coverage_met(counted["with_body"], counted["villages"]),
                "statuses": [statuses.get(status.value, 0) for status in TopicStatus],
            }
        )
    return {
        "key": "deliberation",
        "template": "engagement/panels/deliberation.html",
        "rows": rows,
        "statuses": [status.label for status in TopicStatus],
        "target": DELIBERATION_COVERAGE_TARGET_PERCENT,
        "missed": sum(1 for row in rows if row["met"] is False),
        "charts": [
            {
                "id": "chart-deliberation-coverage",
                "title": _("议事协商组织覆盖率（%）"),
                "names": [row["name"] for row in rows],
                "values": [row["share"] for row in rows],
                "target": DELIBERATION_COVERAGE_TARGET_PERCENT,
            }
        ],
    }
