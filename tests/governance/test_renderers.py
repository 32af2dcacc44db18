"""The API's JSON renderer (governance/api/renderers.py) writes what DRF's JSONRenderer writes."""

import datetime
import uuid
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from governance.api.renderers import PortalJSONRenderer

UTC = datetime.timezone.utc
CHINA = datetime.timezone(datetime.timedelta(hours=8))

EVERY_KIND_OF_VALUE = {
    "results": [
        {
            "id": 1,
            "name": "西樵镇 简村村",
            "reported_at": datetime.datetime(2026, 12, 7, 23, 54, 54, 554841, tzinfo=UTC),
            "handled_at": datetime.datetime(2026, 12, 8, 7, 0, tzinfo=CHINA),
            "naive": datetime.datetime(2026, 1, 2, 3, 4, 5, 6),
            "day": datetime.date(2026, 3, 1),
            "time": datetime.time(9, 30, 0, 123456),
            "amount": Decimal("380000.50"),
            "label": gettext_lazy("走访覆盖"),
            "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "by_year": {2025: 3, 2026: 4},
            "ok": True,
            "missing": None,
            "share": 0.25,
            "text": "第一行\u2028第二行\u2029完",
            "tags": ("a", "b"),
        }
    ],
    "next": None,
    "count": 1,
}


def test_the_portal_renderer_writes_the_same_bytes_as_drfs_for_every_kind_of_value():
    assert PortalJSONRenderer().render(EVERY_KIND_OF_VALUE) == JSONRenderer().render(EVERY_KIND_OF_VALUE)


def test_line_and_paragraph_separators_are_escaped_as_drf_escapes_them():
    written = PortalJSONRenderer().render({"text": "a\u2028b\u2029c"})

    assert written == b'{"text":"a\\u2028b\\u2029c"}'


def test_an_indented_answer_is_drfs_and_nothing_is_written_for_no_data():
    indented = PortalJSONRenderer().render({"a": [1]}, "application/json; indent=2")

    assert indented == JSONRenderer().render({"a": [1]}, "application/json; indent=2") and b"\n  " in indented
    assert PortalJSONRenderer().render(None) == b""


def test_the_api_answers_through_the_portal_renderer(world, client_for):
    response = client_for(world.user("village_clerk")).get("/api/v1/people/")

    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, PortalJSONRenderer)
