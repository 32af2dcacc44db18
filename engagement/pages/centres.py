"""The pages of service centres, operating funds, emergency plans and drills:

- 服务中心与应急 (`engagement/centres/?division=&year=`): a town's (or district's) table, one row per
  village or community: its centre against 30 m² per 100 households and 70% (Jiangsu 六), its fund
  of the year against 380,000 yuan (Jiangsu 十一), its plans and drills (Jiangsu 九), each target
  met or missed;
- a village's page (`engagement/centres/<code>/`): its centre, its funds by year, its plans with
  their last drill and whether one is due, the latest drills; the buttons to record each;
- the forms: the centre (recorded or corrected), a year's fund, a plan, a drill (on a phone);
- the plans due a drill (`engagement/centres/plans/due/`), where the home page's count leads.

Every page finds its records through restrict(): a division or record outside the visitor's
jurisdiction is 404, a form inside it without the right 403; each write is a service of
engagement.services.centres, whose refusals come back onto the form's fields.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from engagement.choices import (
    CENTRE_M2_PER_100_HOUSEHOLDS,
    CENTRE_MIN_SERVICE_SHARE_PERCENT,
    DRILL_REMINDER_DAYS,
    MIN_OPERATING_FUND_FEN,
)
from engagement.forms.centres import CentreForm, DrillForm, FundForm, PlanForm, TableFilterForm
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.pages.places import division_asked_for, village_where
from engagement.querysets.centres import (
    NO_CENTRE,
    centre_figures,
    drill_figures,
    drill_row,
    fund_amounts,
    fund_figures,
    service_share,
    village_units,
)
from engagement.services import centres as services
from governance import clock
from governance.access.querysets import held_condition, holds_anywhere, holds_in
from governance.money import fen_text, fen_to_yuan, yuan_to_fen
from governance.pages.actions import ServiceFormView
from villages.models import Division

VIEW_PERM = "engagement.view_servicecentre"
DRILL_PERM = "engagement.add_drill"


def may_view_centres(user) -> bool:
    """The navigation's item: for those who view service centres somewhere (no query)."""
    return holds_anywhere(user, VIEW_PERM)


def records_drills_somewhere(user) -> bool:
    return holds_anywhere(user, DRILL_PERM)


def plans_due_a_drill(user):
    """The plans due a drill today (none within a year) where `user` may record drills: the
    home page's count and the page it leads to (one query)."""
    plans = EmergencyPlan.objects.restrict(user, "view")
    if not getattr(user, "is_superuser", False):
        condition = held_condition(user, DRILL_PERM, "division__code")
        if condition is None:
            return plans.none()
        plans = plans.filter(condition)
    return plans.due_a_drill(clock.today())


def village_url(code: str) -> str:
    return reverse("engagement:centres_village", args=[code])


def targets() -> dict:
    """The numbers the pages state beside the figures (engagement/choices.py)."""
    return {
        "m2_per_100": CENTRE_M2_PER_100_HOUSEHOLDS,
        "service_share": CENTRE_MIN_SERVICE_SHARE_PERCENT,
        "fund_minimum": fen_text(MIN_OPERATING_FUND_FEN),
        "drill_days": DRILL_REMINDER_DAYS,
    }


# --- the town's table ------------------------------------------------------------------------------


def village_table(user, division: Division, year: int) -> list[dict]:
    """One row per village or community of the division: its centre, its fund of `year` and its
    plans and drills of that year (counted to its last day, or today while it runs). Five
    queries whatever the number of villages."""
    today = clock.today()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    day = min(end, today)
    centres = centre_figures(ServiceCentre.objects.restrict(user, "view"), division.code, today)
    amounts = fund_amounts(OperatingFund.objects.restrict(user, "view"), division.code, year, today)
    drills = drill_figures(
        EmergencyPlan.objects.restrict(user, "view"),
        Drill.objects.restrict(user, "view"),
        division.code,
        start,
        day,
        today,
    )
    rows = []
    for village in village_units(Division.objects.restrict(user, "view"), division.code, today):
        code = village["code"]
        fund = fund_figures(amounts.get(code))
        rows.append(
            {
                **village,
                **centres.get(code, NO_CENTRE),
                **fund,
                "amount_text": None if fund["amount_fen"] is None else fen_text(fund["amount_fen"]),
                "topup_text": None if fund["county_topup_fen"] is None else fen_text(fund["county_topup_fen"]),
                **{f"drill_{key}": value for key, value in drills.get(code, drill_row()).items()},
            }
        )
    return rows


