"""The division a page of the engagement app is about, found once for every theme: out of the
visitor's jurisdiction is 404 (nothing leaks), a page that writes without the right is 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.access.querysets import assigned_codes, holds_in, jurisdiction_codes
from villages.choices import Level
from villages.models import Division


def village_where(user, perm: str, code: str, *, write_perm: str | None = None) -> Division:
    """The village (村/社区) `code` for a visitor who holds `perm` there (404 otherwise), and, for
    a page that writes, `write_perm` too (403 otherwise)."""
    if not holds_in(user, perm, code):
        raise Http404
    village = get_object_or_404(Division.objects.filter(level=Level.VILLAGE).select_related("parent"), code=code)
    if write_perm is not None and not holds_in(user, write_perm, code):
        raise PermissionDenied
    return village


def village_in_jurisdiction(user, code: str) -> Division:
    """The village `code` when it lies in the visitor's jurisdiction, whatever their role (else
    404): a page that writes there then answers 403 to whoever may not."""
    if not user.is_superuser and not any(code.startswith(assigned) for assigned in assigned_codes(user)):
        raise Http404
    return get_object_or_404(Division.objects.filter(level=Level.VILLAGE).select_related("parent"), code=code)


def division_asked_for(user, code: str | None, perm: str) -> Division:
    """The division a table or dashboard is asked for (`?division=`), else the visitor's single
    assignment (or the first subtree where they hold `perm`); 404 where they do not hold it."""
    if not code:
        codes = assigned_codes(user)
        if len(codes) != 1:
            codes = jurisdiction_codes(user, perm)
        code = codes[0] if codes else None
    if not code or not (code.isascii() and code.isdigit()) or not holds_in(user, perm, code):
        raise Http404
    division = Division.objects.filter(code=code).select_related("parent").first()
    if division is None:
        raise Http404
    return division
