"""Schemes and entries through their services (DESIGN.md section 7): weights summing to exactly
100, indicators by source and level, grades and versions; entries saved all or none with each bad
row named by its index, a later entry replacing an earlier one; who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.testing import world as w
from supervision.models import Scheme, ScoreEntry
from supervision.services import scoring as services
from supervision.services.actions import RowErrors
from supervision.testing.factories import scheme
from villages.models import Division

GRADES = {"excellent": 90, "good": 80, "pass": 60}


def create(user, division=w.TOWN, indicators=None, **fields):
    data = {
        "level": "village",
        "period": "2026",
        "name": "2026年度村（社区）绩效考核",
        "indicators": indicators
        or [
            {"code": "work", "name": "中心工作", "weight": 60, "source": "entered"},
            {"code": "reserve", "name": "后备干部", "weight": 40, "source": "reserve_cadres"},
        ],
        "grades": GRADES,
        "excellent_share": 20,
        **fields,
    }
    return services.create_scheme(acting_user=user, division=Division.objects.get(code=division), **data)


def test_a_town_official_creates_a_scheme_for_their_town_with_weights_summing_to_100(world):
    made = create(world.user("town_official"))

    assert [(i.code, i.weight, i.source) for i in made.indicators.order_by("position")] == [
        ("work", 60, "entered"),
        ("reserve", 40, "reserve_cadres"),
    ]
    assert (made.version, made.period) == (1, "2026")


@pytest.mark.parametrize("weights", [(60, 39), (60, 41), (100, 1)])
def test_weights_that_do_not_sum_to_exactly_100_are_refused(world, weights):
    indicators = [{"code": f"i{n}", "name": "指标", "weight": weight} for n, weight in enumerate(weights)]

    with pytest.raises(ValidationError) as refused:
        create(world.user("town_official"), indicators=indicators)

    assert "indicators" in refused.value.message_dict


@pytest.mark.parametrize("weight", [0, -10, 50.5, "50", True])
def test_a_weight_that_is_not_a_positive_whole_number_is_refused_naming_its_row(world, weight):
    indicators = [{"code": "a", "name": "甲", "weight": 50}, {"code": "b", "name": "乙", "weight": weight}]

    with pytest.raises(RowErrors) as refused:
        create(world.user("town_official"), indicators=indicators)

    assert refused.value.as_detail() == {"indicators": {"1": {"weight": [refused.value.errors[1]["weight"][0]]}}}


def test_an_unknown_source_or_a_computed_indicator_of_another_level_is_refused(world):
    indicators = [
        {"code": "a", "name": "甲", "weight": 50, "source": "nonsense"},
        {"code": "b", "name": "乙", "weight": 50, "source": "reserve_cadres"},
    ]

    with pytest.raises(RowErrors) as refused:
        create(world.user("town_official"), indicators=indicators, level="cooperative")

    assert set(refused.value.errors) == {0, 1}


def test_grades_must_descend_from_excellent_to_pass(world):
    with pytest.raises(ValidationError) as refused:
        create(world.user("town_official"), grades={"excellent": 70, "good": 80, "pass": 60})

    assert "grades" in refused.value.message_dict


def test_a_scheme_is_set_by_a_town_or_the_district_only(world):
    with pytest.raises(ValidationError) as refused:
        create(world.user("district_admin"), division=w.VILLAGE)

    assert "division" in refused.value.message_dict


def test_a_second_scheme_for_the_same_division_level_and_period_is_its_next_version(world):
    create(world.user("town_official"))

    again = create(world.user("town_official"))

    assert again.version == 2


def test_a_town_official_may_not_create_a_scheme_for_another_town_nor_the_district(world):
    with pytest.raises(PermissionDenied):
        create(world.user("town_official"), division=w.OTHER_TOWN)
    with pytest.raises(PermissionDenied):
        create(world.user("town_official"), division=w.DISTRICT)
    assert not Scheme.objects.exists()


# --- entries -------------------------------------------------------------------------------------


@pytest.fixture
def town_scheme(world):
    return scheme(w.TOWN, indicators=(("work", 60, "entered"), ("reserve", 40, "reserve_cadres")), period="2026")


def test_entries_are_saved_and_a_later_entry_for_the_same_unit_and_indicator_replaces_the_earlier(world, town_scheme):
    official = world.user("town_official")

    services.save_entries(
        town_scheme,
        [{"unit": w.VILLAGE, "indicator": "work", "score": 70}, {"unit": w.VILLAGE, "indicator": "work", "score": 75}],
        acting_user=official,
    )
    services.save_entries(
        town_scheme, [{"unit": w.VILLAGE, "indicator": "work", "score": "88.5"}], acting_user=official
    )

    assert list(ScoreEntry.objects.values_list("unit_id", "score")) == [(w.VILLAGE, 88.5)]


def test_a_batch_with_bad_rows_saves_nothing_and_names_each_bad_row_by_its_index(world, town_scheme):
    entries = [
        {"unit": w.VILLAGE, "indicator": "work", "score": 70},
        {"unit": w.VILLAGE, "indicator": "work", "score": 101},
        {"unit": w.OTHER_TOWN_VILLAGE, "indicator": "work", "score": 50},
        {"unit": w.VILLAGE, "indicator": "reserve", "score": 50},
        {"unit": w.VILLAGE, "indicator": "nope", "score": -1},
    ]

    with pytest.raises(RowErrors) as refused:
        services.save_entries(town_scheme, entries, acting_user=world.user("town_official"))

    errors = refused.value.errors
    assert set(errors) == {1, 2, 3, 4}
    assert set(errors[1]) == {"score"}
    assert set(errors[2]) == {"unit"}
    assert set(errors[3]) == {"indicator"}
    assert set(errors[4]) == {"indicator", "score"}
    assert not ScoreEntry.objects.exists()


@pytest.mark.parametrize("score", ["-0.01", "100.01", "12.345", "abc", None, True])
def test_a_score_outside_0_to_100_or_with_more_than_2_decimals_is_refused(world, town_scheme, score):
    with pytest.raises(RowErrors) as refused:
        services.save_entries(
            town_scheme,
            [{"unit": w.VILLAGE, "indicator": "work", "score": score}],
            acting_user=world.user("district_admin"),
        )

    assert set(refused.value.errors[0]) == {"score"}


def test_a_town_official_enters_scores_of_a_district_scheme_only_for_the_units_of_their_town(world):
    district_scheme = scheme(w.DISTRICT, period="2026")
    official = world.user("town_official")

    services.save_entries(
        district_scheme, [{"unit": w.VILLAGE, "indicator": "work", "score": 80}], acting_user=official
    )
    with pytest.raises(RowErrors) as refused:
        services.save_entries(
            district_scheme, [{"unit": w.OTHER_TOWN_VILLAGE, "indicator": "work", "score": 80}], acting_user=official
        )

    assert set(refused.value.errors[0]) == {"unit"}


def test_a_village_clerk_may_not_enter_scores(world, town_scheme):
    with pytest.raises(PermissionDenied):
        services.save_entries(
            town_scheme,
            [{"unit": w.VILLAGE, "indicator": "work", "score": 80}],
            acting_user=world.user("village_clerk"),
        )
