"""Data shipped inside the villages package (carried by `pip install .` as package data).

`NATIONAL_DIVISIONS_DIR` is the one definition of where China's statistical division codes
live in the project: the default of `manage.py import_divisions`, of `bench/import_country` and
of `villages/demo_data/extract.py`. This module imports nothing from Django, so that plain
scripts can use it too. What the files hold: `divisions/README.md`.
"""

from __future__ import annotations

from pathlib import Path

NATIONAL_DIVISIONS_DIR: Path = Path(__file__).resolve().parent / "divisions"
