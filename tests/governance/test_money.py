"""Money is stored in whole fen and typed and read in yuan (governance/money.py)."""

from decimal import Decimal

import pytest

from governance.money import YUAN_NUMBER_FORMAT, export_yuan, fen_text, fen_to_yuan, yuan_input, yuan_to_fen


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [
        (Decimal("0"), 0),
        (Decimal("0.01"), 1),
        (Decimal("12345.67"), 1_234_567),
        (Decimal("999999999999.99"), 99_999_999_999_999),
    ],
)
def test_yuan_with_two_decimals_become_exact_fen_and_back(yuan, fen):
    assert yuan_to_fen(yuan) == fen
    assert fen_to_yuan(fen) == yuan


def test_no_amount_stays_no_amount():
    assert yuan_to_fen(None) is None and fen_to_yuan(None) is None


def test_fen_are_written_as_yuan_with_separators_on_pages_and_without_in_inputs():
    assert fen_text(123_456_750) == "1,234,567.50"
    assert yuan_input(123_456_750) == "1234567.50"
    assert (fen_text(-5), yuan_input(-5)) == ("-0.05", "-0.05")
    assert fen_text(0) == yuan_input(0) == "0.00"


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [
        (6_000_000, Decimal("60000.00")),
        (1, Decimal("0.01")),
        (-150, Decimal("-1.50")),
        (0, Decimal("0.00")),
        (None, None),
    ],
)
def test_exports_write_amounts_in_yuan_as_numbers_with_two_decimals(fen, yuan):
    exported = export_yuan(fen)

    assert exported == yuan
    assert exported is None or str(exported) == str(yuan)
    assert YUAN_NUMBER_FORMAT == "#,##0.00"
