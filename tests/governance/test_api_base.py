"""The API's cross-cutting endpoints and conventions: token, me, schema, docs, pagination, errors."""

import datetime

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from governance.testing.api import ANONYMOUS, CALLERS, OUTSIDER, ROLES, client_as
from governance.testing.factories import TEST_PASSWORD
from governance.testing.schema import SchemaCheckedAPIClient as APIClient
from governance.testing.world import OTHER_VILLAGE_SAME_TOWN, ROLE_HOME, VILLAGE
from villages.identity import birth_date_from_id, gender_from_id, make_id_number
from villages.models import Person
from villages.testing.factories import PersonFactory, division

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
LOCKED_OUT = 429  # django-axes' AXES_HTTP_RESPONSE_CODE


# --- the access matrix of the endpoints that are not about one model ------------------------


@pytest.mark.parametrize("who", CALLERS)
def test_me_answers_every_signed_in_user_with_their_own_assignments(world, who):
    response = client_as(who).get(ME_URL)

    if who == ANONYMOUS:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == who
    expected = [] if who == OUTSIDER else [(ROLE_HOME[who], who)]
    assert [(a["division"], a["role"]) for a in body["assignments"]] == expected
    assert all(codes == [ROLE_HOME[who]] for codes in body["permissions"].values())
    assert bool(body["permissions"]) == (who != OUTSIDER)


@pytest.mark.parametrize("who", CALLERS)
def test_everyone_with_an_account_gets_a_token_for_their_own_password(world, who):
    username = "" if who == ANONYMOUS else who

    response = APIClient().post(TOKEN_URL, {"username": username, "password": TEST_PASSWORD}, format="json")

    if who == ANONYMOUS:
        assert response.status_code == 400
        assert list(response.json()) == ["username"]
    else:
        assert response.status_code == 200
        assert response.json() == {"token": Token.objects.get(user__username=who).key}


@pytest.mark.parametrize("who", CALLERS)
def test_the_schema_and_its_docs_are_served_to_everyone(world, who):
    client = client_as(who)

    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/v1/docs/")
    # The page's settings come as a script of their own (no inline script under the CSP).
    docs_script = client.get("/api/v1/docs/?script=")

    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200
    assert "/api/v1/docs/?script=" in docs.content.decode()
    assert docs_script.status_code == 200
    assert docs_script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in docs_script.content.decode()


def test_the_schema_describes_every_endpoint_of_the_contract(world):
    paths = (
        client_as("district_admin")
        .get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()["paths"]
    )

    for path in [
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/divisions/",
        "/api/v1/divisions/{code}/",
        "/api/v1/divisions/{code}/children/",
        "/api/v1/divisions/{code}/ancestors/",
        "/api/v1/divisions/{code}/history/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/people/{id}/history/",
        "/api/v1/households/",
        "/api/v1/positions/",
        "/api/v1/positions/{id}/history/",
    ]:
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/api/v1/people/"])
    assert "delete" not in paths["/api/v1/people/{id}/"]


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/people/" in (tmp_path / "schema.yml").read_text()


# --- token authentication ---------------------------------------------------------------------


def test_a_token_signs_its_user_in(world):
    token = APIClient().post(TOKEN_URL, {"username": "village_clerk", "password": TEST_PASSWORD}).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(ME_URL)

    assert (response.status_code, response.json()["username"]) == (200, "village_clerk")


def test_issuing_a_token_records_the_sign_in(world):
    assert world.user("village_clerk").last_login is None

    post_password("village_clerk", TEST_PASSWORD)

    world.user("village_clerk").refresh_from_db()
    assert world.user("village_clerk").last_login is not None


def test_a_wrong_or_unknown_token_is_a_401_that_asks_for_a_token(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = client.get(ME_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_a_token_of_a_deactivated_user_no_longer_works(world):
    clerk = world.user("village_clerk")
    token = Token.objects.create(user=clerk)
    clerk.is_active = False
    clerk.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get("/api/v1/people/").status_code == 401


def test_a_wrong_password_is_a_400_and_gives_no_token(world):
    response = APIClient().post(TOKEN_URL, {"username": "village_clerk", "password": "wrong"})

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert not Token.objects.exists()


def post_password(username: str, password: str):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password})


def test_a_user_is_locked_out_after_five_failures_even_with_the_right_password(world, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [post_password("village_clerk", f"wrong-{n}").status_code for n in range(5)]

    afterwards = post_password("village_clerk", TEST_PASSWORD)

    assert statuses == [400, 400, 400, 400, LOCKED_OUT]
    assert afterwards.status_code == LOCKED_OUT
    assert afterwards.json()["detail"] == "登录失败次数过多，账户已被暂时锁定。"
    in_english = APIClient().post(
        TOKEN_URL, {"username": "village_clerk", "password": TEST_PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert in_english.json()["detail"] == "Too many failed sign-ins: locked out for a while."
    assert not Token.objects.exists()


def test_a_lockout_does_not_touch_other_users(world):
    for n in range(5):
        post_password("village_clerk", f"wrong-{n}")

    assert post_password("town_official", TEST_PASSWORD).status_code == 200


def test_a_success_before_the_limit_resets_the_failures(world):
    for n in range(4):
        post_password("village_clerk", f"wrong-{n}")
    assert post_password("village_clerk", TEST_PASSWORD).status_code == 200

    statuses = [post_password("village_clerk", f"again-{n}").status_code for n in range(4)]

    assert statuses == [400] * 4
    assert post_password("village_clerk", TEST_PASSWORD).status_code == 200


# --- pagination ---------------------------------------------------------------------------------


def bulk_people(count: int) -> None:
    """`count` people in VILLAGE, written in one statement."""
    people = []
    for n in range(count):
        id_number = make_id_number("440605", datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000), n % 1000)
        people.append(
            Person(
                name=f"村民{n:04d}",
                division_id=VILLAGE,
                id_number=id_number,
                gender=gender_from_id(id_number),
                birth_date=birth_date_from_id(id_number),
            )
        )
    Person.objects.bulk_create(people)


def test_a_list_is_paginated_with_count_next_previous_and_results(world):
    bulk_people(3)

    body = client_as("village_clerk").get("/api/v1/people/", {"page_size": 2, "page": 2}).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], body["next"], len(body["results"])) == (3, None, 1)
    assert "page_size=2" in body["previous"]


