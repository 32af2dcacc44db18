"""Open311 GeoReport v2 (JSON) under /open311/v2/ (DESIGN.md section 7, docs/api.md "Open311").

Grid events also speak the standard of 311 systems, so that existing Open311 clients and tools
read them and report into them: `discovery.json`, `services.json` (the event categories),
`requests.json` (GET: the events; POST, form-encoded with `api_key`: report one) and
`requests/<id>.json`. The modules: params.py reads and checks the inputs, serializers.py shapes
the answers, views.py serves them, urls.py routes them (registered by grids.contributions).

Not in the portal's OpenAPI schema (/api/v1/schema/): the standard fixes its own address, its
form-encoded POST and its error shape (`[{"code", "description"}]`), which the REST API's
conventions (JSON bodies, the `Error` schema) do not describe; the discovery document and the
specification (wiki.open311.org/GeoReport_v2) are what Open311 clients read.
"""
