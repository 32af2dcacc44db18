"""The indicators the portal computes from its own data (GET /api/v1/indicators/), each as one
set-based SQL query over the units being scored: no per-unit ORM loop.

Each `sql` reads the CTE `units` (code) and the parameters `%(day)s` (the counting day: the
period's last day, or the day the run was asked for while the period runs), `%(start)s` (the
period's first day) and `%(period)s` (the scheme's period label), and yields (unit, score) for
every unit. The units are a chunk of consecutive towns (services.scoring.score_chunk): every unit's code,
and so every code under it, lies in [`%(first_town)s`, `%(after_last_town)s`), a range an
indicator uses to read only the chunk's rows by index; `%(unit_code_length)s` is the length of a
unit's code, so that a record of a division under a unit finds it by equality (a hash join), not by
LIKE (a nested loop over every pair).
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from governance.registry import Indicator, registry
from rights_lists.choices import PROCEDURE_STEPS, PUBLICATION_DUE_DAYS, PublicationKind
from supervision.choices import (
    FULL_SCORE,
    NO_DECISION_SCORE,
    NO_SCORE,
    NO_VIOLATION_SCORE,
    NOTHING_DUE_SCORE,
    SANCTION_DEDUCTION_POINTS,
    VIOLATION_HANDLING_DAYS,
    UnitLevel,
    duty_report_score_sql,
)
from supervision.querysets import due_disclosures_sql
from villages.choices import MIN_RESERVE_CADRES_PER_VILLAGE, PositionKind

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
            " WHERE item.division_id >= %(first_town)s AND item.division_id < %(after_last_town)s"
        )
        .replace("%(due_from)s", "%(start)s")
        .replace("%(due_to)s", "%(day)s")
    }) AS due ON due.division_id = units.code
        GROUP BY units.code
    """,
)

# The number of steps of each procedure, as SQL (rights_lists.choices.PROCEDURE_STEPS).
_STEPS_REQUIRED = "CASE decision.procedure {} END".format(
    " ".join(f"WHEN '{procedure}' THEN {len(steps)}" for procedure, steps in PROCEDURE_STEPS.items())
)

DECISIONS_PROCEDURE = Indicator(
    code="decisions_procedure",
    name=_("决策程序规范"),
    level=UnitLevel.VILLAGE,
    # The days are the one "at once" of governance.disclosure, read where the rule is.
    description=format_lazy(
        _(
            "考核期间内启动（首次会议召开）且未撤回、未被否决的村（含经济社）决策中，统计日前完成全部程序步骤、"
            "决议在最后一步后{days}日内公开、实施结果在实施完成后{days}日内公开（尚未到期的公开不扣分）的百分比；"
            "期间内无决策得100分（四议两公开，村民委员会组织法第三十条）。"
        ),
        days=PUBLICATION_DUE_DAYS,
    ),
    # A decision counts from its first meeting; withdrawn or voted down by the counting day, it
    # counts neither way. A publication not yet due on the counting day is not held against it.
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(started.id) = 0 THEN {NO_DECISION_SCORE}
                    ELSE round(100.0 * count(started.id) FILTER (WHERE started.followed) / count(started.id), 2)
               END AS score
        FROM units
        LEFT JOIN (
            SELECT units.code AS unit, decision.id,
                   coalesce(
                       steps.held = {_STEPS_REQUIRED}
                       AND (resolution.published_on <= steps.last_on + {PUBLICATION_DUE_DAYS}
                            OR (resolution.id IS NULL AND steps.last_on + {PUBLICATION_DUE_DAYS} >= %(day)s))
                       AND (done.id IS NULL
                            OR outcome.published_on <= done.done_on + {PUBLICATION_DUE_DAYS}
                            OR (outcome.id IS NULL AND done.done_on + {PUBLICATION_DUE_DAYS} >= %(day)s)),
                       false
                   ) AS followed
            FROM rights_lists_decision decision
            JOIN units ON units.code = left(decision.division_id, %(unit_code_length)s)
            CROSS JOIN LATERAL (
                SELECT min(step.held_on) AS first_on, max(step.held_on) AS last_on, count(*) AS held,
                       coalesce(bool_and(step.adopted), true) AS adopted
                FROM rights_lists_decisionstep step
                WHERE step.decision_id = decision.id AND step.held_on <= %(day)s
            ) AS steps
            LEFT JOIN rights_lists_publication resolution
                ON resolution.decision_id = decision.id AND resolution.kind = '{PublicationKind.RESOLUTION}'
                AND resolution.published_on <= %(day)s
            LEFT JOIN rights_lists_implementation done
                ON done.decision_id = decision.id AND done.done_on <= %(day)s
            LEFT JOIN rights_lists_publication outcome
                ON outcome.decision_id = decision.id AND outcome.kind = '{PublicationKind.OUTCOME}'
                AND outcome.published_on <= %(day)s
            WHERE decision.division_id >= %(first_town)s AND decision.division_id < %(after_last_town)s
                AND steps.first_on BETWEEN %(start)s AND %(day)s AND steps.adopted
                AND (decision.withdrawn_on IS NULL OR decision.withdrawn_on > %(day)s)
        ) AS started ON started.unit = units.code
        GROUP BY units.code
    """,
)

VIOLATIONS_HANDLED = Indicator(
    code="violations_handled",
    name=_("违约处理及时"),
    level=UnitLevel.VILLAGE,
    description=_(
        "考核期间内发生的违约记录中，发生后30日内认定、有申诉的申诉后30日内处理完毕的百分比"
        "（尚在期限内未处理的不计）；期间内无违约记录得100分（村规民约）。"
    ),
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(recorded.id) = 0 THEN {NO_VIOLATION_SCORE}
                    ELSE round(100.0 * count(recorded.id) FILTER (WHERE recorded.handled) / count(recorded.id), 2)
               END AS score
        FROM units
        LEFT JOIN (
            SELECT units.code AS unit, violation.id, violation.occurred_on,
                   coalesce(
                       violation.confirmed_on <= least(violation.occurred_on + {VIOLATION_HANDLING_DAYS}, %(day)s)
                       AND (violation.appeal_filed_on IS NULL OR violation.appeal_filed_on > %(day)s
                            OR violation.appeal_decided_on
                                <= least(violation.appeal_filed_on + {VIOLATION_HANDLING_DAYS}, %(day)s)
                            OR ((violation.appeal_decided_on IS NULL OR violation.appeal_decided_on > %(day)s)
                                AND violation.appeal_filed_on + {VIOLATION_HANDLING_DAYS} >= %(day)s)),
                       false
                   ) AS handled
            FROM covenants_violation violation
            JOIN units ON violation.division_id = units.code
            WHERE violation.division_id >= %(first_town)s AND violation.division_id < %(after_last_town)s
                AND violation.occurred_on BETWEEN %(start)s AND %(day)s
        ) AS recorded ON recorded.unit = units.code
            AND (recorded.handled OR recorded.occurred_on + {VIOLATION_HANDLING_DAYS} < %(day)s)
        GROUP BY units.code
    """,
)

