"""The locked dependencies (requirements/*.txt, written by `make lock`) are what pyproject.toml
asks for: what `make setup` installs and the deployment audits is what the project declares."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins_of(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / f"{name}.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            package, version = line.split("==")
            pins[canonicalize_name(package)] = version
    return pins


@pytest.mark.parametrize(
    ("lock", "declared"),
    [
        ("prod", PYPROJECT["dependencies"]),
        ("test", PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]),
    ],
)
def test_every_declared_dependency_is_locked_at_a_version_its_range_admits(lock, declared):
    pins = pins_of(lock)
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements/{lock}.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements/{lock}.txt pins {requirement.name}=={pins[name]} outside {requirement.specifier}"
        )


def test_the_tests_run_the_same_versions_as_production():
    production, tests = pins_of("prod"), pins_of("test")
    assert {name: tests.get(name) for name in production} == production
