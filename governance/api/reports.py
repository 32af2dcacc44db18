"""The reports base: every report under /api/v1/reports/<slug>/ answers JSON, CSV or XLSX.

docs/api.md (Reports): a report takes `division=<code>` (default: the caller's jurisdiction) and,
where it has one, a `period`, and answers JSON, or CSV and XLSX with `?format=csv|xlsx`. A domain
app defines a report by subclassing `ReportView` (columns and rows) and registers it
(governance.registry.Report); governance routes it, so it imports no app.

    class ReserveCadresReport(ReportView):
        slug = "reserve-cadres"
        name = _("后备干部配备")
        model = Division                           # its view permission decides who may read it
        columns = (Column("code", _("代码")), Column("reserve_cadres", _("后备干部")))

        def rows(self, division, period):
            return self.restricted(Division).subtree(division.code).values(...)

The division asked for must be one the caller may view (else 404, as everywhere); rows come from
querysets restricted with `self.restricted(Model)`, so a report shows nothing the caller could not
open. The JSON answer is `{"report", "division", "period", "columns", "results"}`.

The schema of every report comes from here (ReportSchema): `division`, `period` where the report
takes one, `format`, and the parameters a report reads besides (`query_parameters`, e.g. a scheme);
JSON, or CSV and XLSX declared as files. Errors are JSON whatever the format asked.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, renderers, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from governance.access.permissions import IsSignedIn, may_act_somewhere
from governance.access.querysets import assigned_codes
from governance.api.renderers import PortalJSONRenderer
from governance.api.schema import PortalAutoSchema
from governance.api.viewsets import division_in_scope
from governance.db_routers import report_reads
from governance.money import YUAN_NUMBER_FORMAT, export_yuan
from governance.periods import Period
from governance.registry import registry


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation: the header of CSV and XLSX
    # An amount in whole fen (as the JSON gives it): CSV and XLSX write it in yuan, a number with
    # two decimals (governance.money.export_yuan), under `file_label` (the header saying 元).
    money: bool = False
    file_label: Any = None

    @property
    def header(self) -> str:
        return str(self.file_label if self.file_label is not None else self.label)

    def file_value(self, row: dict):
        value = row.get(self.key)
        return export_yuan(value) if self.money and isinstance(value, int) else _cell(value)


class TableRenderer(renderers.BaseRenderer):
    """Renders a report's `results` as a table under its column labels. Errors never come here:
    they are JSON whatever the format asked (governance.api.exceptions)."""

    def table(self, data, renderer_context=None) -> tuple[list[Column], list[list]]:
        """The file's columns and rows: those the report's view gives for files (ReportView.file_table:
        amounts in yuan, names beside codes), else the JSON's columns as they are."""
        view = (renderer_context or {}).get("view")
        if isinstance(view, ReportView):
            columns, results = view.file_table(data["results"])
        else:
            columns = [Column(column["key"], column["label"]) for column in data["columns"]]
            results = data["results"]
        return columns, [[column.file_value(row) for column in columns] for row in results]

    def attach(self, renderer_context, extension: str) -> None:
        response = (renderer_context or {}).get("response")
        view = (renderer_context or {}).get("view")
        if response is not None and response.status_code == 200 and view is not None:
            response["Content-Disposition"] = f'attachment; filename="{view.filename()}.{extension}"'


def _cell(value):
    """What a spreadsheet cell holds: numbers stay numbers, booleans and the rest become text."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


class CSVRenderer(TableRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        columns, rows = self.table(data, renderer_context)
        self.attach(renderer_context, "csv")
        out = io.StringIO()
        # Excel opens UTF-8 CSV with Chinese text correctly only with the byte-order mark.
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow([column.header for column in columns])
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")


class XLSXRenderer(TableRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        columns, rows = self.table(data, renderer_context)
        self.attach(renderer_context, "xlsx")
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(data.get("report") if isinstance(data, dict) else None) or "report")
        sheet.append([column.header for column in columns])
        money = [column.money for column in columns]
        for row in rows:
            cells = []
            for is_money, value in zip(money, row, strict=True):
                if is_money and value is not None:
                    value = WriteOnlyCell(sheet, value=value)
                    value.number_format = YUAN_NUMBER_FORMAT
                cells.append(value)
            sheet.append(cells)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


DIVISION_PARAMETER = OpenApiParameter(
    "division", OpenApiTypes.STR, description="division code; default: the caller's jurisdiction (when it is one)"
)
PERIOD_PARAMETER = OpenApiParameter(
    "period", OpenApiTypes.STR, required=True, description="2026, 2026-H1, 2026-Q3 or 2026-05"
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=[renderer.format for renderer in (PortalJSONRenderer, CSVRenderer, XLSXRenderer)],
    description="json (default), or a file: csv or xlsx. Errors are JSON whatever the format.",
)
REPORT_SERIALIZER = inline_serializer(
    "Report",
    {
        "report": serializers.CharField(),
        "division": serializers.CharField(),
        "period": serializers.CharField(allow_null=True),
        "columns": inline_serializer(
            "ReportColumn", {"key": serializers.CharField(), "label": serializers.CharField()}, many=True
        ),
        # One object per row, keyed by the columns' keys (each report has its own).
        "results": serializers.ListField(child=serializers.DictField()),
    },
)


class ReportSchema(PortalAutoSchema):
    """A report's operation: its query parameters from the view class, JSON or a CSV or XLSX file."""

    def get_override_parameters(self):
        view = self.view
        return [
            DIVISION_PARAMETER,
            *([view.period_parameter] if view.takes_period else []),
            FORMAT_PARAMETER,
            *view.query_parameters,
        ]

    def get_response_serializers(self):
        return {
            (200, PortalJSONRenderer.media_type): REPORT_SERIALIZER,
            **{(200, renderer.media_type): OpenApiTypes.BINARY for renderer in (CSVRenderer, XLSXRenderer)},
        }


