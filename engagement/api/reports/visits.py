"""Reports of visits (registered in engagement/contributing/visits.py), JSON, CSV and XLSX from one
definition (governance.api.reports):

- `visit-coverage` (DESIGN.md §7): one row per visiting cadre and quota of Guangxi §16: `cadre`
  (a name), `quota` (a code `<target>_<window>`: `villages_term`, `natural_villages_year`,
  `groups_half_year`, `households_term`, `households_year`; `quota_name` says it in words),
  `required`, `visited`, `share` (percent, 2 decimals; null when nothing is required) and
  `target_met` (`visited` ≥ `required`), besides the cadre's `cadre_id`, `division`, `level` and the
  window counted (`start`, `end`: engagement.querysets.quota_window). The cadres are the active
  ones of the division asked for and its subtree that the caller views (a county secretary is
  the district's); set-based: engagement.querysets.visits.coverage_table.
- `kept-contacts`: one row per village cadre (a current post of the two committees) and party
  member registered in the division's subtree whom the caller views: the entrepreneurs and
  households they keep on the period's last day against 1 and 5 (a cadre) or 0 and 3 (a party
  member), and `target_met` (Guangxi §10); one query (kept_contacts_table).

Each costs a fixed number of queries whatever the number of rows: the caller's grants, the
division, the cadres or people, one statement of counts.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from engagement.models import KeptContact, VisitingCadre
from engagement.querysets.visits import KeptRole, coverage_table, kept_contacts_table
from governance import clock
from governance.api.reports import Column, ReportView
from villages.models import Person

SHARE_PLACES = 2


def visiting_cadres_in(cadres, division):
    """The active cadres of `division`'s subtree among `cadres` (restricted), in the order of the
    report: by their county or town, level, name."""
    return list(
        cadres.filter(division__code__startswith=division.code, active=True)
        .select_related("division")
        .order_by("division_id", "level", "name", "id")
    )


def coverage_rows(cadres, period) -> list[dict]:
    """The visit-coverage report's rows for these cadres (the pages read the same)."""
    rows = []
    for row in coverage_table(cadres, period):
        coverage = row.coverage
        rows.append(
            {
                "cadre": row.cadre.name,
                "cadre_id": row.cadre.pk,
                "division": row.cadre.division_id,
                "level": row.cadre.level,
                "quota": row.quota,
                "quota_name": row.quota_name,
                "start": coverage.start.isoformat(),
                "end": coverage.end.isoformat(),
                "required": coverage.required,
                "visited": coverage.visited,
                "share": coverage.share,
                "target_met": coverage.met,
            }
        )
    return rows


class VisitCoverageReport(ReportView):
    """走访覆盖 (DESIGN.md §7)."""

    slug = "visit-coverage"
    name = _("走访覆盖")
    model = VisitingCadre
    takes_period = True
    columns = (
        Column("cadre", _("走访干部")),
        Column("cadre_id", _("干部编号")),
        Column("division", _("所在区镇")),
        Column("level", _("走访层级")),
        Column("quota", _("走访要求代码")),
        Column("quota_name", _("走访要求")),
        Column("start", _("统计起")),
        Column("end", _("统计止")),
        Column("required", _("应走访")),
        Column("visited", _("已走访")),
        Column("share", _("覆盖率（%）")),
        Column("target_met", _("达到要求")),
    )

    def rows(self, division, period):
        return coverage_rows(visiting_cadres_in(self.restricted(VisitingCadre), division), period)


class KeptContactsReport(ReportView):
    """联系群众 (Guangxi §10)."""

    slug = "kept-contacts"
    name = _("干部党员联系群众")
    model = KeptContact
    takes_period = True
    columns = (
        Column("person", _("姓名")),
        Column("person_id", _("人员编号")),
        Column("division", _("登记村社")),
        Column("division_name", _("村社名称")),
        Column("role", _("身份")),
        Column("entrepreneurs", _("联系致富能手")),
        Column("required_entrepreneurs", _("应联系致富能手")),
        Column("households", _("联系农户")),
        Column("required_households", _("应联系农户")),
        Column("target_met", _("达到要求")),
    )

    def rows(self, division, period):
        people = self.restricted(Person).filter(division__code__startswith=division.code)
        for row in kept_contacts_table(people, min(period.end, clock.today())):
            yield {
                "person": row["name"],
                "person_id": row["id"],
                "division": row["division_id"],
                "division_name": row["division__name"],
                "role": row["role"],
                "entrepreneurs": row["entrepreneurs"],
                "required_entrepreneurs": row["required_entrepreneurs"],
                "households": row["households"],
                "required_households": row["required_households"],
                "target_met": row["target_met"],
            }


__all__ = ["KeptContactsReport", "KeptRole", "VisitCoverageReport", "coverage_rows", "visiting_cadres_in"]
