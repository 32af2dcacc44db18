"""Reports of the villages app, served by governance's reports base (/api/v1/reports/<slug>/)."""

from django.utils.translation import gettext_lazy as _

from governance import clock
from governance.api.reports import Column, ReportView
from villages.models import MIN_RESERVE_CADRES_PER_VILLAGE, Division
from villages.querysets import latest_election_out_of_term, term_ends_on


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


class TermsExpiredReport(ReportView):
    """换届预警: every active village of the division's subtree the caller may view, with the day
    its two committees were last elected (the latest start of a two-committee post), the day their
    term of COMMITTEE_TERM_YEARS runs out, whether it has (today, without a new election) and by
    how many days. Organic Law art. 11 (2018); Jiangsu (十二) 按期换届. One query for the rows."""

    slug = "terms-expired"
    name = _("村“两委”任期届满未换届")
    model = Division
    columns = (
        Column("code", _("代码")),
        Column("name", _("村（社区）")),
        Column("town", _("镇（街道）")),
        Column("last_elected_on", _("上次选举")),
        Column("term_ends_on", _("任期届满")),
        Column("expired", _("是否届满未换届")),
        Column("days_overdue", _("逾期天数")),
    )

    def rows(self, division, period):
        today = clock.today()
        out_of_term = latest_election_out_of_term(today)
        villages = (
            self.restricted(Division)
            .subtree(division.code)
            .with_last_election(today)
            .with_town_name()
            .order_by("code")
            .values("code", "name", "town", "last_elected_on")
        )
        for village in villages:
            elected = village["last_elected_on"]
            ends = term_ends_on(elected) if elected else None
            expired = elected is not None and elected <= out_of_term
            yield {
                **village,
                "term_ends_on": ends,
                "expired": expired,
                "days_overdue": (today - ends).days if expired else None,
            }
