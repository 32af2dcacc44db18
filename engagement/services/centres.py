"""Service centres (党群服务中心, 1+7+N), operating funds, emergency plans and drills: every write of
the theme, each atomic, with the acting user keyword-only and the audit's action named.

The rules checked here (engagement/choices.py; docs/domain.md R35, R36):
- a centre is a division's own (one per district, town, village or community; none for a
  cooperative), its level that of its division (1+7+N), its service and activity space within its
  area;
- a village's operating fund is recorded once a year, in whole fen, not negative; the county's
  top-up is computed (OperatingFund.county_topup_fen), never stored;
- an emergency plan belongs to a village or community; a drill is held on a day neither after
  today (governance.clock) nor before its plan was adopted.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.choices import CentreLevel
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import not_in_the_future, require_permission_at
from villages.choices import Level
from villages.models import Division

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class CentreAction(StrEnum):
    """The theme's actions as the audit trail names them."""

    SAVE_CENTRE = "save_service_centre"
    RECORD_FUND = "record_operating_fund"
    CHANGE_FUND = "change_operating_fund"
    ADOPT_PLAN = "adopt_emergency_plan"
    CHANGE_PLAN = "change_emergency_plan"
    RECORD_DRILL = EngagementAction.RECORD_DRILL


# The level of a division's centre (1+7+N): the district's centre, a town's, a village's station.
CENTRE_LEVEL_BY_DIVISION_LEVEL = {
    Level.DISTRICT: CentreLevel.DISTRICT,
    Level.TOWN: CentreLevel.TOWN,
    Level.VILLAGE: CentreLevel.VILLAGE,
}


def _division(code: str) -> Division:
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise ValidationError({"division": [_("区划代码 %(code)s 不存在。") % {"code": code}]})
    return division


def _village(code: str) -> Division:
    division = _division(code)
    if division.level != Level.VILLAGE:
        raise ValidationError({"division": [_("须为村（社区）。")]})
    return division


def _check_areas(area_m2: Decimal, service_area_m2: Decimal) -> None:
    if service_area_m2 > area_m2:
        raise ValidationError({"service_area_m2": [_("服务和活动面积不能大于总面积。")]})


def save_centre(
    *,
    acting_user: AbstractBaseUser,
    division_code: str,
    area_m2: Decimal,
    service_area_m2: Decimal,
    households_served: int,
    level: str | None = None,
    new: bool = False,
) -> ServiceCentre:
    """Record a division's service centre, or correct it (one per division): its level is its
    division's (1 district, 7 towns, N villages); a level given that is not is refused. `new`:
    only a first one (the API's POST; a second is a 400 on `division`)."""
    with transaction.atomic(), acting_as(acting_user, action=CentreAction.SAVE_CENTRE):
        division = _division(division_code)
        centre = ServiceCentre.objects.select_for_update().filter(division_id=division.code).first()
        if centre is not None and new:
            raise ValidationError({"division": [_("该区划已登记党群服务中心，请修改原记录。")]})
        require_permission_at(
            acting_user, "engagement.change_servicecentre" if centre else "engagement.add_servicecentre", division.code
        )
        expected = CENTRE_LEVEL_BY_DIVISION_LEVEL.get(division.level)
        if expected is None:
            raise ValidationError({"division": [_("党群服务中心设在区、镇（街道）和村（社区），经济社不设。")]})
        if level and level != expected:
            raise ValidationError(
                {
                    "level": [
                        _("%(division)s的服务中心层级应为“%(level)s”。")
                        % {"division": division.name, "level": expected.label}
                    ]
                }
            )
        _check_areas(area_m2, service_area_m2)
        centre = centre or ServiceCentre(division=division)
        centre.level = expected
        centre.area_m2 = area_m2
        centre.service_area_m2 = service_area_m2
        centre.households_served = households_served
        centre.full_clean(validate_unique=False)
        centre.save()
        return centre


def change_centre(centre: ServiceCentre, *, acting_user: AbstractBaseUser, **fields) -> ServiceCentre:
    """Correct a centre's figures (a field not given keeps its stored value)."""
    centre = ServiceCentre.objects.get(pk=centre.pk)
    values = {
        "area_m2": centre.area_m2,
        "service_area_m2": centre.service_area_m2,
        "households_served": centre.households_served,
        "level": centre.level,
    }
    values.update({name: value for name, value in fields.items() if name in values})
    return save_centre(acting_user=acting_user, division_code=centre.division_id, **values)


