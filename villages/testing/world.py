"""The shared test world (governance.testing.world) built with villages' divisions: the maker
tests/conftest.py hands to governance's test bases as the `world_builder` fixture."""

from governance.testing import world as shared
from villages.testing.factories import division

# The world's villages that have a collective economy (经济社 under them).
WITH_COLLECTIVE_ECONOMY = {shared.VILLAGE, shared.OTHER_VILLAGE_SAME_TOWN, shared.OTHER_TOWN_VILLAGE}


def world_division(code: str, name: str):
    """One division of the world, with its ancestors, by villages' rules."""
    return division(code, name, has_collective_economy=code in WITH_COLLECTIVE_ECONOMY)


def build_world() -> shared.World:
    """governance.testing.world's world: its divisions, one user per role, the outsider."""
    return shared.build_world(world_division)
