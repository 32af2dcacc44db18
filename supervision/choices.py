"""Choices and named rules of the supervision app: village affairs disclosure (村务公开) and
performance assessment (绩效考核), each rule with its source (DESIGN.md sections 3 and 7)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


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
DISCLOSURE_GRACE_DAYS: dict[str, int] = {Cadence.MONTHLY: 10, Cadence.QUARTERLY: 10, Cadence.AT_ONCE: 5}


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
# counting day (supervision.records, standing and not yet ended) against a person holding a post in
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
