import copy

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from governance.privacy import masked, masked_diff, may_see_personal_data


class PortalModelSerializer(serializers.ModelSerializer):
    """The base of every model serializer of the portal: DRF's, with the fields it derives from
    the model built once per class instead of once per serializer instance.

    DRF's ModelSerializer.get_fields() inspects the model and builds every field each time a
    serializer is made: for a list, once for the list's child and once more per nested
    serializer, 2 ms a time; a decision list paid 10 of its 20 ms for it (bench/api_load). The
    fields depend only on the class (its Meta and declared fields), so the first instance's are
    kept on the class and each instance gets a copy, bound to it as before; a subclass that adapts
    fields to the request does so in its own get_fields() or __init__, on that copy.
    """

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built_for_class")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built_for_class = built
        return copy.deepcopy(built)


class AuditEventSerializer(serializers.Serializer):
    """One audit event: what changed, when, by whom.

    `data` and `diff` are snapshots of the record, so they carry its personal data: they are
    masked unless the view passes `personal_data_visible` in the context (masked by default).
    """

    label = serializers.CharField(source="pgh_label")
    created_at = serializers.DateTimeField(source="pgh_created_at")
    data = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def _visible(self) -> bool:
        return bool(self.context.get("personal_data_visible", False))

    def get_data(self, event) -> dict | None:
        return masked(event.pgh_data, visible=self._visible()) if event.pgh_data else event.pgh_data

    def get_diff(self, event) -> dict | None:
        return masked_diff(event.pgh_diff, visible=self._visible()) if event.pgh_diff else event.pgh_diff

    # The aggregated Events rows carry the context's metadata itself (a dict), not a Context row.
    def get_user(self, event) -> int | None:
        return (event.pgh_context or {}).get("user")

    def get_url(self, event) -> str | None:
        return (event.pgh_context or {}).get("url")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that only resolves to records the caller may view (else: does not exist)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.restrict(request.user if request else None, "view")


class ReadablePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that only resolves to records the caller may read through the
    queryset's `readable_by(user)`: restrict() widened by what an app lets a division read from
    above (a district's list templates read by its villages). Anything else does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            # A serializer made without its view's context would find nothing, silently.
            raise ImproperlyConfigured(f"{type(self.parent).__name__}.{self.field_name}: no request in the context")
        return super().get_queryset().readable_by(request.user)


class MaskedPersonalDataMixin:
    """For a serializer of records with personal data: `mask_person_fields(data, code)` masks
    `id_number` and `phone` unless the caller holds the personal-data permission at that division."""

    def mask_person_fields(self, data: dict, division_code: str) -> dict:
        request = self.context.get("request")
        return masked(data, visible=bool(request) and may_see_personal_data(request.user, division_code))
