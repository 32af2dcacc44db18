"""The apps' layers, checked on their sources (issue 14): one layout in every app, no import circle
inside an app, and the direction of every import between layers and between apps.

- governance is the base: it imports no domain app (test_independence.py keeps that).
- villages is the hierarchy every other app builds on: it imports no other domain app.
- No app imports another app's api/ or pages/: what one app needs of another it reaches through
  that app's models, querysets, choices, services or testing, or through governance.registry.
  (governance's api/ and pages/ are the bases every app builds on.)
- Inside an app, models, querysets and choices know nothing of services, api or pages, and services
  nothing of api or pages: declarations call down, never up.
- No circle among an app's modules, imports inside functions included: a circle is two modules
  that cannot be understood (or imported) one without the other.

The graph is read with `ast`, so that a test, not a reviewer, sees every import, in every function.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
DOMAIN_APPS = ("villages", "rights_lists", "covenants", "supervision", "grids", "engagement")
# Apps being built: the import rules hold for them already; the layout test waits for them.
GROWING_APPS: tuple[str, ...] = ()
EVERY_DOMAIN_APP = (*DOMAIN_APPS, *GROWING_APPS)
PROJECT_PACKAGES = ("governance", *EVERY_DOMAIN_APP)

# What a newcomer finds in every domain app (README.md, "Layout"): a module or a package of each.
LAYOUT = (
    "apps.py",
    "choices.py",
    "contributions.py",
    "grants.py",
    ("models.py", "models/__init__.py"),
    ("querysets.py", "querysets/__init__.py"),
    "services/__init__.py",
    "api/urls.py",
    ("api/serializers.py", "api/serializers/__init__.py"),
    ("api/views.py", "api/views/__init__.py"),
    "pages/urls.py",
    ("forms.py", "forms/__init__.py"),
    ("filters.py", "filters/__init__.py"),
    "demo/__init__.py",
    "testing/factories.py",
)
# Modules no app keeps at its top level any more: workflows are modules of services/, page routes
# are pages/urls.py alone.
SERVICES_ELSEWHERE = re.compile(r"(^|_)services\.py$")

# Layers of an app, from the bottom: a module may import its own layer and those below.
LOWER_LAYERS = ("choices", "models", "querysets")
UPPER_LAYERS = ("api", "pages")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules(package: str) -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted((BASE_DIR / package).rglob("*.py"))
        if "migrations" not in path.parts and ".venv" not in path.parts
    }


ALL_MODULES: dict[str, Path] = {
    name: path for package in PROJECT_PACKAGES for name, path in source_modules(package).items()
}


def _inside_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imported_modules(name: str, path: Path) -> set[str]:
    """The project's modules that module `name` imports, anywhere in it (functions included),
    except under `if TYPE_CHECKING:`; `from a import b` counts as a.b when a.b is a module."""
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    is_package = path.name == "__init__.py"
    imported: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or _inside_type_checking(node, parents):
            continue
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
            continue
        if node.level:
            anchor = name.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            imported.add(submodule if submodule in ALL_MODULES else base)
    return {module for module in imported if module in ALL_MODULES}


GRAPH: dict[str, set[str]] = {name: imported_modules(name, path) for name, path in ALL_MODULES.items()}


def app_of(module: str) -> str:
    return module.split(".")[0]


def layer_of(module: str) -> str:
    """The first segment inside the app: models, services, api, pages, choices, ..."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def circles(modules: set[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowlink[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(GRAPH[module] & modules):
            if target not in index:
                visit(target)
                lowlink[module] = min(lowlink[module], lowlink[target])
            elif target in on_stack:
                lowlink[module] = min(lowlink[module], index[target])
        if lowlink[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def edges(where) -> list[str]:
    return sorted(
        f"{source} -> {target}" for source, targets in GRAPH.items() for target in targets if where(source, target)
    )


@pytest.mark.parametrize("package", PROJECT_PACKAGES)
def test_no_module_of_an_app_takes_part_in_an_import_circle(package):
    modules = {name for name in GRAPH if app_of(name) == package}

    assert circles(modules) == []


def test_villages_imports_no_other_domain_app():
    assert edges(lambda source, target: app_of(source) == "villages" and app_of(target) in EVERY_DOMAIN_APP[1:]) == []


def test_no_app_imports_another_apps_api_or_pages():
    assert (
        edges(
            lambda source, target: (
                app_of(source) != app_of(target)
                and app_of(target) in EVERY_DOMAIN_APP
                and layer_of(target) in UPPER_LAYERS
            )
        )
        == []
    )


def test_models_querysets_and_choices_import_no_services_api_or_pages():
    assert (
        edges(
            lambda source, target: (
                app_of(source) in EVERY_DOMAIN_APP
                and layer_of(source) in LOWER_LAYERS
                and layer_of(target) in ("services", *UPPER_LAYERS)
            )
        )
        == []
    )


def test_services_import_no_api_or_pages():
    assert edges(lambda source, target: layer_of(source) == "services" and layer_of(target) in UPPER_LAYERS) == []


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_one_layout(app):
    root = BASE_DIR / app
    missing = [
        entry
        for entry in LAYOUT
        if not any((root / option).is_file() for option in (entry if isinstance(entry, tuple) else (entry,)))
    ]
    strays = sorted(
        str(path.relative_to(root))
        for path in root.glob("*.py")
        if SERVICES_ELSEWHERE.search(path.name) or path.name.endswith("_urls.py")
    ) + sorted(str(path.relative_to(root)) for path in (root / "pages").glob("*_urls.py"))

    assert (missing, strays) == ([], [])


# --- the guards written once (governance.guards, governance.clock) -----------------------------

TODAY_ELSEWHERE = re.compile(r"\bdate\.today\(\)|\btimezone\.localdate\(\)")
FUTURE_DATE_MESSAGE = "日期不能晚于今天"
LOCAL_GUARD = re.compile(r"^def _(require|not_in_the_future)\b", re.MULTILINE)


def app_sources() -> list[tuple[str, str]]:
    return [(name, path.read_text()) for name, path in ALL_MODULES.items()]


def test_today_is_the_portals_local_day_from_one_function():
    elsewhere = [name for name, text in app_sources() if TODAY_ELSEWHERE.search(text) and name != "governance.clock"]

    assert elsewhere == []


def test_the_future_date_message_is_written_once():
    holders = [name for name, text in app_sources() if FUTURE_DATE_MESSAGE in text]

    assert holders == ["governance.guards"]


def test_no_app_writes_its_own_permission_or_date_guard():
    assert [name for name, text in app_sources() if LOCAL_GUARD.search(text)] == []


# --- the checker itself ---------------------------------------------------------------------------


def test_the_import_reader_resolves_relative_and_function_level_imports(tmp_path):
    source = "def f():\n    from ..models import Division\n    from . import filings\n"
    probe = tmp_path / "__init__.py"
    probe.write_text(source)

    found = imported_modules("villages.services", probe)

    assert "villages.models" in found
    assert "villages.services.filings" in found


def test_the_circle_finder_finds_a_circle_of_two_and_none_in_a_line():
    GRAPH["__probe_a"] = {"__probe_b"}
    GRAPH["__probe_b"] = {"__probe_a"}
    GRAPH["__probe_c"] = {"__probe_a"}
    try:
        assert circles({"__probe_a", "__probe_b", "__probe_c"}) == [["__probe_a", "__probe_b"]]
        assert circles({"__probe_b", "__probe_c"}) == []
    finally:
        for probe in ("__probe_a", "__probe_b", "__probe_c"):
            del GRAPH[probe]
