"""The pages of direct contact (直联):

- 五挂钩 (`engagement/contact/links/?division=&missing=1`): the villages of a town or district ×
  their five links, each filled (its holder) or missing (highlighted), a page of villages at a
  time; from it, filling a link of a village and ending one (engagement.services.contact);
- 组织直联日 (`engagement/contact/days/`): the contact days held in the jurisdiction, and a phone
  form to record one (a day that is not a Tuesday is recorded, with a warning).

Every row comes from the restricted querysets: a division outside the visitor's jurisdiction is
404; inside it, a write the role does not grant is 403. Each page costs a fixed number of queries
whatever the number of villages, links or days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from engagement.choices import CONTACT_DAY_LEVELS, DIRECT_CONTACT_WEEKDAY, LinkKind
from engagement.filters.contact import ContactDayPageFilterSet
from engagement.forms.contact import ContactDayForm, EndLinkForm, FillLinkForm
from engagement.models import ContactDay, ContactLink
from engagement.pages.places import village_where
from engagement.querysets.contact import active_on, current_link_condition, villages_missing_links
from engagement.services import contact as services
from governance import clock
from governance.access.querysets import assigned_codes, holds_anywhere, holds_in, jurisdiction_codes
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import ScopedFilterListView
from villages.choices import Level
from villages.models import Division

VIEW_LINKS = "engagement.view_contactlink"
ADD_LINKS = "engagement.add_contactlink"
CHANGE_LINKS = "engagement.change_contactlink"
VIEW_DAYS = "engagement.view_contactday"
ADD_DAYS = "engagement.add_contactday"
VILLAGES_PER_PAGE = 50


def may_view_links(user) -> bool:
    """The navigation's item: for those who view the five links somewhere (no query)."""
    return holds_anywhere(user, VIEW_LINKS)


def may_view_days(user) -> bool:
    return holds_anywhere(user, VIEW_DAYS)


def may_record_days(user) -> bool:
    return holds_anywhere(user, ADD_DAYS)


def links_url(code: str | None = None) -> str:
    url = reverse("engagement:contact_links")
    return f"{url}?{urlencode({'division': code})}" if code else url


class ContactLinksView(LoginRequiredMixin, TemplateView):
    """五挂钩: the villages of the division asked for (the visitor's own by default) × the five
    links held today, the holders by name, the missing highlighted; `missing=1` keeps the
    villages lacking one. Four queries whatever the number of villages: the grants, the division,
    the page of villages (with its count), the links of that page."""

    template_name = "engagement/contact_links.html"

    def division(self):
        user = self.request.user
        code = self.request.GET.get("division") or ""
        if not code:
            codes = assigned_codes(user)
            if len(codes) != 1:
                codes = jurisdiction_codes(user, VIEW_LINKS)
            code = codes[0] if codes else ""
        if not code or not (code.isascii() and code.isdigit()) or not holds_in(user, VIEW_LINKS, code):
            return None
        return Division.objects.filter(code=code).select_related("parent").first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, clock.today()
        division = self.division()
        missing_only = self.request.GET.get("missing") == "1"
        context.update(division=division, missing_only=missing_only, kinds=LinkKind.choices, today=today)
        if division is None:
            return context
        villages = (
            Division.objects.restrict(user, "view")
            .subtree(division.code)
            .filter(active_on(today), level=Level.VILLAGE)
            .select_related("parent")
            .order_by("code")
        )
        if missing_only:
            villages = villages_missing_links(villages, today)
        page = Paginator(villages, VILLAGES_PER_PAGE).get_page(self.request.GET.get("page"))
        codes = [village.code for village in page.object_list]
        holders: dict[str, dict[str, list]] = {}
        for link in (
            ContactLink.objects.restrict(user, "view")
            .filter(current_link_condition(today), division_id__in=codes)
            .order_by("division_id", "kind", "since", "id")
        ):
            holders.setdefault(link.division_id, {}).setdefault(link.kind, []).append(link)
        rows = []
        for village in page.object_list:
            links = holders.get(village.code, {})
            cells = [{"kind": kind, "label": label, "links": links.get(kind, [])} for kind, label in LinkKind.choices]
            rows.append(
                {
                    "village": village,
                    "cells": cells,
                    "missing": sum(1 for cell in cells if not cell["links"]),
                    "may_fill": holds_in(user, ADD_LINKS, village.code),
                    "may_end": holds_in(user, CHANGE_LINKS, village.code),
                }
            )
        context.update(
            page_obj=page,
            rows=rows,
            query=urlencode({"division": division.code, **({"missing": "1"} if missing_only else {})}),
        )
        return context


