"""The rights_lists part of the Nanhai demo (rights_lists/demo.py), run by manage.py load_demo
through governance.registry.demo_steps: the district's templates with items of each procedure,
adopted in every village, and the village clerk's village's decisions at every stage.

The full demo is loaded once for the module, in a transaction rolled back when it is done."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from governance.disclosure import AT_ONCE_DAYS
from governance.registry import registry
from rights_lists.choices import (
    DISTRICT_TEMPLATE_KINDS,
    DecisionState,
    ListStatus,
    Procedure,
    PublicationKind,
    first_implementation_day,
)
from rights_lists.demo.lists import DEMO_DECISIONS
from rights_lists.models import Adoption, Decision, ListItem, RightsList
from villages import demo
from villages.models import Division, Level

AT_ONCE = datetime.timedelta(days=AT_ONCE_DAYS)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", force=True, stdout=out)
        with connection.cursor() as cursor:  # run the load's deferred checks once
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(loaded_demo, db):
    return loaded_demo


def test_the_rights_lists_step_is_registered_for_the_demo():
    assert "rights_lists" in registry.demo_steps


def test_the_district_has_a_published_template_of_every_kind_with_items_of_each_procedure(loaded):
    templates = RightsList.objects.filter(owner_id=demo.DISTRICT_CODE, status=ListStatus.PUBLISHED)
    assert set(templates.values_list("kind", flat=True)) == set(DISTRICT_TEMPLATE_KINDS)
    for template in templates:
        assert set(template.items.values_list("procedure", flat=True)) == set(Procedure.values)


def test_every_village_of_the_district_adopted_every_template(loaded):
    villages = Division.objects.filter(
        code__startswith=demo.DISTRICT_CODE, level=Level.VILLAGE, retired_on__isnull=True
    )
    assert Adoption.objects.count() == villages.count() * len(DISTRICT_TEMPLATE_KINDS)
    in_force = ListItem.objects.in_force_for(demo.DEMO_VILLAGE_CODE)
    assert set(in_force.values_list("procedure", flat=True)) == set(Procedure.values)


def test_the_village_clerks_village_has_decisions_at_every_stage(loaded):
    decisions = Decision.objects.filter(division_id=demo.DEMO_VILLAGE_CODE)
    assert decisions.count() == len(DEMO_DECISIONS)
    assert set(decisions.values_list("state", flat=True)) == set(DecisionState.values)
    assert set(decisions.values_list("procedure", flat=True)) == set(Procedure.values)
    assert "事权清单" in loaded


def test_the_demos_decisions_respect_the_publicity_period_and_publish_at_once(loaded):
    """Implementation from the end of the item's publicity period (R24); each publication made
    within AT_ONCE_DAYS of what it follows (R9): the demo's decisions owe nothing late."""
    decisions = Decision.objects.filter(division_id=demo.DEMO_VILLAGE_CODE).select_related("item", "implementation")
    implemented = 0
    for decision in decisions:
        by_kind = {row.kind: row.published_on for row in decision.publications.all()}
        last_on = max((row.held_on for row in decision.steps.all()), default=None)
        if PublicationKind.RESOLUTION in by_kind:
            assert last_on <= by_kind[PublicationKind.RESOLUTION] <= last_on + AT_ONCE
        if hasattr(decision, "implementation"):
            implemented += 1
            done_on = decision.implementation.done_on
            assert done_on >= first_implementation_day(
                by_kind[PublicationKind.RESOLUTION], decision.item.publicity_days
            )
            if PublicationKind.OUTCOME in by_kind:
                assert done_on <= by_kind[PublicationKind.OUTCOME] <= done_on + AT_ONCE
    assert implemented >= 2
