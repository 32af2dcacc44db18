"""Browser pages of the villages app, one module per model: divisions.py, people.py,
households.py, positions.py, memberships.py, party_memberships.py and filings.py; what they share
in base.py, their URLs in urls.py (app_name "villages").

Every queryset starts from `restrict(user, "view")` (through ScopedQuerysetMixin or directly),
and related rows come in with select_related or annotations, so a page costs the same number of
queries whatever its number of rows.

Each page that writes finds its target (a division, a person) in the user's restricted queryset
before it shows or reads a form: out of scope is 404, in scope without the permission 403. The
save runs in a transaction and is checked again against restrict(user, action)
(ScopedWriteMixin); model validation is the same as the API's. Workflow actions (filings) go
through villages.services.
"""
