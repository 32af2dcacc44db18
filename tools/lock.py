"""Write requirements/prod.txt and requirements/test.txt: pyproject.toml's dependencies resolved
by pip (`--dry-run --report`, nothing installed) to exact versions, the project itself left out.
Run by `make lock`; the deployment installs and audits requirements/prod.txt (README)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "village-governance-portal"
TARGETS = {"prod": ".", "test": ".[test]"}
HEADER = (
    "# Locked by `make lock` from pyproject.toml ({name}): the exact versions that run and that the\n"
    "# deployment's audit checks (README, Production deployment). Do not edit by hand.\n"
)


def resolved(target: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--dry-run",
                "--ignore-installed",
                "--report",
                str(report),
                target,
            ],
            cwd=ROOT,
            check=True,
        )
        installs = json.loads(report.read_text())["install"]
    pins = {f"{i['metadata']['name']}=={i['metadata']['version']}" for i in installs}
    return sorted((pin for pin in pins if not pin.lower().startswith(PROJECT + "==")), key=str.lower)


def main() -> None:
    for name, target in TARGETS.items():
        lines = resolved(target)
        (ROOT / "requirements" / f"{name}.txt").write_text(HEADER.format(name=name) + "\n".join(lines) + "\n")
        print(f"requirements/{name}.txt: {len(lines)} packages")


if __name__ == "__main__":
    main()
