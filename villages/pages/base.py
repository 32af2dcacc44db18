"""What the villages pages share beyond governance.pages.mixins: finding the division a record
is added in, the create page of a record of one person, the page recording a record's end, and
a service's refusal as one line for the page."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import CreateView, UpdateView

from governance.access.querysets import holds_in, permission_name
from governance.guards import require_model_permission_at
from governance.pages.mixins import ScopedWriteMixin, object_for
from villages.choices import PERSON_LEVELS
from villages.models import Division, Person


def division_to_add_in(user, code: str, model) -> Division:
    """The village or cooperative `code`, where `user` is about to add a `model` record: 404
    when it lies outside their jurisdiction (or is no village or cooperative), 403 when they
    may not add such records there."""
    division = get_object_or_404(
        Division.objects.restrict(user, "view").filter(level__in=PERSON_LEVELS).select_related("parent"), code=code
    )
    require_model_permission_at(user, model, "add", division.code)
    return division


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
            Person.objects.restrict(user, "view").select_related("division__parent"), pk=self.kwargs["pk"]
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


def error_text(error: ValidationError) -> str:
    """A service's ValidationError (field-level or not) as one line for the page."""
    return " ".join(error.messages)
