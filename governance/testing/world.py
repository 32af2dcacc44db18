"""A small world for access tests: two towns of Nanhai, a second district, and one user per role.

Inside and outside for every role: each role's user is assigned at the level the demo uses
(district roles over 南海区 440605, town_official over 狮山镇, village_clerk over one of its
villages, coop_clerk over one cooperative of that village). The codes are real NBS codes, but
the names are made up for the tests. `outside` holds a division of each
level that none of those assignments covers except the district-level ones, and `far` lies in
another district (禅城区 440604) that nobody is assigned to.

This module is pure data and the users: creating the divisions needs the rules of the app that
defines the hierarchy (levels, parents), so build_world() takes that app's division maker. Tests
ask for the session fixture `world_builder` (tests/conftest.py: villages.testing.world's
build_world) or for the `world` fixture (governance.testing.fixtures).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from governance.testing.factories import UserFactory, assign

DISTRICT = "440605"  # 南海区
TOWN = "440605124"  # 狮山镇
OTHER_TOWN = "440605121"  # 九江镇
VILLAGE = "440605124001"
OTHER_VILLAGE_SAME_TOWN = "440605124002"
OTHER_TOWN_VILLAGE = "440605121001"
COOPERATIVE = "440605124001001"
OTHER_COOPERATIVE_SAME_VILLAGE = "440605124001002"
FAR_DISTRICT = "440604"  # 禅城区
FAR_VILLAGE = "440604010001"

# Every division of the world, code → name, each after its parent (the maker creates missing
# ancestors of a code anyway, under made-up names).
DIVISIONS = {
    "44": "广东省",
    "4406": "佛山市",
    DISTRICT: "南海区",
    TOWN: "狮山镇",
    OTHER_TOWN: "九江镇",
    VILLAGE: "罗村村委会",
    OTHER_VILLAGE_SAME_TOWN: "联和村委会",
    OTHER_TOWN_VILLAGE: "下西村委会",
    COOPERATIVE: "第一经济社",
    OTHER_COOPERATIVE_SAME_VILLAGE: "第二经济社",
    FAR_DISTRICT: "禅城区",
    FAR_VILLAGE: "远方村委会",
}

ROLE_HOME = {
    "district_admin": DISTRICT,
    "town_official": TOWN,
    "village_clerk": VILLAGE,
    "coop_clerk": COOPERATIVE,
    "grid_worker": VILLAGE,
    "inspector": DISTRICT,
    "report_reader": DISTRICT,
}

# For each role, a division just outside its user's jurisdiction (the nearest one not covered).
JUST_OUTSIDE = {
    "district_admin": FAR_VILLAGE,
    "town_official": OTHER_TOWN_VILLAGE,
    "village_clerk": OTHER_VILLAGE_SAME_TOWN,
    "coop_clerk": OTHER_COOPERATIVE_SAME_VILLAGE,
    "grid_worker": OTHER_VILLAGE_SAME_TOWN,
    "inspector": FAR_VILLAGE,
    "report_reader": FAR_VILLAGE,
}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    outsider: object = None

    def user(self, role: str):
        return self.users[role]


def build_world(make_division: Callable[[str, str], object]) -> World:
    """Create the world's divisions with `make_division(code, name)` (the hierarchy app's rules
    decide level and parent), one user per role assigned over its home, and the outsider (signed
    in, no assignment). Idempotent: what exists already is reused."""
    for code, name in DIVISIONS.items():
        make_division(code, name)
    world = World()
    for role, home in ROLE_HOME.items():
        user = UserFactory(username=role)
        assign(user, home, role)
        world.users[role] = user
    world.outsider = UserFactory(username="outsider")
    return world
