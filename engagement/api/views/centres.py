"""The API of service centres, operating funds, emergency plans and drills."""

# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = ()
