"""Pages of decisions (四议两公开): the register (filtered by state, village and procedure), the
town's review queue, opening a decision on an item in force, a decision's timeline (its steps
with their figures, votes and the rule applied, its publications, implementation, attachments
and withdrawal), and the forms of each next step, each one call of rights_lists.services.

The step form says, before it is submitted, which rule a figure breaks: StepPreviewView runs
services.assess_step, the very checks record_step refuses a step with, on what has been typed so
far, saving nothing, and renders their messages under the fields (htmx). The form also shows the
rule in force for each body that may sit (rights_lists.rules.rules_in).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from governance.access.querysets import holds_anywhere, holds_in, jurisdiction_codes
from governance.clock import today
from governance.pages.files import private_file_url
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin, object_for
from governance.uploads import UploadLimitMixin, human_size
from rights_lists import rules, services
from rights_lists.choices import (
    DECIDING_CODE_LENGTHS,
    ENDED_UNDONE_STATES,
    PROCEDURE_STEPS,
    VILLAGE_CODE_LENGTH,
    WITHDRAWABLE_STATES,
    DecisionState,
    PublicationKind,
    Step,
    first_implementation_day,
)
from rights_lists.filters import DecisionFilterSet
from rights_lists.forms.decisions import (
    STEP_FIELDS,
    AttachmentForm,
    ImplementationForm,
    OpenDecisionForm,
    PublicationForm,
    StepForm,
    WithdrawForm,
)
from rights_lists.models import Decision, DecisionAttachment, Implementation
from rights_lists.pages.base import (
    DECISION_RELATED,
    DecisionStepView,
    deciding_division,
    decision_url,
    describe_rule,
    minimums,
    rules_for_bodies,
    yuan,
)


def state_badge(state: str) -> str:
    """The Bootstrap colour of a state's badge."""
    return {
        DecisionState.OPEN: "text-bg-primary",
        DecisionState.NOT_ADOPTED: "text-bg-danger",
        DecisionState.ADOPTED: "text-bg-success",
        DecisionState.RESOLUTION_PUBLISHED: "text-bg-success",
        DecisionState.IMPLEMENTED: "text-bg-info",
        DecisionState.CLOSED: "text-bg-secondary",
        DecisionState.WITHDRAWN: "text-bg-warning",
    }[state]


def annotate_rows(decisions) -> list[Decision]:
    """What a row of the register shows: the state's colour and the steps recorded of those
    required (the steps prefetched)."""
    rows = list(decisions)
    for decision in rows:
        decision.badge = state_badge(decision.state)
        decision.steps_done = len(decision.steps.all())
        decision.steps_total = len(PROCEDURE_STEPS[decision.procedure])
    return rows


def section_links(user, chosen: str = "") -> dict:
    """The tabs of the rights_lists pages: the village (or cooperative) whose items in force a
    decision is opened from, when the visitor may open one there (the one filtered by, or a
    clerk's only village; no query: the grants are cached on the user), and the review queue for
    the town's reviewers."""
    codes = jurisdiction_codes(user, "rights_lists.add_decision")
    deciding = len(chosen) in DECIDING_CODE_LENGTHS and chosen.isdigit()
    if deciding and holds_in(user, "rights_lists.add_decision", chosen):
        open_code = chosen
    elif len(codes) == 1 and len(codes[0]) >= VILLAGE_CODE_LENGTH:
        open_code = codes[0]
    else:
        open_code = None
    # The items in force of the division filtered by, for who reads lists there (the tab).
    readable = deciding and holds_in(user, "rights_lists.view_listitem", chosen)
    return {
        "open_code": open_code,
        "items_code": chosen if readable else open_code,
        "reviewer": holds_anywhere(user, "rights_lists.review_decision"),
    }


# --- the register and the review queue -----------------------------------------------------------


