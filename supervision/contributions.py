"""What the supervision app contributes to the portal (governance/registry.py): its role grants,
its API router, the scores report and its demo step. Called from SupervisionConfig.ready()."""

from django.utils.translation import gettext_lazy

from governance.registry import registry

# The app's pages share one drop-down of the top bar.
SUPERVISION_GROUP = gettext_lazy("监督考核")


def register() -> None:
    from supervision.api.cadre_reports import LeavingAuditsMissingReport
    from supervision.api.party_share import PartyShareReport
    from supervision.api.reports import ScoresReport
    from supervision.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("supervision.api.urls")
    registry.add_report(ScoresReport)
    registry.add_report(PartyShareReport)
    registry.add_report(LeavingAuditsMissingReport)
    registry.demo_steps["supervision"] = load_demo_step
    registry.add_page_urls("supervision.pages.urls")
    register_record_pages()
    register_dashboard()
    register_scheme_pages()
    register_grid_pages()
    register_beat_tasks()
    register_division_links()
    register_merge_counts()


def register_merge_counts() -> None:
    """What a village merged away (撤并) carries over of supervision: its disclosure items and the
    supervision register's records about it (the merge page's preview)."""
    from governance.registry import MergeCount
    from supervision.models import RECORD_MODELS, DisclosureItem

    def records(code: str) -> int:
        # One query: the four registers' counts, added up in the database.
        counts = [model.objects.filter(division__code__startswith=code).order_by() for model in RECORD_MODELS.values()]
        first, *others = [rows.values("id") for rows in counts]
        return first.union(*others, all=True).count()

    for line in (
        MergeCount.of("disclosure_items", gettext_lazy("村务公开事项"), DisclosureItem, order=60),
        MergeCount(key="supervision_records", label=gettext_lazy("监督记录"), count=records, order=61),
    ):
        registry.merge_counts[line.key] = line


def register_division_links() -> None:
    """The links of a village's page (villages' hub) to its disclosure calendar, and of a
    village's or cooperative's page to the grid of its duty report evaluation (述职评议)."""
    from governance.registry import DivisionLink

    registry.division_links["disclosures"] = DivisionLink(
        "disclosures", SUPERVISION_GROUP, gettext_lazy("村务公开日历"), disclosures_link, order=30
    )
    registry.division_links["duty_report"] = DivisionLink(
        "duty_report",
        SUPERVISION_GROUP,
        gettext_lazy("述职评议"),
        duty_report_link,
        levels=("village", "cooperative"),
        order=32,
    )


def disclosures_link(division, user):
    """The village's disclosure calendar, for who views its catalogue (no query)."""
    from django.urls import reverse

    from governance.access.querysets import holds_in
    from governance.registry import HubLink

    if not holds_in(user, "supervision.view_disclosureitem", division.code):
        return None
    return HubLink(url=f"{reverse('supervision:disclosure_calendar')}?division={division.code}")


def duty_report_link(division, user):
    """The duty report grid of the division's level, for who records its evaluation there (the
    town a village's, the village party organisation's clerk a cooperative's): no query."""
    from django.urls import reverse

    from governance.access.querysets import holds_in
    from governance.registry import HubLink
    from supervision.choices import duty_report_permission

    if not holds_in(user, duty_report_permission(division.level), division.code):
        return None
    return HubLink(url=f"{reverse('supervision:duty_reports')}?level={division.level}&division={division.code}")


def register_beat_tasks() -> None:
    """The daily disclosure reminders and scoring of closing periods (supervision/tasks.py, which
    this import also registers with Celery in every process)."""
    from supervision.tasks import REMINDERS_AT, SCORING_AT, WAITING_RUNS_EVERY

    registry.add_beat_task(
        "supervision.send_disclosure_reminders", task="supervision.send_disclosure_reminders", schedule=REMINDERS_AT
    )
    registry.add_beat_task(
        "supervision.score_closing_periods", task="supervision.score_closing_periods", schedule=SCORING_AT
    )
    registry.add_beat_task(
        "supervision.send_waiting_runs", task="supervision.send_waiting_runs", schedule=WAITING_RUNS_EVERY
    )


