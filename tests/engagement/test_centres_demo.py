"""The centres part of the engagement demo (engagement/demo/centres.py): every village of the town
with a centre, funds of two years and plans with drills, some villages short of each target, so
that the reports show targets met and missed; loaded once (a second load adds nothing)."""

from engagement.demo.centres import load_demo_centres
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from governance import clock
from governance.testing import world as w
from governance.testing.api import client_as, results_of
from villages.testing.factories import division


def test_the_demo_leaves_some_villages_short_of_each_target(world):
    for number in range(1, 13):
        division(f"{w.TOWN}{number:03d}")

    summary = load_demo_centres(w.TOWN)
    again = load_demo_centres(w.TOWN)

    assert ServiceCentre.objects.count() == 12 and "12 个党群服务中心" in summary
    assert OperatingFund.objects.count() == 24 and EmergencyPlan.objects.exists() and Drill.objects.exists()
    assert "0 个党群服务中心" in again and ServiceCentre.objects.count() == 12
    client = client_as("town_official")
    centres = results_of(client.get("/api/v1/reports/service-centres/", {"division": w.TOWN}))
    funds = results_of(client.get("/api/v1/reports/operating-funds/", {"division": w.TOWN, "year": clock.today().year}))
    drills = results_of(
        client.get("/api/v1/reports/emergency-drills/", {"division": w.TOWN, "period": str(clock.today().year)})
    )
    for rows, key in ((centres, "meets_area"), (centres, "meets_service_share"), (funds, "meets_minimum")):
        assert {row[key] for row in rows} == {True, False}, key
    assert {row["target_met"] for row in drills} == {True, False}
    assert any(row["plans"] == 0 for row in drills) and any(row["plans_due"] for row in drills)
    assert any(row["county_topup_fen"] for row in funds)
