"""The API of party members' service (docs/parts/api-party.md; Guangxi §10 设岗定责):

- `GET|POST /api/v1/service-posts/` (`?division=`), `GET|PATCH .../<id>/`: a village's posts;
- `GET|POST /api/v1/post-claims/` (`?division=&post=&member=&current=`), `POST .../<id>/leave/`;
- `GET|POST|PATCH|DELETE /api/v1/point-rules/`: the district's data, edited by its administrator
  and read by whoever works in the district (PointRuleQuerySet.readable_by);
- `GET|POST /api/v1/point-entries/` (`?division=&member=&activity=&earned_from=&earned_to=`): a
  party member's points, awarded by engagement.services.party.award_points from the district's rule;
- `GET|POST /api/v1/villager-points/` (`?division=&person=`): villagers' points kept by a village.

All on governance's scoped bases: out of scope is 404, in scope without the right 403, bad input a
field-level 400 (the services' ValidationError).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from engagement.api.serializers import party as s
from engagement.filters.party import (
    PointEntryFilterSet,
    PointRuleFilterSet,
    PostClaimFilterSet,
    ServicePostFilterSet,
    VillagerPointEntryFilterSet,
)
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry
from engagement.services import party as services
from governance.access.permissions import OUT_OF_SCOPE, ScopedActionPermission, lookup_of
from governance.api.actions import record_action
from governance.api.viewsets import (
    ScopedCreateReadUpdateViewSet,
    ScopedModelViewSet,
    WorkflowRecordViewSet,
    division_in_scope,
)
from villages.models import PartyMembership, Person


class ServicePostViewSet(ScopedCreateReadUpdateViewSet):
    """Service posts of villages and communities (服务岗), each with how many party members hold
    it now. Created with POST (`division`, `name`, `duty`); renamed or re-described with PATCH."""

    queryset = ServicePost.objects.annotate(holders=Count("claims", filter=Q(claims__left_on__isnull=True))).order_by(
        "division_id", "name", "id"
    )
    serializer_class = s.ServicePostSerializer
    filterset_class = ServicePostFilterSet

    @extend_schema(request=s.CreateServicePostSerializer, responses={201: s.ServicePostSerializer})
    def create(self, request, *args, **kwargs):
        """A post of a village or community: the division must lie in the caller's jurisdiction
        (else 404) and be a village (else 400); its name is unique in the village."""
        form = s.CreateServicePostSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        division = division_in_scope(request.user, data["division"])
        post = services.create_post(
            acting_user=request.user, village_code=division.code, name=data["name"], duty=data["duty"]
        )
        answer = type(self).queryset.get(pk=post.pk)
        return Response(s.ServicePostSerializer(answer).data, status=status.HTTP_201_CREATED)


CLAIMS = PostClaim.objects.select_related("post", "member__person").order_by("post__division_id", "post__name", "id")


class PostClaimViewSet(WorkflowRecordViewSet):
    """Party members' claims of service posts (认岗). Claimed with POST; left with `leave/`."""

    queryset = CLAIMS
    serializer_class = s.PostClaimSerializer
    filterset_class = PostClaimFilterSet
    action_permissions = {"leave": "change"}

    @extend_schema(request=s.ClaimPostSerializer, responses={201: s.PostClaimSerializer})
    def create(self, request, *args, **kwargs):
        """A party member of the post's village claims it: the post must lie in the caller's
        jurisdiction (else 404); a member of another village, a second current claim of the same
        post or a day in the future is a 400 on its field."""
        form = s.ClaimPostSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        post = ServicePost.objects.restrict(request.user, "view").filter(pk=data["post"]).first()
        if post is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        member = PartyMembership.objects.filter(pk=data["member"], branch_id=post.division_id).first()
        if member is None:
            raise exceptions.ValidationError({"member": [_("该党员不是本村（社区）党组织的党员。")]})
        claim = services.claim_post(acting_user=request.user, post=post, member=member, claimed_on=data["claimed_on"])
        return Response(s.PostClaimSerializer(CLAIMS.get(pk=claim.pk)).data, status=status.HTTP_201_CREATED)

    @record_action(body=s.LeavePostSerializer, answer=s.PostClaimSerializer)
    def leave(self, claim, data, *, acting_user):
        """离岗: the member leaves the post on `left_on` (today by default)."""
        return services.leave_post(claim, acting_user=acting_user, **data)


