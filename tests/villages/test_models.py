"""The division hierarchy and people: codes, levels, constraints in the database, derived fields."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction

from governance.testing.world import COOPERATIVE, OTHER_TOWN, OTHER_VILLAGE_SAME_TOWN, TOWN, VILLAGE
from villages.identity import make_id_number
from villages.models import (
    Division,
    Household,
    Level,
    Person,
    Position,
    PositionKind,
    ancestor_codes_of,
    level_for_code,
    parent_code_of,
)
from villages.testing.factories import HouseholdFactory, PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db


# --- codes and levels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("44", Level.PROVINCE),
        ("4406", Level.CITY),
        ("440605", Level.DISTRICT),
        ("440605124", Level.TOWN),
        ("440605124001", Level.VILLAGE),
        ("440605124001001", Level.COOPERATIVE),
    ],
)
def test_the_level_follows_from_the_length_of_the_code(code, level):
    assert level_for_code(code) == level


@pytest.mark.parametrize(
    "code",
    [
        "",
        "4",
        "44060",
        "4406051240011",
        "44060512400a",
        " 44",
        "４４",
    ],
)
def test_a_malformed_code_has_no_level(code):
    assert level_for_code(code) is None


def test_the_parent_and_ancestors_are_prefixes_of_the_code():
    assert parent_code_of("440605124001001") == "440605124001"
    assert parent_code_of("440605124") == "440605"
    assert parent_code_of("44") is None
    assert ancestor_codes_of("440605124001") == ["44", "4406", "440605", "440605124"]
    assert ancestor_codes_of("44") == []


def test_the_tenth_digit_of_a_village_code_tells_a_community_from_a_village():
    assert division("440605124001").village_kind == "community"  # 10th digit 0
    assert division("440605124201").village_kind == "village"  # 10th digit 2
    assert division(TOWN).village_kind is None


def test_a_subtree_is_the_division_and_everything_below_it():
    for code in (COOPERATIVE, OTHER_VILLAGE_SAME_TOWN, OTHER_TOWN):
        division(code)

    assert set(Division.objects.subtree(VILLAGE).values_list("code", flat=True)) == {VILLAGE, COOPERATIVE}
    assert Division.objects.get(code=TOWN).contains(COOPERATIVE)
    assert not Division.objects.get(code=OTHER_TOWN).contains(COOPERATIVE)


# --- the database refuses malformed divisions ---------------------------------------------------


def create_division(**fields):
    with transaction.atomic():
        return Division.objects.create(name="测试", **fields)


def test_a_code_of_the_wrong_length_for_its_level_is_refused_by_the_database():
    town = division(TOWN)

    with pytest.raises(IntegrityError, match="division_code_matches_level"):
        create_division(code="4406051240", level=Level.VILLAGE, parent=town)


def test_a_code_with_letters_is_refused_by_the_database():
    town = division(TOWN)

    with pytest.raises(IntegrityError, match="division_code_matches_level"):
        create_division(code="44060512400a", level=Level.VILLAGE, parent=town)


def test_a_code_that_does_not_start_with_its_parents_code_is_refused_by_the_database():
    other_town = division(OTHER_TOWN)

    with pytest.raises(IntegrityError, match="division_code_nests_in_parent"):
        create_division(code="440605124099", level=Level.VILLAGE, parent=other_town)


def test_a_division_merged_into_another_must_be_retired():
    town = division(TOWN)
    survivor = division(VILLAGE)

    with pytest.raises(IntegrityError, match="division_merged_only_when_retired"):
        create_division(code="440605124099", level=Level.VILLAGE, parent=town, merged_into=survivor)


def test_a_well_formed_division_is_accepted_and_retiring_it_keeps_it():
    town = division(TOWN)

    created = create_division(code="440605124099", level=Level.VILLAGE, parent=town)
    created.retired_on = datetime.date(2024, 1, 1)
    created.merged_into = division(VILLAGE)
    created.save()

    assert Division.objects.filter(code="440605124099", retired_on__isnull=False).exists()
    assert not Division.objects.active().filter(code="440605124099").exists()


def test_a_division_is_never_deleted_not_even_by_sql_and_the_admin_offers_no_delete(admin_client):
    made = division(f"{TOWN}901")

    with pytest.raises(InternalError), transaction.atomic():
        Division.objects.filter(code=made.code).delete()
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM villages_division WHERE code = %s", [made.code])

    assert Division.objects.filter(code=made.code).exists()
    assert admin_client.post(f"/admin/villages/division/{made.code}/delete/", {"post": "yes"}).status_code == 403
    assert Division.objects.filter(code=made.code).exists()


def test_clean_explains_a_division_whose_level_or_parent_does_not_fit_its_code():
    town = division(TOWN)

    with pytest.raises(ValidationError) as wrong_level:
        Division(code="440605124099", level=Level.TOWN, parent=town).clean()
    with pytest.raises(ValidationError) as wrong_parent:
        Division(code="440605124099", level=Level.VILLAGE, parent=division("440605")).clean()

    assert list(wrong_level.value.message_dict) == ["level"]
    assert list(wrong_parent.value.message_dict) == ["parent"]


# --- people -------------------------------------------------------------------------------------


def test_a_persons_gender_and_birth_date_are_derived_from_the_id_number_on_every_save():
    person = PersonFactory(id_number=make_id_number("440605", datetime.date(1980, 2, 29), 11))
    assert (person.gender, person.birth_date) == ("male", datetime.date(1980, 2, 29))

    person.id_number = make_id_number("440605", datetime.date(1992, 7, 1), 12)
    person.save()

    person.refresh_from_db()
    assert (person.gender, person.birth_date) == ("female", datetime.date(1992, 7, 1))


def test_an_id_number_is_stored_upper_case():
    person = PersonFactory(id_number="11010519491231002x")

    person.refresh_from_db()
    assert person.id_number == "11010519491231002X"


def test_two_people_cannot_share_an_id_number_in_the_database():
    PersonFactory(id_number="11010519491231002X")

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number="11010519491231002X")


def test_a_persons_age_counts_whole_years():
    person = PersonFactory(id_number=make_id_number("440605", datetime.date(1980, 2, 29), 11))

    assert person.age_on(datetime.date(2020, 2, 28)) == 39
    assert person.age_on(datetime.date(2020, 2, 29)) == 40


def test_a_person_is_registered_in_a_village_or_cooperative_only():
    with pytest.raises(ValidationError) as refused:
        Person(name="某人", division=division(TOWN), id_number="11010519491231002X").clean()

    assert list(refused.value.message_dict) == ["division"]
    Person(name="某人", division=division(COOPERATIVE), id_number="11010519491231002X").clean()


def test_a_persons_household_is_of_the_same_village():
    household = HouseholdFactory(division=division(OTHER_VILLAGE_SAME_TOWN))

    with pytest.raises(ValidationError) as refused:
        Person(name="某人", division=division(VILLAGE), household=household).clean()

    assert list(refused.value.message_dict) == ["household"]


def test_a_position_is_held_at_the_level_its_kind_requires():
    with pytest.raises(ValidationError) as refused:
        Position(
            division=division(VILLAGE), kind=PositionKind.COOPERATIVE_HEAD, started_on=datetime.date(2024, 1, 1)
        ).clean()

    assert list(refused.value.message_dict) == ["division"]


def test_a_second_current_holder_of_a_one_holder_post_is_a_field_error_before_the_database_says_so():
    sitting = PositionFactory(division=division(VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    successor = Position(
        division=division(VILLAGE), kind=PositionKind.PARTY_SECRETARY, started_on=datetime.date(2026, 3, 1)
    )

    with pytest.raises(ValidationError) as refused:
        successor.clean()

    assert list(refused.value.message_dict) == ["kind"]
    sitting.clean()  # the sitting secretary does not conflict with themselves
    sitting.ended_on = datetime.date(2026, 2, 28)
    sitting.save()
    successor.clean()  # once the predecessor has left, the successor is fine


def test_nobody_holds_the_same_post_twice_at_once_in_a_division():
    sitting = PositionFactory(division=division(VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    again = Position(
        person=sitting.person,
        division=division(VILLAGE),
        kind=PositionKind.VILLAGER_REPRESENTATIVE,
        started_on=datetime.date(2026, 3, 1),
    )

    with pytest.raises(ValidationError) as refused:
        again.clean()

    assert refused.value.message_dict["kind"] == ["此人已在该村社现任此职务。"]
    sitting.ended_on = datetime.date(2026, 2, 28)
    sitting.save()
    again.clean()  # a second term once the first has ended


def test_many_current_holders_of_a_shared_post_are_fine():
    PositionFactory(division=division(VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)

    Position(
        division=division(VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE, started_on=datetime.date(2026, 3, 1)
    ).clean()


def test_only_one_current_party_secretary_per_village_in_the_database():
    PositionFactory(division=division(VILLAGE), kind=PositionKind.PARTY_SECRETARY)

    with pytest.raises(IntegrityError, match="position_single_current_holder"), transaction.atomic():
        PositionFactory(division=division(VILLAGE), kind=PositionKind.PARTY_SECRETARY)


def test_a_villager_can_serve_in_the_village_and_its_active_cooperatives_only():
    villager = PersonFactory(division=division(VILLAGE))
    division(f"{VILLAGE}001")
    division(f"{VILLAGE}002", retired_on=datetime.date(2024, 1, 1))  # merged away: no new records
    division("440605124002001")  # a cooperative of another village

    assert villager.cooperative_codes_open_to() == [f"{VILLAGE}001"]
    assert villager.position_division_codes() == [VILLAGE, f"{VILLAGE}001"]


def test_a_cooperative_member_can_serve_in_their_cooperative_and_its_village():
    member = PersonFactory(division=division(f"{VILLAGE}001"))
    division(f"{VILLAGE}002")

    assert member.village_code() == VILLAGE
    assert member.cooperative_codes_open_to() == [f"{VILLAGE}001"]
    assert member.position_division_codes() == [VILLAGE, f"{VILLAGE}001"]


def test_a_household_number_is_unique_within_its_division_only():
    HouseholdFactory(division=division(VILLAGE), number="H-0001")

    with pytest.raises(ValidationError) as refused:
        Household(division=division(VILLAGE), number="H-0001").clean()

    assert list(refused.value.message_dict) == ["number"]
    Household(division=division(f"{VILLAGE}001"), number="H-0001").clean()  # another division


def test_a_person_is_found_by_an_id_number_typed_with_spaces_and_a_lower_case_x(world):
    from villages.models import Person
    from villages.testing.factories import PersonFactory, division

    person = PersonFactory(division=division("440605124001"), id_number="11010519491231002X")

    assert Person.objects.with_id_number(" 11010519491231002x ").get() == person
    assert not Person.objects.with_id_number("110105194912310021").exists()


def test_people_are_found_by_id_numbers_as_typed_in_one_query(django_assert_num_queries):
    born = datetime.date(1980, 3, 1)
    first = PersonFactory(division=division(VILLAGE, "罗村村委会"), id_number=make_id_number("440605", born, 11))
    second = PersonFactory(division=division(VILLAGE, "罗村村委会"), id_number=make_id_number("440605", born, 13))
    typed = f" {second.id_number.lower()} "
    nobody = make_id_number("440605", born, 15)

    with django_assert_num_queries(1):
        found = Person.objects.by_id_numbers([first.id_number, typed, nobody])

    assert found == {first.id_number: first, typed: second}
