"""Pages that write: registering and correcting people, recording positions and their end.

Each page finds its target (a division, a person) in the user's restricted queryset before it
shows or reads a form: out of scope is 404, in scope without the permission 403. The save runs
in a transaction and is checked again against restrict(user, action) (ScopedWriteMixin); model
validation is the same as the API's.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, UpdateView

from governance.access.querysets import holds_in, permission_name
from governance.pages.mixins import ScopedWriteMixin
from villages.forms import EndPositionForm, HouseholdForm, PersonForm, PositionForm
from villages.models import PERSON_LEVELS, Division, Household, Level, Person, Position, parent_code_of
from villages.privacy import may_see_personal_data


def division_to_add_in(user, code: str, model) -> Division:
    """The village or cooperative `code`, where `user` is about to add a `model` record: 404
    when it lies outside their jurisdiction (or is no village or cooperative), 403 when they
    may not add such records there."""
    division = get_object_or_404(Division.objects.restrict(user, "view").filter(level__in=PERSON_LEVELS), code=code)
    if not holds_in(user, permission_name(model, "add"), division.code):
        raise PermissionDenied
    return division


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
        person = get_object_or_404(
            Person.objects.restrict(self.request.user, "view").select_related("division"), pk=self.kwargs["pk"]
        )
        if not Person.objects.restrict(self.request.user, "change").filter(pk=person.pk).exists():
            raise PermissionDenied
        return person.division

    def get_queryset(self):
        return Person.objects.restrict(self.request.user, "change")


def position_divisions_for(person: Person) -> list[str]:
    """Where a person may hold a position: their own village or cooperative, the village of
    their cooperative, or the cooperatives of their village (a villager may head one)."""
    own = person.division_id
    if person.division.level == Level.COOPERATIVE:
        return [own, parent_code_of(own)]
    return [own, *Division.objects.filter(parent_id=own, level=Level.COOPERATIVE).values_list("code", flat=True)]


class PositionCreateView(ScopedWriteMixin, CreateView):
    """登记任职: record a position held by a person (people/<pk>/positions/new/), in a division
    where the user may record positions."""

    model = Position
    form_class = PositionForm
    template_name = "villages/position_form.html"
    write_action = "add"
    success_message = _("已登记任职：%(name)s。")

    def find_target(self) -> None:
        user = self.request.user
        self.person = get_object_or_404(
            Person.objects.restrict(user, "view").select_related("division"), pk=self.kwargs["pk"]
        )
        in_scope = Division.objects.restrict(user, "view").filter(code__in=position_divisions_for(self.person))
        self.divisions = [
            division for division in in_scope.order_by("code") if holds_in(user, "villages.add_position", division.code)
        ]
        if not self.divisions:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person, "divisions": self.divisions}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.person.pk])


class PositionEndView(ScopedWriteMixin, UpdateView):
    """登记离任: record the day a current position ended (positions/<pk>/end/). The position
    stays on the person's record as a past one, and a successor can then be recorded."""

    model = Position
    form_class = EndPositionForm
    template_name = "villages/position_end.html"
    context_object_name = "position"
    write_action = "change"
    success_message = _("已登记离任：%(name)s。")

    def get_object(self, queryset=None):
        user = self.request.user
        position = get_object_or_404(
            Position.objects.restrict(user, "view").select_related("person", "division"), pk=self.kwargs["pk"]
        )
        if not Position.objects.restrict(user, "change").filter(pk=position.pk).exists():
            raise PermissionDenied
        if position.ended_on is not None:
            raise Http404  # already ended: nothing to record here
        return position

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.object.person_id])


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
