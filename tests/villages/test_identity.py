"""ID numbers (GB 11643-1999)."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from villages import identity


def check_character_by_definition(first_17_digits: str) -> str:
    """ISO 7064 MOD 11-2 as GB 11643 defines it: number the 18 positions from the right, the
    check character at position 1; position i weighs 2^(i-1) mod 11; the check character (X for
    10) is the one that makes the weighted sum of all 18 congruent to 1 modulo 11."""
    for candidate in "0123456789X":
        characters = first_17_digits + candidate
        total = sum(
            (10 if character == "X" else int(character)) * pow(2, position - 1, 11)
            for position, character in enumerate(reversed(characters), start=1)
        )
        if total % 11 == 1:
            return candidate
    raise AssertionError("MOD 11-2 always has exactly one check character")


# Examples printed in GB 11643-1999 and its commentaries.
STANDARD_EXAMPLES = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("id_number", STANDARD_EXAMPLES)
def test_the_check_character_of_the_standards_examples_follows_iso_7064_mod_11_2(id_number):
    assert check_character_by_definition(id_number[:17]) == id_number[17]
    assert identity.id_check_character(id_number[:17]) == id_number[17]


def test_the_check_character_agrees_with_the_definition_for_many_numbers():
    generator = random.Random(11643)
    for _ in range(500):
        digits = "".join(generator.choice("0123456789") for _ in range(17))
        assert identity.id_check_character(digits) == check_character_by_definition(digits), digits


@pytest.mark.parametrize("id_number", STANDARD_EXAMPLES)
def test_a_valid_id_number_passes(id_number):
    identity.validate_id_number(id_number)


def test_a_lower_case_x_is_the_same_check_character():
    identity.validate_id_number("11010519491231002x")
    assert identity.normalise_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        ("110105194912310021", "id_number_check_digit"),
        ("11010519491231002", "id_number_shape"),
        ("11010519491231002X1", "id_number_shape"),
        ("1101051949123100XX", "id_number_shape"),
        ("", "id_number_shape"),
        ("11010519490230002X", "id_number_birth_date"),
        ("110105187912310020", "id_number_birth_date"),
    ],
    ids=["wrong check digit", "17 characters", "19 characters", "X inside", "empty", "30 February", "before 1880"],
)
def test_a_malformed_id_number_is_refused_with_the_reason(id_number, code):
    with pytest.raises(ValidationError) as refused:
        identity.validate_id_number(id_number)

    assert refused.value.code == code


def test_an_id_number_born_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    first = f"110105{tomorrow:%Y%m%d}002"

    with pytest.raises(ValidationError):
        identity.validate_id_number(first + check_character_by_definition(first))


def test_gender_and_birth_date_come_from_the_id_number():
    # 11010519491231002X: born 1949-12-31, sequence 002 (even: female)
    assert identity.birth_date_from_id("11010519491231002X") == datetime.date(1949, 12, 31)
    assert identity.gender_from_id("11010519491231002X") == "female"
    # 440524188001010014: born 1880-01-01, sequence 001 (odd: male)
    assert identity.birth_date_from_id("440524188001010014") == datetime.date(1880, 1, 1)
    assert identity.gender_from_id("440524188001010014") == "male"


def test_make_id_number_builds_a_valid_number_with_the_parts_asked_for():
    id_number = identity.make_id_number("440605124001", datetime.date(2000, 2, 29), 7)

    identity.validate_id_number(id_number)
    assert id_number[:17] == "44060520000229007"
    assert id_number[17] == check_character_by_definition(id_number[:17])


# --- phone numbers (工业和信息化部 电信网编号计划) ----------------------------------------------


@pytest.mark.parametrize(
    "phone",
    ["13812345678", "19912345678", "010-12345678", "01012345678", "0755-1234567", "0757-86123456", "075786123456"],
    ids=[
        "mobile 138",
        "mobile 199",
        "beijing landline",
        "landline without hyphen",
        "7-digit local",
        "foshan",
        "foshan no hyphen",
    ],
)
def test_a_mobile_or_landline_number_passes(phone):
    identity.validate_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "12345",
        "12345678901",  # second digit 2
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "+8613812345678",
        "0755-123456",  # local number of 6 digits
        "0755-123456789",  # 9 digits
        "07-12345678",  # area code too short
        "07555-1234567",  # area code too long
        "755-12345678",  # no leading 0
        "138 1234 5678",
    ],
)
def test_anything_else_is_not_a_phone_number(phone):
    with pytest.raises(ValidationError) as raised:
        identity.validate_phone(phone)
    assert raised.value.code == "phone_shape"
