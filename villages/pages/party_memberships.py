"""Pages of party memberships (党员): registering a person in their village's party organisation
(登记党员)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView

from governance.guards import require_permission_at
from governance.pages.mixins import ScopedWriteMixin
from villages.forms import PartyMembershipForm
from villages.models import Division, PartyMembership, Person


class PartyMembershipCreateView(ScopedWriteMixin, CreateView):
    """登记党员: record a person's party membership in their village's party organisation
    (people/<pk>/party-membership/new/). 404 when they are a member already: one membership
    per person (the record is changed in the admin, not registered twice)."""

    model = PartyMembership
    form_class = PartyMembershipForm
    template_name = "villages/party_membership_form.html"
    success_message = _("已登记党员：%(name)s。")

    def find_target(self) -> None:
        user = self.request.user
        self.person = get_object_or_404(
            Person.objects.restrict(user, "view").select_related("division__parent"), pk=self.kwargs["pk"]
        )
        if PartyMembership.objects.filter(person=self.person).exists():
            raise Http404
        # The person is in scope; whether the user may register party members in their
        # village decides between the form and 403 (a cooperative clerk's reach ends below it).
        require_permission_at(user, "villages.add_partymembership", self.person.village_code())
        self.branch = get_object_or_404(
            Division.objects.restrict(user, "view").select_related("parent"), code=self.person.village_code()
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person, "branch_code": self.branch.code}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person, "branch": self.branch}

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.person.pk])
