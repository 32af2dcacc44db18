"""Template context every page needs: the user's jurisdiction and the navigation the apps register."""

from governance.access.querysets import assigned_codes
from governance.registry import nav_entries, registry


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [item for item in registry.ordered(registry.nav) if item.shown_to is None or item.shown_to(user)]
    return {"jurisdiction_codes": assigned_codes(user), "nav_entries": nav_entries(items)}
