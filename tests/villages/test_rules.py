"""Rules of docs/domain.md ("Rules with numbers") that live in the villages app."""

import datetime
import json

import pytest
from django.db import IntegrityError, connection, transaction

from governance.testing import world as w
from villages.models import MIN_RESERVE_CADRES_PER_VILLAGE, Division, Level, Position, PositionKind
from villages.testing.factories import PositionFactory, division

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 1)


def reserve_cadres(village: str, count: int, **extra):
    return [PositionFactory(division=division(village), kind=PositionKind.RESERVE_CADRE, **extra) for _ in range(count)]


def test_the_design_asks_for_at_least_two_reserve_cadres_per_village():
    assert MIN_RESERVE_CADRES_PER_VILLAGE == 2


def test_a_village_with_fewer_than_two_reserve_cadres_is_short(world):
    reserve_cadres(w.VILLAGE, MIN_RESERVE_CADRES_PER_VILLAGE - 1)
    reserve_cadres(w.OTHER_VILLAGE_SAME_TOWN, MIN_RESERVE_CADRES_PER_VILLAGE)
    short = set(
        Division.objects.subtree(w.TOWN).villages_short_of_reserve_cadres(on=DAY).values_list("code", flat=True)
    )
    assert short == {w.VILLAGE}


def test_a_reserve_cadre_who_left_no_longer_counts(world):
    reserve_cadres(w.VILLAGE, 1)
    reserve_cadres(w.VILLAGE, 1, ended_on=datetime.date(2024, 5, 31))
    short = Division.objects.subtree(w.VILLAGE).villages_short_of_reserve_cadres(on=DAY)
    assert list(short.values_list("code", flat=True)) == [w.VILLAGE]


def test_a_village_has_only_one_current_party_secretary(world):
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)


def test_a_former_party_secretary_does_not_block_the_next(world):
    PositionFactory(
        division=division(w.VILLAGE),
        kind=PositionKind.PARTY_SECRETARY,
        started_on=datetime.date(2016, 3, 1),
        ended_on=datetime.date(2021, 2, 28),
    )
    successor = PositionFactory(
        division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY, started_on=datetime.date(2021, 3, 1)
    )
    current = Position.objects.filter(division_id=w.VILLAGE, kind=PositionKind.PARTY_SECRETARY).current(on=DAY)
    assert list(current) == [successor]


def test_a_position_is_current_from_its_start_until_the_day_it_ends(world):
    position = PositionFactory(started_on=datetime.date(2021, 3, 1), ended_on=datetime.date(2024, 3, 1))
    assert not position.is_current_on(datetime.date(2021, 2, 28))
    assert position.is_current_on(datetime.date(2021, 3, 1))
    assert position.is_current_on(datetime.date(2024, 2, 29))
    assert not position.is_current_on(datetime.date(2024, 3, 1))


def test_with_counts_counts_people_and_current_cadres_in_the_subtree(world):
    PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    PositionFactory(
        division=division(w.VILLAGE),
        kind=PositionKind.PARTY_SECRETARY,
        ended_on=datetime.date(2020, 1, 1),
        started_on=datetime.date(2016, 1, 1),
    )
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    town = Division.objects.filter(code=w.TOWN).with_counts().get()
    assert town.children_count == 2
    assert town.people_count == 3
    assert town.cadres_count == 1


def plan_nodes(node: dict):
    """Every node of a JSON plan, top down."""
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def test_a_subtree_query_is_served_by_the_code_index(world):
    """The code has the C collation, so its btree indexes turn LIKE 'prefix%' into an index range.

    Among 4,000 other divisions a scan of the whole table would be the plan without that; the
    test asks for the range as an index condition, whichever index the planner takes for it
    (the primary key, or the (parent, code) index by skip scan), and ANALYZEs in its own
    transaction so that no statistics left by earlier tests decide the plan."""
    table = Division._meta.db_table
    villages = [f"{w.OTHER_TOWN}{number:03d}" for number in range(201, 401)]
    Division.objects.bulk_create(
        Division(code=code, name="村委会", level=Level.VILLAGE, parent_id=w.OTHER_TOWN) for code in villages
    )
    Division.objects.bulk_create(
        Division(code=f"{village}{number:03d}", name="经济社", level=Level.COOPERATIVE, parent_id=village)
        for village in villages
        for number in range(1, 21)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {name for (name,) in cursor.fetchall()}

    subtree = Division.objects.subtree(w.TOWN)
    plan = subtree.explain()
    nodes = list(plan_nodes(json.loads(subtree.explain(format="json"))[0]["Plan"]))

    assert not any(node["Node Type"] == "Seq Scan" and node["Relation Name"] == table for node in nodes), plan
    # The prefix is an index condition (a range of codes), not a filter over every row.
    ranges = [node.get("Index Cond", "") for node in nodes if node.get("Index Name") in indexes]
    assert any(f"'{w.TOWN}'" in condition for condition in ranges), plan
    in_town = {w.TOWN, w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE}
    assert set(subtree.values_list("code", flat=True)) == in_town


def test_subtree_counts_stop_at_the_next_code_of_the_same_length(world):
    """The counts use the range [code, code + ":"): a neighbouring town whose code follows this
    one (440605125 after 440605124) must not be counted in it, nor a longer code of its own."""
    PositionFactory(division=division("440605125001"), kind=PositionKind.PARTY_SECRETARY)
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    counts = {
        d.code: (d.people_count, d.cadres_count)
        for d in Division.objects.filter(code__in=[w.TOWN, "440605125"]).with_counts()
    }
    assert counts == {w.TOWN: (1, 1), "440605125": (1, 1)}
