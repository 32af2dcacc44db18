"""A unit's scorecard in a scheme (issue 9 point 7): every indicator with its weight, the score
stored for it, the points it got in the total (weight × score / 100) and the points it lost, the
entries that were missing (counted 0), where each score comes from (entered by the town, or the
computed indicator's rule), the total, the grade with the scheme's thresholds and the town's
excellent quota, and the rank in the town. Printable on A4. Read from the stored result alone."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from supervision.choices import ENTERED, MAX_SCORE, Grade, weighted_score
from supervision.models import Result, Scheme
from supervision.services.indicators import computed_indicators


def source_of(source: str) -> str:
    if source == ENTERED:
        return _("镇（街道）录入")
    indicator = computed_indicators().get(source)
    return _("系统计算：%(name)s") % {"name": indicator.name} if indicator else source


def grade_reason(scheme: Scheme, result: Result) -> str:
    """Why the unit has its grade: the threshold its total reached, and the quota when it cut."""
    total = result.total
    reached = (
        Grade.EXCELLENT
        if total >= scheme.excellent_from
        else Grade.GOOD
        if total >= scheme.good_from
        else Grade.PASS
        if total >= scheme.pass_from
        else Grade.FAIL
    )
    text = _("优秀 %(excellent)s 分以上，良好 %(good)s 分以上，合格 %(passing)s 分以上。") % {
        "excellent": scheme.excellent_from,
        "good": scheme.good_from,
        "passing": scheme.pass_from,
    }
    if reached == Grade.EXCELLENT and result.grade != Grade.EXCELLENT:
        text += _("总分达到优秀线，但镇内优秀名额（%(share)d%%）已满，评为良好。") % {"share": scheme.excellent_share}
    return text


def scorecard_rows(scheme: Scheme, result: Result, indicators) -> list[dict]:
    rows = []
    for indicator in indicators:
        missing = indicator.code in result.missing
        score = Decimal(str(result.scores.get(indicator.code, 0)))
        # Shown to 2 decimals; the total itself is rounded once, over the sum (DESIGN.md section 7).
        got = weighted_score(indicator.weight, score)
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "weight": indicator.weight,
                "score": score,
                "got": got,
                "lost": Decimal(indicator.weight) - got,
                "missing": missing,
                "full": score >= MAX_SCORE,
                "source": source_of(indicator.source),
            }
        )
    return rows


class ScorecardView(LoginRequiredMixin, TemplateView):
    """考核得分卡: /assessment/schemes/<scheme>/units/<code>/, for who may view the unit's result."""

    template_name = "supervision/scorecard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scheme = get_object_or_404(Scheme.objects.readable_by(user).select_related("division"), pk=kwargs["scheme"])
        result = get_object_or_404(
            Result.objects.restrict(user, "view").select_related("unit__parent", "town", "run"),
            run_id=scheme.scored_run_id,
            unit_id=kwargs["code"],
        )
        indicators = list(scheme.indicators.order_by("position", "id"))
        rows = scorecard_rows(scheme, result, indicators)
        context.update(
            scheme=scheme,
            result=result,
            rows=rows,
            lost=sum((row["lost"] for row in rows), Decimal(0)),
            grade_name=Grade(result.grade).label,
            grade_reason=grade_reason(scheme, result),
        )
        return context
