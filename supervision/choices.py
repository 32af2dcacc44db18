"""Choices and named rules of the supervision app: village affairs disclosure (村务公开) and
performance assessment (绩效考核), each rule with its source (DESIGN.md sections 3 and 7)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.disclosure import AT_ONCE_DAYS
from governance.periods import same_day_later
from villages.choices import TWO_COMMITTEE_POSITIONS, PositionKind


class Cadence(models.TextChoices):
    """How often an item of a village's disclosure catalogue (公开目录) is published (Organic Law
    art. 30: ordinary matters at least quarterly; finances monthly where transactions are many;
    major matters affecting villagers at once)."""

    MONTHLY = "monthly", _("每月公开")
    QUARTERLY = "quarterly", _("每季度公开")
    AT_ONCE = "at_once", _("随时公开")


# Months in one period of a periodic cadence (Organic Law art. 30).
CADENCE_MONTHS: dict[str, int] = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}

# The deadline of a disclosure, in days: a monthly or quarterly disclosure is due this many days
# after its period's last day (local practice: finances of a month are posted by the 10th of the
# next month); a major matter this many days after the day it was decided ("随时", at once: our
# reading, the same for every village). Organic Law art. 30; our reading of its deadlines.
DISCLOSURE_GRACE_DAYS: dict[str, int] = {Cadence.MONTHLY: 10, Cadence.QUARTERLY: 10, Cadence.AT_ONCE: AT_ONCE_DAYS}


class DisclosureState(models.TextChoices):
    """Where one due disclosure stands on a day (supervision.querysets.DueDisclosure.state_on, the
    one computation the calendar, the overdue list, the home count and the reports read; DESIGN.md
    section 5: from dates at query time). Overdue is due, past its deadline and not published;
    late is published, after its deadline: published, so never overdue (issue 16 point 1)."""

    ON_TIME = "on_time", _("按期公开")
    LATE = "late", _("逾期后补公开")
    OVERDUE = "overdue", _("逾期未公开")
    PENDING = "pending", _("未到期")


class UnitLevel(models.TextChoices):
    """What a scheme assesses: every village (community) or every cooperative of its division."""

    VILLAGE = "village", _("村（社区）")
    COOPERATIVE = "cooperative", _("经济社")


# Schemes are set by a town (镇街) for its units or by the district for all of them (DESIGN.md
# section 7, assessment: `division` is the assessing town or district).
SCHEME_LEVELS = ("town", "district")

# The source of an indicator scored by hand (entered by the town), beside the computed ones.
ENTERED = "entered"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class RunState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ChunkState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


# Weights are positive whole numbers summing to exactly 100 (DESIGN.md section 7, schemes).
WEIGHT_TOTAL = 100
# Scores and totals lie between 0 and 100 and are kept to 2 decimals; a total is the sum of
# weight × score / 100, rounded half up to 2 decimals (DESIGN.md section 7, results).
MIN_SCORE, MAX_SCORE = Decimal("0"), Decimal("100")
SCORE_PLACES = 2
CENT = Decimal(1).scaleb(-SCORE_PLACES)


def weighted_points(weight: int, score: Decimal) -> Decimal:
    """What a score adds to a total before rounding: weight × score / 100, exact."""
    return weight * Decimal(score) / 100


def round_score(value: Decimal) -> Decimal:
    """A score or total kept to SCORE_PLACES decimals, rounded half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_score(weight: int, score: Decimal) -> Decimal:
    """One indicator's share of the total, weight × score / 100 rounded half up to 2 decimals
    (a total itself is rounded once, over the exact sum: weighted_total)."""
    return round_score(weighted_points(weight, score))


def weighted_total(weighted: list[tuple[int, Decimal]]) -> Decimal:
    """The total of (weight, score) pairs: the sum of weight × score / 100, rounded half up to 2
    decimals (DESIGN.md section 7, results). weighted_total_sql is the same rule in SQL."""
    return round_score(sum((weighted_points(weight, score) for weight, score in weighted), Decimal(0)))


def weighted_total_sql(weight: str, score: str) -> str:
    """weighted_total as an SQL aggregate over the rows' `weight` and `score` expressions.
    PostgreSQL's round(numeric, n) rounds half away from zero: half up for scores, never negative."""
    return f"round(sum({weight} * {score}) / 100.0, {SCORE_PLACES})"


