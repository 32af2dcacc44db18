"""Reports of the covenants app, served by governance's reports base (/api/v1/reports/<slug>/):
JSON, CSV and XLSX from one definition. Each report is a class here, registered in
covenants/contributions.py with registry.add_report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from covenants.api.awards import with_totals
from covenants.awards import yuan
from covenants.choices import AwardRunStatus
from covenants.models import AwardRun
from governance.api.reports import Column, ReportView


class AwardTotalsReport(ReportView):
    """公约遵守奖发放汇总: per village or cooperative of the division's subtree with runs in the
    period, how many runs it has and the run that counts: the approved (frozen) one, or, while
    none is approved, the latest preview (the status column says which; a division with only
    discarded runs shows its latest). Its fund, members paid, members withheld and total paid.
    One query (the runs with their payout totals, a GROUP BY), whatever the number of divisions."""

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
    )

    model = AwardRun

    def rows(self, division, period):
        # The run that counts first within its division: approved, then preview, then the newest.
        rank = {AwardRunStatus.APPROVED: 0, AwardRunStatus.PREVIEW: 1, AwardRunStatus.DISCARDED: 2}
        runs = with_totals(
            self.restricted(AwardRun)
            .filter(division__code__startswith=division.code, period=period.label)
            .select_related("division__parent")
        ).order_by("division_id", "-id")
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
                "fund_yuan": float(yuan(counted.fund_fen)),
                "paid_members": counted.paid_members,
                "withheld_members": counted.withheld_members,
                "paid_fen": counted.paid_fen,
                "paid_yuan": float(yuan(counted.paid_fen)),
            }
