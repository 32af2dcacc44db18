"""The pages of visits, visiting cadres and their quotas, kept contacts:

- 走访记录 (engagement/visits/): the visits of the jurisdiction, filterable; a visit's page;
- 登记走访 (engagement/visits/new/, `?division=` preselects a village or group): the phone form,
  who visited defaulting to the visitor's own VisitingCadre profile;
- 走访干部 (engagement/visiting-cadres/), a cadre's form, a cadre's coverage
  (engagement/visiting-cadres/<id>/coverage/?period=);
- 走访覆盖 (engagement/visits/coverage/?division=&period=): a town's or district's table, per cadre
  and quota, from the same set-based function as the report (engagement.api.reports.visits);
- 联系群众 (engagement/kept-contacts/) and a person's new contact
  (engagement/kept-contacts/new/?person=<id>).

Every queryset goes through restrict(); a record out of the jurisdiction is 404, a write inside it
without the right 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from engagement.api.reports.visits import coverage_rows, visiting_cadres_in
from engagement.filters.visits import KeptContactPageFilterSet, VisitingCadrePageFilterSet, VisitPageFilterSet
from engagement.forms.visits import KeptContactForm, VisitForm, VisitingCadreForm
from engagement.models import KeptContact, Visit, VisitingCadre
from engagement.pages.dashboard import PeriodForm
from engagement.services.visits import record_visit, save_kept_contact, save_visiting_cadre
from governance import clock
from governance.access.querysets import assigned_codes, holds_anywhere, holds_in, jurisdiction_codes
from governance.pages.mixins import ScopedFilterListView, object_for
from governance.periods import Period
from villages.choices import TWO_COMMITTEE_POSITIONS, Level
from villages.models import Division, PartyMembership, Person, Position


def may_view_visits(user) -> bool:
    return holds_anywhere(user, "engagement.view_visit")


def may_record_visits(user) -> bool:
    return holds_anywhere(user, "engagement.add_visit")


def may_view_cadres(user) -> bool:
    return holds_anywhere(user, "engagement.view_visitingcadre")


def may_view_kept_contacts(user) -> bool:
    return holds_anywhere(user, "engagement.view_keptcontact")


def in_jurisdiction(user, code: str) -> bool:
    return user.is_superuser or any(code.startswith(assigned) for assigned in assigned_codes(user))


def period_of(request) -> tuple[PeriodForm, Period]:
    """The period asked for (`?period=`), this year by default or when malformed (the form says so)."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    return form, Period.parse(str(clock.today().year))


# --- visits ------------------------------------------------------------------------------------------


class VisitListView(ScopedFilterListView):
    """走访记录: by village or town (its subtree), cadre and days; one query for the page."""

    model = Visit
    filterset_class = VisitPageFilterSet
    shown_filters = ("division", "visitor", "after", "before")
    template_name = "engagement/visits_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("division__parent", "visitor", "household")
            .order_by("-visited_on", "-id")
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_record": may_record_visits(self.request.user)}


class VisitDetailView(LoginRequiredMixin, TemplateView):
    template_name = "engagement/visits_detail.html"

    def get_context_data(self, **kwargs):
        visit = get_object_or_404(
            Visit.objects.restrict(self.request.user, "view").select_related(
                "division__parent", "visitor", "household", "recorded_by"
            ),
            pk=self.kwargs["pk"],
        )
        return {**super().get_context_data(**kwargs), "visit": visit}


