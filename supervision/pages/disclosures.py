"""Pages of village affairs disclosure (村务公开, issue 9 point 2): the disclosure calendar of a
division's villages with overdue marks, the overdue watchdog (a list, and the home page's count),
and the village public page's section of published disclosures.

Nothing here decides what is due or overdue: supervision.querysets computes it from the catalogue's
cadences and the filed disclosures, from dates at query time (DESIGN.md section 5).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from governance import clock
from governance.access.querysets import holds_anywhere, jurisdiction_codes
from supervision.models import Disclosure, DisclosureItem

# How many catalogue items one calendar page shows (a town has ~30 villages of ~10 items each).
CALENDAR_ITEMS = 400
MONTHS = tuple(range(1, 13))

ON_TIME = "on_time"
LATE = "late"
OVERDUE = "overdue"
PENDING = "pending"
# What each mark of a cell means, as the calendar's legend says it.
MARKS = {
    ON_TIME: _("按期公开"),
    LATE: _("逾期后补公开"),
    OVERDUE: _("逾期未公开"),
    PENDING: _("未到期"),
}


def mark_of(due, today: datetime.date) -> str:
    """One due disclosure's mark on `today`: filed on time, filed late, overdue, or not yet due."""
    if due.filed_on is not None and due.filed_on <= due.due_on:
        return ON_TIME
    if due.due_on >= today:
        return PENDING
    return LATE if due.filed_on is not None and due.filed_on <= today else OVERDUE


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
        cells: dict[tuple[int, int], list[str]] = {}
        counts = dict.fromkeys(MARKS, 0)
        for row in due:
            if row.period_start.year != year:  # due next year for a period of this one is kept
                continue
            mark = mark_of(row, today)
            cells.setdefault((row.item_id, row.period_start.month), []).append(mark)
            counts[mark] += 1
        rows = [{"item": item, "cells": [cells.get((item.pk, month), []) for month in MONTHS]} for item in items]
        context.update(
            year=year,
            previous_year=year - 1,
            next_year=year + 1,
            division_code=code or "",
            rows=rows,
            months=MONTHS,
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
                {"due": row, "item": items[row.item_id], "days": (today - row.due_on).days, "mark": mark_of(row, today)}
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
