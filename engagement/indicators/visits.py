"""The assessment indicators computed from visits, visiting cadres and their quotas, kept contacts.

`visit_coverage` (a village): the percent of the village's households (registered in it or in its
cooperatives) that a visiting cadre visited at home from the period's first day to the counting day
(a visit naming the household), 2 decimals; 100 for a village with no household (nothing to
visit). The reading of Guangxi §16 on the village's side: town cadres visit every household of
their villages each year, town leaders every household within the term; what a village is assessed
on is how much of it was reached, whoever went (the per-cadre quotas are the visit-coverage
report's)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from governance.registry import Indicator
from villages.choices import Level

# A village with no household scores 100 (nothing to visit): the portal's "nothing due" rule.
NO_HOUSEHOLD_SCORE = Decimal("100")

VISIT_COVERAGE = Indicator(
    code="visit_coverage",
    name=_("走访覆盖"),
    level=Level.VILLAGE,
    description=_(
        "考核期间内（至统计日止）走访干部入户走访到的本村（社区，含所属经济社）农户占全部登记户的百分比，"
        "保留两位小数；无登记户的村得100分（广西意见第十六条：乡镇干部每年走遍包联村所有农户）。"
    ),
    # Households of the unit: registered in the village or one of its cooperatives (the first
    # unit_code_length digits of their division's code), within the chunk's range of codes.
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(household.id) = 0 THEN {NO_HOUSEHOLD_SCORE}
                    ELSE round(100.0 * count(household.id) FILTER (WHERE EXISTS (
                             SELECT 1 FROM engagement_visit visit
                             WHERE visit.household_id = household.id
                               AND visit.visited_on >= %(start)s::date AND visit.visited_on <= %(day)s::date
                         )) / count(household.id), 2)
               END AS score
        FROM units
        LEFT JOIN villages_household household
            ON left(household.division_id, %(unit_code_length)s) = units.code
            AND household.division_id >= %(first_town)s AND household.division_id < %(after_last_town)s
        GROUP BY units.code
    """,
)

INDICATORS = (VISIT_COVERAGE,)
