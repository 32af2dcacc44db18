"""Serializer fields every app's API shares."""

from __future__ import annotations

import functools

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.registry import get_division_model


class DivisionCodeField(serializers.SlugRelatedField):
    """A division given by its code. Any existing code parses; the scope check runs on the write."""

    default_error_messages = {
        "does_not_exist": _("区划代码 {value} 不存在。"),
        "invalid": _("区划代码无效。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", get_division_model().objects.all())
        super().__init__(**kwargs)

    # The code is the division's primary key: read it from the foreign key column, without
    # loading the division (one query per row otherwise).
    def use_pk_only_optimization(self) -> bool:
        return True

    def to_representation(self, obj) -> str:
        return obj.pk


class ScopedDivisionCodeField(DivisionCodeField):
    """A division given by its code, among those the caller may act on with `scope_action` (the
    right restrict() grants; "view" unless told): a code outside their jurisdiction does not exist
    for them (nothing leaks). The serializer needs the view's context (its request)."""

    def __init__(self, *, scope_action: str = "view", **kwargs):
        self.scope_action = scope_action
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().restrict(request.user if request else None, self.scope_action)


@functools.cache
def _choice_labels(model, field_name: str) -> dict:
    """Value → label (lazy: translated when read) of a model's choice field, built once."""
    return dict(model._meta.get_field(field_name).flatchoices)


class ChoiceLabelField(serializers.CharField):
    """The label of a choice field's value in the request's language, what
    `get_<field>_display()` gives, read from a table built once per field.

    Django's get_<field>_display() hashes every label of the field's choices on each call (each a
    translation look-up): a list of 50 positions paid 8 ms for its 50 labels (bench/api_load).
    A value outside the choices is shown as it is, as Django does.
    """

    def __init__(self, choice_field: str, **kwargs):
        super().__init__(source=choice_field, read_only=True, **kwargs)

    def to_representation(self, value):
        label = _choice_labels(self.parent.Meta.model, self.source).get(value, value)
        return force_str(label, strings_only=True)
