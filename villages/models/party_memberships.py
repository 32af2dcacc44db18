"""Party membership (党员), attached to the village party organisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from villages.choices import MIN_PARTY_JOINING_AGE, Level
from villages.codes import level_for_code
from villages.models.divisions import Division
from villages.models.people import Person


@track_history
class PartyMembership(ScopedModel):
    """Membership of the Communist Party, attached to the village party organisation (党组织)."""

    scope_field = "branch__code"

    person = models.OneToOneField(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="party_membership"
    )
    branch = models.ForeignKey(
        Division, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="party_members"
    )
    joined_on = models.DateField(_("入党日期"))

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["branch_id", "person_id"]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        if self.branch_id and level_for_code(self.branch_id) != Level.VILLAGE:
            raise ValidationError({"branch": _("党员组织关系在村（社区）党组织。")})
        if self.joined_on and self.person_id and self.person.age_on(self.joined_on) < MIN_PARTY_JOINING_AGE:
            raise ValidationError({"joined_on": _("入党时应年满十八岁。")})
