from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = _("联系群众")

    def ready(self) -> None:
        from engagement import contributions

        contributions.register()
