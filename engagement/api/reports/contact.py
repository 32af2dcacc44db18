"""Reports of direct contact, served by governance's reports base (/api/v1/reports/<slug>/):
JSON, CSV and XLSX from one definition, registered in engagement/contributing/contact.py.

- `contact-links` (DESIGN.md §7, a contract): per village or community of the division asked for,
  `unit`, `name`, `links` ({"district_leader", "district_branch", "town_leader", "town_branch",
  "deputies"}, each true when filled on the day counted) and `missing` (how many are not). The day
  counted is `on=` (YYYY-MM-DD), today by default. The keys of `links` are LinkKind's values.
- `contact-days`: per unit (villages of a town, towns of a district) for a period, the contact days
  held (组织直联日), of which on a Tuesday, attendees, days with matters raised, matters settled.

Rows are in the caller's jurisdiction (the division asked for must be one they view: else 404).
Each report costs a fixed number of queries whatever the number of rows: the grants, the division,
the villages or units, one query of the links or one GROUP BY of the days."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from engagement.choices import LinkKind
from engagement.models import ContactDay, ContactLink
from engagement.querysets.contact import active_on, contact_day_counts, links_table
from governance import clock
from governance.api.reports import Column, ReportView
from governance.api.unit_reports import PerUnitReport
from governance.reporting import per_unit
from villages.choices import Level
from villages.models import Division

ON_PARAMETER = OpenApiParameter("on", OpenApiTypes.DATE, description="the day counted (YYYY-MM-DD); today by default")


class ContactLinksReport(ReportView):
    """五挂钩落实情况 (DESIGN.md §7): every active village or community of the division's subtree the
    caller views, with which of its five links are filled on the day counted."""

    slug = "contact-links"
    name = _("五挂钩落实情况")
    model = ContactLink
    query_parameters = (ON_PARAMETER,)
    parameter_labels = {"on": _("统计日期")}
    columns = (
        Column("unit", _("代码")),
        Column("name", _("村（社区）")),
        Column("links", _("挂钩情况")),
        Column("missing", _("未落实")),
    )

    def get(self, request, *args, **kwargs):
        self.on = self.day_asked_for(request) or clock.today()
        return super().get(request, *args, **kwargs)

    def filename(self) -> str:
        return f"{super().filename()}-{self.on.isoformat()}"

    def rows(self, division, period):
        on = self.on
        villages = list(
            self.restricted(Division)
            .subtree(division.code)
            .filter(active_on(on), level=Level.VILLAGE)
            .order_by("code")
            .values_list("code", "name")
        )
        filled = self.restricted(ContactLink).filter(division__code__startswith=division.code).filled_by_village(on)
        for row in links_table([{"code": code, "name": name} for code, name in villages], filled):
            yield {"unit": row["code"], "name": row["name"], "links": row["links"], "missing": row["missing"]}

    def file_table(self, results):
        """In CSV and XLSX a column per link (是 / 否) in place of the JSON's `links` object."""
        columns = [
            Column("unit", _("代码")),
            Column("name", _("村（社区）")),
            *(Column(kind.value, kind.label) for kind in LinkKind),
            Column("missing", _("未落实")),
        ]
        rows = [{**{k: v for k, v in row.items() if k != "links"}, **row["links"]} for row in results]
        return columns, rows


class ContactDaysReport(PerUnitReport):
    """组织直联日开展情况: per unit, the contact days held in the period (in the unit's villages and,
    for a district, in the town itself), of which on a Tuesday (the organisation's direct-contact
    day), attendees, days with matters raised and matters settled on the spot. A town asked for
    has a first row of its own for the days it held itself."""

    slug = "contact-days"
    name = _("组织直联日开展情况")
    model = ContactDay
    takes_period = True
    columns = (
        Column("unit", _("代码")),
        Column("name", _("名称")),
        Column("days", _("开展次数")),
        Column("on_tuesday", _("其中星期二")),
        Column("attendees", _("参加人数")),
        Column("days_with_matters", _("收集问题次数")),
        Column("matters_settled", _("当场解决问题数")),
    )

    def rows(self, division, period):
        days = self.restricted(ContactDay).filter(
            division__code__startswith=division.code, held_on__gte=period.start, held_on__lte=period.end
        )
        counts = {
            row["unit"]: row
            for row in per_unit(days, "division_id", division, period.end).annotate(**contact_day_counts())
        }
        units = self.units(division, period.end)
        if division.level == Level.TOWN:
            units = [{"code": division.code, "name": division.name}, *units]
        empty = {"days": 0, "on_tuesday": 0, "attendees": 0, "days_with_matters": 0, "matters_settled": 0}
        for unit in units:
            row = counts.get(unit["code"], empty)
            yield {"unit": unit["code"], "name": unit["name"], **{key: row[key] for key in empty}}


__all__ = ["ContactDaysReport", "ContactLinksReport"]
