"""Decisions taken on list items (四议两公开), with their meetings, publications, implementation
and attachments.

A decision is opened in a village or cooperative on an item and follows the item's procedure
(choices.PROCEDURE_STEPS) as a state machine, step by step, under the meeting rules of
choices.DEFAULT_MEETING_RULES (or a district's QuorumRule); rights_lists.services enforces them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.files import PrivateFile
from rights_lists.choices import FINAL_STATES, PROCEDURE_STEPS, Body, DecisionState, Procedure, PublicationKind, Step
from rights_lists.models.lists import ListItem
from rights_lists.querysets import DecisionQuerySet


@track_history
class Decision(ScopedModel):
    """A decision of a village or cooperative on a list item, through the item's procedure (or the
    full one when its amount exceeds the item's threshold). Withdrawn with a reason, never deleted."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("决策单位"), on_delete=models.PROTECT, related_name="decisions"
    )
    item = models.ForeignKey(ListItem, verbose_name=_("清单事项"), on_delete=models.PROTECT, related_name="decisions")
    title = models.CharField(_("决策事项"), max_length=200)
    amount_fen = models.PositiveBigIntegerField(_("涉及金额（分）"), null=True, blank=True)
    procedure = models.CharField(_("决策程序"), max_length=20, choices=Procedure.choices)
    state = models.CharField(_("状态"), max_length=24, choices=DecisionState.choices, default=DecisionState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("决策")
        verbose_name_plural = _("决策")
        ordering = ["division_id", "-opened_at", "-id"]
        permissions = [("review_decision", _("可作镇级审核"))]
        indexes = [
            models.Index(fields=["division", "state"], name="decision_division_state"),
            # The decisions list (the API's, in this ordering: by division, newest first) is the
            # scope's code range walked in its order: a page reads its entries and stops, its keys
            # from the index alone, instead of sorting every decision of a town or a district.
            models.Index(fields=["division", "-opened_at", "-id"], name="decision_division_opened"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | (Q(withdrawn_on__isnull=False) & ~Q(withdrawal_reason="")),
                name="decision_withdrawn_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def steps_required(self) -> tuple[str, ...]:
        return tuple(step for step, _bodies in PROCEDURE_STEPS[self.procedure])

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


@track_history
class DecisionStep(ScopedModel):
    """One meeting of a decision's procedure: when, who was expected and present, the votes.

    `expected_from_records` is what the portal's own records gave (party members of the village,
    current villager representatives, adult villagers), null where it has none;
    `expected_differs` flags a given figure that differs from it (kept, shown on the timeline).
    `adopted` is False for a meeting that sat but lacked the majority: the decision is then not
    adopted. A meeting without its quorum is never recorded (the service refuses it)."""

    scope_field = "decision__division__code"

    decision = models.ForeignKey(Decision, verbose_name=_("决策"), on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("步骤"), max_length=16, choices=Step.choices)
    body = models.CharField(_("会议"), max_length=32, choices=Body.choices)
    held_on = models.DateField(_("召开日期"))
    expected = models.PositiveIntegerField(_("应到人数"))
    present = models.PositiveIntegerField(_("实到人数"))
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    abstentions = models.PositiveIntegerField(_("弃权"), default=0)
    households = models.PositiveIntegerField(_("应到户数"), null=True, blank=True)
    households_present = models.PositiveIntegerField(_("到会户代表数"), null=True, blank=True)
    expected_from_records = models.PositiveIntegerField(_("系统记录的应到人数"), null=True, blank=True)
    expected_differs = models.BooleanField(_("应到人数与系统记录不符"), default=False)
    adopted = models.BooleanField(_("通过"))
    rule_source = models.CharField(_("适用规则"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决策步骤")
        verbose_name_plural = _("决策步骤")
        ordering = ["decision_id", "held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "step"], name="decision_step_once"),
            models.CheckConstraint(condition=Q(present__lte=F("expected")), name="decision_step_present_le_expected"),
            models.CheckConstraint(
                condition=Q(votes_for__lte=F("present") - F("votes_against") - F("abstentions")),
                name="decision_step_votes_le_present",
            ),
            models.CheckConstraint(
                condition=Q(households_present__isnull=True)
                | Q(households__isnull=False, households_present__lte=F("households")),
                name="decision_step_households_present_le_households",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_step_display()}"


@track_history
class Publication(ScopedModel):
    """A publication of a decision (两公开): its resolution, then its outcome."""

    scope_field = "decision__division__code"

    decision = models.ForeignKey(
        Decision, verbose_name=_("决策"), on_delete=models.PROTECT, related_name="publications"
    )
    kind = models.CharField(_("公开类别"), max_length=16, choices=PublicationKind.choices)
    published_on = models.DateField(_("公开日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决策公开")
        verbose_name_plural = _("决策公开")
        ordering = ["decision_id", "published_on", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="publication_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_kind_display()}"


@track_history
class Implementation(ScopedModel):
    """How and when an adopted, published decision was carried out."""

    scope_field = "decision__division__code"

    decision = models.OneToOneField(
        Decision, verbose_name=_("决策"), on_delete=models.PROTECT, related_name="implementation"
    )
    done_on = models.DateField(_("实施完成日期"))
    summary = models.TextField(_("实施情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决策实施")
        verbose_name_plural = _("决策实施")
        ordering = ["decision_id"]

    def __str__(self) -> str:
        return f"{self.decision} · {self.done_on}"


@track_history
class DecisionAttachment(PrivateFile):
    """Minutes of a meeting or another attachment of a decision (scans, photos, PDFs): stored
    privately, downloadable only by those who may view the decision."""

    scope_field = "decision__division__code"

    decision = models.ForeignKey(Decision, verbose_name=_("决策"), on_delete=models.PROTECT, related_name="attachments")
    step = models.ForeignKey(
        DecisionStep,
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        help_text=_("会议记录所属的会议；不属于某次会议的附件留空"),
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("决策附件")
        verbose_name_plural = _("决策附件")