class VisitCreateView(LoginRequiredMixin, FormView):
    """登记走访 (`?division=<code>` preselects the place): 404 for a place outside the jurisdiction
    or where the visitor views no visit, 403 where they may not record one (or nowhere)."""

    form_class = VisitForm
    template_name = "engagement/visits_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.find_places(request.user)
        return super().dispatch(request, *args, **kwargs)

    def find_places(self, user) -> None:
        self.asked = self.request.GET.get("division", "")
        if self.asked:
            if not (self.asked.isascii() and self.asked.isdigit()) or not holds_in(
                user, "engagement.view_visit", self.asked
            ):
                raise Http404
            if not holds_in(user, "engagement.add_visit", self.asked):
                raise PermissionDenied(_("您无权在该村（组）登记走访。"))
        elif not may_record_visits(user):
            raise PermissionDenied(_("您无权登记走访。"))
        codes = jurisdiction_codes(user, "engagement.add_visit")
        held = Q()
        for code in codes:
            held |= Q(code__startswith=code)
        places = Division.objects.filter(level__in=(Level.VILLAGE, Level.COOPERATIVE)).filter(
            Q(retired_on__isnull=True)
        )
        if not user.is_superuser:
            places = places.filter(held) if codes else places.none()
        if self.asked:
            places = places.filter(code__startswith=self.asked[:12])
        self.places = list(places.select_related("parent").order_by("code"))
        self.visitors = (
            VisitingCadre.objects.restrict(user, "view").filter(active=True).order_by("division_id", "level", "name")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "visitors": self.visitors, "places": self.places}

    def get_initial(self):
        initial = super().get_initial()
        own = list(self.visitors.filter(user=self.request.user).values_list("pk", flat=True)[:2])
        if len(own) == 1:
            initial["visitor"] = own[0]
        if self.asked:
            initial["division"] = self.asked
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            visit = record_visit(
                acting_user=self.request.user,
                visitor=data["visitor"],
                division_code=data["division"],
                visited_on=data["visited_on"],
                household=data["household"],
                raised=data["raised"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except PermissionDenied:
            form.add_error("division", _("您无权在该村（组）登记走访。"))
            return self.form_invalid(form)
        messages.success(self.request, _("已登记%(name)s的走访。") % {"name": visit.visitor.name})
        return HttpResponseRedirect(reverse("engagement:visits_cadre_coverage", args=[visit.visitor_id]))


# --- visiting cadres and their coverage --------------------------------------------------------------


class VisitingCadreListView(ScopedFilterListView):
    model = VisitingCadre
    filterset_class = VisitingCadrePageFilterSet
    shown_filters = ("division", "level")
    template_name = "engagement/visits_cadres.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("division")
            .prefetch_related("villages")
            .order_by("division_id", "level", "name", "id")
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "may_add": holds_anywhere(self.request.user, "engagement.add_visitingcadre"),
        }


class VisitingCadreFormView(LoginRequiredMixin, FormView):
    """新增走访干部 / 修改走访干部 (`<pk>/edit/`): 404 out of the jurisdiction, 403 without the right."""

    form_class = VisitingCadreForm
    template_name = "engagement/visits_cadre_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.cadre = None
        if request.user.is_authenticated:
            user = request.user
            if "pk" in self.kwargs:
                self.cadre = object_for(user, VisitingCadre.objects.all(), "change", pk=self.kwargs["pk"])
            elif not holds_anywhere(user, "engagement.add_visitingcadre"):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def held(self, field: str) -> Q:
        action = "change" if self.cadre else "add"
        condition = Q(pk__in=[])
        for code in jurisdiction_codes(self.request.user, f"engagement.{action}_visitingcadre"):
            condition |= Q(**{f"{field}__startswith": code})
        return condition

    def get_form_kwargs(self):
        homes = Division.objects.filter(self.held("code"), level__in=(Level.DISTRICT, Level.TOWN)).order_by("code")
        villages = Division.objects.filter(self.held("code"), level=Level.VILLAGE, retired_on__isnull=True)
        if self.cadre is not None:
            villages = villages.filter(code__startswith=self.cadre.division_id)
        return {**super().get_form_kwargs(), "homes": homes, "villages": villages.order_by("code")}

    def get_initial(self):
        if self.cadre is None:
            return {"active": True}
        cadre = self.cadre
        return {
            "division": cadre.division_id,
            "name": cadre.name,
            "level": cadre.level,
            "term_started_on": cadre.term_started_on,
            "username": cadre.user.username if cadre.user else "",
            "villages": list(cadre.villages.values_list("code", flat=True)),
            "active": cadre.active,
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["user"] = data.pop("username")
        try:
            cadre = save_visiting_cadre(acting_user=self.request.user, cadre=self.cadre, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except PermissionDenied:
            form.add_error("division", _("您无权在该区镇登记走访干部。"))
            return self.form_invalid(form)
        messages.success(self.request, _("已保存走访干部%(name)s。") % {"name": cadre.name})
        return HttpResponseRedirect(reverse("engagement:visits_cadres"))

    def get_context_data(self, **kwargs):
        heading = _("修改走访干部") if self.cadre else _("新增走访干部")
        return {**super().get_context_data(**kwargs), "heading": heading, "cadre": self.cadre}


class CadreCoverageView(LoginRequiredMixin, TemplateView):
    """A cadre's coverage of each quota in the period (`?period=`), and their latest visits."""

    template_name = "engagement/visits_cadre_coverage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cadre = get_object_or_404(
            VisitingCadre.objects.restrict(user, "view").select_related("division"), pk=self.kwargs["pk"]
        )
        form, period = period_of(self.request)
        visits = (
            Visit.objects.restrict(user, "view")
            .filter(visitor=cadre)
            .select_related("division", "household")
            .order_by("-visited_on", "-id")[:20]
        )
        return {
            **super().get_context_data(**kwargs),
            "cadre": cadre,
            "form": form,
            "period": period,
            "rows": coverage_rows([cadre], period),
            "visits": visits,
            "may_record": may_record_visits(user),
        }


class CoverageTableView(LoginRequiredMixin, TemplateView):
    """走访覆盖: per cadre and quota of the division (`?division=`, the visitor's single assignment by
    default) and period, as the report `visit-coverage` has it."""

    template_name = "engagement/visits_coverage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not may_view_cadres(user):
            raise Http404
        code = self.request.GET.get("division") or ""
        if not code:
            codes = assigned_codes(user)
            if len(codes) != 1:
                codes = jurisdiction_codes(user, "engagement.view_visitingcadre")
            code = codes[0] if codes else ""
        if not code or not (code.isascii() and code.isdigit()):
            raise Http404
        division = get_object_or_404(Division.objects.restrict(user, "view"), code=code)
        if not holds_in(user, "engagement.view_visitingcadre", code):
            raise Http404
        form, period = period_of(self.request)
        rows = coverage_rows(visiting_cadres_in(VisitingCadre.objects.restrict(user, "view"), division), period)
        met = sum(1 for row in rows if row["target_met"])
        return {
            **super().get_context_data(**kwargs),
            "division": division,
            "form": form,
            "period": period,
            "rows": rows,
            "met": met,
        }


# --- kept contacts ------------------------------------------------------------------------------------


class KeptContactListView(ScopedFilterListView):
    model = KeptContact
    filterset_class = KeptContactPageFilterSet
    shown_filters = ("division", "kind")
    template_name = "engagement/visits_contacts.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person__division", "household")
            .order_by("person__division_id", "person__name", "kind", "since", "id")
        )

    def get_context_data(self, **kwargs):
        """For who may add contacts: the village cadres and party members they may add them for
        (one query), to pick one."""
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if holds_anywhere(user, "engagement.add_keptcontact"):
            held = Q(pk__in=[])
            for code in jurisdiction_codes(user, "engagement.add_keptcontact"):
                held |= Q(division__code__startswith=code)
            people = keepers(user, clock.today()).filter(held).order_by("division_id", "name", "id")
            context["keepers"] = list(people.values("pk", "name", "division__name")[:500])
        return context


