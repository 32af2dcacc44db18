"""Pages of households (户): registering a household in a village or cooperative (登记户)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView

from governance.pages.mixins import ScopedWriteMixin
from villages.forms import HouseholdForm
from villages.models import Household
from villages.pages.base import division_to_add_in


class HouseholdCreateView(ScopedWriteMixin, CreateView):
    """登记户: register a household in a village or cooperative (divisions/<code>/households/new/);
    its members are then registered, or edited, with it."""

    model = Household
    form_class = HouseholdForm
    template_name = "villages/household_form.html"
    write_action = "add"
    success_message = _("已登记户 %(name)s。")

    def find_target(self) -> None:
        self.division = division_to_add_in(self.request.user, self.kwargs["code"], Household)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "division_code": self.division.code}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.division}

    def get_success_url(self) -> str:
        return reverse("villages:division", args=[self.division.code])
