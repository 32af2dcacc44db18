"""Saving a roll (花名册) or a file of members and shares (成员股份): all or nothing.

The file was read and checked for the preview (villages/rolls.py); here it is checked again,
inside the transaction that writes it, against the database as it is now, and written only when
not a single row is bad. The rows go in with COPY (governance.bulk_load.copy_rows), recorded by
the audit triggers with the acting user and the context action="import_roll", the kind, the
division, the file's name and SHA-256, so that the history of every person created says which
upload brought them in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from governance.audit import acting_as
from governance.guards import require_model_permission_at
from villages.models import Division
from villages.rolls import RollCheck, RollKind, check_roll
from villages.services.actions import VillagesAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def may_import_roll(user, kind: RollKind, division_code: str) -> bool:
    """Whether `user` may add every kind of record the file writes, at the division."""
    from governance.access.querysets import holds_in, permission_name

    return all(holds_in(user, permission_name(model, "add"), division_code) for model in kind.models)


def import_roll(
    kind: RollKind,
    division: Division,
    rows: list[tuple[int, dict]],
    *,
    acting_user: AbstractBaseUser,
    file_name: str = "",
    sha256: str = "",
) -> RollCheck:
    """Check the rows read from a file (villages.rolls.read_rows) and, when none is bad, write
    them all; return the check (its errors when nothing was written).

    The division's row is locked first: two imports into the same village run one after the
    other, so that what one checks (the ID numbers, the household numbers) is still true when it
    writes. A registration made meanwhile through another page is stopped by the unique
    constraints (Person.id_number, household_unique_number, membership_one_current_per_cooperative):
    the IntegrityError rolls everything back."""
    context = {"action": VillagesAction.IMPORT_ROLL, "roll": kind.slug, "file": file_name, "sha256": sha256}
    with transaction.atomic(), acting_as(acting_user, division=division.code, rows=len(rows), **context):
        division = Division.objects.select_for_update(of=("self",)).select_related("parent").get(pk=division.pk)
        for model in kind.models:
            require_model_permission_at(acting_user, model, "add", division.code)
        check = check_roll(kind, division, rows, acting_user)
        if check.ok:
            kind.write(check)
        return check