# A missing entry counts 0 and is listed as missing (DESIGN.md section 7, entries).
MISSING_SCORE = Decimal("0")
# A computed indicator's score when it is met and when it is not (reserve_cadres: 100 or 0).
FULL_SCORE, NO_SCORE = Decimal("100"), Decimal("0")
# disclosures_on_time scores 100 when no disclosure fell due in the period (DESIGN.md section 7).
NOTHING_DUE_SCORE = Decimal("100")

# A run scores one town per chunk (its quota and ranks are the town's); a failed chunk is tried
# again this many times before the run fails (issue 9, scoring).
CHUNK_RETRIES = 3

# decisions_procedure: a decision started in the period (its first meeting held in it), neither
# withdrawn nor voted down by the counting day, follows its procedure when every step of it
# (rights_lists.choices.PROCEDURE_STEPS, 四议两公开) was held and adopted by that day and each
# publication already due was made in time: the resolution within PUBLICATION_DUE_DAYS of the last
# step, the outcome within as many days of the implementation (DESIGN.md section 3, R1 and R9; our
# reading). 100 when the village started none.
NO_DECISION_SCORE = Decimal("100")

# violations_handled: a violation of the covenant that occurred in the period is handled in time
# when it was confirmed within this many days of occurring and, when an appeal was filed, the
# appeal was decided within as many days of its filing (our choice: one month for each step;
# issue 9, point 3). One still within its days and unhandled counts neither way; 100 when none.
VIOLATION_HANDLING_DAYS = 30
NO_VIOLATION_SCORE = Decimal("100")

# sanction_deductions: 100 minus this many points per disciplinary sanction in force on the
# counting day (supervision.models.records, standing and not yet ended) against a person holding a post in
# the unit that day, never below 0 (disciplinary sanctions as deductions, issue 9, point 3; our
# figure).
SANCTION_DEDUCTION_POINTS = Decimal("20")

# duty_report (述职评议): the villagers' representatives vote satisfied, basically satisfied or
# dissatisfied on the unit's duty report; the score is (satisfied × 100 + basically satisfied ×
# 60 + dissatisfied × 0) / all votes, rounded half up to 2 decimals. Our reading of the Jiangsu
# opinions' satisfaction weighting (DESIGN.md section 3), which fixes no figure. A unit without an
# evaluation for the period scores 0, as a missing entry does (DESIGN.md section 7, entries).
DUTY_REPORT_POINTS: dict[str, int] = {"satisfied": 100, "basically_satisfied": 60, "dissatisfied": 0}
NO_DUTY_REPORT_SCORE = Decimal("0")


def duty_report_score(satisfied: int, basically_satisfied: int, dissatisfied: int) -> Decimal:
    """The score the computed indicator duty_report gives these votes: points per vote
    (DUTY_REPORT_POINTS) over all votes, rounded half up to 2 decimals; no votes score
    NO_DUTY_REPORT_SCORE. duty_report_score_sql is the same rule in SQL."""
    votes = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "dissatisfied": dissatisfied}
    total = sum(votes.values())
    if not total:
        return NO_DUTY_REPORT_SCORE
    points = sum(count * DUTY_REPORT_POINTS[field] for field, count in votes.items())
    return round_score(Decimal(points) / total)


def duty_report_score_sql(votes: str) -> str:
    """duty_report_score as an SQL expression over the vote columns of the row `votes` (a table
    alias); a missing row (all NULL, a LEFT JOIN's) or no votes score NO_DUTY_REPORT_SCORE.
    PostgreSQL's round(numeric, n) rounds half away from zero: half up for scores, never negative."""
    points = " + ".join(f"{votes}.{field} * {weight}" for field, weight in DUTY_REPORT_POINTS.items())
    total = " + ".join(f"{votes}.{field}" for field in DUTY_REPORT_POINTS)
    return f"coalesce(round(({points})::numeric / nullif({total}, 0), {SCORE_PLACES}), {NO_DUTY_REPORT_SCORE}::numeric)"


# --- supervision records of cadres (issue 9, point 1) ----------------------------------------------


class DisciplinaryKind(models.TextChoices):
    """Kinds of disciplinary sanction (处分): party discipline (中国共产党纪律处分条例 art. 8) and
    administrative sanctions of public office holders (公职人员政务处分法 art. 7)."""

    WARNING = "warning", _("警告")
    SERIOUS_WARNING = "serious_warning", _("严重警告")
    DEMERIT = "demerit", _("记过")
    MAJOR_DEMERIT = "major_demerit", _("记大过")
    DEMOTION = "demotion", _("降级")
    REMOVAL_FROM_PARTY_POST = "removal_from_party_post", _("撤销党内职务")
    REMOVAL_FROM_POST = "removal_from_post", _("撤职")
    PARTY_PROBATION = "party_probation", _("留党察看")
    EXPULSION = "expulsion", _("开除")


