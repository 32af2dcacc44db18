"""Pages of village affairs disclosure (村务公开, issue 9 point 2): the disclosure calendar of a
division's villages with overdue marks, the overdue watchdog (a list, and the home page's count),
and the village public page's section of published disclosures.

Nothing here decides what is due or overdue: supervision.querysets computes it from the catalogue's
cadences and the filed disclosures, from dates at query time (DESIGN.md section 5).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from governance import clock
from governance.access.querysets import holds_anywhere, holds_in, jurisdiction_codes
from governance.pages.actions import ServiceFormView
from supervision.choices import DisclosureState
from supervision.forms import DisclosureItemForm, FileDisclosureForm
from supervision.models import Disclosure, DisclosureItem
from supervision.services.disclosures import add_disclosure_item, change_disclosure_item, file_disclosure
from villages.choices import CODE_LENGTH_BY_LEVEL, Level
from villages.models import Division

# How many catalogue items one calendar page shows (a town has ~30 villages of ~10 items each).
CALENDAR_ITEMS = 400
MONTHS = tuple(range(1, 13))

ON_TIME = DisclosureState.ON_TIME
LATE = DisclosureState.LATE
OVERDUE = DisclosureState.OVERDUE
PENDING = DisclosureState.PENDING
# What each mark of a cell means, as the calendar's legend says it.
MARKS = dict(DisclosureState.choices)


def mark_of(due, today: datetime.date) -> str:
    """One due disclosure's mark on `today`: the one state of supervision.querysets (state_on) that
    the overdue list, the home page's count and the reports read too."""
    return due.state_on(today)


def may_file(user, item) -> bool:
    """Whether `user` files the disclosures of this item (supervision.services.disclosures has the
    last word). No query: the grants are cached on the user."""
    return holds_in(user, "supervision.add_disclosure", item.division_id)


def filing_url(item, period_start: datetime.date) -> str:
    return reverse("supervision:disclosure_file", args=[item.pk]) + f"?period={period_start.isoformat()}"


def parse_year(value: str | None, today: datetime.date) -> int:
    if value and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return today.year


def scope_code_for(user, value: str | None) -> str | None:
    """The division the calendar shows: the one asked for (a code, digits only), else the
    user's single assigned subtree for disclosures; None shows all of their jurisdiction."""
    if value and value.isascii() and value.isdigit() and len(value) <= 15:
        return value
    codes = jurisdiction_codes(user, "supervision.view_disclosureitem")
    return codes[0] if len(codes) == 1 else None


def items_for(user, code: str | None):
    items = DisclosureItem.objects.restrict(user, "view")
    if code:
        items = items.filter(division__code__startswith=code)
    return items


class DisclosureCalendarView(LoginRequiredMixin, TemplateView):
    """村务公开日历: each catalogue item of the division's villages against the months of a year,
    each disclosure of a period (or major matter) starting in that month marked on time, late,
    overdue or not yet due."""

    template_name = "supervision/disclosure_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        year = parse_year(self.request.GET.get("year"), today)
        code = scope_code_for(user, self.request.GET.get("division"))
        items = list(
            items_for(user, code)
            .select_related("division__parent")
            .order_by("division_id", "title", "id")[:CALENDAR_ITEMS]
        )
        due = (
            DisclosureItem.objects.filter(pk__in=[item.pk for item in items]).due_between(
                datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)
            )
            if items
            else []
        )
        by_id = {item.pk: item for item in items}
        cells: dict[tuple[int, int], list[dict]] = {}
        counts = dict.fromkeys(MARKS, 0)
        for row in due:
            if row.period_start.year != year:  # due next year for a period of this one is kept
                continue
            mark = mark_of(row, today)
            item = by_id[row.item_id]
            # Each mark links to the filing form of its item and period (a published one: to correct it).
            url = filing_url(item, row.period_start) if may_file(user, item) else ""
            cells.setdefault((row.item_id, row.period_start.month), []).append(
                {"mark": mark, "url": url, "period_start": row.period_start}
            )
            counts[mark] += 1
        rows = [{"item": item, "cells": [cells.get((item.pk, month), []) for month in MONTHS]} for item in items]
        context.update(
            year=year,
            previous_year=year - 1,
            next_year=year + 1,
            division_code=code or "",
            rows=rows,
            # The first day of each month: the template names it in the reader's language (date:"M").
            months=[datetime.date(year, month, 1) for month in MONTHS],
            marks=MARKS,
            counts=counts,
            truncated=len(items) == CALENDAR_ITEMS,
        )
        return context


def overdue_for(user, today: datetime.date):
    """What is overdue today in the user's jurisdiction (supervision.querysets: one query); nothing,
    without a query, for those who view no disclosures (their restricted queryset is empty)."""
    if not may_view_disclosures(user):
        return []
    return DisclosureItem.objects.restrict(user, "view").overdue(today)


def overdue_count(user) -> int:
    """The home page's count: only for those who view disclosures somewhere (no query for others)."""
    return len(overdue_for(user, clock.today()))


class OverdueDisclosuresView(LoginRequiredMixin, TemplateView):
    """逾期未公开: the disclosures due and not filed by their deadline, most overdue first."""

    template_name = "supervision/disclosure_overdue.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        rows = sorted(overdue_for(user, today), key=lambda row: (row.due_on, row.division_id, row.item_id))
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        items = DisclosureItem.objects.select_related("division__parent").in_bulk({row.item_id for row in page})
        context.update(
            page_obj=page,
            is_paginated=page.has_other_pages(),
            overdue=[
                {
                    "due": row,
                    "item": items[row.item_id],
                    "days": (today - row.due_on).days,
                    "mark": mark_of(row, today),
                    "file_url": filing_url(items[row.item_id], row.period_start)
                    if may_file(user, items[row.item_id])
                    else "",
                }
                for row in page
            ],
            total=len(rows),
        )
        return context


