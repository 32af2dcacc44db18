"""Recording the duty report evaluations (述职评议) of a period: a grid of the villages (or the
cooperatives) where the user enters assessment scores, each row with its votes satisfied,
basically satisfied and dissatisfied and the score the indicator duty_report gives the stored
votes (DutyReportEvaluation.score). A page of rows is saved in one go or not at all
(supervision.services.duty_reports.record_duty_reports), each bad row's errors shown in it.

`assessment/duty-reports/?level=village&period=2026&division=<code>&page=N`: for those who may
record evaluations somewhere: villages' for town officials and the district
(supervision.choices.DUTY_REPORT_PERMISSION), cooperatives' for village clerks on behalf of the
village party organisation (COOPERATIVE_DUTY_REPORT_PERMISSION, Nanhai task 09; the level shown
first is the one the user records); 403 for anyone else. A blank row is left as it is; in a row
with some votes, a blank count is 0.
Three queries read the page's units (their count, the page) and their stored votes, whatever
the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from supervision.choices import (
    COOPERATIVE_DUTY_REPORT_PERMISSION,
    DUTY_REPORT_PERMISSION,
    VOTE_FIELDS,
    UnitLevel,
    duty_report_permission,
)
from supervision.models import DutyReportEvaluation
from supervision.pages.unit_grid import Grid, grid_for, may_use
from supervision.services.actions import RowErrors
from supervision.services.duty_reports import record_duty_reports

# The grid's columns: each vote field with its heading.
VOTE_LABELS = {
    "satisfied": gettext_lazy("满意"),
    "basically_satisfied": gettext_lazy("基本满意"),
    "dissatisfied": gettext_lazy("不满意"),
}


def may_record_duty_reports(user) -> bool:
    """The navigation's 述职评议 item and the page: for who records villages' evaluations (the
    town) or cooperatives' (the village party organisation, through its clerk) somewhere."""
    return may_use(user, DUTY_REPORT_PERMISSION) or may_use(user, COOPERATIVE_DUTY_REPORT_PERMISSION)


def grid_of(request):
    """The grid asked for, of the units whose evaluation the user records at the level asked;
    villages first for who records them, else cooperatives."""
    default_level = UnitLevel.VILLAGE if may_use(request.user, DUTY_REPORT_PERMISSION) else UnitLevel.COOPERATIVE
    return grid_for(request, duty_report_permission, default_level=default_level)


def cell_name(field_name: str, unit_code: str) -> str:
    return f"{field_name}-{unit_code}"


def vote_or_text(text: str):
    """A count typed into a cell: a whole number (full-width digits too), or the text itself when
    it is none, which the service refuses with its field's message."""
    body = text[1:] if text.startswith("-") else text
    return int(text) if body.isdecimal() else text


@dataclass
class Cell:
    field: str
    name: str
    label: object
    value: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Row:
    unit: object
    evaluation: DutyReportEvaluation | None
    cells: list[Cell]
    unit_errors: list[str] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return any(cell.value for cell in self.cells)

    @property
    def errors(self) -> list[str]:
        return [*self.unit_errors, *(error for cell in self.cells for error in cell.errors)]

    def report(self) -> dict:
        """What the service records for this row: each count typed, a blank one as 0."""
        return {"unit": self.unit, **{cell.field: vote_or_text(cell.value) if cell.value else 0 for cell in self.cells}}

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        cells = {cell.field: cell for cell in self.cells}
        for name, field_errors in errors.items():
            (cells[name].errors if name in cells else self.unit_errors).extend(field_errors)


def build_rows(user, grid: Grid, posted=None) -> list[Row]:
    """The grid's rows: the stored votes of the page's units (one query) or, for a POST, what
    was posted for them."""
    units = grid.units
    stored = {
        evaluation.unit_id: evaluation
        for evaluation in DutyReportEvaluation.objects.restrict(user, "view").filter(
            period=grid.period, unit_id__in=[unit.code for unit in units]
        )
    }
    rows = []
    for unit in units:
        evaluation = stored.get(unit.code)
        cells = []
        for name in VOTE_FIELDS:
            cell = Cell(field=name, name=cell_name(name, unit.code), label=VOTE_LABELS[name])
            if posted is not None:
                cell.value = posted.get(cell.name, "").strip()
            elif evaluation is not None:
                cell.value = str(getattr(evaluation, name))
            cells.append(cell)
        rows.append(Row(unit=unit, evaluation=evaluation, cells=cells))
    return rows


class DutyReportGridView(LoginRequiredMixin, View):
    """登记述职评议: the grid (GET) and its save (POST), all or nothing."""

    template_name = "supervision/duty_report_grid.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_record_duty_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_grid(self, request, grid: Grid, rows: list[Row], errors=(), status=200):
        context = {
            "grid": grid,
            "form": grid.form,
            "rows": rows,
            "vote_labels": list(VOTE_LABELS.values()),
            "errors": list(errors),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        grid = grid_of(request)
        return self.render_grid(request, grid, build_rows(request.user, grid))

    def post(self, request):
        grid = grid_of(request)
        if grid.page is None:
            return self.render_grid(request, grid, [], status=400)
        rows = build_rows(request.user, grid, posted=request.POST)
        filled = [row for row in rows if row.filled]
        errors = []
        try:
            saved = record_duty_reports([row.report() for row in filled], acting_user=request.user, period=grid.period)
        except RowErrors as error:
            for index, fields in error.errors.items():
                filled[index].add_errors(fields)
            errors.append(_("有 %(count)d 个单位的票数有误，均未保存，请改正后再提交。") % {"count": len(error.errors)})
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            messages.success(request, _("已保存 %(count)d 个单位的述职评议。") % {"count": len(saved)})
            return HttpResponseRedirect(request.get_full_path())
        return self.render_grid(request, grid, rows, errors=errors, status=400)
