from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsListsConfig(AppConfig):
    name = "rights_lists"
    verbose_name = _("事权清单")

    def ready(self) -> None:
        from rights_lists import contributions

        contributions.register()
