"""Extract Nanhai district's division rows from the national NBS files into this folder.

Run from the project root; the source defaults to the national files shipped in
villages/data/divisions/ (`villages.data.NATIONAL_DIVISIONS_DIR`):

    .venv/bin/python villages/demo_data/extract.py [SOURCE_DIRECTORY]

Each output file keeps the header and the lines of its gzip'd source byte for byte (same columns,
same quoting), keeping only the rows on the path to Nanhai and below it: province 44 (广东省),
city 4406 (佛山市), district 440605 (南海区), its 7 towns and subdistricts and its 307
village-level units. The filter looks at the first column (code) only.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, this folder is first on sys.path, not the project root that holds `villages`.
sys.path.insert(0, str(HERE.parent.parent))

from villages.data import NATIONAL_DIVISIONS_DIR  # noqa: E402 (imports nothing from Django)

DEFAULT_SOURCE = NATIONAL_DIVISIONS_DIR
DISTRICT = "440605"  # 南海区

# file name → which codes to keep
KEEP: dict[str, Callable[[str], bool]] = {
    "provinces.csv": lambda code: code == DISTRICT[:2],
    "cities.csv": lambda code: code == DISTRICT[:4],
    "areas.csv": lambda code: code == DISTRICT,
    "streets.csv": lambda code: code.startswith(DISTRICT),
    "villages.csv": lambda code: code.startswith(DISTRICT),
}


def extract(source: Path = DEFAULT_SOURCE, target: Path = HERE) -> dict[str, int]:
    """Write the filtered files; returns the number of data rows written per file."""
    counts: dict[str, int] = {}
    for name, keep in KEEP.items():
        with gzip.open(source / f"{name}.gz", "rt", encoding="utf-8", newline="") as lines:
            header = next(lines)
            kept = [line for line in lines if keep(line.split(",", 1)[0])]
        with open(target / name, "w", encoding="utf-8", newline="") as out:
            out.write(header)
            out.writelines(kept)
        counts[name] = len(kept)
    return counts


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    for name, count in extract(source).items():
        print(f"{name}: {count}")
