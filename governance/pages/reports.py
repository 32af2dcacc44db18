"""Reports in the browser (DESIGN.md section 7): /reports/ lists every report of /api/v1/reports/
that the user may read, grouped by the app that defines it; /reports/<slug>/ shows one report's
filters as a GET form, its table, and its CSV and XLSX downloads.

Nothing is computed here twice. Who may read a report is the API's own check
(ReportView.readable_by: the report's model viewed somewhere, as ScopedActionPermission asks);
the table is the API's answer to the same filters: the page calls the report's view (its DRF
view, with the page's request: session, division in scope, period, rows) and shows its `results`
as TableRenderer lays them out for CSV and XLSX. A 400 of the API (a bad period, a division
missing) is the form's errors, in the API's words; its 404 (a division out of scope) and 403 (a
report the user may not read) are the page's 404, as for any record out of scope. The downloads
are the API's URL with the same filters and `format=csv|xlsx` (the API takes the session too).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes

from governance import clock
from governance.access.permissions import OUT_OF_SCOPE
from governance.access.querysets import assigned_codes
from governance.api.reports import TableRenderer
from governance.pages.widgets import SEARCH_SUFFIX, PickerWidget, bind_pickers
from governance.registry import Report, get_division_model, registry

# The labels of the parameters every report may read (governance.api.reports.ReportView); a
# report's own parameters are labelled by its `parameter_labels`, else by their name.
PARAMETER_LABELS = {"division": _("区划"), "period": _("期间"), "on": _("统计日期")}
PERIOD_HELP = _("如 2026（全年）、2026-H1（上半年）、2026-Q3（第三季度）或 2026-05（月份）。")
# A report's HTTP answers the page shows as "not found": out of scope (404), not the user's (403).
NOT_FOUND_STATUSES = (403, 404)
DOWNLOAD_FORMATS = ("csv", "xlsx")
# The chart under a table (ECharts, vendored) is drawn for 2 to this many rows: beyond, bars are unreadable.
CHART_MAX_ROWS = 60


def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def chart_of(columns: list[dict], results: list[dict]) -> dict | None:
    """A bar chart of the report's numeric columns, one bar group per row (named by its `name`
    column, else its first), when the table has 2 to CHART_MAX_ROWS rows; None otherwise."""
    if not 2 <= len(results) <= CHART_MAX_ROWS:
        return None
    numeric = [
        column
        for column in columns
        if any(is_number(row.get(column["key"])) for row in results)
        and all(row.get(column["key"]) is None or is_number(row.get(column["key"])) for row in results)
    ]
    if not numeric:
        return None
    keys = [column["key"] for column in columns]
    label_key = "name" if "name" in keys else keys[0]
    return {
        "categories": [str(row.get(label_key) or "") for row in results],
        "series": [
            {
                "name": column["label"],
                "data": [float(value) if is_number(value := row.get(column["key"])) else None for row in results],
            }
            for column in numeric
        ],
    }


def readable_reports(user) -> list[Report]:
    """The registered reports `user` may read, by name: the API's check, no query of its own
    beyond the user's grants (cached on the user)."""
    return sorted(
        (report for report in registry.reports.values() if report.view.readable_by(user)),
        key=lambda report: str(report.name),
    )


def app_name_of(report: Report) -> str:
    """The name of the app (the theme) whose module defines the report: 村社与人员, 村规民约..."""
    config = apps.get_containing_app_config(report.view.__module__)
    return str(config.verbose_name) if config is not None else ""


def report_groups(user) -> list[dict]:
    """The readable reports grouped by app, apps in the order of INSTALLED_APPS."""
    order = {config.verbose_name: index for index, config in enumerate(apps.get_app_configs())}
    groups: dict[str, list[dict]] = {}
    for report in readable_reports(user):
        groups.setdefault(app_name_of(report), []).append(
            {
                "slug": report.slug,
                "name": report.name,
                "url": reverse("report", args=[report.slug]),
                "api_url": reverse(f"api:report-{report.slug}"),
                "takes_period": report.view.takes_period,
            }
        )
    return [
        {"name": name, "reports": reports}
        for name, reports in sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))
    ]


def reports_panel(request) -> dict | None:
    """The home page's panel (registered in GovernanceConfig.ready()): the reports the user may
    read, with a link to /reports/; left out for a user who may read none."""
    groups = report_groups(request.user)
    return {"groups": groups} if groups else None


def may_read_reports(user) -> bool:
    """Whether the navigation shows 报表: the user may read at least one report."""
    return any(report.view.readable_by(user) for report in registry.reports.values())


def parameter_names(view) -> list[str]:
    """The query parameters the report reads, in the form's order: division, period, its own."""
    return ["division", *(["period"] if view.takes_period else []), *(p.name for p in view.query_parameters)]


