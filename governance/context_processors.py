"""Template context every page needs: the user's jurisdiction, for the navigation."""

from governance.access.querysets import assigned_codes


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"jurisdiction_codes": assigned_codes(user)}
