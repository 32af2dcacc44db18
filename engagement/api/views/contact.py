"""The API of direct contact (docs/api.md, "Direct contact"; DESIGN.md §2, §3):

- `GET|POST /api/v1/contact-links/` (`?division=` with its subtree, `?kind=`, `?current=true`),
  `GET .../<id>/` with its history, `POST .../<id>/end/` with `until`: the five links of each
  village (五挂钩), filled with engagement.services.contact.fill_link and ended with end_link;
- `GET|POST /api/v1/contact-days/` (`?division=`, `?after=`, `?before=`), `GET|PATCH|DELETE
  .../<id>/`: the contact days held (组织直联日), through record_contact_day, change_contact_day
  and delete_contact_day.

All on governance's scoped bases: every row comes from `queryset.restrict(user, action)`: 404
outside the jurisdiction, 403 inside it without the right. A write into a division outside the
jurisdiction is 404 before the service runs; the service re-checks the right (403)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from engagement.api.serializers import contact as s
from engagement.filters.contact import ContactDayFilterSet, ContactLinkFilterSet
from engagement.models import ContactDay, ContactLink
from engagement.services import contact as services
from governance.api.actions import read_body, record_action
from governance.api.viewsets import WorkflowRecordViewSet, division_in_scope


class ContactLinkViewSet(WorkflowRecordViewSet):
    """The links of villages (五挂钩): filled with POST, ended with `end/`; never edited nor
    deleted (their history is the record of who was linked when)."""

    queryset = ContactLink.objects.order_by("division_id", "kind", "since", "id")
    serializer_class = s.ContactLinkSerializer
    filterset_class = ContactLinkFilterSet
    action_permissions = {"end": "change"}

    @extend_schema(request=s.FillLinkSerializer, responses={201: s.ContactLinkSerializer})
    def create(self, request, *args, **kwargs):
        """Fill a link of a village: a single link's previous holder ends the day before; the
        deputies and members (两代表一委员) may be several. The village must lie in the caller's
        jurisdiction (else 404)."""
        data = read_body(self, s.FillLinkSerializer)
        village = division_in_scope(request.user, data.pop("division"))
        link = services.fill_link(acting_user=request.user, village_code=village.code, **data)
        return Response(self.get_serializer(self.answer_instance(link)).data, status=status.HTTP_201_CREATED)

    @record_action(body=s.EndLinkSerializer, answer=s.ContactLinkSerializer)
    def end(self, link, data, *, acting_user):
        """End a link on `until`, its last day (not before its start; once)."""
        return services.end_link(link, acting_user=acting_user, **data)


class ContactDayViewSet(mixins.UpdateModelMixin, mixins.DestroyModelMixin, WorkflowRecordViewSet):
    """Contact days held in towns and villages (组织直联日, Tuesday): recorded with POST (a day that
    is not a Tuesday is recorded, `on_contact_weekday` false), corrected with PATCH, deleted by the
    district."""

    queryset = ContactDay.objects.order_by("-held_on", "-id")
    serializer_class = s.ContactDaySerializer
    filterset_class = ContactDayFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=s.RecordContactDaySerializer, responses={201: s.ContactDaySerializer})
    def create(self, request, *args, **kwargs):
        """Record a contact day in a town or village of the caller's jurisdiction (else 404): one
        per division and day, not in the future."""
        data = read_body(self, s.RecordContactDaySerializer)
        division = division_in_scope(request.user, data.pop("division"))
        day = services.record_contact_day(acting_user=request.user, division_code=division.code, **data)
        return Response(self.get_serializer(self.answer_instance(day)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ChangeContactDaySerializer, responses={200: s.ContactDaySerializer})
    def partial_update(self, request, *args, **kwargs):
        """Correct a contact day's date, attendees or matters."""
        day = self.get_object()
        data = read_body(self, s.ChangeContactDaySerializer)
        day = services.change_contact_day(day, acting_user=request.user, **data)
        return Response(self.get_serializer(self.answer_instance(day)).data)

    def destroy(self, request, *args, **kwargs):
        """Delete a contact day recorded by mistake."""
        services.delete_contact_day(self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = (
    ("contact-links", ContactLinkViewSet, "contactlink"),
    ("contact-days", ContactDayViewSet, "contactday"),
)
