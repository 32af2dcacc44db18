"""The searchable picker's results: GET /pick/<app_label>.<model_name>/?q=...&within=<code>&at=<code>.

An htmx fragment (templates/governance/picker_results.html) listing at most PICK_LIMIT records
of a model that its app offers through the registry (governance.registry.Picker), for the
search box of governance.pages.widgets.PickerWidget. Records come only from the model's
`restrict(user, "view")` queryset, so a picker never offers what the visitor may not see; the
registry names the models, so this module imports no domain app.

- `q`: the search term (the picker's `search` decides what it matches: a name, a number, a
  code); none lists the first records in scope.
- `within`: only records lying in that division's subtree (the model's scope_field starts with
  the code); `at`: only records lying in that division itself. A malformed code matches nothing.

Anonymous visitors are sent to sign in; a key no app registered is 404. A request costs a fixed
number of queries (the session, the user, the user's grants, one for the results), whatever
the number of matches.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.views import View

from governance.registry import registry

PICK_LIMIT = 20
MAX_TERM_LENGTH = 50


def is_code(value: str) -> bool:
    return value.isascii() and value.isdigit()


def picker_rows(picker, user, *, term: str = "", within: str = "", at: str = ""):
    """The records `picker` offers `user` for `term`, in and at the given divisions: the
    restricted queryset, narrowed, never widened."""
    rows = picker.queryset().restrict(user, "view")
    scope_field = rows.model.scope_field
    for code, lookup in ((within, "startswith"), (at, "exact")):
        if code:
            rows = rows.filter(**{f"{scope_field}__{lookup}": code}) if is_code(code) else rows.none()
    if term:
        rows = picker.search(rows, term)
    return rows


class PickerView(LoginRequiredMixin, View):
    """The choices of one picker for what the visitor typed, as a fragment of list items."""

    def get(self, request, key: str):
        picker = registry.pickers.get(key)
        if picker is None:
            raise Http404
        # Runs of spaces count as one; a NUL, which no name holds (PostgreSQL refuses it), as none.
        term = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_TERM_LENGTH]
        rows = picker_rows(
            picker, request.user, term=term, within=request.GET.get("within", ""), at=request.GET.get("at", "")
        )
        found = list(rows[: PICK_LIMIT + 1])  # one more than shown tells that there are more
        context = {
            "choices": [(obj.pk, picker.label(obj)) for obj in found[:PICK_LIMIT]],
            "more": len(found) > PICK_LIMIT,
            "limit": PICK_LIMIT,
            "term": term,
        }
        return render(request, "governance/picker_results.html", context)
