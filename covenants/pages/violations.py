"""Pages of violations (违约记录): the register, recording one in a village, a violation's page
with its sanctions, and the steps of its workflow (confirm, appeal, decide the appeal, rectify).
Every write is a service of covenants.services, which re-checks the acting user's right inside
its transaction (four eyes included) and records the audit trail."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, RedirectView

from covenants import services
from covenants.filters import RECORDED, ViolationPageFilterSet, state_of
from covenants.forms import AppealForm, ConfirmViolationForm, DecideAppealForm, RectifyForm, ReferForm, ViolationForm
from covenants.models import Violation
from covenants.pages.base import (
    VIOLATION_RELATED,
    ViolationActionView,
    sanction_text,
    tier_texts,
    village_of_the_add_button,
    village_to_record_in,
)
from covenants.pages.evidence import evidence_context
from covenants.services.sanctions import in_force, sanctions_of
from covenants.texts import describe_tier
from governance import clock
from governance.guards import require_another_user
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin


class ViolationListView(ScopedFilterListView):
    """违约记录: the violations in the user's jurisdiction, newest first, each with the sanctions
    it causes today, derived for the whole page's people in one query (covenants.services.sanctions)."""

    model = Violation
    filterset_class = ViolationPageFilterSet
    shown_filters = ("division", "severity", "state", "occurred_from", "occurred_to")
    template_name = "covenants/violation_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*VIOLATION_RELATED).order_by("-occurred_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        today = clock.today()
        by_person = sanctions_of({violation.person_id for violation in rows}) if rows else {}
        tier_texts(rows, (s for person_sanctions in by_person.values() for s in person_sanctions))
        for violation in rows:
            violation.state_label = state_of(violation)
            violation.sanctions_today = [
                sanction_text(sanction)
                for sanction in in_force(by_person.get(violation.person_id, []), today)
                if sanction.violation_id == violation.pk
            ]
        context["object_list"] = rows
        context["record_in"] = village_of_the_add_button(self.request, "covenants.add_violation")
        return context


class ViolationsToConfirmView(LoginRequiredMixin, RedirectView):
    """The home page's link: the register, showing the violations waiting for the user's confirmation."""

    def get_redirect_url(self, *args, **kwargs):
        return reverse("covenants:violations") + "?" + urlencode({"state": RECORDED, "to_confirm": "true"})


class ViolationDetailView(ScopedQuerysetMixin, DetailView):
    """A violation: the facts, the clause, its state and what it causes, with the steps open to the user."""

    model = Violation
    template_name = "covenants/violation_detail.html"
    context_object_name = "violation"

    def get_queryset(self):
        return super().get_queryset().select_related(*VIOLATION_RELATED, "recorded_by", "confirmed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        violation = self.object
        today = clock.today()
        sanctions = [
            s
            for s in sanctions_of([violation.person_id]).get(violation.person_id, [])
            if s.violation_id == violation.pk
        ]
        context.update(
            state_label=state_of(violation),
            tier_text=describe_tier(sanctions),
            sanctions=[
                {"text": sanction_text(s), "in_force": s.in_force_on(today), "ends_on": s.ends_on} for s in sanctions
            ],
            may_confirm=services.may_confirm(user, violation),
            may_appeal=services.may_appeal(user, violation),
            may_decide_appeal=services.may_decide_appeal(user, violation),
            may_rectify=services.may_rectify(user, violation),
            may_refer=services.may_refer(user, violation),
            **evidence_context(user, violation),
        )
        return context


class ViolationCreateView(LoginRequiredMixin, FormView):
    """登记违约: record a violation in a village (divisions/<code>/violations/new/): 404 outside the
    jurisdiction or for what is no village, 403 without the right to record there."""

    form_class = ViolationForm
    template_name = "covenants/violation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_to_record_in(request.user, self.kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "village": self.village}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("person", "").isdigit():
            initial["person"] = self.request.GET["person"]
        initial["occurred_on"] = clock.today()
        return initial

    def form_valid(self, form):
        try:
            violation = services.record_violation(acting_user=self.request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记违约，等待认定。"))
        return HttpResponseRedirect(reverse("covenants:violation", args=[violation.pk]))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "village": self.village}


class ViolationConfirmView(ViolationActionView):
    """认定: by someone other than the recorder, where they may confirm (four eyes)."""

    form_class = ConfirmViolationForm
    scope_action = "confirm"

    @property
    def heading(self):
        return _("认定违约")

    @property
    def success_message(self):
        return _("已认定该违约。")

    def check_step(self, user, violation):
        if not violation.awaits_confirmation:
            raise Http404  # nothing left to confirm
        require_another_user(violation.recorded_by_id, user)

    def initial_values(self):
        return {"confirmed_on": clock.today(), "severity": self.violation.severity}

    def perform(self, form):
        return services.confirm_violation(
            self.violation,
            acting_user=self.request.user,
            confirmed_on=form.cleaned_data["confirmed_on"],
            severity=form.cleaned_data["severity"],
        )


class ViolationAppealView(ViolationActionView):
    """申诉: a clerk files the person's appeal against a confirmed violation."""

    form_class = AppealForm
    scope_action = "change"

    @property
    def heading(self):
        return _("登记申诉")

    @property
    def success_message(self):
        return _("已登记申诉，等待镇（街道）处理。")

    def check_step(self, user, violation):
        if not violation.open_to_appeal:
            raise Http404

    def initial_values(self):
        return {"filed_on": clock.today()}

    def perform(self, form):
        return services.file_appeal(
            self.violation,
            acting_user=self.request.user,
            filed_on=form.cleaned_data["filed_on"],
            reason=form.cleaned_data["reason"],
        )


class ViolationDecideAppealView(ViolationActionView):
    """申诉处理: the town decides; upheld, the appeal lifts everything the violation caused."""

    form_class = DecideAppealForm
    scope_action = "decide_appeal"

    @property
    def heading(self):
        return _("处理申诉")

    @property
    def success_message(self):
        return _("已处理申诉。")

    def check_step(self, user, violation):
        if not violation.appeal_pending:
            raise Http404

    def initial_values(self):
        return {"decided_on": clock.today()}

    def perform(self, form):
        return services.decide_appeal(
            self.violation,
            acting_user=self.request.user,
            upheld=form.cleaned_data["upheld"],
            decided_on=form.cleaned_data["decided_on"],
        )


class ViolationRectifyView(ViolationActionView):
    """整改完成: the restrictions lasting until rectification end that day."""

    form_class = RectifyForm
    scope_action = "change"

    @property
    def heading(self):
        return _("登记整改完成")

    @property
    def success_message(self):
        return _("已登记整改完成。")

    def check_step(self, user, violation):
        if violation.rectified_on is not None:
            raise Http404

    def initial_values(self):
        return {"rectified_on": clock.today()}

    def perform(self, form):
        return services.mark_rectified(
            self.violation, acting_user=self.request.user, rectified_on=form.cleaned_data["rectified_on"]
        )


class ViolationReferView(ViolationActionView):
    """移送: a confirmed serious violation handed to a department."""

    form_class = ReferForm
    scope_action = "change"

    @property
    def heading(self):
        return _("移送有关部门")

    @property
    def success_message(self):
        return _("已登记移送。")

    def check_step(self, user, violation):
        if not services.may_refer(user, violation):
            raise Http404

    def initial_values(self):
        return {"referred_on": clock.today()}

    def perform(self, form):
        return services.refer_violation(self.violation, acting_user=self.request.user, **form.cleaned_data)
