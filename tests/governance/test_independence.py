"""governance/ is the base every domain app builds on, so it depends on none of them: apps reach
it through its registry (governance/registry.py). The one edge that stays is the hierarchy's model,
named by the DIVISION_MODEL setting (assignments point at a Division)."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

GOVERNANCE = Path(settings.BASE_DIR) / "governance"
# Calls whose first argument names a module to load: a dotted string is an import too.
LOADING_CALLS = {"import_module", "include", "import_string", "__import__"}


def domain_apps() -> set[str]:
    """The project's own apps other than governance: the packages at the project's top level
    (the virtual environment's, in .venv/, are not)."""
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR) and config.name != "governance"
    }


def modules_loaded_by(source: str) -> set[str]:
    """Every module a Python source imports, or loads by a literal dotted name."""
    loaded = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            loaded.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            loaded.add(node.module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in LOADING_CALLS and isinstance(node.args[0].value, str):
                loaded.add(node.args[0].value)
    return loaded


def governance_modules() -> list[Path]:
    # Migrations must name the models they point at; settings name the apps they install.
    return [
        path
        for path in sorted(GOVERNANCE.rglob("*.py"))
        if "migrations" not in path.parts and path.name != "settings.py"
    ]


def test_the_project_has_domain_apps_to_keep_out():
    assert {"villages", "covenants", "rights_lists", "supervision"} <= domain_apps()


@pytest.mark.parametrize("path", governance_modules(), ids=lambda path: str(path.relative_to(GOVERNANCE)))
def test_no_governance_module_imports_a_domain_app(path):
    offending = {module for module in modules_loaded_by(path.read_text()) if module.split(".")[0] in domain_apps()}

    assert not offending, f"{path} loads {sorted(offending)}: register it through governance.registry"


@pytest.mark.parametrize(
    "source",
    [
        "import villages.models",
        "from villages.models import Division",
        "from villages import services",
        "def f():\n    from covenants.models import Covenant",
        "include('villages.urls')",
        "importlib.import_module('supervision.tasks')",
    ],
)
def test_the_check_catches_every_way_of_loading_a_domain_app(source):
    assert {module.split(".")[0] for module in modules_loaded_by(source)} & domain_apps()


def test_the_hierarchy_is_reached_through_the_division_model_setting():
    from governance.access.models import Assignment
    from governance.registry import get_division_model

    assert get_division_model()._meta.label == settings.DIVISION_MODEL
    assert Assignment._meta.get_field("division").related_model is get_division_model()