SANCTION_DEDUCTIONS = Indicator(
    code="sanction_deductions",
    name=_("违纪处分扣分"),
    level=UnitLevel.VILLAGE,
    also_levels=(UnitLevel.COOPERATIVE,),
    description=_("统计日本单位在任人员每有一项在执行期内的党纪政务处分扣20分，最低0分（适用于村和经济社）。"),
    sql=f"""
        SELECT units.code AS unit,
               greatest({NO_SCORE}, {FULL_SCORE} - {SANCTION_DEDUCTION_POINTS} * count(DISTINCT sanction.id))
                   AS score
        FROM units
        LEFT JOIN villages_position position
            ON position.division_id = units.code
            AND position.started_on <= %(day)s AND (position.ended_on IS NULL OR position.ended_on > %(day)s)
        LEFT JOIN supervision_disciplinarysanction sanction
            ON sanction.person_id = position.person_id
            AND sanction.decided_on <= %(day)s AND sanction.ends_on > %(day)s
            AND NOT EXISTS (
                SELECT FROM supervision_disciplinarysanction later WHERE later.corrects_id = sanction.id
            )
        GROUP BY units.code
    """,
)

DUTY_REPORT = Indicator(
    code="duty_report",
    name=_("述职评议"),
    level=UnitLevel.VILLAGE,
    also_levels=(UnitLevel.COOPERATIVE,),
    description=_(
        "本期述职评议得分：（满意票×100＋基本满意票×60）÷总票数，四舍五入保留两位小数；"
        "未登记评议得0分（适用于村和经济社）。"
    ),
    sql=f"""
        SELECT units.code AS unit,
               {duty_report_score_sql("evaluation")} AS score
        FROM units
        LEFT JOIN supervision_dutyreportevaluation evaluation
            ON evaluation.unit_id = units.code AND evaluation.period = %(period)s
    """,
)

COMPUTED_INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in (
        RESERVE_CADRES,
        DISCLOSURES_ON_TIME,
        DECISIONS_PROCEDURE,
        VIOLATIONS_HANDLED,
        SANCTION_DEDUCTIONS,
        DUTY_REPORT,
    )
}


def computed_indicators() -> dict[str, Indicator]:
    """Every computed indicator a scheme may use: supervision's own, then those the other apps
    contribute through governance's registry (registry.add_indicator: the grids app's
    grid_satisfaction and events_on_time), so that this app imports none of them."""
    return {**COMPUTED_INDICATORS, **registry.indicators}