class DecisionListView(ScopedFilterListView):
    """决策登记: the decisions in the visitor's jurisdiction, newest first, with their progress."""

    model = Decision
    filterset_class = DecisionFilterSet
    shown_filters = ("state", "division", "procedure")
    template_name = "rights_lists/decision_list.html"

    def get_queryset(self):
        return super().get_queryset().for_register().order_by("-opened_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_rows(context["object_list"])
        context.update(section_links(self.request.user, self.request.GET.get("division", "")))
        return context


class ReviewQueueView(LoginRequiredMixin, ListView):
    """镇级审核: the open decisions whose one step is the town's review, where the visitor records
    it (review_decision), oldest first. Empty for who reviews nowhere."""

    template_name = "rights_lists/review_queue.html"
    paginate_by = 50

    def get_queryset(self):
        return Decision.objects.awaiting_review_by(self.request.user).for_register().order_by("opened_at", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_rows(context["object_list"])
        context.update(section_links(self.request.user))
        return context


# --- opening a decision --------------------------------------------------------------------------


class DecisionOpenView(LoginRequiredMixin, FormView):
    """新建决策 in a village or cooperative (divisions/<code>/decisions/new/, `?item=` preselects
    an item in force): 404 outside the jurisdiction, 403 without the right to open decisions."""

    form_class = OpenDecisionForm
    template_name = "rights_lists/decision_open.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.division = deciding_division(request.user, self.kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "division": self.division}

    def get_initial(self):
        item = self.request.GET.get("item", "")
        return {"item": item} if item.isdigit() else {}

    def form_valid(self, form):
        try:
            decision = services.open_decision(
                acting_user=self.request.user, division=self.division, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已新建决策，按“%(procedure)s”程序办理。") % {"procedure": decision.get_procedure_display()},
        )
        return HttpResponseRedirect(decision_url(decision.pk))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.division}


# --- a decision's timeline -----------------------------------------------------------------------


def timeline_of(decision: Decision, attachments: list[DecisionAttachment]) -> list[dict]:
    """Each step of the procedure in order: the meeting recorded for it (or None: still to come),
    with the files of that meeting."""
    recorded = {row.step: row for row in decision.steps.all()}
    by_step: dict[int, list] = {}
    for attachment in attachments:
        by_step.setdefault(attachment.step_id, []).append(attachment)
    timeline = []
    for step, bodies in PROCEDURE_STEPS[decision.procedure]:
        row = recorded.get(step)
        timeline.append(
            {
                "step": step,
                "label": Step(step).label,
                "bodies": "、".join(rules.body_name(body) for body in bodies),
                "row": row,
                "attachments": by_step.get(row.pk, []) if row else [],
            }
        )
    return timeline


def attachment_rows(attachments) -> list[DecisionAttachment]:
    for attachment in attachments:
        attachment.url = private_file_url(attachment)
        attachment.human_size = human_size(attachment.size)
    return attachments


class DecisionDetailView(ScopedQuerysetMixin, DetailView):
    """A decision: its item and procedure, the timeline of its steps (date, body, expected with
    the records' figure when it differs, present, votes, adopted or not and the rule applied),
    its publications, implementation, attachments and withdrawal, and the steps open to the
    visitor (services' may_* predicates). A fixed number of queries."""

    model = Decision
    template_name = "rights_lists/decision_detail.html"
    context_object_name = "decision"

    def get_queryset(self):
        return super().get_queryset().select_related(*DECISION_RELATED).with_recorded_timeline().with_attachments()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        decision = self.object
        attachments = attachment_rows(list(decision.attachments.all()))
        publications = {publication.kind: publication for publication in decision.publications.all()}
        try:
            implementation = decision.implementation
        except Implementation.DoesNotExist:
            implementation = None
        upcoming = services.next_step(decision)
        context.update(
            # Not adopted or withdrawn: what was not done will not be (no step, publication or
            # implementation is pending; choices.ENDED_UNDONE_STATES).
            ended_undone=decision.state in ENDED_UNDONE_STATES,
            badge=state_badge(decision.state),
            amount_yuan=yuan(decision.amount_fen),
            timeline=timeline_of(decision, attachments),
            general_attachments=[attachment for attachment in attachments if attachment.step_id is None],
            resolution=publications.get(PublicationKind.RESOLUTION),
            outcome=publications.get(PublicationKind.OUTCOME),
            implementation=implementation,
            next_step_label=Step(upcoming[0]).label if upcoming else "",
            may_record_step=services.may_record_next_step(user, decision),
            may_publish_resolution=services.may_publish(user, decision, PublicationKind.RESOLUTION),
            may_implement=services.may_record_implementation(user, decision),
            may_publish_outcome=services.may_publish(user, decision, PublicationKind.OUTCOME),
            may_withdraw=services.may_withdraw(user, decision),
            may_attach=services.may_add_attachment(user, decision),
            # Not adopted: the matter may be put again, as a new decision on the same item.
            may_reopen=decision.state == DecisionState.NOT_ADOPTED
            and holds_in(user, "rights_lists.add_decision", decision.division_id),
        )
        return context


# --- the step form and its preview -------------------------------------------------------------


def records_for(decision: Decision, bodies) -> dict[str, int | None]:
    """The expected count the portal's records give today for each body that may sit."""
    on, areas = today(), {}
    return {body: rules.expected_from_records(body, decision.division_id, on, areas) for body in bodies}


class NextStepMixin:
    """The decision's next step and its bodies, open to the visitor: 404 when the decision is
    not open or has no step left, 403 when they may record it with none of its bodies."""

    def check_step(self, user, decision) -> None:
        upcoming = services.next_step(decision) if decision.state == DecisionState.OPEN else None
        if upcoming is None:
            raise Http404
        self.step, self.bodies = upcoming
        if not any(services.may_record_step(user, decision, body) for body in self.bodies):
            raise PermissionDenied(_("您无权登记该决策的这一步骤。"))

    def step_form_kwargs(self) -> dict:
        return {"step": self.step, "bodies": self.bodies, "records": records_for(self.object, self.bodies)}


class StepRecordView(NextStepMixin, DecisionStepView):
    """登记会议: the next step's meeting, refused with the rule and the numbers under the field
    that breaks it; the same messages show while typing (StepPreviewView)."""

    form_class = StepForm
    template_name = "rights_lists/step_form.html"

    @property
    def heading(self):
        return _("登记“%(step)s”") % {"step": Step(self.step).label}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.step_form_kwargs()}

    def get_initial(self):
        return {"held_on": today(), "votes_against": 0, "abstentions": 0}

    def perform(self, form):
        row = services.record_step(self.object, acting_user=self.request.user, **form.figures())
        label = Step(row.step).label
        if row.adopted:
            self.success_message = _("已登记“%(step)s”：通过。") % {"step": label}
        else:
            self.success_message = _("已登记“%(step)s”：未通过，本决策未获通过。") % {"step": label}
        return row

    def get_context_data(self, **kwargs):
        decision = self.object
        return {
            **super().get_context_data(**kwargs),
            "rules": rules_for_bodies(decision.division_id, self.bodies),
            "step_label": Step(self.step).label,
            "preview_url": reverse("rights_lists:step_preview", args=[decision.pk]),
        }