# How many published disclosures a village's public page lists, newest first.
PUBLIC_DISCLOSURES = 30


def public_disclosures(division) -> dict | None:
    """The public page's section: the village's filed disclosures, newest first (no user: only
    what is published, and a disclosure names no person's personal data). None while nothing is
    published, so that a village with nothing yet says so once for the whole page."""
    published = list(
        Disclosure.objects.filter(item__division=division, filed_on__isnull=False)
        .select_related("item")
        .order_by("-filed_on", "-id")[:PUBLIC_DISCLOSURES]
    )
    return {"disclosures": published} if published else None


def may_view_disclosures(user) -> bool:
    """The navigation's 村务公开 item: for those who view a disclosure catalogue somewhere."""
    return holds_anywhere(user, "supervision.view_disclosureitem")


# --- the catalogue (公开目录) and filing a disclosure (issue 16 point 1) ----------------------------


class CatalogueView(LoginRequiredMixin, TemplateView):
    """公开目录: the catalogue items of the division's villages (one village for its clerk), each
    with its cadence and dates, and, for who keeps the catalogue, its edit link and the form to add
    one (a village's catalogue only: add_disclosure_item)."""

    template_name = "supervision/disclosure_catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        code = scope_code_for(user, self.request.GET.get("division"))
        items = list(
            items_for(user, code)
            .select_related("division__parent")
            .order_by("division_id", "title", "id")[:CALENDAR_ITEMS]
        )
        village = None
        if (
            code
            and len(code) == CODE_LENGTH_BY_LEVEL[Level.VILLAGE]
            and holds_in(user, "supervision.add_disclosureitem", code)
        ):
            village = Division.objects.restrict(user, "view").filter(code=code, level=Level.VILLAGE).first()
        context.update(
            division_code=code or "",
            village=village,
            rows=[
                {"item": item, "may_change": holds_in(user, "supervision.change_disclosureitem", item.division_id)}
                for item in items
            ],
            truncated=len(items) == CALENDAR_ITEMS,
        )
        return context


def catalogue_url(code: str) -> str:
    return reverse("supervision:disclosure_catalogue") + f"?division={code}"


class DisclosureItemAddView(ServiceFormView):
    """登记公开事项: /supervision/disclosures/catalogue/<code>/new/, an item of a village's catalogue."""

    form_class = DisclosureItemForm
    template_name = "supervision/disclosure_item_form.html"

    def find_record(self, user):
        return get_object_or_404(Division.objects.restrict(user, "view"), code=self.kwargs["code"])

    def check_step(self, user, division) -> None:
        if not holds_in(user, "supervision.add_disclosureitem", division.code):
            raise PermissionDenied
        if division.level != Level.VILLAGE:  # a catalogue belongs to a village (add_disclosure_item)
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_until": False}

    def get_initial(self):
        return {"since": clock.today().replace(day=1)}

    def perform(self, form):
        return add_disclosure_item(acting_user=self.request.user, division=self.object, **form.cleaned_data)

    def form_valid(self, form):
        self.success_message = _("公开事项已登记。")
        return super().form_valid(form)

    def success_url_for(self, item) -> str:
        return catalogue_url(item.division_id)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.object}


class DisclosureItemEditView(ServiceFormView):
    """修改公开事项: /supervision/disclosures/items/<pk>/edit/ (change_disclosure_item)."""

    queryset = DisclosureItem.objects.select_related("division")
    scope_action = "change"
    form_class = DisclosureItemForm
    template_name = "supervision/disclosure_item_form.html"

    def get_initial(self):
        item = self.object
        return {"title": item.title, "cadence": item.cadence, "since": item.since, "until": item.until}

    def perform(self, form):
        return change_disclosure_item(self.object, acting_user=self.request.user, **form.cleaned_data)

    def form_valid(self, form):
        self.success_message = _("公开事项已保存。")
        return super().form_valid(form)

    def success_url_for(self, item) -> str:
        return catalogue_url(item.division_id)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.object.division, "item": self.object}


def parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class FileDisclosureView(ServiceFormView):
    """登记公开: /supervision/disclosures/items/<pk>/file/?period=<day>, from a calendar cell or a row
    of the overdue list: what was posted and when (file_disclosure, as the API files it; filing a
    period again replaces its filing)."""

    queryset = DisclosureItem.objects.select_related("division")
    form_class = FileDisclosureForm
    template_name = "supervision/disclosure_file_form.html"

    def check_step(self, user, item) -> None:
        if not may_file(user, item):
            raise PermissionDenied

    def period_day(self) -> datetime.date | None:
        return parse_day(self.request.GET.get("period"))

    def filed(self) -> Disclosure | None:
        day = self.period_day()
        if day is None:
            return None
        return self.object.disclosures.filter(period_start=day).first()

    def get_initial(self):
        filed = self.filed()
        return {
            "period_day": self.period_day(),
            "filed_on": (filed and filed.filed_on) or clock.today(),
            "content": filed.content if filed else "",
        }

    def perform(self, form):
        return file_disclosure(self.object, acting_user=self.request.user, **form.cleaned_data)

    def form_valid(self, form):
        self.success_message = _("公开已登记。")
        return super().form_valid(form)

    def success_url_for(self, disclosure) -> str:
        return (
            reverse("supervision:disclosure_calendar")
            + f"?year={disclosure.period_start.year}&division={self.object.division_id}"
        )

    def get_context_data(self, **kwargs):
        day = self.period_day()
        due = self.object.disclosures.filter(period_start=day).first() if day else None
        return {**super().get_context_data(**kwargs), "item": self.object, "filed": due}
