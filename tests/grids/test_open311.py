"""Open311 GeoReport v2 under /open311/v2/ (DESIGN.md section 7, docs/api.md "Open311"): discovery,
services (the district's categories), requests read by the public (public fields only) or with a
key (the key user's jurisdiction, in full), a report by POST with a key, errors in the standard's
form with their status, never a 500 on bad input, query counts that do not grow with the events.

The answers are checked against the specification's field lists (wiki.open311.org/GeoReport_v2 and
/Service_Discovery) as JSON Schemas. Moments are fixed (REPORTED) and asked for with explicit
start_date and end_date, so that nothing depends on the clock, except the default 90-day window,
tested with events an hour and 100 days old."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from rest_framework.authtoken.models import Token

from governance.audit import history_of
from governance.testing import world as w
from governance.testing.factories import UserFactory
from grids.api.open311.params import MAX_PAGE_SIZE
from grids.api.open311.serializers import REQUEST_FIELDS, SERVICE_FIELDS
from grids.choices import EventState, Route
from grids.models import EventCategory, GridEvent
from grids.services.actions import GridsAction
from grids.testing.factories import GridEventFactory, GridFactory, category, grid_worker
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

REPORTED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)  # 17:00 in Asia/Shanghai
AROUND_REPORTED = {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-31T00:00:00+08:00"}
W3C_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")

# The specification's fields as JSON Schemas: each answer is validated against them.
NULLABLE_TEXT = {"type": ["string", "null"]}
NULLABLE_MOMENT = {"type": ["string", "null"], "pattern": W3C_WITH_OFFSET.pattern}
SERVICE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": list(SERVICE_FIELDS),
        "additionalProperties": False,
        "properties": {
            "service_code": {"type": "string", "minLength": 1},
            "service_name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"},
            "group": {"type": "string"},
        },
    },
}
REQUEST_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": list(REQUEST_FIELDS),
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string", "minLength": 1},
            "status": {"enum": ["open", "closed"]},
            "status_notes": NULLABLE_TEXT,
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": NULLABLE_TEXT,
            "agency_responsible": NULLABLE_TEXT,
            "service_notice": NULLABLE_TEXT,
            "requested_datetime": {"type": "string", "pattern": W3C_WITH_OFFSET.pattern},
            "updated_datetime": {"type": "string", "pattern": W3C_WITH_OFFSET.pattern},
            "expected_datetime": NULLABLE_MOMENT,
            "address": NULLABLE_TEXT,
            "address_id": NULLABLE_TEXT,
            "zipcode": NULLABLE_TEXT,
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": NULLABLE_TEXT,
        },
    },
}
CREATED_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "service_notice", "account_id"],
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string", "minLength": 1},
            "service_notice": NULLABLE_TEXT,
            "account_id": NULLABLE_TEXT,
        },
    },
}
ERROR_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string", "minLength": 1}},
    },
}
DISCOVERY_SCHEMA = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": {"const": "http://wiki.open311.org/GeoReport_v2"},
                    "url": {"type": "string"},
                    "changeset": {"type": "string"},
                    "type": {"enum": ["production", "test"]},
                    "formats": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def valid(body, schema):
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in Draft202012Validator(schema).iter_errors(body)
    ]
    assert errors == []
    return body


def get(path: str, key: str | None = None, **query):
    if key is not None:
        query["api_key"] = key
    return Client().get(path, query)


def error_of(response, status: int) -> list[str]:
    """The descriptions of an error answer, after checking its status and shape."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = valid(response.json(), ERROR_SCHEMA)
    assert {entry["code"] for entry in body} == {status}
    return [entry["description"] for entry in body]


def key_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


REQUESTS = "/open311/v2/requests.json"
SERVICES = "/open311/v2/services.json"
DISCOVERY = "/open311/v2/discovery.json"


def one(pk) -> str:
    return f"/open311/v2/requests/{pk}.json"


@pytest.fixture
def dispute(world):
    return category("dispute", name="矛盾纠纷", time_limit_hours=72)


@pytest.fixture
def grid(world):
    return GridFactory(division=division(w.VILLAGE), name="第一网格", worker=world.user("grid_worker"))


@pytest.fixture
def event(grid, dispute):
    return GridEventFactory(
        grid=grid,
        category=dispute,
        description="张三家门前排水沟堵塞",
        location="罗村大道 12 号",
        reported_at=REPORTED,
        due_at=REPORTED + datetime.timedelta(hours=72),
        state=EventState.ASSESSED,
        route=Route.WHISTLE,
        departments=["城市管理和综合执法局", "水务局"],
    )