def test_the_page_size_is_fifty_by_default_and_capped_at_a_thousand(world):
    bulk_people(1001)
    client = client_as("village_clerk")

    default = client.get("/api/v1/people/").json()
    huge = client.get("/api/v1/people/", {"page_size": 100000}).json()

    assert (default["count"], len(default["results"])) == (1001, 50)
    assert (huge["count"], len(huge["results"])) == (1001, 1000)
    assert huge["next"] is not None
    assert len(client.get("/api/v1/people/", {"page_size": "1" * 400}).json()["results"]) == 1000


@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "999", "1" * 400], ids=["word", "zero", "negative", "past the end", "huge"]
)
def test_a_bad_page_number_is_a_json_404(world, page):
    bulk_people(1)

    response = client_as("village_clerk").get("/api/v1/people/", {"page": page})

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("page_size", ["abc", "0", "-5", "1.5"])
def test_a_bad_page_size_falls_back_to_the_default(world, page_size):
    bulk_people(60)

    response = client_as("village_clerk").get("/api/v1/people/", {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 50


# --- errors in DRF's shape, never a 500 -----------------------------------------------------------


def test_an_anonymous_request_is_a_401_asking_for_a_token(world):
    response = APIClient().get("/api/v1/people/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert list(response.json()) == ["detail"]


def test_a_missing_field_is_a_field_error_in_drfs_shape(world):
    response = client_as("village_clerk").post("/api/v1/people/", {"division": VILLAGE})

    assert response.status_code == 400
    body = response.json()
    assert sorted(body) == ["id_number", "name"]
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in body.values())


def test_errors_speak_english_when_asked(world):
    response = client_as("village_clerk").post("/api/v1/people/", {"division": VILLAGE}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["name"] == ["This field is required."]


def test_a_duplicate_household_number_in_a_village_is_a_field_error_not_a_500(world):
    client = client_as("village_clerk")
    assert client.post("/api/v1/households/", {"division": VILLAGE, "number": "H1"}).status_code == 201

    response = client.post("/api/v1/households/", {"division": VILLAGE, "number": "H1"})

    assert response.status_code == 400
    assert response.json() == {"number": ["本村社已有此户号。"]}


@pytest.mark.parametrize(
    ("method", "url"),
    [("delete", "/api/v1/people/{pk}/"), ("put", "/api/v1/divisions/{code}/"), ("post", "/api/v1/divisions/")],
    ids=["delete a person", "replace a division", "create a division"],
)
def test_a_method_an_endpoint_does_not_offer_is_a_405(world, method, url):
    person = PersonFactory(division=division(VILLAGE))

    response = getattr(client_as("district_admin"), method)(url.format(pk=person.pk, code=VILLAGE), {})

    assert response.status_code == 405
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("pk", ["abc", "1e5", "99999999999999999999999", "-1"])
def test_a_malformed_or_impossible_id_in_the_url_is_a_json_404(world, pk):
    client = client_as("district_admin")

    for url in (f"/api/v1/people/{pk}/", f"/api/v1/people/{pk}/history/", f"/api/v1/positions/{pk}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "detail" in response.json()
    assert client.patch(f"/api/v1/people/{pk}/", {"name": "x"}).status_code == 404


def test_a_role_that_may_not_change_people_gets_404_for_a_malformed_id_too(world):
    assert client_as("inspector").patch("/api/v1/people/abc/", {"name": "x"}).status_code == 404


def test_the_outsider_sees_no_list_and_no_object(world):
    person = PersonFactory(division=division(OTHER_VILLAGE_SAME_TOWN))
    client = client_as(OUTSIDER)

    assert client.get("/api/v1/people/").status_code == 403
    assert client.get("/api/v1/divisions/").status_code == 403
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/divisions/{VILLAGE}/").status_code == 404


def test_every_role_of_the_world_is_in_the_matrix():
    assert set(ROLES) == set(ROLE_HOME)


def test_an_api_url_that_matches_no_route_answers_json_404(client, db):
    response = client.get("/api/v1/people/1.5/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_the_api_docs_load_their_assets_from_this_server(client, db):
    from governance.testing.factories import UserFactory

    client.force_login(UserFactory(username="docs_reader"))
    html = client.get("/api/v1/docs/").content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_the_openapi_schema_generates_without_warnings(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=out)
    assert "/api/v1/divisions/{code}/" in out.getvalue()
