"""Pages of the supervision register (监督记录): a list per kind of record (sanctions, integrity
talks, major matter reports, economic audits, the conduct negative list), a record's page with its
correction chain, filing and correcting a record, an audit's follow-up, and the leadership posts
recorded without an integrity talk. Every write is a service of supervision.services.records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, RedirectView

from governance import clock
from governance.access.querysets import holds_anywhere, holds_in, jurisdiction_codes
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin, object_for
from supervision.choices import AUDIT_PERMISSION, TALK_PERMISSION
from supervision.filters import record_page_filterset
from supervision.forms import FollowUpForm, RecordForm
from supervision.models import (
    ConductNegativeItem,
    DisciplinarySanction,
    EconomicAudit,
    IntegrityTalk,
    MajorMatterReport,
)
from supervision.services import records as services

RELATED = ("division__parent", "person", "corrected_by", "recorded_by")


class Kind:
    """One kind of record in the register: its model, its heading, the fields its page shows,
    what its list says in a line, the fields a filing takes and the service that files it."""

    def __init__(self, slug, model, heading, date_field, summary, shown, filed, file, *, with_position=False):
        self.slug = slug
        self.model = model
        self.heading = heading
        self.date_field = date_field
        self.summary = summary  # record → the list's line
        self.shown = shown  # the record page's fields, in order
        self.filed = filed  # the fields a filing form asks for, besides the person and division
        self.file = file
        self.with_position = with_position

    def view_perm(self) -> str:
        return f"supervision.view_{self.model._meta.model_name}"


KINDS: dict[str, Kind] = {
    "sanctions": Kind(
        "sanctions",
        DisciplinarySanction,
        _("处分"),
        "decided_on",
        lambda r: f"{r.get_kind_display()} · {r.decided_by} · {r.deduction_percent}% × {r.deduction_months}",
        (
            "kind",
            "decided_on",
            "decided_by",
            "basis",
            "negative_item",
            "facts",
            "deduction_percent",
            "deduction_months",
            "ends_on",
        ),
        ("kind", "decided_on", "decided_by", "basis", "facts", "deduction_percent", "deduction_months"),
        services.file_sanction,
    ),
    "integrity-talks": Kind(
        "integrity-talks",
        IntegrityTalk,
        _("任前廉洁谈话"),
        "held_on",
        lambda r: r.talked_by,
        ("held_on", "talked_by", "summary"),
        ("held_on", "talked_by", "summary"),
        services.file_integrity_talk,
    ),
    "major-matters": Kind(
        "major-matters",
        MajorMatterReport,
        _("重大事项报告"),
        "reported_on",
        lambda r: r.get_category_display(),
        ("category", "reported_on", "matter"),
        ("category", "reported_on", "matter"),
        services.file_major_matter_report,
    ),
    "audits": Kind(
        "audits",
        EconomicAudit,
        _("经济责任审计"),
        "reported_on",
        lambda r: f"{r.get_kind_display()} · {r.auditor}",
        (
            "kind",
            "period_from",
            "period_to",
            "reported_on",
            "auditor",
            "findings",
            "follow_up",
            "follow_up_done_on",
            "follow_up_result",
        ),
        ("kind", "period_from", "period_to", "reported_on", "auditor", "findings", "follow_up"),
        services.file_economic_audit,
    ),
}
NEGATIVE_LIST = "negative-list"


def kind_of(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def kinds_for(user) -> list[Kind]:
    """The kinds the user views somewhere (the register's tabs; no query: grants are cached)."""
    return [kind for kind in KINDS.values() if user.is_superuser or jurisdiction_codes(user, kind.view_perm())]


def may_view_register(user) -> bool:
    return bool(kinds_for(user)) or bool(jurisdiction_codes(user, "supervision.view_conductnegativeitem"))


def shown_fields(record, names) -> list[tuple[str, object]]:
    """(label, value) of each field, choices by their label, empty as —."""
    rows = []
    for name in names:
        field = record._meta.get_field(name)
        value = getattr(record, f"get_{name}_display")() if field.choices else getattr(record, name)
        rows.append((field.verbose_name, "—" if value in (None, "") else value))
    return rows


# --- the register -----------------------------------------------------------------------------------


class RegisterHomeView(LoginRequiredMixin, RedirectView):
    """监督记录: the first kind the visitor may view (404 for those who view none)."""

    def get_redirect_url(self, *args, **kwargs):
        kinds = kinds_for(self.request.user)
        if kinds:
            return reverse("supervision:record_list", args=[kinds[0].slug])
        if jurisdiction_codes(self.request.user, "supervision.view_conductnegativeitem"):
            return reverse("supervision:negative_list")
        raise Http404


class RecordListView(ScopedFilterListView):
    """One kind's records in the visitor's jurisdiction, newest first; current ones by default."""

    template_name = "supervision/record_list.html"
    shown_filters = ("division", "name", "standing")
    default_filters = {"standing": "true"}

    def dispatch(self, request, *args, **kwargs):
        self.kind = kind_of(kwargs["kind"])
        self.model = self.kind.model
        self.filterset_class = record_page_filterset(self.model)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED).order_by(f"-{self.kind.date_field}", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = list(context["object_list"])
        for record in rows:
            record.day = getattr(record, self.kind.date_field)
            record.summary = self.kind.summary(record)
        context.update(
            object_list=rows,
            kind=self.kind,
            kinds=kinds_for(user),
            may_file=user.is_superuser
            or bool(jurisdiction_codes(user, f"supervision.add_{self.model._meta.model_name}")),
            shows_negative_list=bool(jurisdiction_codes(user, "supervision.view_conductnegativeitem"))
            or user.is_superuser,
        )
        return context


class RecordDetailView(ScopedQuerysetMixin, DetailView):
    """A record: its fields, what it corrects and what corrected it, and the steps open to the visitor."""

    template_name = "supervision/record_detail.html"
    context_object_name = "record"

    def dispatch(self, request, *args, **kwargs):
        self.kind = kind_of(kwargs["kind"])
        self.model = self.kind.model
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED, "corrects")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        user = self.request.user
        context.update(
            kind=self.kind,
            fields=shown_fields(record, self.kind.shown),
            corrected_by=None if record.is_standing else record.corrected_by,
            may_correct=services.may_correct(user, record),
            may_follow_up=isinstance(record, EconomicAudit) and services.may_record_follow_up(user, record),
        )
        return context


