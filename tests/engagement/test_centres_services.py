"""The services of service centres, operating funds, emergency plans and drills
(engagement/services/centres.py), called directly: each write audited under its action, the
right checked at the record's division inside the transaction, the rules refused on their fields,
and the querysets' judgements (drill due, the area rules) agreeing with the models'."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engagement.choices import DRILL_REMINDER_DAYS, CentreLevel
from engagement.models import EmergencyPlan, ServiceCentre
from engagement.services import centres as services
from engagement.services.centres import CentreAction
from engagement.testing.factories import DrillFactory, EmergencyPlanFactory, ServiceCentreFactory
from governance import clock
from governance.audit import history_of
from governance.testing import world as w
from villages.testing.factories import division

pytestmark = pytest.mark.django_db


def action_of(record) -> str | None:
    return (history_of(record)[0].pgh_context or {}).get("action")


def test_each_write_is_audited_under_its_action(world):
    clerk = world.user("village_clerk")
    division(w.VILLAGE)

    centre = services.save_centre(
        acting_user=clerk,
        division_code=w.VILLAGE,
        area_m2=Decimal("300"),
        service_area_m2=Decimal("210"),
        households_served=1000,
    )
    fund = services.record_fund(acting_user=clerk, division_code=w.VILLAGE, year=2025, amount_fen=1)
    plan = services.adopt_plan(
        acting_user=clerk, division_code=w.VILLAGE, title="防汛预案", adopted_on=datetime.date(2025, 1, 1)
    )
    drill = services.record_drill(plan, acting_user=clerk, held_on=datetime.date(2025, 2, 1), participants=9)

    assert action_of(centre) == CentreAction.SAVE_CENTRE
    assert action_of(fund) == CentreAction.RECORD_FUND
    assert action_of(plan) == CentreAction.ADOPT_PLAN
    assert action_of(drill) == "record_drill"
    assert centre.level == CentreLevel.VILLAGE


def test_a_town_official_reads_but_records_nothing(world):
    official = world.user("town_official")
    plan = EmergencyPlanFactory(division=division(w.VILLAGE))

    with pytest.raises(PermissionDenied):
        services.record_drill(plan, acting_user=official, held_on=datetime.date(2025, 2, 1), participants=1)
    with pytest.raises(PermissionDenied):
        services.record_fund(acting_user=official, division_code=w.VILLAGE, year=2025, amount_fen=1)
    assert not plan.drills.exists()


def test_a_clerk_records_nothing_in_another_village(world):
    with pytest.raises(PermissionDenied):
        services.adopt_plan(
            acting_user=world.user("village_clerk"),
            division_code=division(w.OTHER_VILLAGE_SAME_TOWN).code,
            title="预案",
            adopted_on=datetime.date(2025, 1, 1),
        )
    assert not EmergencyPlan.objects.exists()


def test_a_centre_is_corrected_in_place_keeping_what_was_not_given(world):
    centre = ServiceCentreFactory(division=division(w.VILLAGE), area_m2="400.0", households_served=1000)

    changed = services.change_centre(centre, acting_user=world.user("village_clerk"), households_served=2000)

    assert changed.pk == centre.pk and ServiceCentre.objects.count() == 1
    assert (changed.area_m2, changed.households_served, changed.meets_area) == (Decimal("400.0"), 2000, False)


def test_a_districts_centre_is_the_1_of_1_7_n(world):
    centre = services.save_centre(
        acting_user=world.user("district_admin"),
        division_code=division(w.DISTRICT).code,
        area_m2=Decimal("3000"),
        service_area_m2=Decimal("2500"),
        households_served=10000,
    )
    assert centre.level == CentreLevel.DISTRICT


def test_a_plan_adopted_tomorrow_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.adopt_plan(
            acting_user=world.user("village_clerk"),
            division_code=division(w.VILLAGE).code,
            title="预案",
            adopted_on=clock.today() + datetime.timedelta(days=1),
        )
    assert list(refused.value.message_dict) == ["adopted_on"]


@pytest.mark.parametrize(("days_ago", "due"), [(DRILL_REMINDER_DAYS, False), (DRILL_REMINDER_DAYS + 1, True)])
def test_the_querysets_due_a_drill_reads_the_365_day_window(world, days_ago, due):
    on = datetime.date(2026, 6, 30)
    plan = EmergencyPlanFactory(division=division(w.VILLAGE), adopted_on=datetime.date(2020, 1, 1))
    DrillFactory(plan=plan, held_on=on - datetime.timedelta(days=days_ago))
    DrillFactory(plan=plan, held_on=on + datetime.timedelta(days=1))  # after the day: not counted

    assert EmergencyPlan.objects.due_a_drill(on).filter(pk=plan.pk).exists() is due
    assert EmergencyPlan.objects.with_drill_due(on).get(pk=plan.pk).drill_due is due


def test_a_plan_adopted_after_the_day_is_not_due_on_it(world):
    EmergencyPlanFactory(division=division(w.VILLAGE), adopted_on=datetime.date(2026, 7, 1))
    assert not EmergencyPlan.objects.due_a_drill(datetime.date(2026, 6, 30)).exists()


@pytest.mark.parametrize(
    ("area", "service", "households"),
    [("30.0", "21.0", 100), ("29.9", "20.9", 100), ("9.9", "6.9", 33), ("0.0", "0.0", 0)],
)
def test_the_sql_rules_agree_with_the_models(world, area, service, households):
    centre = ServiceCentreFactory(
        division=division(w.VILLAGE), area_m2=area, service_area_m2=service, households_served=households
    )
    centre.refresh_from_db()

    assert ServiceCentre.objects.meeting_area().filter(pk=centre.pk).exists() is centre.meets_area
    assert ServiceCentre.objects.meeting_service_share().filter(pk=centre.pk).exists() is centre.meets_service_share