@pytest.fixture
def other_town_event(world, dispute):
    far_grid = GridFactory(division=division(w.OTHER_TOWN_VILLAGE))
    return GridEventFactory(grid=far_grid, category=dispute, reported_at=REPORTED, description="九江镇的事件")


@pytest.fixture
def official_key(world):
    return key_of(world.user("town_official"))


# --- discovery --------------------------------------------------------------------------------


def test_discovery_names_the_georeport_v2_endpoint_in_json_and_how_to_get_a_key(world):
    response = get(DISCOVERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = valid(response.json(), DISCOVERY_SCHEMA)
    [endpoint] = body["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["application/json"]
    assert "/api/v1/auth/token/" in body["key_service"]


@pytest.mark.parametrize(("debug", "kind"), [(True, "test"), (False, "production")])
def test_the_endpoint_is_a_test_one_while_the_portal_runs_in_debug(world, settings, debug, kind):
    settings.DEBUG = debug

    assert get(DISCOVERY).json()["endpoints"][0]["type"] == kind


def test_the_discovery_changeset_moves_when_a_category_changes(world):
    before = get(DISCOVERY).json()["changeset"]
    category("environment")

    after = get(DISCOVERY).json()["changeset"]

    assert after > before and W3C_WITH_OFFSET.match(after)


# --- services ---------------------------------------------------------------------------------


def test_the_services_of_a_village_are_its_districts_active_categories(world, dispute):
    category("illegal_building", name="违法建设", time_limit_hours=168)
    category("retired", active=False)
    category("dispute", district_code=w.FAR_DISTRICT)

    body = valid(get(SERVICES, jurisdiction_id=w.VILLAGE).json(), SERVICE_SCHEMA)

    assert [service["service_code"] for service in body] == ["dispute", "illegal_building"]
    assert body[0] == {
        "service_code": "dispute",
        "service_name": "矛盾纠纷",
        "description": "矛盾纠纷：办理时限 72 小时。",
        "metadata": False,
        "type": "realtime",
        "group": "南海区",
    }


def test_without_a_jurisdiction_a_key_gets_its_users_districts_and_the_public_every_districts(world, dispute):
    category("dispute", district_code=w.FAR_DISTRICT)

    keyed = get(SERVICES, key=key_of(world.user("village_clerk"))).json()
    public = get(SERVICES).json()

    assert [service["group"] for service in keyed] == ["南海区"]
    assert sorted(service["group"] for service in public) == ["南海区", "禅城区"]


def test_the_services_of_a_city_are_those_of_every_district_in_it(world, dispute):
    category("dispute", district_code=w.FAR_DISTRICT)

    body = get(SERVICES, jurisdiction_id="4406").json()

    assert [(service["group"], service["service_code"]) for service in body] == [
        ("禅城区", "dispute"),
        ("南海区", "dispute"),
    ]


def test_the_services_of_an_unknown_jurisdiction_are_404(world):
    assert error_of(get(SERVICES, jurisdiction_id="440605999999"), 404)


# --- reading requests -------------------------------------------------------------------------


def test_the_public_reads_an_event_without_its_description_grid_departments_or_names(event):
    body = valid(get(REQUESTS, **AROUND_REPORTED).json(), REQUEST_SCHEMA)

    assert body == [
        {
            "service_request_id": str(event.pk),
            "status": "open",
            "status_notes": "已研判：已吹哨，职能部门报到处置",
            "service_name": "矛盾纠纷",
            "service_code": "dispute",
            "description": None,
            "agency_responsible": None,
            "service_notice": "由镇（街道）网格中心研判后处置，办理时限 72 小时，应于 2026-03-05 17:00 前办结。",
            "requested_datetime": "2026-03-02T17:00:00+08:00",
            "updated_datetime": body[0]["updated_datetime"],
            "expected_datetime": "2026-03-05T17:00:00+08:00",
            "address": "罗村村委会，狮山镇，南海区",
            "address_id": None,
            "zipcode": None,
            "lat": None,
            "long": None,
            "media_url": None,
        }
    ]
    assert "张三" not in get(one(event.pk)).content.decode()


def test_a_key_reads_its_jurisdictions_event_in_full(event, official_key):
    [read] = valid(get(one(event.pk), key=official_key).json(), REQUEST_SCHEMA)

    assert read["description"] == "张三家门前排水沟堵塞"
    assert read["agency_responsible"] == "城市管理和综合执法局、水务局"
    assert read["address_id"] == str(event.grid_id)
    assert read["address"] == "罗村大道 12 号，第一网格，罗村村委会，狮山镇，南海区"


def test_the_key_can_also_come_as_the_token_header(event, official_key):
    response = Client().get(one(event.pk), HTTP_AUTHORIZATION=f"Token {official_key}")

    assert response.json()[0]["description"] == "张三家门前排水沟堵塞"


def test_another_towns_event_is_404_to_a_keyed_user_of_a_town_and_left_out_of_its_lists(
    event, other_town_event, official_key
):
    assert error_of(get(one(other_town_event.pk), key=official_key), 404)
    listed = get(REQUESTS, key=official_key, **AROUND_REPORTED).json()

    assert [read["service_request_id"] for read in listed] == [str(event.pk)]
    assert get(one(other_town_event.pk)).status_code == 200  # the public sees its public fields


def test_a_closed_event_is_closed_and_updated_when_it_was_closed(grid, dispute):
    closed_at = REPORTED + datetime.timedelta(days=2)
    closed = GridEventFactory(
        grid=grid, category=dispute, reported_at=REPORTED, state=EventState.CLOSED, closed_at=closed_at
    )

    [read] = get(one(closed.pk)).json()

    assert (read["status"], read["updated_datetime"]) == ("closed", "2026-03-04T17:00:00+08:00")


@pytest.mark.parametrize("state", [EventState.REPORTED, EventState.HANDLED, EventState.EVALUATED])
def test_an_event_is_open_until_it_is_closed(grid, dispute, state):
    unclosed = GridEventFactory(grid=grid, category=dispute, state=state)

    assert get(one(unclosed.pk)).json()[0]["status"] == "open"


def test_requests_filter_by_jurisdiction_service_code_and_status(world, event, other_town_event, grid):
    closed = GridEventFactory(
        grid=grid, category=category("environment"), reported_at=REPORTED, state=EventState.CLOSED
    )

    def ids(**query):
        return [read["service_request_id"] for read in get(REQUESTS, **AROUND_REPORTED, **query).json()]

    assert set(ids(jurisdiction_id=w.TOWN)) == {str(event.pk), str(closed.pk)}
    assert ids(jurisdiction_id=w.OTHER_TOWN) == [str(other_town_event.pk)]
    assert set(ids(service_code="environment,dispute", jurisdiction_id=w.VILLAGE)) == {str(event.pk), str(closed.pk)}
    assert ids(service_code="environment") == [str(closed.pk)]
    assert ids(status="closed") == [str(closed.pk)]
    assert set(ids(status="open")) == {str(event.pk), str(other_town_event.pk)}
    assert len(ids(status="open,closed")) == 3


def test_a_keyed_user_asking_for_another_towns_jurisdiction_gets_404(event, official_key):
    assert error_of(get(REQUESTS, key=official_key, jurisdiction_id=w.OTHER_TOWN), 404)
    # Their district holds their town: the part they may see.
    assert len(get(REQUESTS, key=official_key, jurisdiction_id=w.DISTRICT, **AROUND_REPORTED).json()) == 1


def test_the_dates_bound_the_requested_datetime_both_included(event):
    def count(start, end):
        return len(get(REQUESTS, start_date=start, end_date=end).json())

    assert count("2026-03-02T17:00:00+08:00", "2026-03-02T17:00:00+08:00") == 1
    assert count("2026-03-02T09:00:00Z", "2026-03-03") == 1
    assert count("2026-03-02T17:00:01+08:00", "2026-03-04") == 0
    assert count("2026-02-01", "2026-03-02") == 1  # a day as end_date is the whole day
    assert count("2026-02-01", "2026-03-01") == 0


def test_without_dates_the_last_90_days_are_read(grid, dispute):
    recent = GridEventFactory(grid=grid, category=dispute)
    old_moment = recent.reported_at - datetime.timedelta(days=100)
    GridEventFactory(grid=grid, category=dispute, reported_at=old_moment)

    assert [read["service_request_id"] for read in get(REQUESTS).json()] == [str(recent.pk)]


def test_a_span_of_more_than_90_days_and_an_end_before_the_start_are_400(world):
    assert error_of(get(REQUESTS, start_date="2026-01-01", end_date="2026-04-02"), 400)
    assert error_of(get(REQUESTS, start_date="2026-03-02", end_date="2026-03-01"), 400)


def test_service_request_ids_override_the_other_arguments(event, other_town_event):
    body = get(REQUESTS, service_request_id=f"{event.pk},{other_town_event.pk}", jurisdiction_id=w.FAR_VILLAGE)

    assert {read["service_request_id"] for read in body.json()} == {str(event.pk), str(other_town_event.pk)}


def test_an_answer_holds_at_most_page_size_events_newest_first(grid, dispute):
    made = [
        GridEventFactory(grid=grid, category=dispute, reported_at=REPORTED + datetime.timedelta(hours=hours))
        for hours in range(5)
    ]

    second_page = get(REQUESTS, page="2", page_size="2", **AROUND_REPORTED).json()

    assert [read["service_request_id"] for read in second_page] == [str(made[2].pk), str(made[1].pk)]
    assert error_of(get(REQUESTS, page_size=str(MAX_PAGE_SIZE + 1)), 400)


def test_the_query_count_of_a_list_does_not_grow_with_its_events(grid, dispute, official_key):
    def queries(key):
        with CaptureQueriesContext(connection) as counted:
            response = get(REQUESTS, key=key, jurisdiction_id=w.TOWN, **AROUND_REPORTED)
        assert response.status_code == 200
        return len(counted), len(response.json())

    GridEventFactory.create_batch(2, grid=grid, category=dispute, reported_at=REPORTED)
    few = queries(None), queries(official_key)
    GridEventFactory.create_batch(7, grid=grid, category=dispute, reported_at=REPORTED)
    many = queries(None), queries(official_key)

    # Public: the jurisdiction, the events. Keyed: the token and its user, the grants, then the same.
    assert [(count, rows) for count, rows in few] == [(2, 2), (4, 2)]
    assert [(count, rows) for count, rows in many] == [(2, 9), (4, 9)]


# --- reporting --------------------------------------------------------------------------------


def report(key: str | None, client: Client | None = None, **form):
    """POST requests.json form-encoded, as the standard has it (application/x-www-form-urlencoded)."""
    fields = {"api_key": key, **form} if key is not None else form
    return (client or Client()).post(
        REQUESTS, urlencode(fields), content_type="application/x-www-form-urlencoded; charset=utf-8"
    )


def test_a_keyed_post_reports_an_event_due_after_its_categorys_time_limit(world, grid, dispute):
    worker = world.user("grid_worker")

    response = report(
        key_of(worker),
        jurisdiction_id=w.VILLAGE,
        service_code="dispute",
        address_id=str(grid.pk),
        address_string="罗村大道 12 号",
        description="两户因排水沟堵塞发生争执",
    )

    assert response.status_code == 201, response.content.decode()
    [created] = valid(response.json(), CREATED_SCHEMA)
    event = GridEvent.objects.get(pk=created["service_request_id"])
    assert (event.reported_by, event.grid, event.category, event.state) == (worker, grid, dispute, EventState.REPORTED)
    assert event.due_at == event.reported_at + datetime.timedelta(hours=72)
    assert event.location == "罗村大道 12 号"
    assert created["account_id"] == worker.username
    assert "72 小时" in created["service_notice"]
    [read] = get(one(event.pk), key=key_of(worker)).json()
    assert read["description"] == "两户因排水沟堵塞发生争执"
    due = event.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).replace(microsecond=0)
    assert read["expected_datetime"] == due.isoformat()


def test_a_posted_report_is_audited_under_the_key_users_name_and_the_report_action(world, grid, dispute):
    worker = world.user("grid_worker")

    response = report(
        key_of(worker), jurisdiction_id=w.VILLAGE, service_code="dispute", address_id=str(grid.pk), description="x"
    )

    event = GridEvent.objects.get(pk=response.json()[0]["service_request_id"])
    context = history_of(event)[0].pgh_context or {}
    assert (context.get("user"), context.get("action")) == (worker.pk, GridsAction.REPORT_EVENT)


def test_a_post_needs_no_csrf_token(world, grid, dispute):
    client = Client(enforce_csrf_checks=True)

    response = report(
        key_of(world.user("grid_worker")),
        client,
        jurisdiction_id=w.VILLAGE,
        service_code="dispute",
        address_id=str(grid.pk),
        description="路灯不亮",
    )

    assert response.status_code == 201


def test_a_multipart_form_is_read_as_well(world, grid, dispute):
    fields = {
        "api_key": key_of(world.user("grid_worker")),
        "jurisdiction_id": w.VILLAGE,
        "service_code": "dispute",
        "address_id": str(grid.pk),
        "description": "路灯不亮",
    }

    assert Client().post(REQUESTS, fields).status_code == 201  # the test client's default: multipart


@pytest.mark.parametrize("key", [None, "", "0" * 40, "不是令牌"])
def test_a_post_without_a_valid_key_is_403(world, grid, dispute, key):
    response = report(key, jurisdiction_id=w.VILLAGE, service_code="dispute", address_id=str(grid.pk), description="x")

    assert error_of(response, 403)
    assert not GridEvent.objects.exists()


def test_the_key_of_an_inactive_user_is_403(world, grid, dispute):
    worker = grid_worker(w.VILLAGE)
    key = key_of(worker)
    worker.is_active = False
    worker.save()

    assert error_of(report(key, jurisdiction_id=w.VILLAGE, service_code="dispute", address_id=str(grid.pk)), 403)
    assert error_of(get(REQUESTS, key=key), 403)


def test_each_missing_argument_of_a_post_is_named(world):
    descriptions = error_of(report(key_of(world.user("grid_worker"))), 400)

    assert len(descriptions) == 3
    assert all(name in " ".join(descriptions) for name in ("jurisdiction_id", "service_code", "address_id"))


def test_a_location_by_coordinates_alone_is_400(world, dispute):
    response = report(
        key_of(world.user("grid_worker")),
        jurisdiction_id=w.VILLAGE,
        service_code="dispute",
        lat="23.1",
        long="113.1",
        description="x",
    )

    assert "address_id" in error_of(response, 400)[0]


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"jurisdiction_id": w.TOWN}, 404),  # not a village
        ({"jurisdiction_id": "440605124999"}, 404),  # no such village
        ({"service_code": "no_such_category"}, 404),
        ({"address_id": "not-a-number"}, 400),
        ({"address_id": "99999999999999"}, 400),
        ({"description": "   "}, 400),
        ({"description": "长" * 4001}, 400),
        ({"address_string": "长" * 201}, 400),
    ],
)
def test_a_bad_post_is_refused_with_its_status_and_nothing_is_written(world, grid, dispute, form, status):
    fields = {
        "jurisdiction_id": w.VILLAGE,
        "service_code": "dispute",
        "address_id": str(grid.pk),
        "description": "路灯不亮",
        **form,
    }

    assert error_of(report(key_of(world.user("grid_worker")), **fields), status)
    assert not GridEvent.objects.exists()


