"""Pages of people (人员): the list, a person's page with everything recorded of them, and
registering (登记人员) and correcting (编辑) a person."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView

from governance import clock
from governance.access.querysets import holds_in
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin, ScopedWriteMixin, object_for
from governance.pages.views import rendered_panels
from governance.privacy import may_see_personal_data
from governance.registry import registry
from villages import services
from villages.filters import PersonFilterSet
from villages.forms import PersonForm
from villages.models import Division, Membership, PartyMembership, Person, Position
from villages.pages.base import division_to_add_in


class PersonListView(ScopedFilterListView):
    model = Person
    filterset_class = PersonFilterSet
    shown_filters = ("division", "search", "gender")
    template_name = "villages/person_list.html"

    def get_queryset(self):
        # A division is named with its parent (Division.qualified_name): loaded in the same query.
        return (
            super().get_queryset().select_related("division__parent", "household").order_by("division_id", "name", "id")
        )


class PersonDetailView(ScopedQuerysetMixin, DetailView):
    """A person with household, memberships, party membership and positions held, and the
    panels other apps register for a person's page (governance.registry.person_panels).

    Each related list is restricted on its own: seeing a person does not by itself grant seeing
    their positions (a coop clerk may see a member's record but not every position held).
    """

    model = Person
    template_name = "villages/person_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("division__parent", "household__head")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        today = clock.today()
        positions = list(
            Position.objects.restrict(user, "view")
            .filter(person=person)
            .select_related("division__parent")
            .with_filings_visible_to(user)
            .order_by("-started_on", "id")
        )
        memberships = list(
            Membership.objects.restrict(user, "view")
            .filter(person=person)
            .select_related("cooperative__parent")
            .order_by("-joined_on")
        )
        for membership in memberships:
            membership.may_leave = membership.left_on is None and holds_in(
                user, "villages.change_membership", membership.cooperative_id
            )
        for position in positions:
            position.latest_filing = position.visible_filings[0] if position.visible_filings else None
            position.may_file = services.may_submit_filing(user, position, position.latest_filing)
            position.may_end = position.ended_on is None and holds_in(
                user, "villages.change_position", position.division_id
            )
        context.update(
            household_members=Person.objects.restrict(user, "view").housemates_of(person),
            memberships=memberships,
            may_add_membership=holds_in(user, "villages.add_membership", person.division_id),
            # A party member belongs to the village's party organisation, the cooperative's too.
            may_add_party_membership=holds_in(user, "villages.add_partymembership", person.village_code()),
            party_membership=PartyMembership.objects.restrict(user, "view")
            .filter(person=person)
            .select_related("branch__parent")
            .first(),
            current_positions=[position for position in positions if position.is_current_on(today)],
            past_positions=[position for position in positions if not position.is_current_on(today)],
            may_change=holds_in(user, "villages.change_person", person.division_id),
            # The person's own division or, for a cooperative's member, its village: the usual
            # places of their positions (the form offers the village's cooperatives too).
            may_add_position=any(
                holds_in(user, "villages.add_position", code) for code in (person.division_id, person.village_code())
            ),
            # What other apps show of the person (governance.registry.person_panels).
            panels=rendered_panels(registry.person_panels, person, self.request),
        )
        return context


class PersonFormView(ScopedWriteMixin):
    """What the register and edit pages share: the division the person belongs to is known
    before the form is shown (`target_division`), out of scope is 404 and in scope without
    the permission 403, both before any form is read."""

    model = Person
    form_class = PersonForm
    template_name = "villages/person_form.html"

    def find_target(self) -> None:
        self.division = self.target_division()

    def target_division(self) -> Division:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "division_code": self.division.code,
            "personal_data_visible": may_see_personal_data(self.request.user, self.division.code),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.division}

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.object.pk])


class PersonCreateView(PersonFormView, CreateView):
    """登记人员: register a person in a village or cooperative (divisions/<code>/people/new/)."""

    write_action = "add"
    success_message = _("已登记 %(name)s。")

    def target_division(self) -> Division:
        return division_to_add_in(self.request.user, self.kwargs["code"], Person)


class PersonUpdateView(PersonFormView, UpdateView):
    """编辑人员: correct a person's name, ID number, phone or household (people/<pk>/edit/).

    The division stays: moving a person to another village is not a correction."""

    write_action = "change"
    success_message = _("已保存 %(name)s 的修改。")

    def target_division(self) -> Division:
        person = object_for(
            self.request.user, Person.objects.select_related("division__parent"), "change", pk=self.kwargs["pk"]
        )
        return person.division

    def get_queryset(self):
        return Person.objects.restrict(self.request.user, "change")
