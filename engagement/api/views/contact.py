"""The API of direct contact (五挂钩 links, contact days)."""

# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = ()
