"""The grids part of the Nanhai demo (manage.py load_demo runs it after villages' own load,
through governance.registry.demo_steps, in the same transaction): every village and community of
狮山镇 covered by grids, each with its named grid worker, the district's event categories, and a
year of events up to the moment of the load in each state (reported, assessed by either route,
whistled with the departments' arrivals, handled, evaluated with each kind of satisfaction,
dissatisfied ones sent back, closed by someone other than the handler), some overdue, with every
step of their history. Four villages stay below the 90% satisfaction target.

- plan.py: what it holds and why, and the draw (`build_plan`, seeded, touching no database);
- loading.py: the plan written set-based under the load's audit context (`load_demo_grids`).
"""

from grids.demo.loading import load_demo_grids, town_villages
from grids.demo.plan import (
    DEMO_GRID_WORKER,
    GRIDS_BY_HOUSEHOLDS,
    LOW_SATISFACTION_VILLAGES,
    TOWN_OFFICIAL,
    VILLAGE_CLERK,
    GridPlan,
    build_plan,
    grid_count,
)

__all__ = [
    "DEMO_GRID_WORKER",
    "GRIDS_BY_HOUSEHOLDS",
    "LOW_SATISFACTION_VILLAGES",
    "TOWN_OFFICIAL",
    "VILLAGE_CLERK",
    "GridPlan",
    "build_plan",
    "grid_count",
    "load_demo_grids",
    "town_villages",
]
