"""Score entry for a scheme (issue 9 point 7): a grid of the scheme's units in the user's
jurisdiction × its entered indicators, saved through services.scoring.save_entries in one go or not at
all, each bad cell's error shown in its row; and the same grid as an XLSX file, downloaded as a
template and uploaded again (row-numbered errors, nothing saved when any row is bad).

- `assessment/schemes/<pk>/entries/`: the grid (GET), its save (POST);
- `assessment/schemes/<pk>/entries.xlsx`: the grid as the XLSX template, with the scores entered;
- `assessment/schemes/<pk>/entries/upload/`: the POST of a filled-in template.

The XLSX template is one worksheet: row 1 holds 单位代码, 单位名称, then one column per entered
indicator headed "<name>（<code>）"; every row after it is one unit. Empty cells are left as they
are (a missing entry counts 0 at scoring); a score is 0 to 100 with at most 2 decimals.

The grid opens for who may enter scores for the scheme (services.scoring.may_enter_scores): a scheme the
user does not read is a 404, one they read without that right a 403. Three queries read the
scheme, its units and their entries, whatever the number of units.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from supervision.forms import UploadForm
from supervision.models import Scheme, ScoreEntry
from supervision.pages.schemes import indicator_rows, readable_scheme
from supervision.services import scoring as services
from supervision.services.actions import RowErrors

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "考核得分"
UNIT_HEADERS = ("单位代码", "单位名称")
# At most this many rows in one uploaded file (a district has ~300 villages, ~3000 cooperatives).
MAX_ROWS = 5000
# The largest upload accepted, in bytes (a grid of every cooperative of a district is ~200 KB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def cell_name(unit: str, indicator: str) -> str:
    return f"score-{unit}-{indicator}"


def scheme_for_entry(user, pk) -> Scheme:
    scheme = readable_scheme(user, pk)
    if not services.may_enter_scores(user, scheme):
        raise PermissionDenied
    return scheme


def grid_units(user, scheme: Scheme):
    """The scheme's units where the user enters scores (one query when evaluated)."""
    return (
        services.units_of(scheme)
        .where_held(user, "supervision.add_scoreentry")
        .select_related("parent")
        .order_by("code")
    )


@dataclass(frozen=True)
class ErrorLine:
    """One line of the error summary at the top of the page (issue 16 point 2: errors shown only
    below the long grid went unseen), `anchor` the id of the grid's row it is about, if any."""

    text: str
    anchor: str = ""


def row_anchor(unit_code: str) -> str:
    return f"row-{unit_code}"


def error_lines(messages_) -> list[ErrorLine]:
    return [ErrorLine(str(message)) for message in messages_]


@dataclass
class Cell:
    name: str
    indicator: str
    value: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Row:
    unit: object
    cells: list[Cell]

    @property
    def errors(self) -> list[str]:
        return [error for cell in self.cells for error in cell.errors]


def build_grid(user, scheme: Scheme, indicators, posted=None) -> list[Row]:
    units = list(grid_units(user, scheme))
    stored = {
        (entry.unit_id, entry.indicator_id): entry.score
        for entry in ScoreEntry.objects.filter(scheme=scheme, unit__in=[unit.code for unit in units]).only(
            "unit_id", "indicator_id", "score"
        )
    }
    rows = []
    for unit in units:
        cells = []
        for indicator in indicators:
            name = cell_name(unit.code, indicator.code)
            if posted is not None:
                value = posted.get(name, "").strip()
            else:
                score = stored.get((unit.code, indicator.pk))
                value = "" if score is None else f"{score.normalize():f}"
            cells.append(Cell(name=name, indicator=indicator.code, value=value))
        rows.append(Row(unit=unit, cells=cells))
    return rows


class EntryGridView(LoginRequiredMixin, View):
    """录入得分: the grid, saved all or nothing."""

    template_name = "supervision/entry_grid.html"

    def context(self, scheme, indicators, rows, **extra):
        return {
            "scheme": scheme,
            "indicators": indicators,
            "rows": rows,
            "upload_form": extra.pop("upload_form", None) or UploadForm(),
            **extra,
        }

    def get(self, request, pk):
        scheme = scheme_for_entry(request.user, pk)
        indicators = indicator_rows(scheme)
        rows = build_grid(request.user, scheme, indicators)
        return render(request, self.template_name, self.context(scheme, indicators, rows))

    def post(self, request, pk):
        scheme = scheme_for_entry(request.user, pk)
        indicators = indicator_rows(scheme)
        rows = build_grid(request.user, scheme, indicators, posted=request.POST)
        entries, cells = [], []
        for number, row in enumerate(rows, start=1):
            for indicator, cell in zip(indicators, row.cells, strict=True):
                if cell.value:
                    entries.append({"unit": row.unit.code, "indicator": cell.indicator, "score": cell.value})
                    cells.append((number, row, indicator, cell))
        errors: list[ErrorLine] = []
        try:
            saved = services.save_entries(scheme, entries, acting_user=request.user)
        except RowErrors as error:
            errors.append(
                ErrorLine(_("有 %(count)d 项得分有误，均未保存，请改正后再提交。") % {"count": len(error.errors)})
            )
            for index, fields in sorted(error.errors.items()):
                number, row, indicator, cell = cells[index]
                for message in (message for messages_ in fields.values() for message in messages_):
                    cell.errors.append(message)
                    errors.append(
                        ErrorLine(
                            _("第 %(row)s 行“%(column)s”：%(message)s")
                            % {"row": number, "column": f"{row.unit.name} {indicator.name}", "message": message},
                            row_anchor(row.unit.code),
                        )
                    )
        except services.SchemeFrozen as error:
            errors.append(ErrorLine(str(error)))
        except ValidationError as error:
            errors.extend(error_lines(error.messages))
        else:
            messages.success(request, _("已保存 %(count)d 项得分。") % {"count": len(saved)})
            return HttpResponseRedirect(reverse("supervision:entries", args=[scheme.pk]))
        context = self.context(scheme, indicators, rows, errors=errors)
        return render(request, self.template_name, context, status=400)


