"""Reports of the villages app, served by governance's reports base (/api/v1/reports/<slug>/)."""

from django.utils.translation import gettext_lazy as _

from governance.api.reports import Column, ReportView
from villages.models import MIN_RESERVE_CADRES_PER_VILLAGE, Division


class ReserveCadresReport(ReportView):
    """Every active village in the division's subtree with its current reserve cadres (后备干部)
    against the rule of at least MIN_RESERVE_CADRES_PER_VILLAGE (Guangyuan plan), counted today."""

    slug = "reserve-cadres"
    name = _("后备干部配备")
    model = Division
    columns = (
        Column("code", _("代码")),
        Column("name", _("村（社区）")),
        Column("town", _("镇（街道）")),
        Column("reserve_cadres", _("现有后备干部")),
        Column("required", _("应配备")),
        Column("meets_rule", _("是否达标")),
    )

    def rows(self, division, period):
        villages = (
            self.restricted(Division)
            .subtree(division.code)
            .with_reserve_cadres()
            .with_town_name()
            .order_by("code")
            .values("code", "name", "town", "reserve_cadres")
        )
        for village in villages:
            yield {
                **village,
                "required": MIN_RESERVE_CADRES_PER_VILLAGE,
                "meets_rule": village["reserve_cadres"] >= MIN_RESERVE_CADRES_PER_VILLAGE,
            }
