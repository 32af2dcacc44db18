"""Membership of a cooperative's collective economic organisation (集体经济组织成员)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history_per_statement
from governance.base_models import ScopedModel
from villages.choices import Level
from villages.codes import level_for_code
from villages.models.divisions import Division
from villages.models.people import Person


@track_history_per_statement
class Membership(ScopedModel):
    """Membership of a cooperative's collective economic organisation (股东/成员), with shares."""

    scope_field = "cooperative__code"

    person = models.ForeignKey(Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="memberships")
    cooperative = models.ForeignKey(
        Division, verbose_name=_("经济社"), on_delete=models.PROTECT, related_name="memberships"
    )
    shares = models.DecimalField(
        _("股份"),
        max_digits=10,
        decimal_places=2,
        default=1,
        # The same as membership_shares_not_negative, but said on the field (the check
        # constraint alone would come back as a form-wide "constraint violated").
        validators=[MinValueValidator(0, _("股份不能为负数。"))],
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("集体经济组织成员")
        verbose_name_plural = _("集体经济组织成员")
        ordering = ["cooperative_id", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cooperative"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_cooperative",
            ),
            models.CheckConstraint(condition=Q(shares__gte=0), name="membership_shares_not_negative"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="membership_left_after_joined"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.cooperative_id}"

    def clean(self) -> None:
        if self.cooperative_id and level_for_code(self.cooperative_id) != Level.COOPERATIVE:
            raise ValidationError({"cooperative": _("成员资格只能属于经济社。")})
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("退出日期不能早于加入日期。")})
        if self.repeats_a_current_membership():
            raise ValidationError({"cooperative": _("此人已是该经济社的现任成员。")})

    def repeats_a_current_membership(self) -> bool:
        """Whether this (current) membership duplicates one the person holds in the same
        cooperative; the partial unique index membership_one_current_per_cooperative says the
        same at the write, this says it first, as a field error."""
        if self.left_on is not None or not (self.person_id and self.cooperative_id):
            return False
        return (
            Membership.objects.filter(
                person_id=self.person_id, cooperative_id=self.cooperative_id, left_on__isnull=True
            )
            .exclude(pk=self.pk)
            .exists()
        )