# How long a sanction lasts, in months, from the day it is decided: 警告 6, 记过 12, 记大过 18,
# 降级 and 撤职 24 (公职人员政务处分法 art. 8); the party's 严重警告 is read as 12 and 撤销党内职务 as
# 24, 留党察看 as its usual 12 (中国共产党纪律处分条例 art. 10-12: "one or two years"); an expulsion
# is for life, which for the allowance means the rest of the term: read as 60 months (one term of
# village committees, Organic Law art. 13).
SANCTION_MONTHS: dict[str, int] = {
    DisciplinaryKind.WARNING: 6,
    DisciplinaryKind.SERIOUS_WARNING: 12,
    DisciplinaryKind.DEMERIT: 12,
    DisciplinaryKind.MAJOR_DEMERIT: 18,
    DisciplinaryKind.DEMOTION: 24,
    DisciplinaryKind.REMOVAL_FROM_PARTY_POST: 24,
    DisciplinaryKind.REMOVAL_FROM_POST: 24,
    DisciplinaryKind.PARTY_PROBATION: 12,
    DisciplinaryKind.EXPULSION: 60,
}

# The deduction a sanction carries: a percentage of the cadre's monthly allowance and bonus
# (补贴和奖金) withheld for every month the sanction is in force. "Allowances and bonuses of
# sanctioned staff are reduced" (Guangyuan plan; Nanhai task 08) fixes no figure; these defaults
# are our reading, graded by the sanction's weight, and every sanction may carry its own figure
# (the deciding body's). The remuneration (issue 9, point 5) reads `deduction_percent` of the
# sanctions in force on the month's last day; when several are in force the largest applies, they
# do not add up (DisciplinarySanctionQuerySet.deduction_percent_by_person).
DEFAULT_DEDUCTION_PERCENT: dict[str, int] = {
    DisciplinaryKind.WARNING: 10,
    DisciplinaryKind.SERIOUS_WARNING: 20,
    DisciplinaryKind.DEMERIT: 20,
    DisciplinaryKind.MAJOR_DEMERIT: 30,
    DisciplinaryKind.DEMOTION: 50,
    DisciplinaryKind.REMOVAL_FROM_PARTY_POST: 50,
    DisciplinaryKind.REMOVAL_FROM_POST: 100,
    DisciplinaryKind.PARTY_PROBATION: 50,
    DisciplinaryKind.EXPULSION: 100,
}
MAX_DEDUCTION_PERCENT = 100


class MajorMatterCategory(models.TextChoices):
    """重大事项报告: what a cadre reports (领导干部报告个人有关事项规定, adapted to village cadres)."""

    MARRIAGE_AND_FAMILY = "marriage_and_family", _("本人婚姻变化及配偶、子女情况")
    TRAVEL_ABROAD = "travel_abroad", _("因私出国（境）")
    RELATIVES_BUSINESS = "relatives_business", _("配偶、子女经商办企业")
    PROPERTY_AND_INCOME = "property_and_income", _("房产、投资和收入")
    COLLECTIVE_MATTER = "collective_matter", _("涉及集体“三资”的重大事项")
    OTHER = "other", _("其他重大事项")


class AuditKind(models.TextChoices):
    """Economic responsibility audits (经济责任审计) of a cadre: in office or on leaving it."""

    IN_OFFICE = "in_office", _("任中审计")
    ON_LEAVING = "on_leaving", _("离任审计")


# The posts whose holder has a pre-appointment integrity talk (任前廉洁谈话) before taking office:
# every post of the two committees (villages.choices.TWO_COMMITTEE_POSITIONS: secretary, deputy
# secretary and members of the party committee, director, deputy director and members of the
# villagers' committee, 一肩挑) and the cooperative head (Guangyuan plan: 新任村"两委"成员; DESIGN.md
# section 3). A post is new, and needs its talk, unless the same person held the same post in the
# same division until the day it started (re-elected without a break: the talk went with the first
# term; our reading). A current post without one is flagged.
INTEGRITY_TALK_POSTS = (*TWO_COMMITTEE_POSITIONS, PositionKind.COOPERATIVE_HEAD)
# A talk counts for a post when it was held with the person, in the post's division, on or before
# the day the post started and no more than this many days before it (our reading: the talk goes
# with the appointment, a talk from an earlier term does not count).
INTEGRITY_TALK_WINDOW_DAYS = 180

