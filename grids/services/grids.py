"""Grids: drawing one in a village or community with its grid worker, and changing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.access.querysets import assigned_codes
from governance.audit import acting_as
from governance.guards import require_permission_at
from grids.models import Grid
from grids.services.actions import GridsAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def require_worker_in_village(worker, village_code: str) -> None:
    """定人: the grid worker is an active user whose jurisdiction covers the grid's village (a grid
    worker assigned over it, or a clerk or official above it who walks the grid themselves)."""
    if worker is None or not worker.is_active:
        raise ValidationError({"worker": [_("请指定在岗的网格员。")]})
    if not any(village_code.startswith(code) or code.startswith(village_code) for code in assigned_codes(worker)):
        raise ValidationError({"worker": [_("网格员须在本村（社区）任职：请先为其分配该村（社区）的网格员角色。")]})


def create_grid(
    *,
    acting_user: AbstractBaseUser,
    village_code: str,
    name: str,
    worker,
    area: str = "",
    households: int | None = None,
) -> Grid:
    """Draw a grid in a village or community with its named grid worker (定人、定岗、定责)."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.CREATE_GRID):
        require_permission_at(acting_user, "grids.add_grid", village_code)
        require_worker_in_village(worker, village_code)
        grid = Grid(division_id=village_code, name=name, worker=worker, area=area, households=households)
        grid.full_clean()
        grid.save()
        return grid


def change_grid(grid: Grid, *, acting_user: AbstractBaseUser, **changes) -> Grid:
    """Rename a grid, change its area or households, or give it another worker."""
    with transaction.atomic(), acting_as(acting_user, action=GridsAction.CHANGE_GRID):
        grid = Grid.objects.select_for_update().get(pk=grid.pk)
        require_permission_at(acting_user, "grids.change_grid", grid.division_id)
        for field, value in changes.items():
            if field not in {"name", "worker", "area", "households"}:
                raise ValueError(f"{field} is not a grid's field to change")
            setattr(grid, field, value)
        if "worker" in changes:
            require_worker_in_village(grid.worker, grid.division_id)
        grid.full_clean()
        grid.save()
        return grid
