"""Template context every page needs: the user's jurisdiction and the navigation the apps register."""

from django.apps import apps

from governance.access.permissions import may_act_somewhere
from governance.access.querysets import assigned_codes
from governance.registry import NavItem, nav_entries, registry


def shown(item: NavItem, user) -> bool:
    """Whether the top bar offers `item` to `user`: not a menu whose model they may view nowhere
    (it would only lead to an empty list), and not one its app keeps from them (`shown_to`)."""
    if item.model is not None and not may_act_somewhere(user, apps.get_model(item.model), "view"):
        return False
    return item.shown_to is None or item.shown_to(user)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [item for item in registry.ordered(registry.nav) if shown(item, user)]
    return {"jurisdiction_codes": assigned_codes(user), "nav_entries": nav_entries(items)}