# --- filing and correcting ---------------------------------------------------------------------------


class RecordFileView(LoginRequiredMixin, FormView):
    """登记监督记录 (or, with a record in the URL, 更正: a new record naming the one it corrects)."""

    form_class = RecordForm
    template_name = "supervision/record_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.kind = kind_of(kwargs["kind"])
        self.correcting = None
        if request.user.is_authenticated:
            user = request.user
            if "pk" in kwargs:
                queryset = self.kind.model.objects.select_related(*RELATED)
                self.correcting = object_for(user, queryset, "add", pk=kwargs["pk"])
                if not services.may_correct(user, self.correcting):
                    raise PermissionDenied
            elif not (
                user.is_superuser or jurisdiction_codes(user, f"supervision.add_{self.kind.model._meta.model_name}")
            ):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "kind": self.kind,
            "correcting": self.correcting,
        }

    def get_initial(self):
        if self.correcting is None:
            return {"person": self.request.GET.get("person") or None}
        old = self.correcting
        return {
            "person": old.person_id,
            "division": old.division_id,
            **{name: getattr(old, name) for name in self.kind.filed},
        }

    def form_valid(self, form):
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        if self.correcting is not None:
            data["corrects"] = self.correcting
        try:
            record = self.kind.file(acting_user=self.request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记。"))
        return HttpResponseRedirect(reverse("supervision:record", args=[self.kind.slug, record.pk]))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "kind": self.kind, "correcting": self.correcting}


class AuditFollowUpView(ServiceFormView):
    """登记整改: an audit's follow-up is done (once, by those who may change audits where it lies)."""

    queryset = EconomicAudit.objects.select_related(*RELATED)
    form_class = FollowUpForm
    template_name = "supervision/record_follow_up.html"
    heading = _("登记整改结果")
    success_message = _("整改结果已登记。")

    def check_step(self, user, audit):
        if not services.may_record_follow_up(user, audit):
            raise PermissionDenied

    def get_initial(self):
        return {"done_on": clock.today()}

    def perform(self, form):
        return services.record_audit_follow_up(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, audit):
        return reverse("supervision:record", args=["audits", audit.pk])


# --- the negative list and the posts without a talk ---------------------------------------------------


