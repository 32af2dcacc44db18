"""The API of deliberation (议事协商; docs/api.md, "Deliberation"):

- `deliberation-bodies` (`?division=` subtree): a village's or community's body with its members;
  created by its village (one per village), edited in scope;
- `deliberation-body-members` (`?body=`, `?division=`): members added, their standing changed,
  removed where the role may;
- `deliberation-catalogue` (`?district=`, `?active=`): the district's guiding catalogue; the district
  keeps it, everyone who works in the district reads it (read from above, like event categories);
- `deliberation-meetings` (`?division=`, `?body=`): meetings of a body;
- `deliberation-topics` (`?division=`, `?status=`, `?body=`): topics proposed with POST
  (services.propose_topic), then `review/` (预审, four eyes: never the proposer, 403) and
  `deliberate/` (meeting, outcome, an optional decision), each through the services, which
  refuse a step out of order with 400 on `status`.

Every object comes from `queryset.restrict(user, action)` (404 outside the jurisdiction, 403 inside
it without the right). What a request names besides the record (a body, a meeting, a decision) is
looked up among those the caller views: a body out of scope is 404 (nothing is written), a meeting
or decision the caller does not view is 400 on its field.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from engagement.api.serializers import deliberation as s
from engagement.filters.deliberation import (
    BodyMemberFilterSet,
    CatalogueEntryFilterSet,
    DeliberationBodyFilterSet,
    MeetingFilterSet,
    TopicFilterSet,
)
from engagement.models import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from engagement.services import deliberation as services
from governance import clock
from governance.access.permissions import OUT_OF_SCOPE
from governance.api.actions import record_action
from governance.api.viewsets import (
    ScopedCreateReadUpdateViewSet,
    ScopedModelViewSet,
    WorkflowRecordViewSet,
    division_in_scope,
)
from rights_lists.models import Decision


def in_scope_or_404(user, model, pk, action: str = "view"):
    """The record `pk` of `model` among those `user` may view: 404 otherwise (nothing written)."""
    found = model.objects.restrict(user, action).filter(pk=pk).first()
    if found is None:
        raise exceptions.NotFound(OUT_OF_SCOPE)
    return found


def field_error(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


BODIES = DeliberationBody.objects.select_related("division").prefetch_related(
    Prefetch("members", queryset=BodyMember.objects.select_related("person").order_by("id"))
)


class DeliberationBodyViewSet(ScopedCreateReadUpdateViewSet):
    """Deliberation bodies with their members (never deleted: their topics and meetings stay)."""

    queryset = BODIES
    serializer_class = s.DeliberationBodySerializer
    filterset_class = DeliberationBodyFilterSet

    @extend_schema(request=s.CreateDeliberationBodySerializer, responses={201: s.DeliberationBodySerializer})
    def create(self, request, *args, **kwargs):
        """A village's or community's body (one each): `division` a village code in the caller's
        jurisdiction (else 404)."""
        form = s.CreateDeliberationBodySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        village = division_in_scope(request.user, data.pop("division"))
        body = services.form_body(village=village, acting_user=request.user, **data)
        return Response(s.DeliberationBodySerializer(BODIES.get(pk=body.pk)).data, status=status.HTTP_201_CREATED)


class BodyMemberViewSet(ScopedModelViewSet):
    """Members of deliberation bodies: a person registered in the body's village (or one of its
    cooperatives), once per body."""

    queryset = BodyMember.objects.select_related("person", "body").order_by("id")
    serializer_class = s.BodyMemberSerializer
    filterset_class = BodyMemberFilterSet

    @extend_schema(request=s.AddBodyMemberSerializer, responses={201: s.BodyMemberSerializer})
    def create(self, request, *args, **kwargs):
        form = s.AddBodyMemberSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        body = in_scope_or_404(request.user, DeliberationBody, data["body"])
        member = services.add_member(body=body, acting_user=request.user, person_id=data["person"], role=data["role"])
        return Response(s.BodyMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class CatalogueEntryViewSet(ScopedModelViewSet):
    """The district's guiding catalogue of topics (指导目录). Read by everyone who views catalogue
    entries in the district (from above their subtree); kept by the district."""

    queryset = CatalogueEntry.objects.order_by("district_id", "title", "id")
    serializer_class = s.CatalogueEntrySerializer
    filterset_class = CatalogueEntryFilterSet

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.scope_action == "view":  # read from above: the district's data
            self.queryset = CatalogueEntry.objects.readable_by(request.user).order_by("district_id", "title", "id")

    @extend_schema(request=s.CreateCatalogueEntrySerializer, responses={201: s.CatalogueEntrySerializer})
    def create(self, request, *args, **kwargs):
        """An entry of a district's catalogue: `district` a district code in the caller's
        jurisdiction (else 404)."""
        form = s.CreateCatalogueEntrySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        district = division_in_scope(request.user, data.pop("district"))
        entry = services.add_catalogue_entry(district=district, acting_user=request.user, **data)
        return Response(s.CatalogueEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class MeetingViewSet(ScopedCreateReadUpdateViewSet):
    """Meetings of deliberation bodies (协商会议)."""

    queryset = Meeting.objects.select_related("body")
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilterSet

    @extend_schema(request=s.CreateMeetingSerializer, responses={201: s.MeetingSerializer})
    def create(self, request, *args, **kwargs):
        """A meeting of a body in the caller's jurisdiction (else 404)."""
        form = s.CreateMeetingSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        body = in_scope_or_404(request.user, DeliberationBody, data.pop("body"))
        with transaction.atomic():
            meeting = Meeting.objects.create(body=body, **data)
            self.check_write_target(meeting, "add")
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