def test_the_services_refusal_names_the_open311_parameter(world, grid, dispute):
    descriptions = error_of(
        report(
            key_of(world.user("grid_worker")),
            jurisdiction_id=w.VILLAGE,
            service_code="dispute",
            address_id=str(grid.pk),
            description="",
        ),
        400,
    )

    assert descriptions == ["description：请填写事件描述。"]


def test_a_grid_of_another_village_or_town_is_refused(world, dispute):
    other_village_grid = GridFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    other_town_grid = GridFactory(division=division(w.OTHER_TOWN_VILLAGE))
    key = key_of(world.user("grid_worker"))

    assert error_of(
        report(key, jurisdiction_id=w.VILLAGE, service_code="dispute", address_id=str(other_village_grid.pk)), 400
    )
    assert error_of(
        report(key, jurisdiction_id=w.OTHER_TOWN_VILLAGE, service_code="dispute", address_id=str(other_town_grid.pk)),
        400,
    )
    assert not GridEvent.objects.filter(reported_by=world.user("grid_worker")).exists()


def test_a_key_user_who_may_view_but_not_report_is_403(world, grid, dispute):
    response = report(
        key_of(world.user("inspector")),
        jurisdiction_id=w.VILLAGE,
        service_code="dispute",
        address_id=str(grid.pk),
        description="路灯不亮",
    )

    assert error_of(response, 403) == ["您无权在该网格上报事件。"]