# --- XLSX ----------------------------------------------------------------------------------------


def indicator_header(indicator) -> str:
    return f"{indicator.name}（{indicator.code}）"


def grid_workbook(rows: list[Row], indicators) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([*UNIT_HEADERS, *(indicator_header(indicator) for indicator in indicators)])
    for row in rows:
        sheet.append([row.unit.code, row.unit.name, *(float(cell.value) if cell.value else None for cell in row.cells)])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class EntryTemplateView(LoginRequiredMixin, View):
    """下载得分模板: the grid as an XLSX file, with the scores entered so far."""

    def get(self, request, pk):
        scheme = scheme_for_entry(request.user, pk)
        indicators = indicator_rows(scheme)
        content = grid_workbook(build_grid(request.user, scheme, indicators), indicators)
        response = HttpResponse(content, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="scheme-{scheme.pk}-entries.xlsx"'
        return response


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_grid(file, indicators) -> tuple[list[dict], list[tuple[int, str]]]:
    """The entries of an uploaded template and, for each, its row number and column header;
    ValidationError with the file's problems when it is no template of this scheme."""
    from openpyxl import load_workbook

    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件过大，最大 %(size)d MB。") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise ValidationError(_("无法读取该文件，请上传 .xlsx 格式的得分模板。")) from None
    headers = (*UNIT_HEADERS, *(indicator_header(indicator) for indicator in indicators))
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = tuple(_text(value) for value in next(rows, ()))[: len(headers)]
        if header != headers:
            raise ValidationError(_("第 1 行应为模板表头：%(headers)s。") % {"headers": "、".join(headers)})
        entries, places = [], []
        for number, values in enumerate(rows, start=2):
            if number - 1 > MAX_ROWS:
                raise ValidationError(_("一次最多导入 %(max)s 行。") % {"max": MAX_ROWS})
            cells = [_text(value) for value in (*values, *([None] * len(headers)))[: len(headers)]]
            if not any(cells):
                continue
            for indicator, header_text, text in zip(indicators, headers[2:], cells[2:], strict=True):
                if text:
                    entries.append({"unit": cells[0], "indicator": indicator.code, "score": text})
                    places.append((number, header_text))
    finally:
        workbook.close()
    if not entries:
        raise ValidationError(_("文件中没有得分。"))
    return entries, places


class EntryUploadView(LoginRequiredMixin, View):
    """上传得分表: all the file's scores saved, or none with every bad cell named by row."""

    http_method_names = ["post"]

    def post(self, request, pk):
        scheme = scheme_for_entry(request.user, pk)
        indicators = indicator_rows(scheme)
        form = UploadForm(request.POST, request.FILES)
        errors: list[tuple[str, str]] = []  # (message, unit code of the row it is about, if any)
        if form.is_valid():
            try:
                entries, places = read_grid(form.cleaned_data["file"], indicators)
                saved = services.save_entries(scheme, entries, acting_user=request.user)
            except RowErrors as error:
                for index, fields in sorted(error.errors.items()):
                    number, header = places[index]
                    for message in (message for messages_ in fields.values() for message in messages_):
                        errors.append(
                            (
                                _("第 %(row)s 行“%(column)s”：%(message)s")
                                % {"row": number, "column": header, "message": message},
                                entries[index]["unit"],
                            )
                        )
            except services.SchemeFrozen as error:
                errors.append((str(error), ""))
            except ValidationError as error:
                errors.extend((message, "") for message in error.messages)
            else:
                messages.success(request, _("已从文件保存 %(count)d 项得分。") % {"count": len(saved)})
                return HttpResponseRedirect(reverse("supervision:entries", args=[scheme.pk]))
        else:
            errors.extend((message, "") for messages_ in form.errors.values() for message in messages_)
        rows = build_grid(request.user, scheme, indicators)
        # A bad row links to the grid's row of its unit when the grid shows that unit.
        shown = {row.unit.code for row in rows}
        context = {
            "scheme": scheme,
            "indicators": indicators,
            "rows": rows,
            "upload_form": form,
            "upload_errors": [
                ErrorLine(message, row_anchor(unit) if unit in shown else "") for message, unit in errors
            ],
        }
        return render(request, EntryGridView.template_name, context, status=400)
