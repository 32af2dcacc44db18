from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("村社与人员")

    def ready(self) -> None:
        # What villages contributes to the portal's shared pages, API and roles (governance/registry.py).
        from villages import contributions

        contributions.register()