# --- errors and bad input ---------------------------------------------------------------------


def test_xml_is_400_an_unknown_address_404_and_another_method_405(world):
    assert "JSON" in error_of(get("/open311/v2/services.xml"), 400)[0]
    assert error_of(get("/open311/v2/requests/1.xml"), 400)
    assert error_of(get("/open311/v2/tokens/1.json"), 404)
    response = Client().put(REQUESTS)
    assert error_of(response, 405)
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert error_of(Client().post(SERVICES), 405)


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-13-40"},
        {"start_date": "yesterday"},
        {"end_date": "0001-01-01T00:00:00+08:00"},
        {"start_date": "9999-12-31"},
        {"end_date": "2026-03-02T17:00:00+25:00"},
        {"status": "pending"},
        {"service_request_id": "1,abc"},
        {"service_request_id": "9" * 30},
        {"service_request_id": ",".join(str(n) for n in range(1, 1003))},
        {"page": "0"},
        {"page": "-1"},
        {"page": "9" * 30},
        {"page_size": "abc"},
        {"jurisdiction_id": "4406\x0005"},
        {"service_code": "dispute\x00"},
    ],
)
def test_bad_arguments_of_a_read_are_400(world, query):
    assert error_of(get(REQUESTS, **query), 400)


@pytest.mark.parametrize(
    "query",
    [
        {"jurisdiction_id": "x" * 200},
        {"jurisdiction_id": "%"},
        {"jurisdiction_id": "4406_5"},
        {"jurisdiction_id": "南海区"},
    ],
)
def test_an_unknown_jurisdiction_of_a_read_is_404(world, query):
    assert error_of(get(REQUESTS, **query), 404)
    assert error_of(get(SERVICES, **query), 404)


