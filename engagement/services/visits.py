"""Visits: a visiting cadre's visit to a village, a group (经济社) or a household."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.models import Visit, VisitingCadre
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import require_permission_at
from villages.choices import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def record_visit(
    *,
    acting_user: AbstractBaseUser,
    visitor: VisitingCadre,
    division_code: str,
    visited_on: datetime.date,
    household=None,
    raised: str = "",
    outcome: str = "",
) -> Visit:
    """Record a visit where the recording user may add visits (the visited division)."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.RECORD_VISIT):
        require_permission_at(acting_user, "engagement.add_visit", division_code)
        if not visitor.active:
            raise ValidationError({"visitor": [_("该走访干部已不在任。")]})
        if not division_code.startswith(visitor.division_id):
            raise ValidationError({"division": [_("走访的村社不在该干部所在区镇。")]})
        visit = Visit(
            visitor=visitor,
            division_id=division_code,
            household=household,
            visited_on=visited_on,
            raised=raised,
            outcome=outcome,
            recorded_by=acting_user,
        )
        visit.full_clean()
        visit.save()
        return visit


# The audit trail's names of the actions below (engagement.services.actions names the others).
CHANGE_VISIT = "change_visit"
SAVE_VISITING_CADRE = "save_visiting_cadre"
SAVE_KEPT_CONTACT = "save_kept_contact"


def change_visit(visit: Visit, *, acting_user: AbstractBaseUser, **fields) -> Visit:
    """Correct a visit's day, household, what was raised or what came of it (the cadre and the
    place stay: a visit elsewhere is another visit), where the user may change visits."""
    allowed = {"visited_on", "household", "raised", "outcome"}
    with transaction.atomic(), acting_as(acting_user, action=CHANGE_VISIT):
        require_permission_at(acting_user, "engagement.change_visit", visit.division_id)
        for name, value in fields.items():
            if name not in allowed:
                raise ValueError(name)
            setattr(visit, name, value)
        visit.full_clean()
        visit.save()
        return visit


def linked_villages_refusal(division_code: str, villages) -> str | None:
    """Why these villages cannot be linked to a cadre of `division_code` (包村: villages of their own
    county or town, administrative villages or communities), or None."""
    for village in villages:
        if village.level != Level.VILLAGE:
            return _("%(name)s不是行政村（社区）。") % {"name": village.name}
        if not village.code.startswith(division_code):
            return _("%(name)s不在该干部所在区镇。") % {"name": village.name}
    return None


def save_visiting_cadre(
    *,
    acting_user: AbstractBaseUser,
    cadre: VisitingCadre | None = None,
    villages=None,
    **fields,
) -> VisitingCadre:
    """Add a visiting cadre, or change one, with the villages they are linked to, where the user
    may add (change) visiting cadres: the cadre's county or town, and the new one when it moves."""
    adding = cadre is None
    cadre = cadre or VisitingCadre()
    with transaction.atomic(), acting_as(acting_user, action=SAVE_VISITING_CADRE):
        if not adding:
            require_permission_at(acting_user, "engagement.change_visitingcadre", cadre.division_id)
        for name, value in fields.items():
            setattr(cadre, name, value)
        require_permission_at(
            acting_user,
            "engagement.add_visitingcadre" if adding else "engagement.change_visitingcadre",
            cadre.division_id,
        )
        cadre.full_clean()
        if cadre.division.level not in (Level.DISTRICT, Level.TOWN):
            raise ValidationError({"division": [_("走访干部登记在区县或镇（街道）。")]})
        linked = list(villages) if villages is not None else list(cadre.villages.all()) if not adding else []
        refusal = linked_villages_refusal(cadre.division_id, linked)
        if refusal:
            raise ValidationError({"villages": [refusal]})
        cadre.save()
        if villages is not None or adding:
            cadre.villages.set(linked)
        return cadre


def save_kept_contact(*, acting_user: AbstractBaseUser, contact=None, person=None, **fields):
    """Add a contact a village cadre or party member keeps, or change one, where the user may add
    (change) kept contacts: the person's village."""
    from engagement.models import KeptContact

    adding = contact is None
    contact = contact or KeptContact(person=person)
    with transaction.atomic(), acting_as(acting_user, action=SAVE_KEPT_CONTACT):
        action = "add" if adding else "change"
        require_permission_at(acting_user, f"engagement.{action}_keptcontact", contact.person.division_id)
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.full_clean()
        contact.save()
        return contact
