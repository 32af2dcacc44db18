"""The award run screen (公约遵守奖) of a village or cooperative:

- `divisions/<code>/award-runs/`: the division's runs and, for those who may preview one, the form
  (period, fund in yuan, rule) whose POST previews a run through covenants.services;
- `covenants/award-runs/<pk>/`: a run with its figures (fund, paid, kept in the fund) and its
  payouts, each member's entitlement and amount paid (names and ID numbers masked for those
  who may not see personal data), the approve, recompute and discard buttons offered by the
  services' `may_*` predicates, and the bank's XLSX of an approved run (the API's payouts.xlsx);
- `covenants/award-runs/<pk>/<step>/`: the POST of each button, to its service.

Runs come from `AwardRun.objects.restrict(user, action)`: 404 outside the jurisdiction, 403 inside
it without the right.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from covenants import services
from covenants.choices import AWARD_LEVELS, AwardRule, AwardRunStatus
from covenants.forms import CovenantFormMixin
from covenants.models import AwardPayout, AwardRun
from covenants.pages.base import RecordButtonView
from covenants.payouts import payee_as_seen
from governance import clock
from governance.access.querysets import holds_in
from governance.money import fen_to_yuan
from villages.models import Division

PAYOUTS_PER_PAGE = 100


class AwardRunForm(CovenantFormMixin, forms.Form):
    """预览发放: the award period, the fund in yuan (to the fen) and the rule. The service judges
    the amount and the period (field errors in Chinese) and computes the payouts."""

    period = forms.CharField(
        label=gettext_lazy("奖励期间"), max_length=10, help_text=gettext_lazy("默认按自然年，如 2025。")
    )
    fund_yuan = forms.CharField(
        label=gettext_lazy("奖励资金（元）"), max_length=20, help_text=gettext_lazy("最多两位小数，如 10000.00。")
    )
    rule = forms.ChoiceField(label=gettext_lazy("分配办法"), choices=AwardRule.choices, initial=AwardRule.EQUAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund_yuan"].widget.attrs["inputmode"] = "decimal"
        self.style_fields()


def division_of_awards(user, code: str) -> Division:
    """The village or cooperative `code` whose award runs `user` may view: 404 otherwise."""
    division = get_object_or_404(
        Division.objects.restrict(user, "view").filter(level__in=AWARD_LEVELS).select_related("parent"), code=code
    )
    if not holds_in(user, "covenants.view_awardrun", division.code):
        # Nothing of the division's runs may be known: as for a run outside the jurisdiction.
        raise Http404
    return division


class AwardRunListView(LoginRequiredMixin, FormView):
    """公约遵守奖: a division's runs, newest period first, and the preview form."""

    template_name = "covenants/award_runs.html"
    form_class = AwardRunForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.division = division_of_awards(request.user, self.kwargs["code"])
            self.may_preview = holds_in(request.user, "covenants.add_awardrun", self.division.code)
            if request.method == "POST" and not self.may_preview:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"period": str(clock.today().year - 1), "rule": AwardRule.EQUAL}

    def form_valid(self, form):
        try:
            run = services.preview_award_run(
                acting_user=self.request.user,
                division=self.division,
                period=form.cleaned_data["period"],
                fund_yuan=form.cleaned_data["fund_yuan"],
                rule=form.cleaned_data["rule"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已生成发放预览，请核对后交由他人批准。"))
        return HttpResponseRedirect(reverse("covenants:award_run", args=[run.pk]))

    def get_context_data(self, **kwargs):
        runs = (
            AwardRun.objects.restrict(self.request.user, "view")
            .with_totals()
            .filter(division=self.division)
            .select_related("created_by", "approved_by")
            .order_by("-period", "-id")
        )
        return {
            **super().get_context_data(**kwargs),
            "division": self.division,
            "runs": [
                dict(
                    run=run,
                    fund_yuan=fen_to_yuan(run.fund_fen),
                    paid_yuan=fen_to_yuan(run.paid_fen),
                    kept_yuan=fen_to_yuan(run.kept_fen),
                )
                for run in runs
            ],
            "may_preview": self.may_preview,
        }


class AwardRunDetailView(LoginRequiredMixin, View):
    """A run: its figures, its payouts (a page of PAYOUTS_PER_PAGE) and the steps open to the user."""

    def get(self, request, pk):
        user = request.user
        queryset = AwardRun.objects.restrict(user, "view").with_totals()
        run = get_object_or_404(queryset.select_related("division__parent", "created_by", "approved_by"), pk=pk)
        may_see_payouts = holds_in(user, "covenants.view_awardpayout", run.division_id)
        page = None
        lines = []
        if may_see_payouts:
            page = Paginator(AwardPayout.objects.restrict(user, "view").lines_of(run), PAYOUTS_PER_PAGE).get_page(
                request.GET.get("page")
            )
            for payout in page:
                name, id_number = payee_as_seen(user, payout.person)
                lines.append(
                    {
                        "payout": payout,
                        "name": name,
                        "id_number": id_number,
                        "entitlement_yuan": fen_to_yuan(payout.entitlement_fen),
                        "amount_yuan": fen_to_yuan(payout.amount_fen),
                    }
                )
        context = {
            "run": run,
            "fund_yuan": fen_to_yuan(run.fund_fen),
            "paid_yuan": fen_to_yuan(run.paid_fen),
            "kept_yuan": fen_to_yuan(run.kept_fen),
            "may_see_payouts": may_see_payouts,
            "page_obj": page,
            "lines": lines,
            "may_approve": services.may_approve_award_run(user, run),
            "may_recompute": services.may_recompute_award_run(user, run),
            "may_discard": services.may_discard_award_run(user, run),
            "may_download": may_see_payouts and run.status == AwardRunStatus.APPROVED,
        }
        return render(request, "covenants/award_run_detail.html", context)


class AwardRunStepView(RecordButtonView):
    """The POST of a run's button: `step` names the service, `scope_action` the right it needs."""

    queryset = AwardRun.objects.all()

    def success_url_for(self, result) -> str:
        return reverse("covenants:award_run", args=[self.object.pk])


class AwardRunApproveView(AwardRunStepView):
    scope_action = "approve"
    step = services.approve_award_run
    success_message = gettext_lazy("已批准，发放名单已冻结。")


class AwardRunRecomputeView(AwardRunStepView):
    scope_action = "change"
    step = services.recompute_award_run
    success_message = gettext_lazy("已按今日的成员和违约情况重新计算。")


class AwardRunDiscardView(AwardRunStepView):
    scope_action = "change"
    step = services.discard_award_run
    success_message = gettext_lazy("已作废该发放预览。")