class ReadsDistrictData(ScopedActionPermission):
    """ScopedActionPermission, except that a write to a rule the caller reads (their district's)
    is a 403, not a 404: its existence is no secret to them."""

    def has_permission(self, request, view) -> bool:
        try:
            return super().has_permission(request, view)
        except exceptions.NotFound:
            lookup = lookup_of(view)
            try:
                readable = lookup is not None and PointRule.objects.readable_by(request.user).filter(**lookup).exists()
            except (TypeError, ValueError):
                readable = False
            if readable:
                return False
            raise


class PointRuleViewSet(ScopedModelViewSet):
    """The district's point rules (积分规则): how many points each activity earns. Read by
    whoever views point rules in the district (its towns and villages included); written by the
    district's administrator (403 to the others on a rule they read, 404 on another district's)."""

    queryset = PointRule.objects.order_by("district_id", "activity")
    serializer_class = s.PointRuleSerializer
    filterset_class = PointRuleFilterSet
    permission_classes = [ReadsDistrictData]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.scope_action == "view":
            # Read from above: the district's data, for everyone who works in the district.
            self.queryset = PointRule.objects.readable_by(request.user).order_by("district_id", "activity")

    def get_object(self):
        try:
            return super().get_object()
        except exceptions.NotFound:
            if self.scope_action != "view" and self.reads(self.kwargs.get("pk")):
                raise exceptions.PermissionDenied(_("积分规则由区县管理员设定。")) from None
            raise

    def reads(self, pk) -> bool:
        """Whether the caller reads the rule `pk` (their district's)."""
        try:
            return PointRule.objects.readable_by(self.request.user).filter(pk=pk).exists()
        except (TypeError, ValueError):
            return False


POINT_ENTRIES = PointEntry.objects.select_related("member__person").order_by("-earned_on", "-id")


class PointEntryViewSet(WorkflowRecordViewSet):
    """Party members' points (党员积分). Awarded with POST: the points are the district rule's for
    the activity (an activity without a rule is a 400 on `activity`)."""

    queryset = POINT_ENTRIES
    serializer_class = s.PointEntrySerializer
    filterset_class = PointEntryFilterSet

    @extend_schema(request=s.AwardPointsSerializer, responses={201: s.PointEntrySerializer})
    def create(self, request, *args, **kwargs):
        """Award a party member in the caller's jurisdiction (else 404) the points of their
        district's rule for the activity."""
        form = s.AwardPointsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        member = PartyMembership.objects.restrict(request.user, "view").filter(pk=data["member"]).first()
        if member is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        entry = services.award_points(
            acting_user=request.user,
            member=member,
            activity=data["activity"],
            earned_on=data["earned_on"],
            note=data["note"],
        )
        return Response(s.PointEntrySerializer(POINT_ENTRIES.get(pk=entry.pk)).data, status=status.HTTP_201_CREATED)


VILLAGER_POINTS = VillagerPointEntry.objects.select_related("person").order_by("-earned_on", "-id")


class VillagerPointEntryViewSet(WorkflowRecordViewSet):
    """Villagers' points, where the village keeps them (村民积分)."""

    queryset = VILLAGER_POINTS
    serializer_class = s.VillagerPointEntrySerializer
    filterset_class = VillagerPointEntryFilterSet

    @extend_schema(request=s.RecordVillagerPointsSerializer, responses={201: s.VillagerPointEntrySerializer})
    def create(self, request, *args, **kwargs):
        """A villager's points in a village of the caller's jurisdiction (else 404); the person
        must be registered in the village or its cooperatives (else 400 on `person`)."""
        form = s.RecordVillagerPointsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        village = division_in_scope(request.user, data["division"])
        person = Person.objects.filter(pk=data["person"], division__code__startswith=village.code).first()
        if person is None:
            raise exceptions.ValidationError({"person": [_("该村民不在本村（社区）登记。")]})
        entry = services.record_villager_points(
            acting_user=request.user,
            village_code=village.code,
            person=person,
            points=data["points"],
            earned_on=data["earned_on"],
            note=data["note"],
        )
        answer = VILLAGER_POINTS.get(pk=entry.pk)
        return Response(s.VillagerPointEntrySerializer(answer).data, status=status.HTTP_201_CREATED)


# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = (
    ("service-posts", ServicePostViewSet, "servicepost"),
    ("post-claims", PostClaimViewSet, "postclaim"),
    ("point-rules", PointRuleViewSet, "pointrule"),
    ("point-entries", PointEntryViewSet, "pointentry"),
    ("villager-points", VillagerPointEntryViewSet, "villagerpointentry"),
)
