"""What each role of the portal (governance/access/roles.py) may do with the villages app's
models, per model ("app_label.model") and action. Registered through governance's registry, so
that roles are defined once and every app says what they grant on its own models."""

from governance.access.roles import ALL, EDIT, VIEW, grant

PEOPLE_MODELS = ("villages.person", "villages.household", "villages.membership", "villages.partymembership")
CADRE_MODELS = ("villages.position", "villages.positionfiling")

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        "villages.division": ("view", "add", "change"),
        **grant(PEOPLE_MODELS, ALL),
        **grant(CADRE_MODELS, ALL),
        "villages.positionfiling": ALL + ("approve",),
        "villages.person": ALL + ("view_personal_data",),
    },
    "town_official": {
        "villages.division": VIEW,
        **grant(PEOPLE_MODELS, VIEW),
        **grant(CADRE_MODELS, EDIT),
        "villages.positionfiling": EDIT + ("approve",),
    },
    "village_clerk": {
        "villages.division": VIEW,
        **grant(PEOPLE_MODELS, EDIT),
        **grant(CADRE_MODELS, EDIT),
        "villages.person": EDIT + ("view_personal_data",),
    },
    "coop_clerk": {
        "villages.division": VIEW,
        **grant(PEOPLE_MODELS, EDIT),
        "villages.person": EDIT + ("view_personal_data",),
        **grant(CADRE_MODELS, VIEW),
    },
    "inspector": {
        "villages.division": VIEW,
        **grant(PEOPLE_MODELS, VIEW),
        **grant(CADRE_MODELS, VIEW),
    },
    "report_reader": {
        "villages.division": VIEW,
    },
    # The divisions of their jurisdiction (their village and its cooperatives) are public facts a
    # grid worker needs on every page; nothing else of this app (grids/grants.py has their work).
    "grid_worker": {
        "villages.division": VIEW,
    },
}
