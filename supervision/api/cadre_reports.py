"""Reports of the cadre rules of the supervision register (/api/v1/reports/<slug>/): the
leadership posts left without an economic responsibility audit on leaving (离任审计)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance import clock
from governance.api.reports import Column, ReportView
from governance.privacy import may_see_personal_data, name_as_seen
from supervision.models import EconomicAudit
from villages.models import PositionKind


class LeavingAuditsMissingReport(ReportView):
    """离任审计: one row per leadership post (supervision.choices.LEADERSHIP_POSTS) of the division's
    subtree left by today (the holder not continuing in a leadership post of the same division),
    among the positions the caller may view where they view economic audits: the person's name as
    they may see it, the post, its division, the day it was left and whether an audit on leaving is
    recorded (`audited` false: flagged, Guangxi §15). By division, then the day left. One query for
    the rows, whatever their number (names are masked from the caller's cached grants)."""

    slug = "leaving-audits-missing"
    name = _("离任审计缺失")
    model = EconomicAudit
    columns = (
        Column("person", _("姓名")),
        Column("post", _("职务")),
        Column("division", _("村社代码")),
        Column("division_name", _("村社")),
        Column("started_on", _("任职日期")),
        Column("left_on", _("离任日期")),
        Column("audited", _("是否已离任审计")),
    )

    def rows(self, division, period):
        user = self.request.user
        posts = (
            EconomicAudit.objects.departures_for(user, clock.today())
            .filter(division__code__startswith=division.code)
            .order_by("division_id", "ended_on", "id")
            .values_list(
                "person__name",
                "person__division_id",
                "kind",
                "division_id",
                "division__name",
                "started_on",
                "ended_on",
                "has_leaving_audit",
            )
        )
        labels = {kind.value: str(kind.label) for kind in PositionKind}
        for name, registered_in, kind, code, division_name, started_on, left_on, audited in posts:
            yield {
                "person": name_as_seen(name, visible=may_see_personal_data(user, registered_in)),
                "post": labels[kind],
                "division": code,
                "division_name": division_name,
                "started_on": started_on,
                "left_on": left_on,
                "audited": audited,
            }
