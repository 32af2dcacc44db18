"""The API of visits, visiting cadres and their quotas, kept contacts."""

# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = ()
