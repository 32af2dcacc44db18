"""The guards every workflow action makes, written once (governance.guards, governance.clock), and
what every per-unit report shares (governance.reporting)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance import guards
from governance.clock import today
from governance.reporting import percent, unit_level
from governance.testing import world as w

ONE_DAY = datetime.timedelta(days=1)


def test_the_portals_day_follows_its_time_zone_not_the_servers():
    with timezone.override("Pacific/Kiritimati"):  # UTC+14
        east = today()
    with timezone.override("Etc/GMT+12"):  # UTC-12
        west = today()

    assert east - west in (ONE_DAY, 2 * ONE_DAY)


def test_the_portals_day_is_shanghais_by_default(settings):
    def shanghai_day():
        return timezone.localtime(timezone.now(), ZoneInfo("Asia/Shanghai")).date()

    before = shanghai_day()
    day = today()
    after = shanghai_day()  # the readings may straddle midnight in Shanghai

    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert day in {before, after}


def test_a_date_after_today_is_refused_on_its_field_with_one_message():
    with pytest.raises(ValidationError) as refused:
        guards.not_in_the_future("held_on", today() + ONE_DAY)

    assert refused.value.message_dict == {"held_on": [str(guards.NOT_IN_THE_FUTURE)]}


@pytest.mark.parametrize("day", [None, "today", "yesterday"])
def test_today_an_earlier_day_and_no_day_pass(day):
    value = {"today": today(), "yesterday": today() - ONE_DAY, None: None}[day]

    assert guards.not_in_the_future("held_on", value) is None


def test_a_permission_held_over_the_town_reaches_its_villages_but_not_another_town(world):
    official = world.user("town_official")
    perm = "villages.approve_positionfiling"

    guards.require_permission_at(official, perm, w.VILLAGE)
    with pytest.raises(PermissionDenied) as refused:
        guards.require_permission_at(official, perm, w.OTHER_TOWN_VILLAGE)

    assert str(refused.value) == str(guards.NOT_PERMITTED_HERE)


def test_the_outsider_holds_nothing_anywhere(world):
    with pytest.raises(PermissionDenied):
        guards.require_permission_at(world.outsider, "villages.view_person", w.VILLAGE)


def test_the_author_of_a_record_may_not_act_on_it_a_second_user_may(world):
    clerk, official = world.user("village_clerk"), world.user("town_official")

    guards.require_another_user(clerk.pk, official)
    with pytest.raises(PermissionDenied) as refused:
        guards.require_another_user(clerk.pk, clerk)

    assert str(refused.value) == str(guards.FOUR_EYES)
    assert guards.is_own_record(clerk.pk, clerk) and not guards.is_own_record(clerk.pk, official)


def test_a_record_without_an_author_belongs_to_nobody(world):
    assert not guards.is_own_record(None, world.user("village_clerk"))


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (1, 16, 6.3), (0, 5, 0.0), (5, 5, 100.0), (3, 0, None)],
)
def test_a_share_is_rounded_half_up_to_one_decimal_and_none_of_nothing(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("code", "level"),
    [(w.DISTRICT, "town"), (w.TOWN, "village"), (w.VILLAGE, "village"), (w.COOPERATIVE, "village")],
)
def test_a_report_counts_the_towns_of_a_district_and_the_villages_of_a_town_or_below(world, code, level):
    from governance.registry import get_division_model

    division = get_division_model().objects.get(code=code)

    assert unit_level(division) == level
    assert division.report_unit_code_length == {"town": 9, "village": 12}[level]
