"""DRF permission classes built on the jurisdiction grants."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from governance.access.querysets import holds_explicit_grants, jurisdiction_codes, lies_in_jurisdiction, permission_name

OUT_OF_SCOPE = _("未找到，或不在您的辖区内。")

# The action each HTTP method needs on the viewset's model (NetBox's HTTP_ACTIONS).
HTTP_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedActionPermission(BasePermission):
    """Signed-in users holding the method's action on the model somewhere in their assignments.

    Where they may act is decided by the restricted queryset (out of scope answers 404). A user
    whose roles never grant the action is refused here: with 403 for a list or a create, and for
    a request on one object (a detail route) with 404 when the object lies outside their
    jurisdiction (or does not exist), 403 inside it, as the viewsets answer the others.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        action = getattr(view, "required_action", None) or HTTP_ACTIONS.get(request.method, "view")
        if may_act_somewhere(user, model, action):
            return True
        lookup = lookup_of(view)
        if lookup is not None and not lies_in_jurisdiction(user, model, **lookup):
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return False


def may_act_somewhere(user, model, action: str = "view") -> bool:
    """Whether `user` holds `action` on `model` in some division, or on some of its rows beyond
    the tree (superusers always): what ScopedActionPermission asks before any row, and what the
    pages ask to decide whether a report or a menu is the user's at all (governance.pages.reports,
    the navigation). No query but, for a model granted beyond the tree, one `exists`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    perm = permission_name(model, action)
    return bool(jurisdiction_codes(user, perm)) or holds_explicit_grants(user, model, perm)


def lookup_of(view) -> dict | None:
    """{lookup_field: value} for a detail route (the URL names one object), else None."""
    lookup_field = getattr(view, "lookup_field", None)
    lookup_kwarg = getattr(view, "lookup_url_kwarg", None) or lookup_field
    kwargs = getattr(view, "kwargs", None) or {}
    if not lookup_kwarg or lookup_kwarg not in kwargs:
        return None
    return {lookup_field: kwargs[lookup_kwarg]}


class IsSignedIn(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)