class FillLinkView(LoginRequiredMixin, FormView):
    """落实挂钩 (`engagement/contact/links/<village>/fill/?kind=`): 404 outside the jurisdiction or
    for what is no village, 403 to who views the links there but may not fill them."""

    form_class = FillLinkForm
    template_name = "engagement/contact_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_where(request.user, VIEW_LINKS, self.kwargs["code"])
            if not holds_in(request.user, ADD_LINKS, self.village.code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in LinkKind.values else {}

    def form_valid(self, form):
        try:
            link = services.fill_link(
                acting_user=self.request.user, village_code=self.village.code, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已为%(village)s落实“%(kind)s”：%(holder)s。")
            % {"village": self.village.name, "kind": link.get_kind_display(), "holder": link.holder},
        )
        return HttpResponseRedirect(links_url(self.village.parent_id))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "place": self.village,
            "heading": _("落实挂钩"),
            "cancel_url": links_url(self.village.parent_id),
            "form_id": "fill-link",
        }


class EndLinkView(ServiceFormView):
    """结束挂钩 (`engagement/contact/links/<pk>/end/`): the link's last day."""

    queryset = ContactLink.objects.select_related("division__parent")
    form_class = EndLinkForm
    scope_action = "change"
    template_name = "engagement/contact_form.html"

    @property
    def heading(self):
        return _("结束挂钩")

    @property
    def success_message(self):
        return _("已结束挂钩。")

    def check_step(self, user, link) -> None:
        if link.until is not None:
            raise Http404

    def perform(self, form):
        return services.end_link(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return links_url(self.object.division.parent_id)

    def get_context_data(self, **kwargs):
        link = self.object
        return {
            **super().get_context_data(**kwargs),
            "place": link.division,
            "subject": link,
            "cancel_url": links_url(link.division.parent_id),
            "form_id": "end-link",
        }


class ContactDayListView(ScopedFilterListView):
    """组织直联日: the contact days held in the jurisdiction, newest first, with whether each was on
    a Tuesday; by town or village and dates."""

    model = ContactDay
    filterset_class = ContactDayPageFilterSet
    shown_filters = ("division", "after", "before")
    template_name = "engagement/contact_days.html"

    def get_queryset(self):
        return super().get_queryset().select_related("division__parent").order_by("-held_on", "-id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_record": may_record_days(self.request.user)}


class ContactDayRecordView(LoginRequiredMixin, FormView):
    """登记组织直联日 (`engagement/contact/days/new/?division=`), on a phone: the towns and villages
    where the visitor may record one are offered (the one given preselected: 404 outside the
    jurisdiction, 403 to who views the days there but may not record them). A day that is not a
    Tuesday is recorded, and the visitor is warned."""

    form_class = ContactDayForm
    template_name = "engagement/contact_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.chosen = None
        if request.user.is_authenticated:
            code = request.GET.get("division")
            if code:
                if not holds_in(request.user, VIEW_DAYS, code):
                    raise Http404
                self.chosen = get_object_or_404(Division.objects.filter(level__in=CONTACT_DAY_LEVELS), code=code)
                if not holds_in(request.user, ADD_DAYS, code):
                    raise PermissionDenied
            elif not may_record_days(request.user):
                raise PermissionDenied if may_view_days(request.user) else Http404
        return super().dispatch(request, *args, **kwargs)

    def offered(self) -> list[Division]:
        """The active towns and villages where the visitor may record contact days (one query)."""
        if self.chosen is not None:
            return [self.chosen]
        user = self.request.user
        divisions = Division.objects.restrict(user, "view").filter(
            active_on(clock.today()), level__in=CONTACT_DAY_LEVELS
        )
        if not user.is_superuser:
            condition = Q(pk__in=[])
            for code in jurisdiction_codes(user, ADD_DAYS):
                condition |= Q(code__startswith=code)
            divisions = divisions.filter(condition)
        return list(divisions.order_by("code")[:500])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "divisions": self.offered()}

    def get_initial(self):
        return {"held_on": clock.today(), **({"division": self.chosen.code} if self.chosen else {})}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        division = data.pop("division")
        try:
            day = services.record_contact_day(acting_user=self.request.user, division_code=division.code, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("已登记%(place)s %(day)s 的组织直联日。") % {"place": division.name, "day": day.held_on}
        )
        if not day.on_contact_weekday:
            messages.warning(
                self.request,
                _("%(day)s 不是星期二（组织直联日），已照常登记；如因节假日调整，请在问题中注明。")
                % {"day": day.held_on},
            )
        return HttpResponseRedirect(reverse("engagement:contact_days"))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "place": self.chosen,
            "heading": _("登记组织直联日"),
            "cancel_url": reverse("engagement:contact_days"),
            "form_id": "contact-day",
            "contact_weekday": DIRECT_CONTACT_WEEKDAY,
        }


URLS = [
    path("engagement/contact/links/", ContactLinksView.as_view(), name="contact_links"),
    path("engagement/contact/links/<str:code>/fill/", FillLinkView.as_view(), name="contact_link_fill"),
    path("engagement/contact/links/<int:pk>/end/", EndLinkView.as_view(), name="contact_link_end"),
    path("engagement/contact/days/", ContactDayListView.as_view(), name="contact_days"),
    path("engagement/contact/days/new/", ContactDayRecordView.as_view(), name="contact_day_add"),
]
