"""The assessment indicators the grids app computes for village schemes (DESIGN.md section 7,
indicators; issue 17 point 5), contributed to supervision's scoring through governance's
registry (grids/contributions.py: registry.add_indicator), so that supervision imports no grids.

Each is one set-based SQL statement over the scheme's units (governance.registry.Indicator says
what it reads). Events are in a village or community: a unit finds its events by equality on the
event's division, within the chunk's range of codes (the index on division and reported_at).

The period's moments are local days (settings.TIME_ZONE): from the first moment of the period's
first day to the end of the counting day (the period's last day, or the day the run was asked
for while the period runs).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from governance.registry import Indicator
from grids.choices import SATISFACTION_TARGET_PERCENT, SATISFIED_KINDS
from villages.choices import Level

# A unit with no evaluated event in the period scores 100 on grid_satisfaction: evaluations are
# recorded by the town's grid centre when it calls the reporter back (回访), not by the village
# assessed, so a village cannot raise its score by leaving events unevaluated; and a unit with no
# event at all is not to be marked down for it (the rule of every "nothing due" indicator of the
# portal: supervision.choices.NOTHING_DUE_SCORE). The grid-satisfaction report shows such a unit's
# share as null, so that the reader sees there was nothing to judge.
NOTHING_EVALUATED_SCORE = Decimal("100")
# A unit with no event due in the period scores 100 on events_on_time (nothing was late).
NOTHING_DUE_SCORE = Decimal("100")

_ZONE = settings.TIME_ZONE
# The first moment of the period and the end of the counting day, as instants.
_PERIOD_START = f"(%(start)s::date::timestamp AT TIME ZONE '{_ZONE}')"
_COUNTING_END = f"((%(day)s::date + 1)::timestamp AT TIME ZONE '{_ZONE}')"
_SATISFIED = ", ".join(f"'{kind}'" for kind in SATISFIED_KINDS)
_CHUNK = "event.division_id >= %(first_town)s AND event.division_id < %(after_last_town)s"

GRID_SATISFACTION = Indicator(
    code="grid_satisfaction",
    name=_("网格服务满意度"),
    level=Level.VILLAGE,
    description=format_lazy(
        _(
            "考核期间内上报、统计日前已评价的网格事件中，最后一次评价为满意或基本满意的百分比，保留两位小数"
            "（目标不低于{target}%）；期间内无已评价事件得100分（江苏意见一）。"
        ),
        target=SATISFACTION_TARGET_PERCENT,
    ),
    # The evaluated events of the period: reported in it, their last evaluation (the event's
    # `satisfaction`) recorded by the end of the counting day. The share is the grid-satisfaction
    # report's `satisfied_share` for the same period (both round half up to 2 decimals).
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(event.id) = 0 THEN {NOTHING_EVALUATED_SCORE}
                    ELSE round(100.0 * count(event.id) FILTER (WHERE event.satisfaction IN ({_SATISFIED}))
                               / count(event.id), 2)
               END AS score
        FROM units
        LEFT JOIN grids_gridevent event
            ON event.division_id = units.code AND {_CHUNK}
            AND event.reported_at >= {_PERIOD_START} AND event.reported_at < {_COUNTING_END}
            AND event.satisfaction <> '' AND event.evaluated_at < {_COUNTING_END}
        GROUP BY units.code
    """,
)

EVENTS_ON_TIME = Indicator(
    code="events_on_time",
    name=_("网格事件按期办结"),
    level=Level.VILLAGE,
    description=_(
        "办理期限在考核期间内（至统计日止）的网格事件中，在期限内办结的百分比，保留两位小数"
        "（期限为上报时间加事件类别的办理时限）；期间内无到期事件得100分（广西意见第十二条）。"
    ),
    # Due in the period: `due_at` from the period's first moment to the end of the counting day.
    # On time: handled (its current handling: one sent back by a dissatisfied evaluation counts
    # when handled again) at or before `due_at`, as grids.querysets.overdue_condition reads it.
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(event.id) = 0 THEN {NOTHING_DUE_SCORE}
                    ELSE round(100.0 * count(event.id) FILTER (WHERE event.handled_at <= event.due_at)
                               / count(event.id), 2)
               END AS score
        FROM units
        LEFT JOIN grids_gridevent event
            ON event.division_id = units.code AND {_CHUNK}
            AND event.due_at >= {_PERIOD_START} AND event.due_at < {_COUNTING_END}
        GROUP BY units.code
    """,
)

INDICATORS = (GRID_SATISFACTION, EVENTS_ON_TIME)
