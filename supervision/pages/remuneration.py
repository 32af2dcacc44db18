"""The remuneration page of a scheme (issue 9 point 5): per cadre of the scheme's units in a
division, base, performance, bonus, deduction and total in yuan, each part's reason beside it, with
the XLSX download of the API (GET /api/v1/remuneration/?format=xlsx). For who reads remuneration
(supervision.services.remuneration.remuneration_scope); a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from governance.money import fen_text
from governance.pages.actions import ServiceFormView
from supervision.forms import RuleForm
from supervision.models import Scheme
from supervision.pages.dashboard import division_for
from supervision.pages.incomes import may_enter_incomes
from supervision.services.remuneration import (
    may_read_remuneration,
    may_save_rule,
    pay_row,
    remuneration_of,
    save_rule,
)
from villages.models import Division


class RemunerationView(LoginRequiredMixin, TemplateView):
    """村干部报酬: /assessment/schemes/<scheme>/remuneration/?division=<code>."""

    template_name = "supervision/remuneration.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scheme = get_object_or_404(Scheme.objects.readable_by(user).select_related("division"), pk=kwargs["scheme"])
        if not may_read_remuneration(user):
            raise PermissionDenied
        division = division_for(user, self.request.GET.get("division") or scheme.division_id)
        rows = [pay_row(pay) for pay in remuneration_of(user, scheme, division.code)]
        for row in rows:
            for part in row["parts"]:
                part["yuan"] = fen_text(part["amount_fen"])
        context.update(
            scheme=scheme,
            division=division,
            may_save_rule=may_save_rule(user, scheme.division),
            may_enter_incomes=may_enter_incomes(user),
            rows=rows,
            total=fen_text(sum(row["total_fen"] for row in rows)),
        )
        return context


# --- the rule's form ------------------------------------------------------------------------------


class RuleFormView(ServiceFormView):
    """制定报酬规则: /assessment/remuneration-rules/<code>/ for a town or the district, by who may set
    one there (supervision.services.remuneration.save_rule has the last word)."""

    form_class = RuleForm
    template_name = "supervision/remuneration_rule_form.html"

    def find_record(self, user):
        return get_object_or_404(Division.objects.restrict(user, "view"), code=self.kwargs["code"])

    def check_step(self, user, division) -> None:
        if not may_save_rule(user, division):
            raise PermissionDenied

    def get_initial(self):
        return {"period": self.request.GET.get("period", "")}

    def perform(self, form):
        return save_rule(acting_user=self.request.user, division=self.object, **form.rule_fields())

    def form_valid(self, form):
        self.success_message = _("报酬规则已保存。")
        return super().form_valid(form)

    def success_url_for(self, rule) -> str:
        return reverse("supervision:dashboard") + f"?division={rule.division_id}"