class CentresTableView(LoginRequiredMixin, TemplateView):
    """服务中心与应急: `?division=<code>&year=<year>` (the visitor's jurisdiction, this year by default)."""

    template_name = "engagement/centres_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not may_view_centres(user):
            raise Http404
        division = division_asked_for(user, self.request.GET.get("division"), VIEW_PERM)
        form = TableFilterForm(self.request.GET or None)
        year = (form.cleaned_data.get("year") if form.is_valid() else None) or clock.today().year
        rows = village_table(user, division, year)
        context.update(
            division=division,
            form=form,
            year=year,
            rows=rows,
            targets=targets(),
            totals={
                "villages": len(rows),
                "meets_area": sum(1 for row in rows if row["meets_area"]),
                "meets_service_share": sum(1 for row in rows if row["meets_service_share"]),
                "meets_minimum": sum(1 for row in rows if row["meets_minimum"]),
                "plans_due": sum(row["drill_plans_due"] for row in rows),
                "without_plan": sum(1 for row in rows if not row["drill_plans"]),
            },
        )
        return context


# --- a village's page ------------------------------------------------------------------------------


class VillageCentresView(LoginRequiredMixin, TemplateView):
    """A village's centre, funds by year, plans with their last drill, the latest drills."""

    template_name = "engagement/centres_village.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        village = village_where(user, VIEW_PERM, self.kwargs["code"])
        today = clock.today()
        centre = ServiceCentre.objects.restrict(user, "view").filter(division=village).first()
        funds = list(OperatingFund.objects.restrict(user, "view").filter(division=village).order_by("-year"))
        for fund in funds:
            fund.amount_text = fen_text(fund.amount_fen)
            fund.topup_text = fen_text(fund.county_topup_fen)
        plans = list(
            EmergencyPlan.objects.restrict(user, "view")
            .filter(division=village)
            .with_drill_due(today)
            .order_by("-adopted_on", "id")
        )
        drills = list(
            Drill.objects.restrict(user, "view")
            .filter(plan__division=village)
            .select_related("plan")
            .order_by("-held_on", "-id")[:20]
        )
        context.update(
            village=village,
            centre=centre,
            centre_share=service_share(centre.service_area_m2, centre.area_m2) if centre else None,
            funds=funds,
            plans=plans,
            drills=drills,
            targets=targets(),
            may_edit_centre=holds_in(
                user, "engagement.change_servicecentre" if centre else "engagement.add_servicecentre", village.code
            ),
            may_add_fund=holds_in(user, "engagement.add_operatingfund", village.code),
            may_change_fund=holds_in(user, "engagement.change_operatingfund", village.code),
            may_add_plan=holds_in(user, "engagement.add_emergencyplan", village.code),
            may_change_plan=holds_in(user, "engagement.change_emergencyplan", village.code),
            may_add_drill=holds_in(user, DRILL_PERM, village.code),
        )
        return context


class PlansDueView(LoginRequiredMixin, TemplateView):
    """应急预案待演练: the plans due a drill where the visitor records drills (the home count's page)."""

    template_name = "engagement/centres_plans_due.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plans = list(
            plans_due_a_drill(user).select_related("division__parent").order_by("division_id", "adopted_on", "id")[:500]
        )
        context.update(plans=plans, targets=targets())
        return context


# --- the forms --------------------------------------------------------------------------------------


class VillageFormView(LoginRequiredMixin, FormView):
    """A form about a village (`<code>`): 404 unless the visitor views the theme there, 403
    without `perm` there; the service has the last word."""

    perm = ""
    template_name = "engagement/centres_form.html"
    heading = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_where(request.user, VIEW_PERM, self.kwargs["code"])
            if not holds_in(request.user, self.required_perm(), self.village.code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def required_perm(self) -> str:
        return self.perm

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(village_url(self.village.code))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.village,
            "heading": self.heading,
            "cancel_url": village_url(self.village.code),
        }


class CentreEditView(VillageFormView):
    """党群服务中心: record the village's centre, or correct it."""

    form_class = CentreForm

    def dispatch(self, request, *args, **kwargs):
        self.centre = ServiceCentre.objects.filter(division_id=self.kwargs["code"]).first()
        return super().dispatch(request, *args, **kwargs)

    def required_perm(self) -> str:
        return "engagement.change_servicecentre" if self.centre else "engagement.add_servicecentre"

    @property
    def heading(self):
        return _("修改党群服务中心") if self.centre else _("登记党群服务中心")

    @property
    def success_message(self):
        return _("已保存党群服务中心。")

    def get_initial(self):
        if self.centre is None:
            return {}
        return {
            "area_m2": self.centre.area_m2,
            "service_area_m2": self.centre.service_area_m2,
            "households_served": self.centre.households_served,
        }

    def perform(self, form):
        return services.save_centre(acting_user=self.request.user, division_code=self.village.code, **form.cleaned_data)