class NegativeListView(ScopedQuerysetMixin, ListView):
    """干部职务行为负面清单: the items issued where the visitor may see them, with their basis."""

    model = ConductNegativeItem
    template_name = "supervision/record_negative_list.html"
    paginate_by = 100

    def get_queryset(self):
        return super().get_queryset().select_related("division").order_by("division_id", "number")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "kinds": kinds_for(self.request.user)}


def talkless_count(user) -> int:
    """The home page's count of talkless_posts_for today: one query, for those who view
    integrity talks somewhere (none for anyone else)."""
    if not holds_anywhere(user, TALK_PERMISSION):
        return 0
    return IntegrityTalk.objects.talkless_posts_for(user, clock.today()).count()


class TalklessPostsView(LoginRequiredMixin, ListView):
    """任前廉洁谈话缺失: current leadership posts recorded without a pre-appointment integrity talk,
    among the positions the visitor may view, where they may view integrity talks."""

    template_name = "supervision/record_talkless.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            IntegrityTalk.objects.talkless_posts_for(self.request.user, clock.today())
            .select_related("person", "division__parent")
            .order_by("division_id", "id")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "kinds": kinds_for(user),
            "may_file_talk": holds_anywhere(user, "supervision.add_integritytalk"),
        }


def unaudited_departures_count(user) -> int:
    """The home page's count of leadership posts left without an audit on leaving, today: the
    list's queryset (EconomicAudit.objects.departures_for); one query, for those who view
    economic audits somewhere (none for anyone else)."""
    if not holds_anywhere(user, AUDIT_PERMISSION):
        return 0
    return EconomicAudit.objects.departures_for(user, clock.today()).filter(has_leaving_audit=False).count()


class UnauditedDeparturesView(LoginRequiredMixin, ListView):
    """离任审计缺失: leadership posts left without an economic responsibility audit on leaving
    (Guangxi §15), among the positions the visitor may view, where they view economic audits."""

    template_name = "supervision/record_unaudited.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            EconomicAudit.objects.departures_for(self.request.user, clock.today())
            .filter(has_leaving_audit=False)
            .select_related("person", "division__parent")
            .order_by("division_id", "ended_on", "id")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "kinds": kinds_for(user),
            "may_file_audit": holds_anywhere(user, "supervision.add_economicaudit"),
        }


def person_departures(person, request) -> dict | None:
    """离任审计 on a person's page: the leadership posts they left without an audit on leaving, for
    those who view economic audits where the person is registered (one query); None for anyone
    else, at no query, and when nothing is missing."""
    user = request.user
    if not holds_in(user, AUDIT_PERMISSION, person.village_code()):
        return None
    missing = list(
        EconomicAudit.objects.departures_for(user, clock.today())
        .filter(person_id=person.pk, has_leaving_audit=False)
        .select_related("division__parent")
        .order_by("ended_on", "id")
    )
    if not missing:
        return None
    return {"posts": missing, "may_file_audit": holds_in(user, "supervision.add_economicaudit", person.village_code())}


def person_records(person, request) -> dict | None:
    """监督记录 on a person's page, for those who supervise cadres where the person is registered
    (PERSON_PANEL_PERMISSION: inspectors and the district): the standing records about them of each
    kind, one query per kind, with the deduction in force today; None for anyone else, at no query
    (a town official reads the records in the register)."""
    user = request.user
    code = person.village_code()
    if not holds_in(user, PERSON_PANEL_PERMISSION, code):
        return None
    shown = [kind for kind in KINDS.values() if holds_in(user, kind.view_perm(), code)]
    today = clock.today()
    sections = []
    for kind in shown:
        rows = list(
            kind.model.objects.restrict(user, "view")
            .standing()
            .filter(person=person)
            .order_by(f"-{kind.date_field}", "-id")[:PERSON_PANEL_ROWS]
        )
        for record in rows:
            record.day = getattr(record, kind.date_field)
            record.summary = kind.summary(record)
            record.in_force_today = isinstance(record, DisciplinarySanction) and record.in_force_on(today)
        sections.append({"kind": kind, "records": rows})
    return {"person": person, "sections": sections, "today": today}


# How many records of each kind a person's page lists (the register has the rest), and who sees
# them there: those who read every kind of record (major matter reports are the inspectors' and the
# district's alone, supervision/grants.py).
PERSON_PANEL_ROWS = 20
PERSON_PANEL_PERMISSION = "supervision.view_majormatterreport"
