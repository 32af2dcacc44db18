"""Entering collective incomes (集体经济收入): a grid of the villages (or the cooperatives) where the
user enters incomes, each row with the unit's collective operating income for the period, which
the remuneration's collective income bonus reads (supervision/services/remuneration.py). Amounts
are typed in yuan with at most two decimals and stored in fen by
supervision.services.remuneration.save_incomes; a page of rows is saved in one go or not at all,
each bad amount's error shown in its row.

`assessment/collective-incomes/?level=village&period=2026&division=<code>&page=N`: for those who
may enter incomes somewhere (town officials and the district); 403 for anyone else. A blank row is
left as it is. Three queries read the page's units (their count, the page) and their stored
incomes, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from governance.money import fen_text, yuan_input
from supervision.forms import fen_of
from supervision.models import CollectiveIncome
from supervision.pages.unit_grid import Grid, grid_for, may_use
from supervision.services.remuneration import save_incomes

ENTER_PERMISSION = "supervision.add_collectiveincome"


def may_enter_incomes(user) -> bool:
    """The navigation's 集体经济收入 item and the page: for who enters incomes somewhere."""
    return may_use(user, ENTER_PERMISSION)


def cell_name(unit_code: str) -> str:
    return f"income-{unit_code}"


@dataclass
class Row:
    unit: object
    stored_fen: int | None
    name: str
    value: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def stored_yuan(self) -> str | None:
        return None if self.stored_fen is None else fen_text(self.stored_fen)


def build_rows(user, grid: Grid, posted=None) -> list[Row]:
    """The grid's rows: the stored incomes of the page's units (one query) or, for a POST, what
    was posted for them."""
    units = grid.units
    stored = dict(
        CollectiveIncome.objects.restrict(user, "view")
        .filter(period=grid.period, unit_id__in=[unit.code for unit in units])
        .values_list("unit_id", "income_fen")
    )
    rows = []
    for unit in units:
        row = Row(unit=unit, stored_fen=stored.get(unit.code), name=cell_name(unit.code))
        if posted is not None:
            row.value = posted.get(row.name, "").strip()
        elif row.stored_fen is not None:
            row.value = yuan_input(row.stored_fen)
        rows.append(row)
    return rows


class IncomeGridView(LoginRequiredMixin, View):
    """录入集体经济收入: the grid (GET) and its save (POST), all or nothing."""

    template_name = "supervision/income_grid.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_enter_incomes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_grid(self, request, grid: Grid, rows: list[Row], errors=(), status=200):
        context = {"grid": grid, "form": grid.form, "rows": rows, "errors": list(errors)}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        grid = grid_for(request, ENTER_PERMISSION)
        return self.render_grid(request, grid, build_rows(request.user, grid))

    def post(self, request):
        grid = grid_for(request, ENTER_PERMISSION)
        if grid.page is None:
            return self.render_grid(request, grid, [], status=400)
        rows = build_rows(request.user, grid, posted=request.POST)
        incomes, errors = [], []
        for row in rows:
            if not row.value:
                continue
            try:
                incomes.append({"unit": row.unit.code, "income_fen": fen_of(row.value)})
            except ValidationError as error:
                row.errors.extend(error.messages)
        bad = [row for row in rows if row.errors]
        if bad:
            errors.append(_("有 %(count)d 个单位的收入有误，均未保存，请改正后再提交。") % {"count": len(bad)})
        elif not incomes:
            errors.append(_("请至少填写一个单位的收入。"))
        else:
            try:
                saved = save_incomes(acting_user=request.user, period=grid.period, incomes=incomes)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, _("已保存 %(count)d 个单位的集体经济收入。") % {"count": len(saved)})
                return HttpResponseRedirect(request.get_full_path())
        return self.render_grid(request, grid, rows, errors=errors, status=400)