def filter_form_class(view) -> type[forms.Form]:
    """The report's filters as a form: every field text the API parses (and judges), so that the
    API's 400 is the only validation and its messages are the form's errors."""
    labels = {**PARAMETER_LABELS, **view.parameter_labels}
    fields: dict[str, forms.Field] = {
        # The searchable picker of divisions (a code typed in its box works too).
        "division": forms.CharField(
            label=labels["division"],
            required=False,
            help_text=_("输入名称或代码；留空则为您的辖区。"),
            widget=PickerWidget(get_division_model()._meta.label_lower, attrs={"class": "form-control"}),
        )
    }
    if view.takes_period:
        fields["period"] = forms.CharField(
            label=labels["period"],
            required=False,
            help_text=PERIOD_HELP,
            widget=forms.TextInput(attrs={"class": "form-control"}),
        )
    for parameter in view.query_parameters:
        input_type = {OpenApiTypes.DATE: "date", OpenApiTypes.INT: "number", int: "number"}.get(parameter.type, "text")
        widget = forms.TextInput(attrs={"class": "form-control", "type": input_type})
        if parameter.enum:  # a choice among the declared values, or none
            widget = forms.Select(
                choices=[("", "—"), *((value, value) for value in parameter.enum)], attrs={"class": "form-select"}
            )
        fields[parameter.name] = forms.CharField(
            label=labels.get(parameter.name, parameter.name), required=False, widget=widget
        )
    return type(f"{view.__name__}Filters", (forms.Form,), fields)


def needs_parameters(view) -> bool:
    """Whether the report cannot answer without a parameter the visitor chooses (a period, a
    scheme): then the page waits for the form to be sent."""
    return view.takes_period or any(parameter.required for parameter in view.query_parameters)


def answer_of(view, request, params: dict[str, str]):
    """The report's API answer to `params`, for the page's user: the report's own view, called
    with a copy of the page's request that carries only the report's parameters (JSON)."""
    query = QueryDict(mutable=True)
    query.update({**params, "format": "json"})
    api_request = copy.copy(request)
    api_request.GET = query
    api_request.method = "GET"
    return view.as_view()(api_request)


class ReportIndexPage(LoginRequiredMixin, TemplateView):
    """/reports/: the reports the user may read, by app."""

    template_name = "governance/reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = report_groups(self.request.user)
        return context


class ReportPage(LoginRequiredMixin, TemplateView):
    """/reports/<slug>/: one report's filters, table and downloads."""

    template_name = "governance/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = registry.reports.get(self.kwargs["slug"])
        user = self.request.user
        if report is None or not report.view.readable_by(user):
            raise Http404
        view = report.view
        names = parameter_names(view)
        submitted = any(name in self.request.GET for name in (*names, "division" + SEARCH_SUFFIX))
        codes = assigned_codes(user)
        initial = {"division": codes[0] if len(codes) == 1 else ""}
        if view.takes_period:
            initial["period"] = str(clock.today().year)
        form_class = filter_form_class(view)
        form = form_class(self.request.GET) if submitted else form_class(initial=initial)
        bind_pickers(form, user)  # the picker names the division chosen, among those the user views
        context.update(report=report, app_name=app_name_of(report), form=form, submitted=submitted)
        if not submitted and needs_parameters(view):
            return context
        if submitted:
            form.is_valid()  # every field is optional text: the API judges the values
            params = {name: value for name in names if (value := form.cleaned_data.get(name))}
        else:
            params = {name: value for name, value in initial.items() if value}
        response = answer_of(view, self.request, params)
        if response.status_code == 404 and self.typed_division():
            # The visitor sent the form and what it names (the division typed in the picker's box,
            # or a report's own record, a scheme) is none of theirs: the form says so, in the API's
            # words, which tell neither absent from out of scope nor which one (nothing leaks).
            form.add_error(None, str(OUT_OF_SCOPE))
            return context
        if response.status_code in NOT_FOUND_STATUSES:
            raise Http404
        if response.status_code == 400:
            if not submitted:
                form = form_class(initial | {"division": params.get("division", "")})
                bind_pickers(form, user)
                form.is_valid()
                context["form"] = form
            for field, messages in response.data.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    form.add_error(field if field in form.fields else None, str(message))
            return context
        if response.status_code != 200:
            raise Http404
        data = response.data
        # The table the files hold (their columns and cells: amounts in yuan, names beside codes),
        # from the report's own view, so that the page, the CSV and the XLSX agree.
        columns, rows = TableRenderer().table(data, response.renderer_context)
        header = [column.header for column in columns]
        api_url = reverse(f"api:report-{report.slug}")
        asked = {name: value for name, value in params.items()}
        asked["division"] = data["division"]
        if data.get("period"):
            asked["period"] = data["period"]
        context.update(
            data=data,
            header=header,
            rows=rows,
            chart=chart_of(data["columns"], data["results"]),
            downloads=[
                {"format": fmt, "url": f"{api_url}?{urlencode({**asked, 'format': fmt})}"} for fmt in DOWNLOAD_FORMATS
            ],
        )
        return context

    def typed_division(self) -> bool:
        """Whether the division came from the form's search box, not from a link's ?division=."""
        return bool(self.request.GET.get("division" + SEARCH_SUFFIX, "").strip())
