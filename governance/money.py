"""Money. Amounts are stored as whole fen (分, bigint columns named `…_fen`), so that sums and
shares are exact integers; people type and read yuan (元) with two decimals. Every conversion
between the two goes through here."""

from __future__ import annotations

from decimal import Decimal

FEN_PER_YUAN = 100
CENT = Decimal("0.01")


def yuan_to_fen(yuan: Decimal | None) -> int | None:
    """Yuan (at most two decimals, as the forms check) as fen; None stays None."""
    return None if yuan is None else int(yuan * FEN_PER_YUAN)


def fen_to_yuan(fen: int | None) -> Decimal | None:
    """Fen as yuan with two decimals (Decimal("1234.50")); None stays None."""
    return None if fen is None else (Decimal(fen) / FEN_PER_YUAN).quantize(CENT)


def fen_text(fen: int) -> str:
    """Fen as pages, explanations and sheets write yuan: "1,234.50"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole:,}.{cents:02d}"


def yuan_input(fen: int) -> str:
    """Fen as a form's input shows yuan, without separators: "1234.50"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"


# --- amounts in exported files ---------------------------------------------------------------------

# How a sheet shows an amount in yuan: a number, thousands separated, two decimals (Excel's format
# code). Every CSV and XLSX export writes amounts through export_yuan, under a header saying 元.
YUAN_NUMBER_FORMAT = "#,##0.00"


def export_yuan(fen: int | None) -> Decimal | None:
    """The one money format of exports: fen as yuan, a number with two decimals (Decimal("60000.00")),
    which a CSV writes as 60000.00 and an XLSX cell holds as a number shown YUAN_NUMBER_FORMAT."""
    return fen_to_yuan(fen)
