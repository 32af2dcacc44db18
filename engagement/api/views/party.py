"""The API of party members' service posts, point rules, points and the pioneer index."""

# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = ()
