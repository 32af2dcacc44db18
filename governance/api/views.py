"""Cross-cutting API endpoints: the token, `me`, and the districts' departments."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.access.permissions import IsSignedIn
from governance.access.querysets import assigned_codes, departments_of, grants_of
from governance.people_names import display_name


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}. Failed attempts count towards the lockout."""

    parser_classes = [JSONParser]

    # Open to anyone: the way to get a token (`security: []`).
    @extend_schema(request=CredentialsSerializer, responses=TokenSerializer, auth=[])
    def post(self, request, *args, **kwargs):
        # The serializer authenticates with the request, so django-axes counts failures and
        # refuses a locked-out username and address even with the right password.
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # axes flags the request it was given (this DRF request, not the HttpRequest its
            # middleware looks at): answer the lockout here, as JSON.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": _("登录失败次数过多，账户已被暂时锁定。")},
                    status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
                )
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # Issuing a token is a sign-in: axes resets the failures (AXES_RESET_ON_SUCCESS) and
        # Django records last_login, as for the session sign-in.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The signed-in user, their assignments (division code, role) and their permissions."""

    permission_classes = [IsSignedIn]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "name": serializers.CharField(),
                "is_superuser": serializers.BooleanField(),
                "assignments": inline_serializer(
                    "Assignment",
                    {
                        "division": serializers.CharField(),
                        "division_name": serializers.CharField(),
                        "role": serializers.CharField(),
                        "role_name": serializers.CharField(),
                    },
                    many=True,
                ),
                "permissions": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            },
        )
    )
    def get(self, request):
        user = request.user
        assignments = [
            {"division": a.division_id, "division_name": a.division.name, "role": a.role.slug, "role_name": a.role.name}
            for a in user.assignments.select_related("division", "role").order_by("division_id", "role__slug")
        ]
        return Response(
            {
                "username": user.get_username(),
                "name": display_name(user),
                "is_superuser": user.is_superuser,
                "assignments": assignments,
                "permissions": {perm: list(codes) for perm, codes in sorted(grants_of(user).items())},
            }
        )


class DepartmentSerializer(serializers.Serializer):
    district = serializers.CharField(source="district_id")
    code = serializers.CharField()
    name = serializers.CharField()


class DepartmentListView(ListAPIView):
    """GET: the departments of the districts the caller works in (read-only, governance.departments).

    A signed-in user sees the departments of every district their jurisdiction lies in (an
    assignment at, above or below the district) or whose department they work for; `?division=`
    keeps the departments of the district that contains that division. The outsider sees none."""

    permission_classes = [IsSignedIn]
    serializer_class = DepartmentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("division", str, description="区划代码：只列出该区划所在区县的职能部门 / division code")
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from governance.departments import Department

        user = self.request.user
        departments = Department.objects.order_by("district_id", "code")
        if not user.is_superuser:
            condition = Q(district_id__in=[district for district, _code in departments_of(user)])
            for code in assigned_codes(user):
                # The district lies in the jurisdiction, or the jurisdiction lies in the district.
                condition |= Q(district__code__startswith=code) | Q(district_id__in=_prefixes(code))
            departments = departments.filter(condition)
        division = self.request.query_params.get("division")
        if division:
            departments = departments.filter(district_id__in=_prefixes(division))
        return departments


def _prefixes(code: str) -> list[str]:
    """Every leading part of a division code: the codes of its ancestors (and its own)."""
    return [code[:length] for length in range(1, len(code) + 1)]
