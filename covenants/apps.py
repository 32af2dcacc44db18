from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    name = "covenants"
    verbose_name = _("村规民约")

    def ready(self) -> None:
        from covenants import contributions

        contributions.register()
