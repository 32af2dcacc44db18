"""Reports of the covenants app, served by governance's reports base (/api/v1/reports/<slug>/):
JSON, CSV and XLSX from one definition. Each report is a class here, registered in
covenants/contributions.py with registry.add_report."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from covenants.choices import (
    COVENANT_COVERAGE_TARGET_BY,
    COVENANT_COVERAGE_TARGET_PERCENT,
    AwardRunStatus,
    CovenantKind,
    SanctionKind,
    Severity,
    VersionStatus,
)
from covenants.models import AwardRun, Covenant, CovenantVersion, Violation
from covenants.services.sanctions import in_force, sanctions_of
from governance.api.reports import Column, ReportView
from governance.api.unit_reports import PerUnitReport
from governance.money import fen_to_yuan
from governance.reporting import per_unit, percent, unit_in
from villages.choices import Level
from villages.models import Division


class AwardTotalsReport(ReportView):
    """公约遵守奖发放汇总: per village or cooperative of the division's subtree with runs in the
    period, how many runs it has and the run that counts: the approved (frozen) one, or, while
    none is approved, the latest preview (the status column says which; a division with only
    discarded runs shows its latest). Its fund, members paid, members withheld, total paid and
    total kept in the fund (the withheld members' entitlements; paid + kept = fund). One query
    (the runs with their payout totals, a GROUP BY), whatever the number of divisions."""

    slug = "award-totals"
    name = _("公约遵守奖发放汇总")
    takes_period = True
    columns = (
        Column("code", _("代码")),
        Column("name", _("村（社）")),
        Column("runs", _("发放批次数")),
        Column("run", _("计入批次")),
        Column("status", _("状态")),
        Column("fund_fen", _("奖励资金（分）")),
        Column("fund_yuan", _("奖励资金（元）")),
        Column("paid_members", _("发放人数")),
        Column("withheld_members", _("不予发放人数")),
        Column("paid_fen", _("发放总额（分）")),
        Column("paid_yuan", _("发放总额（元）")),
        Column("kept_fen", _("留存资金（分）")),
        Column("kept_yuan", _("留存资金（元）")),
    )

    model = AwardRun

    def rows(self, division, period):
        # The run that counts first within its division: approved, then preview, then the newest.
        rank = {AwardRunStatus.APPROVED: 0, AwardRunStatus.PREVIEW: 1, AwardRunStatus.DISCARDED: 2}
        runs = (
            self.restricted(AwardRun)
            .with_totals()
            .filter(division__code__startswith=division.code, period=period.label)
            .select_related("division__parent")
            .order_by("division_id", "-id")
        )
        by_division: dict[str, list] = {}
        for run in runs:
            by_division.setdefault(run.division_id, []).append(run)
        for code, division_runs in by_division.items():
            counted = min(division_runs, key=lambda run: (rank[run.status], -run.pk))
            yield {
                "code": code,
                "name": counted.division.qualified_name,
                "runs": len(division_runs),
                "run": counted.pk,
                "status": str(AwardRunStatus(counted.status).label),
                "fund_fen": counted.fund_fen,
                # Yuan as a number for the spreadsheets (the fen columns are the exact amounts).
                "fund_yuan": float(fen_to_yuan(counted.fund_fen)),
                "paid_members": counted.paid_members,
                "withheld_members": counted.withheld_members,
                "paid_fen": counted.paid_fen,
                "paid_yuan": float(fen_to_yuan(counted.paid_fen)),
                "kept_fen": counted.kept_fen,
                "kept_yuan": float(fen_to_yuan(counted.kept_fen)),
            }


# --- Covenant coverage, violations by category, sanctions in force (issue 7, point 9) ---------------
# Rows per town of the division asked for, or per village when it is a town or lies below one
# (governance.reporting.unit_level). Each report reads a fixed number of queries whatever the
# number of rows: the caller's grants, the division asked for, the towns or villages of its
# subtree, the figures.


class CovenantCoverageReport(PerUnitReport):
    """村规民约覆盖情况: per town (per village for a town) the villages and communities with a
    general covenant in force on the period's last day (a published version published on or before
    it and not superseded by then), out of all those active that day, with the share against the
    target of COVENANT_COVERAGE_TARGET_PERCENT by COVENANT_COVERAGE_TARGET_BY (Nanhai covenant
    opinions). Four queries: the grants, the division, the units, the villages counted in one
    GROUP BY on the unit's code prefix with an EXISTS per village."""

    slug = "covenant-coverage"
    name = _("村规民约覆盖情况")
    takes_period = True
    model = Covenant
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("on", _("统计日期")),
        Column("villages", _("村（社区）数")),
        Column("covered", _("已施行村规民约")),
        Column("not_covered", _("未施行村规民约")),
        Column("share", _("覆盖率（%）")),
        Column("target", _("目标覆盖率（%）")),
        Column("target_by", _("目标期限")),
        Column("meets_target", _("是否达标")),
    )

    def rows(self, division, period):
        on = period.end
        in_force = self.restricted(CovenantVersion).filter(
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=on),
            covenant__division_id=OuterRef("code"),
            covenant__kind=CovenantKind.GENERAL,
            status__in=(VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED),
            published_on__lte=on,
        )
        counts = {
            row["unit"]: row
            for row in per_unit(
                self.restricted(Division)
                .subtree(division.code)
                .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on), level=Level.VILLAGE)
                .annotate(in_force=Exists(in_force)),
                "code",
                division,
                on,
            ).annotate(villages=Count("code"), covered=Count("code", filter=Q(in_force=True)))
        }
        for unit in self.units(division, on):
            row = counts.get(unit["code"], {"villages": 0, "covered": 0})
            villages, covered = row["villages"], row["covered"]
            yield {
                **unit,
                "on": on.isoformat(),
                "villages": villages,
                "covered": covered,
                "not_covered": villages - covered,
                "share": percent(covered, villages),
                "target": COVENANT_COVERAGE_TARGET_PERCENT,
                "target_by": COVENANT_COVERAGE_TARGET_BY.isoformat(),
                # Integer arithmetic: covered / villages >= target / 100.
                "meets_target": covered * 100 >= villages * COVENANT_COVERAGE_TARGET_PERCENT,
            }


