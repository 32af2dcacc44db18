"""Resident identity card numbers (居民身份证号码), GB 11643-1999.

18 characters: a 6-digit address code, an 8-digit birth date (YYYYMMDD), a 3-digit sequence
whose parity gives the gender (odd: male, even: female), and a check character computed by
ISO 7064 MOD 11-2 over the first 17 digits ('X' stands for 10).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from governance.clock import today

ID_NUMBER_LENGTH = 18  # GB 11643-1999
# ISO 7064 MOD 11-2 weights: 2^(17-i) mod 11 for positions i = 0..16, as tabulated in GB 11643.
ID_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"  # indexed by (weighted sum mod 11)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalise_id_number(raw: str) -> str:
    return (raw or "").strip().upper()


def id_check_character(first_17_digits: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first_17_digits, ID_CHECK_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def birth_date_from_id(id_number: str) -> datetime.date:
    return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_from_id(id_number: str) -> str:
    """'male' when the sequence number (17th digit) is odd, 'female' when even."""
    return "male" if int(id_number[16]) % 2 == 1 else "female"


def validate_id_number(value: str, *, on: datetime.date | None = None) -> None:
    """Reject a malformed ID number with a message that says what is wrong; a birth date after
    `on` (by default the portal's today) is wrong. A file of 50,000 rows passes `on` once
    rather than asking the clock for every row (villages/rolls.py)."""
    number = normalise_id_number(value)
    if len(number) != ID_NUMBER_LENGTH or not _ID_SHAPE.match(number):
        raise ValidationError(
            _("身份证号应为18位：17位数字加1位校验码（数字或X）。"),
            code="id_number_shape",
        )
    try:
        birth = birth_date_from_id(number)
    except ValueError:
        raise ValidationError(
            _("身份证号中的出生日期无效。"),
            code="id_number_birth_date",
        ) from None
    if birth.year < 1880 or birth > (on or today()):
        raise ValidationError(
            _("身份证号中的出生日期无效。"),
            code="id_number_birth_date",
        )
    if id_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("身份证号校验码错误。"),
            code="id_number_check_digit",
        )


def make_id_number(address_code: str, birth: datetime.date, sequence: int) -> str:
    """A valid ID number for generated demo and test people (sequence 0-999; odd is male)."""
    first = f"{address_code[:6]}{birth:%Y%m%d}{sequence:03d}"
    return first + id_check_character(first)


# Phone numbers (电话号码), 工业和信息化部《电信网编号计划》: a mainland mobile number is 11 digits
# beginning 1[3-9]; a landline is the area code (0 and 2-3 digits), an optional hyphen, and a
# 7-8 digit local number (010-12345678, 0755-1234567, 075512345678).
MOBILE_NUMBER_PATTERN = r"1[3-9][0-9]{9}"
LANDLINE_NUMBER_PATTERN = r"0[0-9]{2,3}-?[0-9]{7,8}"
PHONE_NUMBER_PATTERN = rf"^(?:{MOBILE_NUMBER_PATTERN}|{LANDLINE_NUMBER_PATTERN})$"

validate_phone = RegexValidator(
    PHONE_NUMBER_PATTERN,
    _("电话号码应为11位手机号（1开头，第二位为3-9），或固定电话：0开头的3-4位区号、可加“-”、7-8位号码。"),
    code="phone_shape",
)
