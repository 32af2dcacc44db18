"""Choices and the named rules of the grids app (DESIGN.md sections 2 and 3; docs/domain.md).

Events reported in a grid follow one flow (Guangxi §12 §17: 研判、处置、评价、监督考核):
reported → assessed (研判: handled in the village, or whistled to departments, 吹哨报到) →
handled (办结) → evaluated by the reporter (评价, 回访) → closed. A dissatisfied evaluation sends the
event back to assessed, to be handled again; the evaluation is kept. Whoever recorded the handling
does not close it (查办分离, Nanhai task 10).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventState(models.TextChoices):
    REPORTED = "reported", _("已上报")
    ASSESSED = "assessed", _("已研判")
    HANDLED = "handled", _("已办结")
    EVALUATED = "evaluated", _("已评价")
    CLOSED = "closed", _("已关闭")


class Route(models.TextChoices):
    """Where the assessment sends an event (研判)."""

    VILLAGE = "village", _("村（社区）自行处置")
    WHISTLE = "whistle", _("吹哨报到")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class StepKind(models.TextChoices):
    """The steps of an event's history, one per service action."""

    REPORT = "report", _("上报")
    ASSESS = "assess", _("研判")
    HANDLE = "handle", _("处置")
    EVALUATE = "evaluate", _("评价")
    CLOSE = "close", _("关闭")
    ARRIVE = "arrive", _("部门报到")


class PhotoStage(models.TextChoices):
    REPORT = "report", _("上报照片")
    HANDLING = "handling", _("处置照片")


# The state each step requires, and the state it leaves (a step out of order is refused, 400).
STEP_FROM: dict[str, tuple[str, ...]] = {
    StepKind.ASSESS: (EventState.REPORTED,),
    StepKind.HANDLE: (EventState.ASSESSED,),
    StepKind.EVALUATE: (EventState.HANDLED,),
    StepKind.CLOSE: (EventState.EVALUATED,),
    StepKind.ARRIVE: (EventState.ASSESSED,),
}

# Grid service satisfaction: at least 90% of the evaluated events satisfied or basically satisfied
# (Jiangsu 一, by 2025). Percent, compared with ≥.
SATISFACTION_TARGET_PERCENT = 90
# The evaluations counted as satisfied for that share (Jiangsu 一: 满意或基本满意).
SATISFIED_KINDS: tuple[str, ...] = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)

# The categories of events a district starts with, with their time limits in hours (data of the
# district: a district renames them, changes the limits, adds its own). The defaults are this
# project's reading of common town grid-centre practice (urgent safety matters within a day,
# disputes within three days, the rest within a week or a fortnight); the documents set the flow
# and ask for time limits (Guangxi §12 规范化处置流程), not their lengths.
DEFAULT_CATEGORIES: tuple[tuple[str, str, int], ...] = (
    ("safety_hazard", "安全隐患", 24),
    ("dispute", "矛盾纠纷", 72),
    ("environment", "环境卫生", 72),
    ("illegal_building", "违法建设", 168),
    ("public_facility", "公共设施", 168),
    ("livelihood", "民生服务", 168),
    ("other", "其他事项", 336),
)
# A category's time limit lies within these bounds (hours): at least one hour, at most 90 days.
MIN_TIME_LIMIT_HOURS = 1
MAX_TIME_LIMIT_HOURS = 90 * 24
