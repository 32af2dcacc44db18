"""The Nanhai demo: Nanhai district (南海区, Foshan) with invented cooperatives, people and cadres.

The divisions are real (NBS 2023 codes, cut into villages/demo_data/ from villages/data/divisions/);
everything below the village level is invented, deterministically: `build_plan(seed)` draws the
whole demo from one `random.Random(seed)`, so the same seed gives the same cooperatives, the same
people with the same ID numbers, the same positions. Building the plan touches no database; the
plan is then written by `load_demo()` in one transaction, with COPY; the audit triggers record
every row with the context source="load_demo".

- plan.py: what the demo contains, and why: the district and its figures, the demo sign-ins
  and their assignments, the rules and demo values the records follow.
- generation.py: the plan turned into records (names, ID numbers, households, people,
  memberships, positions, filings): `build_plan(seed)`, touching no database.
- loading.py: the records written to the database: `load_demo(seed)`, COPY, audit context.

This module re-exports what the management commands (load_demo, demo_banner) and the tests use.
"""

from villages.demo.generation import (
    DemoPlan,
    build_plan,
    chinese_numeral,
    cooperative_name,
    demo_digest,
)
from villages.demo.loading import LoadSummary, database_digest, demo_is_loaded, load_demo
from villages.demo.plan import (
    ADMIN_NAME,
    ADMIN_USERNAME,
    COLLECTIVE_COMMUNITY_COUNT,
    COLLECTIVE_VILLAGE_COUNT,
    COMMITTEES_OUT_OF_TERM,
    COOPERATIVE_COUNT,
    DEFAULT_DEMO_PASSWORD,
    DEFAULT_SEED,
    DEMO_COOPERATIVE_CODE,
    DEMO_USERS,
    DEMO_VILLAGE_CODE,
    DISTRICT_CODE,
    FACTORY_BIRTHS,
    LATEST_BIRTH,
    MAX_COOPERATIVES_PER_VILLAGE,
    OTHER_TOWN_CODE,
    RESERVE_CADRE_SHORTFALL,
    TOWN_CODE,
    DemoUser,
    demo_password,
    read_villages,
)

__all__ = [
    "ADMIN_NAME",
    "ADMIN_USERNAME",
    "COLLECTIVE_COMMUNITY_COUNT",
    "COLLECTIVE_VILLAGE_COUNT",
    "COMMITTEES_OUT_OF_TERM",
    "COOPERATIVE_COUNT",
    "DEFAULT_DEMO_PASSWORD",
    "DEFAULT_SEED",
    "DEMO_COOPERATIVE_CODE",
    "DEMO_USERS",
    "DEMO_VILLAGE_CODE",
    "DISTRICT_CODE",
    "FACTORY_BIRTHS",
    "LATEST_BIRTH",
    "MAX_COOPERATIVES_PER_VILLAGE",
    "OTHER_TOWN_CODE",
    "RESERVE_CADRE_SHORTFALL",
    "TOWN_CODE",
    "DemoPlan",
    "DemoUser",
    "LoadSummary",
    "build_plan",
    "chinese_numeral",
    "cooperative_name",
    "database_digest",
    "demo_digest",
    "demo_is_loaded",
    "demo_password",
    "load_demo",
    "read_villages",
]
