"""The engagement part of the Nanhai demo (manage.py load_demo runs it through
governance.registry.demo_steps, after the other apps' steps, in the same transaction): 狮山镇 with
every theme of the engagement app over the year up to the load (the five links and contact days,
visiting cadres with their visits and the contacts cadres and party members keep, deliberation
bodies with the district's catalogue, topics and meetings, service posts, point rules and points,
service centres, operating funds, emergency plans and drills), some villages short of each target.

- plan.py: what it holds and why, and the draw (`build_plan`, seeded, touching no database);
- loading.py: the plan written set-based under the load's audit context (`load_demo_engagement`).
"""

from engagement.demo.loading import load_demo_engagement, read_world
from engagement.demo.plan import (
    IDLE_BODY,
    LINK_SHORTFALL,
    LOW_FUNDS,
    LOW_SERVICE_SHARE,
    NO_BODY,
    NO_PLAN,
    NO_POSTS,
    SMALL_CENTRES,
    STALE_DRILLS,
    TOWN_OFFICIAL,
    UNCLAIMED_VILLAGES,
    VILLAGE_CLERK,
    EngagementPlan,
    build_plan,
    reference_year,
)

__all__ = [
    "IDLE_BODY",
    "LINK_SHORTFALL",
    "LOW_FUNDS",
    "LOW_SERVICE_SHARE",
    "NO_BODY",
    "NO_PLAN",
    "NO_POSTS",
    "SMALL_CENTRES",
    "STALE_DRILLS",
    "TOWN_OFFICIAL",
    "UNCLAIMED_VILLAGES",
    "VILLAGE_CLERK",
    "EngagementPlan",
    "build_plan",
    "load_demo_engagement",
    "read_world",
    "reference_year",
]
