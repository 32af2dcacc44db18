"""The photos of an event in the API (docs/api.md, "Grids"):

- `GET /api/v1/grid-events/<id>/photos/` lists them (paginated), each with its stage (`report`,
  `handling`) and download URLs;
- `POST /api/v1/grid-events/<id>/photos/` (multipart: `files`, one or more, and `stage`) adds them
  through grids.services.add_photos (its reporter while it is open, or whoever may handle it) and
  answers 201 with the photos added;
- `GET /api/v1/grid-events/<id>/photos/<pk>/download/` sends one to a token client (the browser's
  link is governance's /files/ page).

The event is found among those the caller may view: 404 outside the jurisdiction, 403 inside it
without the right. Photos are private files (governance.files.PrivateFile), never deleted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from governance.access.permissions import OUT_OF_SCOPE, IsSignedIn
from governance.access.querysets import lies_in_jurisdiction
from governance.uploads import file_response
from grids import services
from grids.api.serializers import AddPhotosSerializer, EventPhotoSerializer
from grids.models import EventPhoto, GridEvent


class EventPhotoViewSet(viewsets.GenericViewSet):
    """Photos of one event; the caller's rights are those over the event."""

    permission_classes = [IsSignedIn]
    serializer_class = EventPhotoSerializer
    # Multipart carries the files; JSON is accepted only to answer it with a field error.
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = EventPhoto.objects.none()  # for the schema; rows come from photos_of()
    lookup_value_regex = "[0-9]+"

    def event(self) -> GridEvent:
        lookup = {"pk": self.kwargs["event_pk"]}
        found = GridEvent.objects.restrict(self.request.user, "view").filter(**lookup).first()
        if found is None:
            if lies_in_jurisdiction(self.request.user, GridEvent, **lookup):
                raise exceptions.PermissionDenied(_("您无权查看该事件。"))
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return found

    def photos_of(self, event: GridEvent):
        return (
            EventPhoto.objects.restrict(self.request.user, "view")
            .filter(event=event)
            .select_related("uploaded_by")
            .order_by("uploaded_at", "id")
        )

    @extend_schema(responses=EventPhotoSerializer(many=True))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.photos_of(self.event()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": AddPhotosSerializer}, responses={201: EventPhotoSerializer(many=True)}
    )
    def create(self, request, *args, **kwargs):
        """Add one or more photos at the report or at the handling; a bad one refuses them all."""
        event = self.event()
        if not services.may_add_photos(request.user, event):
            raise exceptions.PermissionDenied(_("您无权为该事件添加照片。"))
        form = AddPhotosSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        added = services.add_photos(
            event, acting_user=request.user, files=form.validated_data["files"], stage=form.validated_data["stage"]
        )
        rows = self.photos_of(event).filter(pk__in=[row.pk for row in added])
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        """The photo itself, as an attachment under its original name."""
        photo = self.photos_of(self.event()).filter(pk=self.kwargs["pk"]).first()
        if photo is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return file_response(photo)
