"""The evidence files of a violation in the API (docs/api.md, "Violations"):

- `GET /api/v1/violations/<id>/evidence/` lists them (paginated), each with its download URLs;
- `POST /api/v1/violations/<id>/evidence/` (multipart, field `files`, one or more) adds them
  through covenants.services.add_evidence and answers 201 with the files added;
- `GET /api/v1/violations/<id>/evidence/<pk>/download/` sends one file to a token client (the
  browser's link is governance's /files/ page, which needs the session).

The violation is found among those the caller may view: 404 outside the jurisdiction, 403 inside
it without the right. Files are never deleted (covenants.services.add_evidence says why).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from covenants import services
from covenants.models import Violation, ViolationEvidence
from governance.access.permissions import OUT_OF_SCOPE, IsSignedIn
from governance.access.querysets import lies_in_jurisdiction
from governance.api.files import PRIVATE_FILE_FIELDS, PrivateFileSerializer
from governance.uploads import AcceptedFilesField, file_response


class EvidenceSerializer(PrivateFileSerializer):
    """One evidence file of a violation: what it is, who uploaded it when, and where to download it."""

    violation = serializers.IntegerField(source="violation_id", read_only=True)

    api_download_route = "api:violationevidence-download"

    class Meta:
        model = ViolationEvidence
        fields = [*PRIVATE_FILE_FIELDS, "violation"]
        read_only_fields = fields

    def api_download_kwargs(self, evidence) -> dict:
        return {"violation_pk": evidence.violation_id, "pk": evidence.pk}


class AddEvidenceSerializer(serializers.Serializer):
    files = AcceptedFilesField(label=_("证据文件"), help_text=_("一个或多个文件（multipart，字段名 files）"))


class ViolationEvidenceViewSet(viewsets.GenericViewSet):
    """Evidence files of one violation; the caller's rights are those over the violation."""

    permission_classes = [IsSignedIn]
    serializer_class = EvidenceSerializer
    # Multipart carries the files; JSON is accepted only to answer it with a field error.
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = ViolationEvidence.objects.none()  # for the schema; rows come from evidence_of()
    lookup_value_regex = "[0-9]+"

    def violation(self) -> Violation:
        """The violation the URL names, among those the caller may view: 404 outside the
        jurisdiction (or absent), 403 inside it for a caller who may not view violations."""
        lookup = {"pk": self.kwargs["violation_pk"]}
        found = Violation.objects.restrict(self.request.user, "view").filter(**lookup).first()
        if found is None:
            if lies_in_jurisdiction(self.request.user, Violation, **lookup):
                raise exceptions.PermissionDenied(_("您无权查看该违约记录。"))
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return found

    def evidence_of(self, violation: Violation):
        return (
            ViolationEvidence.objects.restrict(self.request.user, "view")
            .filter(violation=violation)
            .select_related("uploaded_by")
            .order_by("uploaded_at", "id")
        )

    @extend_schema(responses=EvidenceSerializer(many=True))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.evidence_of(self.violation()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": AddEvidenceSerializer}, responses={201: EvidenceSerializer(many=True)}
    )
    def create(self, request, *args, **kwargs):
        """Add one or more evidence files; a bad one refuses them all (400 naming it)."""
        violation = self.violation()
        if not services.may_add_evidence(request.user, violation):
            raise exceptions.PermissionDenied(_("您无权为该违约记录添加证据。"))
        form = AddEvidenceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        added = services.add_evidence(violation, acting_user=request.user, files=form.validated_data["files"])
        rows = self.evidence_of(violation).filter(pk__in=[row.pk for row in added])
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        """The file itself, as an attachment under its original name."""
        evidence = self.evidence_of(self.violation()).filter(pk=self.kwargs["pk"]).first()
        if evidence is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return file_response(evidence)
