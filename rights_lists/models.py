"""Matters-power lists (事权清单) and the decisions taken on their items (四议两公开).

A list belongs to an owner division: a district's list is a template, which its towns' villages
adopt (Adoption: one row per village, written for a whole town at once) and extend with lists of
their own. Lists are versioned: a new version copies the items of the one before, and a decision
keeps the item, and so the version, it was made under. The items in force for a division are
those of its own published lists valid that day and of the templates it adopted
(ListItemQuerySet.in_force_for).

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
from rights_lists.choices import (  # noqa: F401
    ADMITTING_LISTS,
    DEFAULT_MEETING_RULES,
    DISTRICT_CODE_LENGTH,
    FINAL_STATES,
    PROCEDURE_STEPS,
    REFUSING_LIST,
    WITHDRAWABLE_STATES,
    AdmissionOutcome,
    Body,
    DecisionState,
    ListKind,
    ListStatus,
    MajorityBase,
    Procedure,
    PublicationKind,
    Step,
    TransactionKind,
    TransactionState,
)
from rights_lists.querysets import (
    AssetTransactionQuerySet,
    DecisionQuerySet,
    ListItemQuerySet,
    RightsListQuerySet,
)


@track_history
class RightsList(ScopedModel):
    """One version of a list of a division: a district's template, or a town's or village's own."""

    scope_field = "owner__code"

    owner = models.ForeignKey(
        "villages.Division", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="rights_lists"
    )
    kind = models.CharField(_("清单类别"), max_length=32, choices=ListKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    status = models.CharField(_("状态"), max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    valid_from = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RightsListQuerySet.as_manager()

    class Meta:
        verbose_name = _("事权清单")
        verbose_name_plural = _("事权清单")
        ordering = ["owner_id", "kind", "version"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "version"], name="rights_list_unique_version"),
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=Q(status="published"),
                name="rights_list_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=False, valid_until__gte=F("valid_from")),
                name="rights_list_valid_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(valid_from__isnull=False),
                name="rights_list_published_has_start",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="rights_list_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · v{self.version}"

    @property
    def is_template(self) -> bool:
        """A district's list: the template its villages adopt."""
        return len(self.owner_id or "") == DISTRICT_CODE_LENGTH

    @property
    def is_editable(self) -> bool:
        return self.status == ListStatus.DRAFT


@track_history
class ListItem(ScopedModel):
    """A numbered item of a list version: the matter, its basis, who is responsible, the procedure
    it is decided by, and what raises that procedure to the full one."""

    scope_field = "list__owner__code"

    list = models.ForeignKey(RightsList, verbose_name=_("清单"), on_delete=models.PROTECT, related_name="items")
    number = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    basis = models.TextField(_("法律政策依据"), blank=True)
    responsible_body = models.CharField(_("责任主体"), max_length=100, blank=True)
    procedure = models.CharField(_("决策程序"), max_length=20, choices=Procedure.choices)
    full_procedure_above_fen = models.PositiveBigIntegerField(
        _("适用四议两公开的金额标准（分）"),
        null=True,
        blank=True,
        help_text=_("决策涉及金额超过此数时，须按“四议两公开”程序决策。"),
    )
    publicity_days = models.PositiveSmallIntegerField(_("公示期（天）"), default=0)

    objects = ListItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["list_id", "id"]
        constraints = [models.UniqueConstraint(fields=["list", "number"], name="list_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def procedure_for(self, amount_fen: int | None) -> str:
        """The procedure a decision of this amount follows: the full one above the threshold."""
        threshold = self.full_procedure_above_fen
        if threshold is not None and amount_fen is not None and amount_fen > threshold:
            return Procedure.FOUR_DELIBERATIONS
        return self.procedure


@track_history
class Adoption(ScopedModel):
    """A village (or town) adopts a district template: the template's items are in force there.
    When a new version of the template is published, its adoptions move to it (services)."""

    template = models.ForeignKey(
        RightsList, verbose_name=_("清单模板"), on_delete=models.PROTECT, related_name="adoptions"
    )
    division = models.ForeignKey(
        "villages.Division", verbose_name=_("采用单位"), on_delete=models.PROTECT, related_name="adopted_lists"
    )
    adopted_on = models.DateField(_("采用日期"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("清单采用")
        verbose_name_plural = _("清单采用")
        ordering = ["division_id", "template_id"]
        constraints = [models.UniqueConstraint(fields=["template", "division"], name="adoption_once_per_division")]

    def __str__(self) -> str:
        return f"{self.division_id} · {self.template_id}"


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
        indexes = [models.Index(fields=["division", "state"], name="decision_division_state")]
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


@track_history
class AdmissionRequest(ScopedModel):
    """A department's or town's request that a village take on a matter (村级事项准入), judged
    against the village's three lists: `item` is the list item the matter was found on (null when
    on none), `list_kind` that item's list kind when judged. An exception is granted by a town
    official who did not file the request, with a reason (four eyes, a database constraint)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="admission_requests"
    )
    requester = models.CharField(_("提出单位"), max_length=100, help_text=_("如：区民政局、狮山镇综治办"))
    matter = models.CharField(_("事项"), max_length=200)
    requested_on = models.DateField(_("提出日期"))
    item = models.ForeignKey(
        ListItem,
        verbose_name=_("对应清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission_requests",
    )
    list_kind = models.CharField(_("所在清单"), max_length=32, choices=ListKind.choices, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=AdmissionOutcome.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    exception_reason = models.TextField(_("例外准入理由"), blank=True)
    excepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准例外人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    excepted_on = models.DateField(_("例外准入日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("村级事项准入申请")
        verbose_name_plural = _("村级事项准入申请")
        ordering = ["division_id", "-requested_on", "-id"]
        indexes = [models.Index(fields=["division", "outcome"], name="admission_division_outcome")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="excepted")
                | (Q(excepted_by__isnull=False, excepted_on__isnull=False) & ~Q(exception_reason="")),
                name="admission_exception_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(excepted_by__isnull=True) | ~Q(excepted_by=F("filed_by")),
                name="admission_exception_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} · {self.matter}"


@track_history
class AssetTransaction(ScopedModel):
    """A lease, sale or bidding of a collective asset (集体资产交易) filed by a village or
    cooperative and reviewed by its town (镇级审核): checked against the town's negative list of
    projects (`negative_item`, the item it was found to hit), resting on an adopted `decision` where
    its `item` requires one, every bidder checked through the covenant eligibility service on
    `bidding_on`. The filer never reviews (a database constraint)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("交易单位"), on_delete=models.PROTECT, related_name="asset_transactions"
    )
    asset = models.CharField(_("资产名称"), max_length=200)
    kind = models.CharField(_("交易方式"), max_length=16, choices=TransactionKind.choices)
    purpose = models.CharField(_("用途（拟建项目）"), max_length=200, blank=True)
    term_months = models.PositiveIntegerField(_("期限（月）"), null=True, blank=True)
    reserve_price_fen = models.PositiveBigIntegerField(_("底价（分）"))
    bidding_on = models.DateField(_("竞投日期"))
    item = models.ForeignKey(
        ListItem,
        verbose_name=_("清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset_transactions",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("决策依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset_transactions",
    )
    state = models.CharField(_("状态"), max_length=16, choices=TransactionState.choices, default=TransactionState.FILED)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    negative_item = models.ForeignKey(
        ListItem,
        verbose_name=_("触及的负面清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    winning_bidder = models.ForeignKey(
        "Bidder", verbose_name=_("中标人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    winning_bid_fen = models.PositiveBigIntegerField(_("成交价（分）"), null=True, blank=True)
    contract_number = models.CharField(_("合同编号"), max_length=64, blank=True)
    contract_signed_on = models.DateField(_("合同签订日期"), null=True, blank=True)

    objects = AssetTransactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("集体资产交易")
        verbose_name_plural = _("集体资产交易")
        ordering = ["division_id", "-bidding_on", "-id"]
        permissions = [("review_assettransaction", _("可审核集体资产交易"))]
        indexes = [models.Index(fields=["division", "state"], name="transaction_division_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("filed_by")),
                name="transaction_review_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(state="concluded")
                | Q(winning_bidder__isnull=False, winning_bid_fen__isnull=False, contract_signed_on__isnull=False),
                name="transaction_concluded_with_winner_and_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} · {self.get_kind_display()}"


@track_history
class Bidder(ScopedModel):
    """A bidder in an asset transaction, a registered person, checked through the covenant
    eligibility service (asset_bidding) on the bidding date when the transaction is reviewed:
    `eligible`, and where barred the reasons and the first day they are free, are kept as checked."""

    scope_field = "transaction__division__code"

    transaction = models.ForeignKey(
        AssetTransaction, verbose_name=_("集体资产交易"), on_delete=models.PROTECT, related_name="bidders"
    )
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("竞投人"), on_delete=models.PROTECT, related_name="asset_bids"
    )
    bid_fen = models.PositiveBigIntegerField(_("报价（分）"), null=True, blank=True)
    checked_on = models.DateField(_("资格审查日期"), null=True, blank=True)
    eligible = models.BooleanField(_("具备竞投资格"), null=True)
    refusal = models.TextField(_("不具备资格的理由"), blank=True)
    eligible_from = models.DateField(_("可参与竞投的日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("竞投人")
        verbose_name_plural = _("竞投人")
        ordering = ["transaction_id", "id"]
        constraints = [models.UniqueConstraint(fields=["transaction", "person"], name="bidder_once_per_transaction")]

    def __str__(self) -> str:
        return f"{self.transaction} · {self.person_id}"


@track_history
class AssetTransactionFile(PrivateFile):
    """A document of an asset transaction (the contract, the bidding record): stored privately."""

    scope_field = "transaction__division__code"

    transaction = models.ForeignKey(
        AssetTransaction, verbose_name=_("集体资产交易"), on_delete=models.PROTECT, related_name="files"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("交易文件")
        verbose_name_plural = _("交易文件")