def record_fund(*, acting_user: AbstractBaseUser, division_code: str, year: int, amount_fen: int) -> OperatingFund:
    """A village's operating fund of a year (运转经费), once a year; the county's top-up follows."""
    with transaction.atomic(), acting_as(acting_user, action=CentreAction.RECORD_FUND):
        require_permission_at(acting_user, "engagement.add_operatingfund", division_code)
        village = _village(division_code)
        if OperatingFund.objects.select_for_update().filter(division_id=village.code, year=year).exists():
            raise ValidationError({"year": [_("%(year)s 年度的运转经费已登记，请修改原记录。") % {"year": year}]})
        fund = OperatingFund(division=village, year=year, amount_fen=amount_fen)
        _clean_fund(fund)
        fund.save()
        return fund


def change_fund(fund: OperatingFund, *, acting_user: AbstractBaseUser, amount_fen: int) -> OperatingFund:
    with transaction.atomic(), acting_as(acting_user, action=CentreAction.CHANGE_FUND):
        fund = OperatingFund.objects.select_for_update().get(pk=fund.pk)
        require_permission_at(acting_user, "engagement.change_operatingfund", fund.division_id)
        fund.amount_fen = amount_fen
        _clean_fund(fund)
        fund.save(update_fields=["amount_fen"])
        return fund


def _clean_fund(fund: OperatingFund) -> None:
    if fund.amount_fen < 0:
        raise ValidationError({"amount_fen": [_("金额不能为负数。")]})
    fund.full_clean(validate_unique=False, validate_constraints=False)


def adopt_plan(
    *,
    acting_user: AbstractBaseUser,
    division_code: str,
    title: str,
    adopted_on: datetime.date,
    people_trained: int = 0,
) -> EmergencyPlan:
    """A community's emergency plan (应急预案) with the people trained for it (Jiangsu 九)."""
    with transaction.atomic(), acting_as(acting_user, action=CentreAction.ADOPT_PLAN):
        require_permission_at(acting_user, "engagement.add_emergencyplan", division_code)
        village = _village(division_code)
        not_in_the_future("adopted_on", adopted_on)
        plan = EmergencyPlan(division=village, title=title, adopted_on=adopted_on, people_trained=people_trained)
        plan.full_clean()
        plan.save()
        return plan


def change_plan(plan: EmergencyPlan, *, acting_user: AbstractBaseUser, **fields) -> EmergencyPlan:
    """Correct a plan's title, adoption day or people trained; its adoption stays on or before its
    first drill."""
    with transaction.atomic(), acting_as(acting_user, action=CentreAction.CHANGE_PLAN):
        plan = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
        require_permission_at(acting_user, "engagement.change_emergencyplan", plan.division_id)
        for name in ("title", "adopted_on", "people_trained"):
            if name in fields:
                setattr(plan, name, fields[name])
        not_in_the_future("adopted_on", plan.adopted_on)
        first = plan.drills.order_by("held_on").values_list("held_on", flat=True).first()
        if first is not None and plan.adopted_on > first:
            raise ValidationError(
                {"adopted_on": [_("制定日期不能晚于该预案的第一次演练（%(day)s）。") % {"day": first}]}
            )
        plan.full_clean()
        plan.save()
        return plan


def record_drill(
    plan: EmergencyPlan, *, acting_user: AbstractBaseUser, held_on: datetime.date, participants: int, note: str = ""
) -> Drill:
    """A drill of a plan (演练): not in the future, not before the plan was adopted."""
    with transaction.atomic(), acting_as(acting_user, action=CentreAction.RECORD_DRILL):
        plan = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
        require_permission_at(acting_user, "engagement.add_drill", plan.division_id)
        not_in_the_future("held_on", held_on)
        if held_on < plan.adopted_on:
            raise ValidationError(
                {"held_on": [_("演练日期不能早于预案制定日期（%(day)s）。") % {"day": plan.adopted_on.isoformat()}]}
            )
        drill = Drill(plan=plan, held_on=held_on, participants=participants, note=note)
        drill.full_clean()
        drill.save()
        return drill


__all__ = [
    "adopt_plan",
    "change_centre",
    "change_fund",
    "change_plan",
    "record_drill",
    "record_fund",
    "save_centre",
]
