"""The API of deliberation bodies, the guiding catalogue, topics and meetings."""

# (prefix, viewset, basename) of each route, registered by engagement/api/urls.py.
ROUTES: tuple = ()
