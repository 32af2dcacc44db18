"""The remuneration page of a scheme (issue 9 point 5): per cadre of the scheme's units in a
division, base, performance, bonus, deduction and total in yuan, each part's reason beside it, with
the XLSX download of the API (GET /api/v1/remuneration/?format=xlsx). For who reads remuneration
(supervision.remuneration_services.remuneration_scope); a fixed number of queries."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from governance.money import yuan_to_fen
from governance.pages.actions import ServiceFormView
from supervision.api.remuneration import pay_row
from supervision.choices import Grade
from supervision.models import Scheme
from supervision.pages.dashboard import division_for
from supervision.pages.incomes import may_enter_incomes
from supervision.remuneration import fen_text
from supervision.remuneration_services import may_read_remuneration, may_save_rule, remuneration_of, save_rule
from villages.choices import PositionKind
from villages.forms import BootstrapFormMixin
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

# The posts a rule's form offers a base for: the village's and cooperatives' leading posts and
# committee members (villages.choices.PositionKind), not representatives or reserve cadres.
PAID_POSTS = (
    PositionKind.PARTY_SECRETARY,
    PositionKind.COMMITTEE_DIRECTOR,
    PositionKind.SECRETARY_AND_DIRECTOR,
    PositionKind.COOPERATIVE_HEAD,
    PositionKind.COOPERATIVE_COMMITTEE_MEMBER,
)


def yuan_field(label, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=12, decimal_places=2, help_text=_("单位：元")
    )


class RuleForm(BootstrapFormMixin, forms.Form):
    """报酬规则: the period, the base of each paid post (empty: the post is not paid), the
    performance of each grade, and the collective income bonus, in yuan (saved in fen)."""

    period = forms.CharField(label=_("期间"), max_length=7, help_text=_("与考核方案的期间相同，如 2025 或 2025-H1。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in PAID_POSTS:
            self.fields[f"base_{kind}"] = yuan_field(_("基本报酬：%(post)s") % {"post": PositionKind(kind).label})
        for grade in Grade:
            self.fields[f"performance_{grade}"] = yuan_field(_("考核绩效：%(grade)s") % {"grade": grade.label})
        self.fields["bonus_threshold"] = yuan_field(_("创收奖励起点（集体经营性收入）"))
        self.fields["bonus_percent"] = forms.IntegerField(
            label=_("创收奖励比例（%）"), required=False, min_value=0, max_value=100
        )
        self.fields["bonus_cap"] = yuan_field(_("创收奖励上限"))
        self.fields["bonus_cap"].help_text = _("单位：元；不填则不设上限。")
        self.style_fields()

    def rule_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "period": data["period"],
            "bases": {
                kind: yuan_to_fen(data[f"base_{kind}"]) for kind in PAID_POSTS if data[f"base_{kind}"] is not None
            },
            "performance": {
                grade: yuan_to_fen(data[f"performance_{grade}"])
                for grade in Grade.values
                if data[f"performance_{grade}"] is not None
            },
            "bonus_threshold_fen": yuan_to_fen(data["bonus_threshold"]) or 0,
            "bonus_percent": data["bonus_percent"] or 0,
            "bonus_cap_fen": yuan_to_fen(data["bonus_cap"]),
        }


class RuleFormView(ServiceFormView):
    """制定报酬规则: /assessment/remuneration-rules/<code>/ for a town or the district, by who may set
    one there (supervision.remuneration_services.save_rule has the last word)."""

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
        return reverse("assessment:dashboard") + f"?division={rule.division_id}"