def register_record_pages() -> None:
    """The navigation of the supervision register and the disclosure pages, the overdue
    disclosures' count on the home page and the public page's disclosures."""
    from django.utils.translation import gettext_lazy as _
    from django.utils.translation import ngettext_lazy

    from governance.registry import NavItem, Panel
    from supervision.pages import disclosures, records

    registry.nav["supervision_register"] = NavItem(
        "supervision_register",
        _("监督记录"),
        "supervision:register",
        (
            "supervision:register",
            "supervision:record_list",
            "supervision:record",
            "supervision:record_add",
            "supervision:record_correct",
            "supervision:negative_list",
            "supervision:talkless_posts",
            "supervision:unaudited_departures",
            "supervision:audit_follow_up",
        ),
        order=60,
        shown_to=records.may_view_register,
        group=SUPERVISION_GROUP,
    )
    registry.nav["disclosures"] = NavItem(
        "disclosures",
        _("村务公开"),
        "supervision:disclosure_calendar",
        (
            "supervision:disclosure_calendar",
            "supervision:disclosures_overdue",
            "supervision:disclosure_catalogue",
            "supervision:disclosure_item_add",
            "supervision:disclosure_item_edit",
            "supervision:disclosure_file",
        ),
        order=55,
        shown_to=disclosures.may_view_disclosures,
        group=SUPERVISION_GROUP,
    )
    registry.add_pending_work(
        "disclosures_overdue",
        ngettext_lazy("%(count)d 项村务公开逾期未公开。", "%(count)d 项村务公开逾期未公开。", "count"),
        count=disclosures.overdue_count,
        url_name="supervision:disclosures_overdue",
        link_label=_("去查看"),
        order=50,
    )
    registry.add_pending_work(
        "talkless_posts",
        ngettext_lazy(
            "%(count)d 个新任“两委”成员和社长职务缺少任前廉洁谈话记录。",
            "%(count)d 个新任“两委”成员和社长职务缺少任前廉洁谈话记录。",
            "count",
        ),
        count=records.talkless_count,
        url_name="supervision:talkless_posts",
        link_label=_("去查看"),
        order=52,
    )
    registry.add_pending_work(
        "unaudited_departures",
        ngettext_lazy(
            "%(count)d 名离任的村社主要负责人没有离任审计记录。",
            "%(count)d 名离任的村社主要负责人没有离任审计记录。",
            "count",
        ),
        count=records.unaudited_departures_count,
        url_name="supervision:unaudited_departures",
        link_label=_("去查看"),
        order=53,
    )
    registry.person_panels["leaving_audits"] = Panel(
        key="leaving_audits",
        template="supervision/leaving_audit_person_panel.html",
        context=records.person_departures,
        order=61,
    )
    registry.person_panels["supervision_records"] = Panel(
        key="supervision_records",
        template="supervision/record_person_panel.html",
        context=records.person_records,
        order=60,
    )
    registry.public_sections["disclosures"] = Panel(
        key="disclosures",
        template="supervision/public_disclosures.html",
        context=disclosures.public_disclosures,
        order=30,
    )


def register_dashboard() -> None:
    """The roll-up reports (supervision/api/rollups.py) and the navigation of the dashboard,
    scorecard and remuneration pages."""
    from django.utils.translation import gettext_lazy as _

    from governance.registry import NavItem
    from supervision.api.rollups import ROLLUPS
    from supervision.pages import dashboard

    for report in ROLLUPS:
        registry.add_report(report)
    registry.nav["assessment_dashboard"] = NavItem(
        "assessment_dashboard",
        _("考核看板"),
        "supervision:dashboard",
        ("supervision:dashboard", "supervision:scorecard", "supervision:remuneration"),
        order=58,
        shown_to=dashboard.may_view_dashboard,
        group=SUPERVISION_GROUP,
    )


def register_scheme_pages() -> None:
    """The navigation item of the scheme, score entry and scoring run pages."""
    from django.utils.translation import gettext_lazy as _

    from governance.registry import NavItem
    from supervision.pages import schemes

    registry.nav["assessment_schemes"] = NavItem(
        "assessment_schemes",
        _("考核"),
        "supervision:scheme_list",
        (
            "supervision:scheme_list",
            "supervision:scheme_create",
            "supervision:scheme",
            "supervision:scheme_new_version",
            "supervision:entries",
            "supervision:run",
            "supervision:results",
        ),
        order=57,
        group=SUPERVISION_GROUP,
        shown_to=schemes.may_view_schemes,
    )


def register_grid_pages() -> None:
    """The navigation items of the duty report and collective income grids."""
    from django.utils.translation import gettext_lazy as _

    from governance.registry import NavItem
    from supervision.pages import duty_reports, incomes

    registry.nav["duty_reports"] = NavItem(
        "duty_reports",
        _("述职评议"),
        "supervision:duty_reports",
        ("supervision:duty_reports",),
        order=59,
        shown_to=duty_reports.may_record_duty_reports,
        group=SUPERVISION_GROUP,
    )
    registry.nav["collective_incomes"] = NavItem(
        "collective_incomes",
        _("集体经济收入"),
        "supervision:incomes",
        ("supervision:incomes",),
        order=59,
        shown_to=incomes.may_enter_incomes,
        group=SUPERVISION_GROUP,
    )


def load_demo_step() -> str:
    """The supervision part of manage.py load_demo (supervision/demo/); its one-line summary."""
    from supervision.demo import load_demo_supervision

    return load_demo_supervision()