# The leadership posts (village and cooperative 主要负责人): party secretary, committee director, 一肩挑
# and cooperative head. One who leaves such a post has an economic responsibility audit on leaving
# (离任审计; Guangxi §15). A post ended (its ended_on, the first day without it, on or before the
# day counted) is flagged from that day until an audit is recorded: a standing audit of kind
# ON_LEAVING of the person in the post's division whose audited period reaches into the post
# (period_to on or after the post started), made before or after leaving alike (our reading: no
# grace period, since the rule fixes none; the flag says the audit is not recorded yet). One who
# continues in a leadership post of the same division from the day they left (re-elected, or the
# secretary become 一肩挑) has not left.
LEADERSHIP_POSTS = (
    PositionKind.PARTY_SECRETARY,
    PositionKind.COMMITTEE_DIRECTOR,
    PositionKind.SECRETARY_AND_DIRECTOR,
    PositionKind.COOPERATIVE_HEAD,
)
# Who is shown the leadership posts left without an audit: those who view economic audits, where
# they view them (the inspectors, the town and the district).
AUDIT_PERMISSION = "supervision.view_economicaudit"
# Who is shown the posts without a talk: those who view integrity talks, where they view them.
TALK_PERMISSION = "supervision.view_integritytalk"


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; a day the month lacks becomes the first of the next month
    (governance.periods.same_day_later, so every period in the portal ends alike)."""
    return same_day_later(day, months=months)


# --- duty report evaluations (述职评议) --------------------------------------------------------------

# Who records a village's (community's) evaluation: whoever enters the scores of the unit's
# assessment, the town (DUTY_REPORT_PERMISSION, held at the village).
DUTY_REPORT_PERMISSION = "supervision.add_scoreentry"
# A cooperative reports on its duty to the village party organisation, which records the
# evaluation (Nanhai task 09: 经济社向村党组织述职评议). In the portal the village clerk records it
# on the organisation's behalf: who holds this right at the cooperative's village (granted to
# village clerks alone, supervision/grants.py). The town reads it but does not record it.
COOPERATIVE_DUTY_REPORT_PERMISSION = "supervision.evaluate_dutyreportevaluation"


class EvaluatingBody(models.TextChoices):
    """Which body evaluated a duty report (Nanhai task 09): a cooperative's, its village party
    organisation; a village's (community's), the town."""

    VILLAGE_PARTY_ORGANISATION = "village_party_organisation", _("村党组织")
    TOWN = "town", _("镇（街道）")


def evaluating_body(unit_level: str) -> str:
    """The body that evaluates the duty report of a unit of `unit_level`."""
    return EvaluatingBody.VILLAGE_PARTY_ORGANISATION if unit_level == UnitLevel.COOPERATIVE else EvaluatingBody.TOWN


def duty_report_permission(unit_level: str) -> str:
    """The right that records the duty report evaluation of a unit of `unit_level`, held at the
    unit's village for a cooperative (COOPERATIVE_DUTY_REPORT_PERMISSION), at the unit for a
    village (DUTY_REPORT_PERMISSION)."""
    return COOPERATIVE_DUTY_REPORT_PERMISSION if unit_level == UnitLevel.COOPERATIVE else DUTY_REPORT_PERMISSION


# The most votes of one kind an evaluation takes: more than any villagers' assembly casts, and low
# enough that the indicator's integer arithmetic (votes × 100, summed) stays in range.
MAX_VOTES = 100_000
VOTE_FIELDS = ("satisfied", "basically_satisfied", "dissatisfied")


# --- remuneration of cadres (村干部报酬, issue 9 point 5) ---------------------------------------------

# The remuneration's parts, in the order every output lists them (Guangyuan plan: base +
# assessment performance + collective income bonus; Nanhai task 08: sanctioned staff's allowances
# and bonuses are reduced).
BASE, PERFORMANCE, BONUS, DEDUCTION = "base", "performance", "bonus", "deduction"
PARTS = (BASE, PERFORMANCE, BONUS, DEDUCTION)

# A rule is set by a town for its units or by the district for all of them; a unit is paid by its
# town's rule for the period when there is one, else by the district's (our reading: the town pays
# its cadres, the district sets the default). Lengths of the division codes, nearest first.
RULE_PRECEDENCE = (9, 6)
RULE_LEVELS = ("town", "district")

# What a sanction's percent is applied to: the month's base, performance and bonus together (the
# cadre's allowance 补贴 is the base; performance and the bonus are the bonuses 奖金), Nanhai task
# 08 and DEFAULT_DEDUCTION_PERCENT (the deduction's percent "of the cadre's monthly allowance and bonus").
DEDUCTED_PARTS = (BASE, PERFORMANCE, BONUS)

# Percent as a whole number of a hundred (integer arithmetic, DESIGN.md section 3).
PERCENT = 100


# --- chief weights of a scheme (Nanhai task 09; Jiangsu (十)) ----------------------------------------

# Cooperatives are assessed by the town chiefly on central work (Nanhai task 09: 镇街对经济社的考核以
# 中心工作为主): a scheme of level cooperative has an indicator with this reserved code, and it
# carries the largest weight, strictly more than any other indicator (our reading of "chiefly": a
# tie is not "chiefly"); otherwise the scheme is refused (400 on `indicators`).
CENTRAL_WORK = "central_work"
# In a scheme assessing community workers (Scheme.community_workers, a scheme of level village),
# residents' satisfaction carries the largest weight (Jiangsu (十): 群众满意度占主要权重): the
# indicator with this reserved code (entered, or computed from the duty report votes with source
# duty_report) weighs strictly more than any other. A scheme that does not is kept, and says so
# (Scheme.warnings: the scheme page and the API's `warnings`).
RESIDENTS_SATISFACTION = "residents_satisfaction"


def carries_largest_weight(weights: dict[str, int], code: str) -> bool:
    """Whether the indicator `code` is in `weights` ({code: weight}) and weighs strictly more
    than every other indicator."""
    if code not in weights:
        return False
    return all(weight < weights[code] for other, weight in weights.items() if other != code)


# --- party members in cooperative committees (Nanhai party-building plan) -------------------------

# A cooperative committee (经济社社委): its head and its committee members current on a day.
COOPERATIVE_COMMITTEE_POSITIONS = (PositionKind.COOPERATIVE_HEAD, PositionKind.COOPERATIVE_COMMITTEE_MEMBER)
# "The share of party members in cooperative committees rises by 5 percentage points by the end of
# 2023 over the 2021 general election" (Nanhai party-building plan: 到2023年底，经济社社委中党员比例
# 比2021年换届时提高5个百分点). The baseline is the committees current on the day after the 2021
# general election: Guangdong's village and cooperative elections (村（社区）"两委"和经济社换届) ran
# from January to May 2021, so the committees current on 30 June 2021 are the elected ones (our
# choice of day). The target day is the plan's end of 2023. Shares are compared in integer
# arithmetic: the share on a day meets the target when party members × 100 × baseline members ≥
# (baseline party members × 100 + 5 × baseline members) × members. A committee already all party
# members at the baseline cannot rise: its target is 100 (our reading).
PARTY_SHARE_BASELINE_DAY = datetime.date(2021, 6, 30)
PARTY_SHARE_TARGET_DAY = datetime.date(2023, 12, 31)
PARTY_SHARE_RISE_POINTS = 5
# Shares are shown in percent with 2 decimals (governance.reporting.percent).
PARTY_SHARE_PLACES = 2


def party_share_target(baseline_party_members: int, baseline_members: int) -> tuple[int, int] | None:
    """The target share as a fraction (part, whole) whose percent (governance.reporting.percent)
    is the baseline share plus PARTY_SHARE_RISE_POINTS points, at most 100; None without a
    committee member at the baseline."""
    if not baseline_members:
        return None
    whole = PERCENT * baseline_members
    return min(baseline_party_members * PERCENT + PARTY_SHARE_RISE_POINTS * baseline_members, whole), whole


def party_share_target_met(
    party_members: int, members: int, baseline_party_members: int, baseline_members: int
) -> bool | None:
    """Whether `party_members` of `members` reaches the target (party_share_target), in integer
    arithmetic: party_members / members ≥ part / whole. None when either day has no committee
    member (nothing to compare)."""
    target = party_share_target(baseline_party_members, baseline_members)
    if target is None or not members:
        return None
    part, whole = target
    return party_members * whole >= part * members
