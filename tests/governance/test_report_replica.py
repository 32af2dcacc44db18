"""Report reads on a read replica (issue 19 point 7, governance/db_routers.py): with a replica
configured, a report's rows are read through the "reports" alias and nothing of them through the
primary; without one, everything stays on the primary; writes never go to the replica. In the tests
the alias is a mirror of the test database (a second connection to it), so the data is committed
(a transactional test) for the second connection to see it."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.testing.factories import DeliberationBodyFactory
from governance.db_routers import REPORTS_ALIAS, ReportReplicaRouter, report_reads
from governance.testing import world as w
from governance.testing.pages import signed_in_client
from villages.models import Division
from villages.testing.factories import division

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPORTS_ALIAS])

BODY_TABLE = "engagement_deliberationbody"


def coverage_of_the_town(world_builder):
    world = world_builder()
    DeliberationBodyFactory(division=division(w.VILLAGE))
    client = signed_in_client(world.user("town_official"))
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPORTS_ALIAS]) as on_replica,
    ):
        response = client.get(reverse("api:report-deliberation-coverage"), {"division": w.TOWN})
    assert response.status_code == 200, response.content[:300]
    return response, on_primary, on_replica


def mentions(captured, table: str) -> int:
    return sum(table in query["sql"] for query in captured.captured_queries)


def test_a_reports_rows_are_read_on_the_replica_when_one_is_configured(world_builder, settings):
    settings.REPORTS_FROM_REPLICA = True

    response, on_primary, on_replica = coverage_of_the_town(world_builder)

    village = next(row for row in response.json()["results"] if row["unit"] == w.VILLAGE)
    assert village["with_body"] == 1
    assert mentions(on_replica, BODY_TABLE) >= 1
    assert mentions(on_primary, BODY_TABLE) == 0


def test_without_a_replica_every_read_stays_on_the_primary(world_builder, settings):
    settings.REPORTS_FROM_REPLICA = False

    _response, on_primary, on_replica = coverage_of_the_town(world_builder)

    assert mentions(on_primary, BODY_TABLE) >= 1
    assert on_replica.captured_queries == []


def test_writes_and_migrations_never_go_to_the_replica(settings):
    settings.REPORTS_FROM_REPLICA = True
    router = ReportReplicaRouter()

    with report_reads():
        assert router.db_for_read(Division) == REPORTS_ALIAS
        assert router.db_for_write(Division) is None
    assert router.db_for_read(Division) is None
    assert router.allow_migrate(REPORTS_ALIAS, "villages") is False
    assert router.allow_migrate("default", "villages") is None
