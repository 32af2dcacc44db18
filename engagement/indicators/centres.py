"""The assessment indicators computed from service centres, operating funds, emergency plans and
drills (issue 18 point 3), contributed through governance's registry (engagement/contributions.py).

drills_held (a village or community): the percent of its emergency plans, adopted by the counting
day (the period's last day, or the day the run was asked for while the period runs), that had at
least one drill held from the period's first day to the counting day; 2 decimals, half up. A
village with no plan scores 0: unlike the portal's "nothing due" indicators (100 when nothing fell
due), a plan is itself what is asked (Jiangsu 九: every community has an emergency plan, trained
people and drills), so a village without one has held no drill it owed.

A unit finds its plans by equality on the plan's division, within the chunk's range of codes.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from governance.registry import Indicator
from villages.choices import Level

# A village or community without an emergency plan scores 0 (Jiangsu 九: a plan is required).
NO_PLAN_SCORE = Decimal("0")

DRILLS_HELD = Indicator(
    code="drills_held",
    name=_("应急演练开展"),
    level=Level.VILLAGE,
    description=_(
        "统计日前已制定的应急预案中，考核期间内（至统计日止）开展过演练的预案所占百分比，保留两位小数；"
        "没有应急预案的村（社区）得0分（江苏意见九：有预案、有队伍、有演练）。"
    ),
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(plan.id) = 0 THEN {NO_PLAN_SCORE}
                    ELSE round(100.0 * count(plan.id) FILTER (WHERE EXISTS (
                                   SELECT 1 FROM engagement_drill drill
                                   WHERE drill.plan_id = plan.id
                                     AND drill.held_on >= %(start)s::date AND drill.held_on <= %(day)s::date))
                               / count(plan.id), 2)
               END AS score
        FROM units
        LEFT JOIN engagement_emergencyplan plan
            ON plan.division_id = units.code
            AND plan.division_id >= %(first_town)s AND plan.division_id < %(after_last_town)s
            AND plan.adopted_on <= %(day)s::date
        GROUP BY units.code
    """,
)

INDICATORS = (DRILLS_HELD,)
