"""People registered in a village or cooperative, and their households (户)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history_per_statement
from governance.base_models import ScopedModel
from villages import identity
from villages.choices import CODE_LENGTH_BY_LEVEL, PERSON_LEVELS, Gender, Level
from villages.codes import level_for_code
from villages.models.divisions import Division
from villages.querysets import HouseholdQuerySet, PersonQuerySet


def refuse_new_record_in_retired_division(record) -> None:
    """A division merged away (撤并) takes no new households or people: they are registered in the
    division it went into, whose area holds its records (Division.objects.area_codes). Those it
    has keep their place and may still be corrected."""
    if record._state.adding and record.division_id and record.division.retired_on is not None:
        raise ValidationError(
            {"division": _("%(name)s已撤销，不能再登记；请登记在其并入的村（社区）。") % {"name": record.division.name}}
        )


@track_history_per_statement
class Household(ScopedModel):
    """A registered household (户) of a village or cooperative."""

    division = models.ForeignKey(
        Division, verbose_name=_("所属村社"), on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("户号"), max_length=30)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Person", verbose_name=_("户主"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["division_id", "number"]
        constraints = [models.UniqueConstraint(fields=["division", "number"], name="household_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}"

    def clean(self) -> None:
        if self.division_id and level_for_code(self.division_id) not in PERSON_LEVELS:
            raise ValidationError({"division": _("户只能登记在村（社区）或经济社。")})
        refuse_new_record_in_retired_division(self)
        if self.number_is_taken():
            raise ValidationError({"number": _("本村社已有此户号。")})

    def number_is_taken(self) -> bool:
        """Whether another household of the division has this number: household_unique_number
        says the same at the write; this says it first, as a field error, also to forms that
        leave the division out (Django checks a constraint only when all its fields are shown)."""
        if not (self.division_id and self.number):
            return False
        return Household.objects.filter(division_id=self.division_id, number=self.number).exclude(pk=self.pk).exists()


@track_history_per_statement
class Person(ScopedModel):
    """A person registered in a village or cooperative.

    Gender and birth date are derived from the ID number (GB 11643) whenever it is saved; the
    ID number and the phone are personal data, masked for anyone without the permission to see
    them.
    """

    division = models.ForeignKey(Division, verbose_name=_("登记村社"), on_delete=models.PROTECT, related_name="people")
    household = models.ForeignKey(
        Household, verbose_name=_("户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, validators=[identity.validate_id_number])
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    phone = models.CharField(
        _("电话"),
        max_length=20,
        blank=True,
        validators=[identity.validate_phone],
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["division_id", "name", "id"]
        permissions = [("view_personal_data_person", _("可查看身份证号和电话"))]
        indexes = [
            # The people list (the API's and the register's, in this ordering) and the search by
            # name within a division: a village's or a town's code range, walked in the list's
            # order (the id breaks the ties of a name), so that a page reads its 50 entries and
            # stops, and its keys come from the index alone (no sort of the scope's people).
            models.Index(fields=["division", "name", "id"], name="person_division_name"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def save(self, *args, **kwargs) -> None:
        self.id_number = identity.normalise_id_number(self.id_number)
        self.gender = identity.gender_from_id(self.id_number)
        self.birth_date = identity.birth_date_from_id(self.id_number)
        super().save(*args, **kwargs)

    def village_code(self) -> str:
        """The code of the village (村/社区) the person belongs to: their own division, or the
        village of their cooperative (a cooperative's code starts with its village's)."""
        return self.division_id[: CODE_LENGTH_BY_LEVEL[Level.VILLAGE]]

    def cooperative_codes_open_to(self) -> list[str]:
        """The cooperatives this person can join or serve in: their own, or, for someone
        registered in a village, the village's active cooperatives (one query then)."""
        if level_for_code(self.division_id) == Level.COOPERATIVE:
            return [self.division_id]
        return list(
            Division.objects.filter(parent_id=self.division_id, level=Level.COOPERATIVE, retired_on__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )

    def position_division_codes(self) -> list[str]:
        """Where this person can take up a position: their village and the cooperatives open to
        them. Once their village was merged away (撤并), the village it went into (followed to the
        last) takes its place; their cooperatives stay open (撤村不撤社). The village is read from
        `division` (a page loads it with select_related("division__parent")): a query more only
        for the people of a merged village."""
        village = self.division if self.division_id == self.village_code() else self.division.parent
        if village.retired_on is not None and village.merged_into_id is not None:
            return [Division.objects.last_successor(village.code), *self.cooperative_codes_open_to()]
        return [self.village_code(), *self.cooperative_codes_open_to()]

    def age_on(self, day: datetime.date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    def clean(self) -> None:
        if self.division_id and level_for_code(self.division_id) not in PERSON_LEVELS:
            raise ValidationError({"division": _("人员只能登记在村（社区）或经济社。")})
        refuse_new_record_in_retired_division(self)
        if self.household_id and self.division_id and self.household.division_id != self.division_id:
            raise ValidationError({"household": _("户必须属于同一村社。")})
