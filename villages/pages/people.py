"""Pages that write: households, people, positions, memberships and party memberships, and the
end of positions and memberships.

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
from governance.pages.mixins import ScopedWriteMixin, object_for
from villages.forms import (
    EndPositionForm,
    HouseholdForm,
    LeaveCooperativeForm,
    MembershipForm,
    PartyMembershipForm,
    PersonForm,
    PositionForm,
)
from villages.models import (
    PERSON_LEVELS,
    Division,
    Household,
    Membership,
    PartyMembership,
    Person,
    Position,
)
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
        person = object_for(self.request.user, Person.objects.select_related("division"), "change", pk=self.kwargs["pk"])
        return person.division

    def get_queryset(self):
        return Person.objects.restrict(self.request.user, "change")


class RecordOfPersonCreateView(ScopedWriteMixin, CreateView):
    """Create a record of one person (a position, a membership) in one of the divisions
    `places(person)` names that lie in the user's jurisdiction and where they may add such
    records: 404 for a person out of scope, 403 when no such division is left."""

    template_name = ""
    write_action = "add"

    def places(self, person: Person) -> list[str]:
        raise NotImplementedError

    def find_target(self) -> None:
        user = self.request.user
        self.person = get_object_or_404(
            Person.objects.restrict(user, "view").select_related("division"), pk=self.kwargs["pk"]
        )
        perm = permission_name(self.model, "add")
        in_scope = Division.objects.restrict(user, "view").filter(code__in=self.places(self.person)).order_by("code")
        self.divisions = [division for division in in_scope if holds_in(user, perm, division.code)]
        if not self.divisions:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person, "divisions": self.divisions}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.person.pk])


class PositionCreateView(RecordOfPersonCreateView):
    """登记任职: record a position held by a person (people/<pk>/positions/new/)."""

    model = Position
    form_class = PositionForm
    template_name = "villages/position_form.html"
    success_message = _("已登记任职：%(name)s。")

    def places(self, person: Person) -> list[str]:
        return person.position_division_codes()


class EndRecordView(ScopedWriteMixin, UpdateView):
    """Record the day a current record ended (`end_field`): a position (离任) or a membership
    (退出). The record stays on the person's page as a past one. 404 outside the jurisdiction or
    when it has already ended, 403 without the right to change it."""

    template_name = "villages/end_record.html"
    context_object_name = "record"
    write_action = "change"
    end_field = ""
    related = ()  # select_related for the page

    def get_object(self, queryset=None):
        queryset = self.model.objects.select_related(*self.related)
        record = object_for(self.request.user, queryset, self.write_action, pk=self.kwargs["pk"])
        if getattr(record, self.end_field) is not None:
            raise Http404  # already ended: nothing to record here
        return record

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "description": self.describe(self.object)}

    def describe(self, record) -> str:
        """The record, in a line under the heading."""
        raise NotImplementedError

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.object.person_id])


class PositionEndView(EndRecordView):
    """登记离任 (positions/<pk>/end/): a successor can then be recorded."""

    model = Position
    form_class = EndPositionForm
    end_field = "ended_on"
    related = ("person", "division")
    success_message = _("已登记离任：%(name)s。")
    extra_context = {"heading": _("登记离任"), "note": _("任职记录会保留，显示为已离任。")}

    def describe(self, position: Position) -> str:
        return _("%(kind)s · %(place)s · %(day)s 任职") % {
            "kind": position.get_kind_display(), "place": position.division.name, "day": position.started_on,
        }


class MembershipLeaveView(EndRecordView):
    """登记退出 (memberships/<pk>/leave/): the member leaves the cooperative's organisation."""

    model = Membership
    form_class = LeaveCooperativeForm
    end_field = "left_on"
    related = ("person", "cooperative")
    success_message = _("已登记退出：%(name)s。")
    extra_context = {"heading": _("登记退出"), "note": _("成员资格记录会保留，显示退出日期。")}

    def describe(self, membership: Membership) -> str:
        return _("%(cooperative)s成员 · %(day)s 加入") % {
            "cooperative": membership.cooperative.name, "day": membership.joined_on,
        }

    def success_name(self) -> str:
        return f"{self.object.person.name}，{self.object.cooperative.name}"


class MembershipCreateView(RecordOfPersonCreateView):
    """登记成员资格: register a person as a member of a cooperative's collective economic
    organisation (people/<pk>/memberships/new/)."""

    model = Membership
    form_class = MembershipForm
    template_name = "villages/membership_form.html"
    success_message = _("已登记成员资格：%(name)s。")

    def places(self, person: Person) -> list[str]:
        return person.cooperative_codes_open_to()

    def success_name(self) -> str:
        return f"{self.person.name}，{self.object.cooperative.name}"


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
            Person.objects.restrict(user, "view").select_related("division"), pk=self.kwargs["pk"]
        )
        if PartyMembership.objects.filter(person=self.person).exists():
            raise Http404
        # The person is in scope; whether the user may register party members in their
        # village decides between the form and 403 (a cooperative clerk's reach ends below it).
        if not holds_in(user, "villages.add_partymembership", self.person.village_code()):
            raise PermissionDenied
        self.branch = get_object_or_404(Division.objects.restrict(user, "view"), code=self.person.village_code())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person, "branch_code": self.branch.code}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person, "branch": self.branch}

    def get_success_url(self) -> str:
        return reverse("villages:person", args=[self.person.pk])
