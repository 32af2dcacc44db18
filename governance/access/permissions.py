"""DRF permission classes built on the jurisdiction grants."""

from rest_framework.permissions import BasePermission

from governance.access.querysets import jurisdiction_codes, permission_name

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

    Where they may act is decided by the restricted queryset (out of scope answers 404).
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
        return bool(jurisdiction_codes(user, permission_name(model, action)))


class IsSignedIn(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)
