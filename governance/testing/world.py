"""A small world for access tests: two towns of Nanhai, a second district, and one user per role.

Inside and outside for every role: each role's user is assigned at the level the demo uses
(district roles over 南海区 440605, town_official over 狮山镇, village_clerk over one of its
villages, coop_clerk over one cooperative of that village). The codes are real NBS codes, but
the names are made up for the tests. `outside` holds a division of each
level that none of those assignments covers except the district-level ones, and `far` lies in
another district (禅城区 440604) that nobody is assigned to.
"""

from dataclasses import dataclass, field

from governance.testing.factories import UserFactory, assign, division

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

ROLE_HOME = {
    "district_admin": DISTRICT,
    "town_official": TOWN,
    "village_clerk": VILLAGE,
    "coop_clerk": COOPERATIVE,
    "inspector": DISTRICT,
    "report_reader": DISTRICT,
}

# For each role, a division just outside its user's jurisdiction (the nearest one not covered).
JUST_OUTSIDE = {
    "district_admin": FAR_VILLAGE,
    "town_official": OTHER_TOWN_VILLAGE,
    "village_clerk": OTHER_VILLAGE_SAME_TOWN,
    "coop_clerk": OTHER_COOPERATIVE_SAME_VILLAGE,
    "inspector": FAR_VILLAGE,
    "report_reader": FAR_VILLAGE,
}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    outsider: object = None

    def user(self, role: str):
        return self.users[role]


def build_world() -> World:
    division("44", "广东省")
    division("4406", "佛山市")
    division(DISTRICT, "南海区")
    division(TOWN, "狮山镇")
    division(OTHER_TOWN, "九江镇")
    division(VILLAGE, "罗村村委会", has_collective_economy=True)
    division(OTHER_VILLAGE_SAME_TOWN, "联和村委会", has_collective_economy=True)
    division(OTHER_TOWN_VILLAGE, "下西村委会", has_collective_economy=True)
    division(COOPERATIVE, "第一经济社")
    division(OTHER_COOPERATIVE_SAME_VILLAGE, "第二经济社")
    division(FAR_DISTRICT, "禅城区")
    division(FAR_VILLAGE, "远方村委会")
    world = World()
    for role, home in ROLE_HOME.items():
        user = UserFactory(username=role)
        assign(user, home, role)
        world.users[role] = user
    world.outsider = UserFactory(username="outsider")
    return world