class StepPreviewView(LoginRequiredMixin, NextStepMixin, View):
    """POST (htmx, from the step form as it is typed): what record_step would say of these
    figures, saving nothing: services.assess_step's messages under the fields they concern, the
    rule of the body, the smallest counts that meet it, and whether the meeting would adopt."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = object_for(
                request.user, Decision.objects.select_related(*DECISION_RELATED), "view", pk=kwargs["pk"]
            )
            self.check_step(request.user, self.object)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        decision = self.object
        # The records' counts only word the form's help; assess_step reads the one it needs.
        form = StepForm(request.POST, step=self.step, bodies=self.bodies, records={})
        form.is_valid()
        typed = form.typed_so_far()
        assessment = services.assess_step(decision, step=self.step, **typed)
        messages_by_field: dict[str, list[str]] = {name: [] for name in STEP_FIELDS if name in form.fields}
        for name, errors in form.errors.as_data().items():
            if name in messages_by_field:
                messages_by_field[name] += [
                    message for error in errors if error.code != "required" for message in error.messages
                ]
        for name, errors in assessment.errors.items():
            # An expected count not typed yet, where the records have none, is still to be typed
            # (the field's help says so), like the form's own "required": no refusal while typing.
            if name == "expected" and typed.get("expected") is None and assessment.from_records is None:
                continue
            messages_by_field.setdefault(name, []).extend(errors)
        rule = assessment.rule
        context = {
            "decision": decision,
            "assessment": assessment,
            "fields": messages_by_field,
            "refused": any(messages_by_field.values()),
            "rule": describe_rule(rule) if rule else None,
            "minimums": minimums(rule, expected=assessment.expected, present=typed.get("present")) if rule else None,
            "typed": typed,
        }
        return render(request, "rights_lists/step_preview.html", context)


# --- publications, implementation, withdrawal, attachments -------------------------------------


class PublicationView(DecisionStepView):
    """决议公开 (after adoption) or 实施结果公开 (after implementation, which closes the decision):
    404 for another kind or when the decision is not at that point, 403 for a viewer who may not."""

    form_class = PublicationForm

    def check_step(self, user, decision) -> None:
        self.kind = self.kwargs["kind"]
        if self.kind not in PublicationKind.values or decision.state != services.PUBLISHED_FROM[self.kind]:
            raise Http404
        if not services.may_publish(user, decision, self.kind):
            raise PermissionDenied

    @property
    def heading(self):
        return PublicationKind(self.kind).label

    @property
    def success_message(self):
        if self.kind == PublicationKind.OUTCOME:
            return _("已公开实施结果，本决策办结。")
        return _("已公开决议。")

    def get_initial(self):
        return {"published_on": today()}

    def perform(self, form):
        return services.publish_decision(
            self.object, acting_user=self.request.user, kind=self.kind, published_on=form.cleaned_data["published_on"]
        )


class ImplementationView(DecisionStepView):
    """登记实施 of a decision whose resolution was published."""

    form_class = ImplementationForm
    heading = gettext_lazy("登记实施情况")
    success_message = gettext_lazy("已登记实施情况，请在公开实施结果后办结。")

    def check_step(self, user, decision) -> None:
        if decision.state != DecisionState.RESOLUTION_PUBLISHED:
            raise Http404
        if not services.may_record_implementation(user, decision):
            raise PermissionDenied

    def get_initial(self):
        return {"done_on": today()}

    def get_form(self, form_class=None):
        """The first day implementation may be recorded under the item's publicity period (R24),
        said under the date; the service has the last word."""
        form = super().get_form(form_class)
        resolution = self.object.publications.filter(kind=PublicationKind.RESOLUTION).first()
        if resolution is not None:
            days = self.object.item.publicity_days
            published = resolution.published_on
            first = first_implementation_day(published, days)
            note = _("决议于 %(published)s 公开，公示期 %(days)s 天：%(first)s 起可登记实施。")
            form.fields["done_on"].help_text = note % {"published": published, "days": days, "first": first}
        return form

    def perform(self, form):
        return services.record_implementation(self.object, acting_user=self.request.user, **form.cleaned_data)


class WithdrawView(DecisionStepView):
    """撤回 a decision not yet carried out, with a reason (it stays, marked withdrawn)."""

    form_class = WithdrawForm
    heading = gettext_lazy("撤回决策")
    success_message = gettext_lazy("已撤回该决策。")

    def check_step(self, user, decision) -> None:
        if decision.state not in WITHDRAWABLE_STATES:
            raise Http404
        if not services.may_withdraw(user, decision):
            raise PermissionDenied

    def get_initial(self):
        return {"withdrawn_on": today()}

    def perform(self, form):
        return services.withdraw_decision(self.object, acting_user=self.request.user, **form.cleaned_data)


class AttachmentView(UploadLimitMixin, DecisionStepView):
    """添加附件 (decisions/<pk>/attachments/new/): for who may add them where the decision lies."""

    form_class = AttachmentForm
    heading = gettext_lazy("添加附件")
    success_message = gettext_lazy("已添加附件。")

    def check_step(self, user, decision) -> None:
        if not services.may_add_attachment(user, decision):
            raise PermissionDenied(_("您无权为该决策添加附件。"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "decision": self.object}

    def get_initial(self):
        step = self.request.GET.get("step", "")
        return {"step": step} if step.isdigit() else {}

    def perform(self, form):
        return services.add_attachments(
            self.object, acting_user=self.request.user, files=form.chosen_files(), step=form.cleaned_data["step"]
        )