class ReportView(APIView):
    """Base of every report: the division and period asked for, checked, then `rows()`."""

    slug: ClassVar[str]
    name: ClassVar[Any]
    model: ClassVar[type]  # the scoped model read: viewing it somewhere is needed to read the report
    columns: ClassVar[tuple[Column, ...]]
    takes_period: ClassVar[bool] = False
    period_parameter: ClassVar[OpenApiParameter] = PERIOD_PARAMETER  # when it takes one

    # The query parameters rows() reads besides division, period and format (a scheme, a day...):
    # the schema declares them, with those, from here (ReportSchema).
    query_parameters: ClassVar[tuple[OpenApiParameter, ...]] = ()
    # Their labels on the report's page in the browser (governance.pages.reports), by name: a
    # parameter without one is labelled by its name.
    parameter_labels: ClassVar[dict[str, Any]] = {}

    renderer_classes = [PortalJSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]
    schema = ReportSchema()

    def rows(self, division, period: Period | None) -> Iterable[dict]:
        raise NotImplementedError

    @property
    def queryset(self):
        # Read by ScopedActionPermission: a caller who may view the model nowhere gets 403.
        return self.model.objects.all()

    @classmethod
    def readable_by(cls, user) -> bool:
        """Whether `user` may read this report at all: the check ScopedActionPermission makes of
        the report's `model` (viewing it somewhere), asked without a request (the /reports/ page
        lists only these)."""
        return may_act_somewhere(user, cls.model, "view")

    def restricted(self, model):
        """`model`'s rows the caller may view: the one scoping mechanism."""
        return model.objects.restrict(self.request.user, "view")

    def file_table(self, results: list[dict]) -> tuple[list[Column], list[dict]]:
        """The columns and rows of the CSV and XLSX answers: by default the JSON's (its amounts in
        fen written in yuan where a column says `money`). A report whose file shows more than its
        JSON (a column per indicator, a name beside a code) overrides this; the JSON never changes."""
        return list(self.columns), results

    def filename(self) -> str:
        parts = [self.slug, self.division.code]
        if self.period is not None:
            parts.append(self.period.label)
        return "-".join(parts)

    def get(self, request, *args, **kwargs):
        self.division = self.division_asked_for(request)
        self.period = self.period_asked_for(request)
        with report_reads():  # on the read replica, when one is configured (governance.db_routers)
            results = list(self.rows(self.division, self.period))
        return Response(
            {
                "report": self.slug,
                "division": self.division.code,
                "period": self.period.label if self.period else None,
                "columns": [{"key": column.key, "label": str(column.label)} for column in self.columns],
                "results": results,
            }
        )

    def division_asked_for(self, request):
        code = request.query_params.get("division")
        if not code:
            codes = assigned_codes(request.user)
            if len(codes) != 1:
                raise exceptions.ValidationError({"division": [_("请用 division 参数指定区划代码。")]})
            code = codes[0]
        return division_in_scope(request.user, code)

    def day_asked_for(self, request, name: str = "on") -> datetime.date | None:
        """The day a query parameter names (YYYY-MM-DD), None when absent; a bad one is a 400 on it."""
        if not request.query_params.get(name):
            return None
        try:
            return serializers.DateField().run_validation(request.query_params[name])
        except exceptions.ValidationError as error:
            raise exceptions.ValidationError({name: error.detail}) from None

    def period_asked_for(self, request) -> Period | None:
        if not self.takes_period:
            return None
        try:
            return Period.parse(request.query_params.get("period", ""))
        except ValidationError as error:
            raise exceptions.ValidationError({"period": error.messages}) from None


class ReportIndexView(APIView):
    """GET /api/v1/reports/: the reports the portal has, with their addresses."""

    permission_classes = [IsSignedIn]

    @extend_schema(
        responses=inline_serializer(
            "ReportIndex",
            {
                "results": inline_serializer(
                    "ReportEntry",
                    {"slug": serializers.CharField(), "name": serializers.CharField(), "url": serializers.URLField()},
                    many=True,
                )
            },
        )
    )
    def get(self, request):
        return Response(
            {
                "results": [
                    {
                        "slug": report.slug,
                        "name": str(report.name),
                        "url": reverse(f"api:report-{report.slug}", request=request),
                    }
                    for report in sorted(registry.reports.values(), key=lambda report: report.slug)
                ]
            }
        )
