"""A district's own meeting rules (议事规则), overriding choices.DEFAULT_MEETING_RULES there."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from rights_lists.choices import Body, MajorityBase


@track_history
class QuorumRule(ScopedModel):
    """A district's own rule for one body, overriding choices.DEFAULT_MEETING_RULES there
    ("configurable per district", DESIGN.md section 3). Fractions are integers."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("区（县）"), on_delete=models.PROTECT, related_name="quorum_rules"
    )
    body = models.CharField(_("会议"), max_length=32, choices=Body.choices)
    quorum_numerator = models.PositiveSmallIntegerField(_("到会比例分子"))
    quorum_denominator = models.PositiveSmallIntegerField(_("到会比例分母"))
    quorum_strict = models.BooleanField(_("到会须超过该比例"), help_text=_("勾选为“超过”，不勾选为“不少于”。"))
    majority_numerator = models.PositiveSmallIntegerField(_("通过比例分子"), default=1)
    majority_denominator = models.PositiveSmallIntegerField(_("通过比例分母"), default=2)
    majority_strict = models.BooleanField(_("赞成票须超过该比例"), default=True)
    majority_base = models.CharField(_("通过比例的基数"), max_length=10, choices=MajorityBase.choices)
    source = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("议事规则")
        verbose_name_plural = _("议事规则")
        ordering = ["division_id", "body"]
        constraints = [
            models.UniqueConstraint(fields=["division", "body"], name="quorum_rule_one_per_body"),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0, majority_denominator__gt=0)
                & Q(quorum_numerator__lte=F("quorum_denominator"), majority_numerator__lte=F("majority_denominator")),
                name="quorum_rule_fractions_proper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division_id} · {self.get_body_display()}"
