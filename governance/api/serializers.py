from rest_framework import serializers


class AuditEventSerializer(serializers.Serializer):
    """One audit event: what changed, when, by whom."""

    label = serializers.CharField(source="pgh_label")
    created_at = serializers.DateTimeField(source="pgh_created_at")
    data = serializers.JSONField(source="pgh_data")
    diff = serializers.JSONField(source="pgh_diff")
    user = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_user(self, event) -> int | None:
        context = event.pgh_context
        return (context.metadata or {}).get("user") if context else None

    def get_url(self, event) -> str | None:
        context = event.pgh_context
        return (context.metadata or {}).get("url") if context else None


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that only resolves to records the caller may view (else: does not exist)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.restrict(request.user if request else None, "view")