def keepers(user, on):
    """The village cadres and party members the visitor may add contacts for (one queryset)."""
    cadre = Position.objects.filter(person_id=OuterRef("pk"), kind__in=TWO_COMMITTEE_POSITIONS).current(on)
    member = PartyMembership.objects.filter(person_id=OuterRef("pk"))
    return Person.objects.restrict(user, "view").filter(Exists(cadre) | Exists(member))


class KeptContactCreateView(LoginRequiredMixin, FormView):
    """A person's new contact (`?person=<id>`): 404 for a person out of the jurisdiction or whose
    contacts the visitor does not view, 403 without the right to add them."""

    form_class = KeptContactForm
    template_name = "engagement/visits_contact_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            asked = request.GET.get("person", "")
            if not asked.isdigit():
                raise Http404
            self.person = get_object_or_404(
                Person.objects.restrict(request.user, "view").select_related("division"), pk=asked
            )
            if not holds_in(request.user, "engagement.view_keptcontact", self.person.division_id):
                raise Http404
            if not holds_in(request.user, "engagement.add_keptcontact", self.person.division_id):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        return {"kind": "household", "since": clock.today()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            save_kept_contact(
                acting_user=self.request.user,
                person=self.person,
                kind=data["kind"],
                household=data["household"],
                contact_name=data["contact_name"],
                since=data["since"],
                until=data["until"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记%(name)s的联系对象。") % {"name": self.person.name})
        return HttpResponseRedirect(reverse("engagement:visits_contacts") + f"?division={self.person.division_id}")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}


URLS = [
    path("engagement/visits/", VisitListView.as_view(), name="visits_list"),
    path("engagement/visits/new/", VisitCreateView.as_view(), name="visits_new"),
    path("engagement/visits/coverage/", CoverageTableView.as_view(), name="visits_coverage"),
    path("engagement/visits/<int:pk>/", VisitDetailView.as_view(), name="visits_detail"),
    path("engagement/visiting-cadres/", VisitingCadreListView.as_view(), name="visits_cadres"),
    path("engagement/visiting-cadres/new/", VisitingCadreFormView.as_view(), name="visits_cadre_new"),
    path("engagement/visiting-cadres/<int:pk>/edit/", VisitingCadreFormView.as_view(), name="visits_cadre_edit"),
    path("engagement/visiting-cadres/<int:pk>/coverage/", CadreCoverageView.as_view(), name="visits_cadre_coverage"),
    path("engagement/kept-contacts/", KeptContactListView.as_view(), name="visits_contacts"),
    path("engagement/kept-contacts/new/", KeptContactCreateView.as_view(), name="visits_contact_new"),
]