class FundAddView(VillageFormView):
    """登记运转经费: a year's fund of the village, in yuan."""

    form_class = FundForm
    perm = "engagement.add_operatingfund"

    @property
    def heading(self):
        return _("登记运转经费")

    @property
    def success_message(self):
        return _("已登记运转经费。")

    def perform(self, form):
        data = form.cleaned_data
        return services.record_fund(
            acting_user=self.request.user,
            division_code=self.village.code,
            year=data["year"],
            amount_fen=yuan_to_fen(data["amount"]),
        )


class FundEditView(ServiceFormView):
    """修改运转经费: the amount of a year's fund (the year stays)."""

    queryset = OperatingFund.objects.select_related("division__parent")
    form_class = FundForm
    scope_action = "change"
    template_name = "engagement/centres_form.html"

    @property
    def heading(self):
        return _("修改运转经费")

    @property
    def success_message(self):
        return _("已保存运转经费。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fixed_year": True}

    def get_initial(self):
        return {"year": self.object.year, "amount": fen_to_yuan(self.object.amount_fen)}

    def perform(self, form):
        return services.change_fund(
            self.object, acting_user=self.request.user, amount_fen=yuan_to_fen(form.cleaned_data["amount"])
        )

    def success_url_for(self, result) -> str:
        return village_url(self.object.division_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.object.division,
            "cancel_url": village_url(self.object.division_id),
        }


class PlanAddView(VillageFormView):
    """新建应急预案."""

    form_class = PlanForm
    perm = "engagement.add_emergencyplan"

    @property
    def heading(self):
        return _("新建应急预案")

    @property
    def success_message(self):
        return _("已登记应急预案。")

    def perform(self, form):
        return services.adopt_plan(acting_user=self.request.user, division_code=self.village.code, **form.cleaned_data)


class PlanEditView(ServiceFormView):
    """修改应急预案: its title, adoption day, people trained."""

    queryset = EmergencyPlan.objects.select_related("division__parent")
    form_class = PlanForm
    scope_action = "change"
    template_name = "engagement/centres_form.html"

    @property
    def heading(self):
        return _("修改应急预案")

    @property
    def success_message(self):
        return _("已保存应急预案。")

    def get_initial(self):
        plan = self.object
        return {"title": plan.title, "adopted_on": plan.adopted_on, "people_trained": plan.people_trained}

    def perform(self, form):
        return services.change_plan(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return village_url(self.object.division_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.object.division,
            "cancel_url": village_url(self.object.division_id),
        }


class DrillAddView(ServiceFormView):
    """登记演练, on a phone: a drill of the plan (today by default)."""

    queryset = EmergencyPlan.objects.select_related("division__parent")
    form_class = DrillForm
    template_name = "engagement/centres_drill_form.html"

    def check_step(self, user, plan) -> None:
        if not holds_in(user, DRILL_PERM, plan.division_id):
            raise PermissionDenied

    @property
    def heading(self):
        return _("登记演练")

    @property
    def success_message(self):
        return _("已登记演练。")

    def perform(self, form):
        return services.record_drill(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return village_url(self.object.division_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.object.division,
            "cancel_url": village_url(self.object.division_id),
        }


ACTIVE_VIEWS = (
    "engagement:centres",
    "engagement:centres_village",
    "engagement:centres_centre_edit",
    "engagement:centres_fund_add",
    "engagement:centres_fund_edit",
    "engagement:centres_plan_add",
    "engagement:centres_plan_edit",
    "engagement:centres_drill_add",
    "engagement:centres_plans_due",
)

URLS: list = [
    path("engagement/centres/", CentresTableView.as_view(), name="centres"),
    path("engagement/centres/plans/due/", PlansDueView.as_view(), name="centres_plans_due"),
    path("engagement/centres/funds/<int:pk>/edit/", FundEditView.as_view(), name="centres_fund_edit"),
    path("engagement/centres/plans/<int:pk>/edit/", PlanEditView.as_view(), name="centres_plan_edit"),
    path("engagement/centres/plans/<int:pk>/drills/new/", DrillAddView.as_view(), name="centres_drill_add"),
    path("engagement/centres/<str:code>/", VillageCentresView.as_view(), name="centres_village"),
    path("engagement/centres/<str:code>/centre/", CentreEditView.as_view(), name="centres_centre_edit"),
    path("engagement/centres/<str:code>/funds/new/", FundAddView.as_view(), name="centres_fund_add"),
    path("engagement/centres/<str:code>/plans/new/", PlanAddView.as_view(), name="centres_plan_add"),
]