@pytest.mark.parametrize("request_id", ["abc", "0", "99999999999999999", "1e3", "-1", "%00", "9" * 40])
def test_an_unknown_request_is_404(world, request_id):
    assert error_of(get(f"/open311/v2/requests/{request_id}.json"), 404)


@pytest.mark.parametrize(
    "form",
    [
        {"jurisdiction_id": "x" * 500, "service_code": "dispute", "address_id": "1"},
        {"jurisdiction_id": "440605124001\x00", "service_code": "d", "address_id": "1"},
        {"jurisdiction_id": "440605124001", "service_code": "y" * 500, "address_id": "1"},
        {"jurisdiction_id": "440605124001", "service_code": "dispute", "address_id": "9" * 40},
        {"jurisdiction_id": "440605124001", "service_code": "dispute", "address_id": "-5"},
    ],
)
def test_bad_posts_never_answer_500(world, dispute, form):
    response = report(key_of(world.user("grid_worker")), **form)

    assert response.status_code in (400, 404)
    valid(response.json(), ERROR_SCHEMA)


def test_a_form_of_too_many_fields_is_400(world):
    fields = {f"attribute[{number}]": "x" for number in range(1500)}

    assert error_of(report(key_of(world.user("grid_worker")), **fields), 400)


def test_a_form_sent_as_json_is_read_as_missing_arguments(world):
    response = Client().post(
        REQUESTS, data={"api_key": key_of(world.user("grid_worker"))}, content_type="application/json"
    )

    assert error_of(response, 403)  # the key is a form field: a JSON body carries none