UNCATEGORISED = _("未分类")


class ViolationsByCategoryReport(PerUnitReport):
    """违约情况分类统计: per town or village (the violation's village) and clause category, the
    violations confirmed in the period that stand (no upheld appeal lifted them), minor, serious
    and in all. Only units and categories with violations have rows. Four queries: the grants, the
    division, the units, one GROUP BY of the violations."""

    slug = "violations-by-category"
    name = _("违约情况分类统计")
    takes_period = True
    model = Violation
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("category", _("条款类别")),
        Column("minor", _("一般")),
        Column("serious", _("严重")),
        Column("total", _("合计")),
    )

    def rows(self, division, period):
        violations = (
            self.restricted(Violation)
            .standing()
            .filter(division__code__startswith=division.code, confirmed_on__range=(period.start, period.end))
        )
        counts = (
            per_unit(violations, "division_id", division, period.start)
            .annotate(category=F("clause__category"))
            .annotate(
                minor=Count("id", filter=Q(severity=Severity.MINOR)),
                serious=Count("id", filter=Q(severity=Severity.SERIOUS)),
                total=Count("id"),
            )
        )
        by_unit: dict[str, list[dict]] = {}
        for row in counts:
            by_unit.setdefault(row["unit"], []).append(row)
        for unit in self.units(division, period.start):
            for row in sorted(by_unit.get(unit["code"], ()), key=lambda row: (not row["category"], row["category"])):
                yield {
                    **unit,
                    "category": row["category"] or str(UNCATEGORISED),
                    "minor": row["minor"],
                    "serious": row["serious"],
                    "total": row["total"],
                }


class SanctionsInForceReport(PerUnitReport):
    """惩戒执行情况: per town or village (the violation's village), how many people are under each
    kind of sanction in force on a day (`on=YYYY-MM-DD`, or the period's last day), and how many
    are under any. Derived by covenants.services.sanctions from the standing violations, as everywhere:
    nothing stored. Five queries whatever the number of people: the grants, the division, the
    violations in the caller's view (which people, in which village), all those people's standing
    violations at once (sanctions_of), the units."""

    slug = "sanctions-in-force"
    name = _("惩戒执行情况")
    takes_period = True
    period_parameter = OpenApiParameter(
        "period", OpenApiTypes.STR, description="2026, 2026-H1, 2026-Q3 or 2026-05; its last day, without `on`"
    )
    query_parameters = (
        OpenApiParameter("on", OpenApiTypes.DATE, description="the day counted (YYYY-MM-DD); needed without a period"),
    )
    model = Violation
    columns = (
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("on", _("统计日期")),
        Column("people", _("受惩戒人数")),
        *(Column(kind.value, kind.label) for kind in SanctionKind),
    )

    def period_asked_for(self, request):
        """`on=` alone names the day; with a period too, `on` still decides the day."""
        self.on = self.day_asked_for(request)
        if self.on is not None and not request.query_params.get("period"):
            return None
        period = super().period_asked_for(request)
        if self.on is None:
            self.on = period.end
        return period

    def filename(self) -> str:
        return f"{super().filename()}-{self.on.isoformat()}" if self.period is None else super().filename()

    def rows(self, division, period):
        on, length = self.on, self.unit_length(division)
        units, successors = self.units_and_successors(division, on)
        # The standing violations the caller may view in the subtree, confirmed by the day: who, and
        # where. A person's sanctions count in the village of the violation that causes them (its
        # successor's, once that village was merged away: unit_in).
        unit_of_violation: dict[int, str] = {}
        people: set[int] = set()
        for violation_id, person_id, village in (
            self.restricted(Violation)
            .standing()
            .filter(division__code__startswith=division.code, confirmed_on__lte=on)
            .order_by()
            .values_list("id", "person_id", "division_id")
        ):
            unit_of_violation[violation_id] = unit_in(village, length, successors)
            people.add(person_id)
        # All their sanctions at once (repeats are judged on each person's whole record).
        under: dict[str, dict[str, set[int]]] = {}
        for person_id, person_sanctions in (sanctions_of(people) if people else {}).items():
            for sanction in in_force(person_sanctions, on):
                unit = unit_of_violation.get(sanction.violation_id)
                if unit is not None:
                    kinds = under.setdefault(unit, {})
                    kinds.setdefault(sanction.kind, set()).add(person_id)
                    kinds.setdefault("people", set()).add(person_id)
        for unit in units:
            kinds = under.get(unit["code"], {})
            yield {
                **unit,
                "on": on.isoformat(),
                "people": len(kinds.get("people", ())),
                **{kind.value: len(kinds.get(kind, ())) for kind in SanctionKind},
            }
