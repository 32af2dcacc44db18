"""Collective asset transactions (集体资产交易) with their bidders and documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.files import PrivateFile
from rights_lists.choices import TransactionKind, TransactionState
from rights_lists.models.decisions import Decision
from rights_lists.models.lists import ListItem
from rights_lists.querysets import AssetTransactionQuerySet


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
