"""Rules of docs/domain.md ("Rules with numbers") that live in the villages app."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from governance.testing import world as w
from villages.models import MIN_RESERVE_CADRES_PER_VILLAGE, Division, Position, PositionKind
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
    short = set(Division.objects.subtree(w.TOWN).villages_short_of_reserve_cadres(on=DAY).values_list("code", flat=True))
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
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY, started_on=datetime.date(2016, 3, 1), ended_on=datetime.date(2021, 2, 28))
    successor = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY, started_on=datetime.date(2021, 3, 1))
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
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY, ended_on=datetime.date(2020, 1, 1), started_on=datetime.date(2016, 1, 1))
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    town = Division.objects.filter(code=w.TOWN).with_counts().get()
    assert town.children_count == 2
    assert town.people_count == 3
    assert town.cadres_count == 1


def test_a_subtree_query_is_served_by_the_code_index(world):
    """The code has the C collation, so its primary-key btree serves LIKE 'prefix%'."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Division.objects.subtree(w.TOWN).explain()
    assert "Index" in plan and "villages_division_pkey" in plan, plan


def test_subtree_counts_stop_at_the_next_code_of_the_same_length(world):
    """The counts use the range [code, code + ":"): a neighbouring town whose code follows this
    one (440605125 after 440605124) must not be counted in it, nor a longer code of its own."""
    PositionFactory(division=division("440605125001"), kind=PositionKind.PARTY_SECRETARY)
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    counts = {d.code: (d.people_count, d.cadres_count) for d in Division.objects.filter(code__in=[w.TOWN, "440605125"]).with_counts()}
    assert counts == {w.TOWN: (1, 1), "440605125": (1, 1)}