TOPICS = Topic.objects.select_related("body", "entry", "proposed_by", "reviewed_by")


class TopicViewSet(WorkflowRecordViewSet):
    """Topics proposed to bodies from the catalogue; never edited nor deleted: what happens next
    are the steps (预审 `review/`, 协商 `deliberate/`)."""

    queryset = TOPICS
    serializer_class = s.TopicSerializer
    filterset_class = TopicFilterSet
    action_permissions = {"review": "review", "deliberate": "change"}

    @extend_schema(request=s.ProposeTopicSerializer, responses={201: s.TopicSerializer})
    def create(self, request, *args, **kwargs):
        """Propose a topic to a body in the caller's jurisdiction (else 404), from the guiding
        catalogue of the body's district (else 400 on `entry`) → `proposed`."""
        form = s.ProposeTopicSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        body = in_scope_or_404(request.user, DeliberationBody, data["body"])
        entry = CatalogueEntry.objects.of_district_of(body.division_id).filter(pk=data["entry"]).first()
        if entry is None:
            raise field_error("entry", _("议题须出自本区的议事协商指导目录。"))
        topic = services.propose_topic(
            acting_user=request.user,
            body=body,
            entry=entry,
            title=data["title"],
            proposed_on=data.get("proposed_on") or clock.today(),
        )
        return Response(s.TopicSerializer(TOPICS.get(pk=topic.pk)).data, status=status.HTTP_201_CREATED)

    @record_action(body=s.ReviewTopicSerializer, answer=s.TopicSerializer)
    def review(self, topic, data, *, acting_user):
        """预审: `approved` true → `approved`, false (with a `note`) → `rejected`; refused (403) to
        the user who proposed it, 400 on `status` once reviewed."""
        return services.review_topic(
            topic,
            acting_user=acting_user,
            approved=data["approved"],
            reviewed_on=data.get("reviewed_on") or clock.today(),
            note=data["note"],
        )

    @record_action(body=s.DeliberateTopicSerializer, answer=s.TopicSerializer)
    def deliberate(self, topic, data, *, acting_user):
        """协商: the body's `meeting` that deliberated it and its `outcome`; `decision` (a decision
        of the village, 四议两公开) when the outcome needs one → `deliberated`. 400 on `status`
        unless the topic passed its pre-review."""
        meeting = Meeting.objects.restrict(acting_user, "view").filter(pk=data["meeting"]).first()
        if meeting is None:
            raise field_error("meeting", _("没有该协商会议，或不在您的辖区内。"))
        decision = None
        if data.get("decision"):
            decision = Decision.objects.restrict(acting_user, "view").filter(pk=data["decision"]).first()
            if decision is None:
                raise field_error("decision", _("没有该决策，或不在您的辖区内。"))
        return services.deliberate(
            topic, acting_user=acting_user, meeting=meeting, outcome=data["outcome"], decision=decision
        )


# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = (
    ("deliberation-bodies", DeliberationBodyViewSet, "deliberationbody"),
    ("deliberation-body-members", BodyMemberViewSet, "bodymember"),
    ("deliberation-catalogue", CatalogueEntryViewSet, "catalogueentry"),
    ("deliberation-meetings", MeetingViewSet, "meeting"),
    ("deliberation-topics", TopicViewSet, "topic"),
)
