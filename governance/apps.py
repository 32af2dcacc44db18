from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("治理平台")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from governance.access.roles import sync_roles

        # Runs after every app's migrations (and after test flushes), once permissions exist.
        post_migrate.connect(sync_roles, dispatch_uid="governance.sync_roles")
        self.register_notifications()
        self.register_reports()

    @staticmethod
    def register_notifications() -> None:
        """The unread notifications (governance/notifications.py) counted on the home page."""
        from django.utils.translation import gettext_lazy, ngettext_lazy

        from governance.notifications import unread_count
        from governance.registry import registry

        registry.add_pending_work(
            "notifications",
            ngettext_lazy("您有 %(count)d 条未读提醒。", "您有 %(count)d 条未读提醒。", "count"),
            count=unread_count,
            url_name="notifications",
            link_label=gettext_lazy("查看提醒"),
            order=10,
        )

    @staticmethod
    def register_reports() -> None:
        """The reports in the browser (governance/pages/reports.py): 报表 in the navigation and a
        panel on the home page, for those who may read at least one report."""
        from django.utils.translation import gettext_lazy

        from governance.pages import reports
        from governance.registry import NavItem, Panel, registry

        registry.nav["reports"] = NavItem(
            "reports",
            gettext_lazy("报表"),
            "reports",
            ("reports", "report"),
            order=90,
            shown_to=reports.may_read_reports,
        )
        registry.home_panels["reports"] = Panel(
            key="reports", template="governance/home_reports.html", context=reports.reports_panel, order=90
        )
