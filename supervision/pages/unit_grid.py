"""What the duty report and collective income grids share (supervision/pages/duty_reports.py and
incomes.py): the small GET form choosing the level of the units (villages by default), the period
(the current year by default) and, to narrow a district down, a division; and the units it gives,
those of that level where the user holds the page's permission, a page of rows at a time.

A page of rows is saved in one POST: ROWS_PER_PAGE keeps three inputs a row under Django's
DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), however many cooperatives a district has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from governance.access.querysets import holds_anywhere
from supervision.choices import UnitLevel
from supervision.forms import GridFilterForm
from villages.models import Division

ROWS_PER_PAGE = 200


def may_use(user, perm: str) -> bool:
    """Whether the user holds `perm` somewhere: the grid is theirs at all."""
    return holds_anywhere(user, perm)


def units_for(user, perm: str, level: str, within: Division | None):
    """The units of `level` (not retired) where `user` holds `perm`, among the divisions they
    view, within a division when one is given; in code order, each with its parent."""
    units = Division.objects.restrict(user, "view").where_held(user, perm).filter(level=level, retired_on__isnull=True)
    if within is not None:
        units = units.filter(code__startswith=within.code)
    return units.select_related("parent").order_by("code")


@dataclass
class Grid:
    """The grid a request asks for: its filter form and, when the form is valid, its period and
    the page of units (two queries: their count and the page)."""

    form: GridFilterForm
    period: str = ""
    level: str = ""
    page: Page | None = None

    @property
    def units(self) -> list[Division]:
        return list(self.page) if self.page is not None else []


def grid_for(request, perm: str | Callable[[str], str], *, default_level: str = UnitLevel.VILLAGE) -> Grid:
    """The grid asked for: `perm` the page's permission, or a function giving it for the level
    asked (a cooperative's duty report is not recorded by the right that records a village's)."""
    form = GridFilterForm(request.GET, user=request.user, default_level=default_level)
    if not form.is_valid():
        return Grid(form=form)
    data = form.cleaned_data
    units = units_for(request.user, perm(data["level"]) if callable(perm) else perm, data["level"], data["division"])
    page = Paginator(units, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return Grid(form=form, period=data["period"], level=data["level"], page=page)
