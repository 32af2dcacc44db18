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
