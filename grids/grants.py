"""What each role may do with the grids app's models (registered through governance's registry).

The town's grid centre assesses events, whistles departments, records the reporter's evaluation
(回访) and closes; the village's clerk and its grid workers report events in their village and
record their handling; the inspector reads everything (监督考核); the report reader reads the
reports, not the events. A cooperative's clerk has no grid: grids cover villages and communities.
"""

from governance.access.roles import ALL, EDIT, VIEW

EVENT_STEPS = ("assess", "handle", "evaluate", "close")

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        "grids.grid": ALL,
        "grids.eventcategory": ALL,
        "grids.gridevent": ALL + EVENT_STEPS,
        "grids.eventstep": VIEW,
        "grids.eventphoto": VIEW,
    },
    "town_official": {
        "grids.grid": EDIT,
        "grids.eventcategory": VIEW,
        "grids.gridevent": EDIT + EVENT_STEPS,
        "grids.eventstep": VIEW,
        "grids.eventphoto": VIEW,
    },
    "village_clerk": {
        "grids.grid": EDIT,
        "grids.eventcategory": VIEW,
        "grids.gridevent": EDIT + ("handle",),
        "grids.eventstep": VIEW,
        "grids.eventphoto": VIEW,
    },
    "grid_worker": {
        "grids.grid": VIEW,
        "grids.eventcategory": VIEW,
        "grids.gridevent": ("view", "add", "handle"),
        "grids.eventstep": VIEW,
        "grids.eventphoto": VIEW,
    },
    "inspector": {
        "grids.grid": VIEW,
        "grids.eventcategory": VIEW,
        "grids.gridevent": VIEW,
        "grids.eventstep": VIEW,
        "grids.eventphoto": VIEW,
    },
    "report_reader": {"grids.eventcategory": VIEW},
}
