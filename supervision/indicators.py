"""The indicators the portal computes from its own data (GET /api/v1/indicators/), each as one
set-based SQL query over the units being scored: no per-unit ORM loop.

Each `sql` reads the CTE `units` (code) and the parameters `%(day)s` (the counting day: the
period's last day, or the day the run was asked for while the period runs) and `%(start)s` (the
period's first day), and yields (unit, score) for every unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from supervision.choices import FULL_SCORE, NO_SCORE, NOTHING_DUE_SCORE, UnitLevel
from supervision.querysets import due_disclosures_sql
from villages.choices import MIN_RESERVE_CADRES_PER_VILLAGE, PositionKind


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    level: str
    description: object
    sql: str


RESERVE_CADRES = Indicator(
    code="reserve_cadres",
    name=_("后备干部配备"),
    level=UnitLevel.VILLAGE,
    description=_("统计日村（社区）现有后备干部不少于2名得100分，否则得0分（广元村民自治方案）。"),
    # At least 2 reserve cadres per village (Guangyuan plan; villages.choices).
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(position.id) >= {MIN_RESERVE_CADRES_PER_VILLAGE} THEN {FULL_SCORE} ELSE {NO_SCORE} END
                   AS score
        FROM units
        LEFT JOIN villages_position position
            ON position.division_id = units.code AND position.kind = '{PositionKind.RESERVE_CADRE}'
            AND position.started_on <= %(day)s AND (position.ended_on IS NULL OR position.ended_on > %(day)s)
        GROUP BY units.code
    """,
)

DISCLOSURES_ON_TIME = Indicator(
    code="disclosures_on_time",
    name=_("村务按时公开"),
    level=UnitLevel.VILLAGE,
    description=_("考核期间内到期的公开事项中按期公开的百分比；期间内无到期事项得100分（村民委员会组织法第三十条）。"),
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(due.item_id) = 0 THEN {NOTHING_DUE_SCORE}
                    ELSE round(100.0 * count(due.item_id) FILTER (WHERE due.filed_on <= due.due_on)
                               / count(due.item_id), 2)
               END AS score
        FROM units
        LEFT JOIN ({
        due_disclosures_sql(
            "SELECT item.id FROM supervision_disclosureitem item JOIN units ON units.code = item.division_id"
        )
        .replace("%(due_from)s", "%(start)s")
        .replace("%(due_to)s", "%(day)s")
    }) AS due ON due.division_id = units.code
        GROUP BY units.code
    """,
)

COMPUTED_INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator for indicator in (RESERVE_CADRES, DISCLOSURES_ON_TIME)
}