def test_a_date_whose_plus_arrived_as_a_space_is_read_as_the_offset(event):
    response = Client().get(f"{REQUESTS}?start_date=2026-03-02T17:00:00+08:00&end_date=2026-03-03T00:00:00+08:00")

    assert [read["service_request_id"] for read in response.json()] == [str(event.pk)]


def test_a_client_asking_for_english_is_answered_in_english(world):
    response = Client().get(SERVICES, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "en"


def test_an_outsiders_key_sees_nothing_where_the_public_sees_the_public_fields(event, world):
    outsider = UserFactory()
    [public] = get(one(event.pk)).json()

    assert error_of(get(one(event.pk), key=key_of(outsider)), 404)
    assert public["description"] is None


def test_a_districts_first_report_through_open311_finds_its_default_category_as_the_api_does(world, grid):
    assert not EventCategory.objects.filter(district_id=w.DISTRICT).exists()

    response = report(
        key_of(world.user("grid_worker")),
        jurisdiction_id=w.VILLAGE,
        service_code="environment",
        address_id=str(grid.pk),
        description="村口垃圾堆积",
    )

    assert response.status_code == 201, response.content
    event = GridEvent.objects.get(pk=response.json()[0]["service_request_id"])
    assert (event.category.code, event.category.district_id) == ("environment", w.DISTRICT)


def test_a_code_no_district_has_is_404_through_open311(world, grid):
    response = report(
        key_of(world.user("grid_worker")),
        jurisdiction_id=w.VILLAGE,
        service_code="no_such_code",
        address_id=str(grid.pk),
        description="x",
    )

    assert response.status_code == 404
    assert not EventCategory.objects.filter(district_id=w.DISTRICT, code="no_such_code").exists()
