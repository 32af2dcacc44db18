"""Words of the chrome that read right in both languages: the disclosure calendar names its
months (一月 / Jan, never "Month 1"), a count says what it counts (no "5 positions" over a list
of violations), and the API docs group their operations by app, folded."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import signed_in_client
from governance.testing.schema import served_schema
from supervision.testing.factories import DisclosureItemFactory
from villages.testing.factories import division

pytestmark = pytest.mark.django_db


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def calendar_months(text: str) -> list[str]:
    head = text.split('id="disclosure-calendar"', 1)[1].split("</thead>", 1)[0]
    return [cell.split(">", 1)[1].split("<", 1)[0] for cell in head.split('calendar-month text-nowrap"')[1:]]


def test_the_disclosure_calendar_names_its_months_in_each_language(world):
    DisclosureItemFactory(division=division(w.VILLAGE), since=datetime.date(2026, 1, 1))
    client = signed_in_client(world.user("village_clerk"))
    url = reverse("supervision:disclosure_calendar")

    chinese = calendar_months(in_language(client, "zh-hans").get(url, {"year": 2026}).text)
    english = calendar_months(in_language(client, "en").get(url, {"year": 2026}).text)

    assert chinese[0] == "一月" and chinese[11] == "十二月" and len(chinese) == 12
    assert english == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_the_violation_count_is_not_a_count_of_positions(world):
    client = in_language(signed_in_client(world.user("district_admin")), "en")
    page = client.get(reverse("covenants:violations"))
    assert page.status_code == 200
    assert "position" not in page.text.split('id="results"', 1)[-1].split("</p>", 1)[0]
    chinese = in_language(client, "zh-hans").get(reverse("covenants:violations"))
    assert "共 0 条违约记录" in chinese.text


def test_every_api_operation_is_tagged_with_its_app():
    schema = served_schema()
    declared = [tag["name"] for tag in schema["tags"]]
    assert declared == ["governance", "villages", "rights_lists", "covenants", "supervision", "grids", "engagement"]
    tags = {
        operation["operationId"]: operation["tags"] for item in schema["paths"].values() for operation in item.values()
    }
    assert all(len(tag) == 1 and tag[0] in declared for tag in tags.values())
    assert tags["v1_auth_token_create"] == ["governance"]
    assert tags["v1_people_list"] == ["villages"]
    assert tags["v1_eligibility_create"] == ["covenants"]
    assert tags["v1_reports_scores_retrieve"] == ["supervision"]


def test_the_api_docs_open_folded(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    assert settings.SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"]["docExpansion"] == "none"
    # Swagger UI's settings come in a script of their own (no inline script: the CSP).
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert '"docExpansion": "none"' in script.content.decode()
