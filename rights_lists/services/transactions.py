"""Collective asset transactions (集体资产交易): a lease, sale or bidding of a collective asset, filed by
a village or cooperative, reviewed by its town (镇级审核), then concluded (DESIGN.md section 2).

    filed ──review: approve──▶ approved ──conclude (winning bid, contract)──▶ concluded
    filed ──review: reject (with a comment)──▶ rejected

One function per action, atomic, with the acting user (services/__init__.py). The town's review
(review_assettransaction, never by the transaction's filer: four eyes, also a database
constraint) approves only when none of these refuses it (`approval_refusals`, the one place of the
checks, which the review page shows before anything is submitted):

- the town's negative list of projects (镇域项目负面清单, ListKind.TOWN_NEGATIVE_PROJECTS, the
  town's own list in force on the bidding date): the transaction hits an item when the reviewer
  names it, or when the item's title occurs in the transaction's purpose or asset (spaces aside):
  the service matches what it can, the reviewer names what only a reading shows (our reading of
  "checked against the negative list": both, and either refuses);
- the decision: a transaction on an item of a decided list (every kind but the three lists and
  the negative list of projects: DECIDED_ITEM_KINDS) rests on a decision adopted on that item in
  the transaction's division (ADOPTED_STATES): the one the filer named, or else one found;
- the bidders: each is checked for asset bidding on the bidding date through
  governance.eligibility (covenants' sanctions answer there; this app never imports their
  rules), all of them in one query; a barred bidder's reasons and the first day they are free
  are stored on Bidder (whatever the review's outcome: the check is recorded before the approval
  is judged) and named in the refusal.

A rejection needs a comment; the negative item it rests on is kept (named or matched).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from covenants.choices import EligibilityAction
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.clock import today
from governance.eligibility import eligibility_of
from governance.guards import is_own_record, not_in_the_future, require_another_user
from governance.uploads import accept_uploads, attach_files
from rights_lists.choices import (
    ADOPTED_STATES,
    DECIDING_CODE_LENGTHS,
    THREE_LISTS,
    ListKind,
    TransactionKind,
    TransactionState,
)
from rights_lists.models import AssetTransaction, AssetTransactionFile, Bidder, Decision, ListItem
from rights_lists.services.actions import RightsListsAction

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files import File

    from governance.uploads import AcceptedFile
    from villages.models import Division, Person

# The kinds of list whose items are decided by a procedure (四议两公开 and the others): a
# transaction on such an item rests on a decision adopted on it. The three lists say what a
# village takes on, the town's negative list what it may not do: neither is decided.
DECIDED_ITEM_KINDS = tuple(kind for kind in ListKind if kind not in (*THREE_LISTS, ListKind.TOWN_NEGATIVE_PROJECTS))
# A lease is for a term (租赁期限); a sale or a bidding may name none.
TERM_REQUIRED_KINDS = (TransactionKind.LEASE,)


@dataclass(frozen=True)
class BidderCheck:
    """What the eligibility service said of one bidder on the bidding date."""

    bidder: Bidder
    eligible: bool
    eligible_from: datetime.date | None
    refusal: str


# --- what the pages ask before they offer a step -------------------------------------------------


def may_file(user, code: str) -> bool:
    return holds_in(user, "rights_lists.add_assettransaction", code)


def may_review(user, asset_transaction: AssetTransaction) -> bool:
    """A filed transaction, a reviewer where it lies, not its filer (four eyes)."""
    return (
        asset_transaction.state == TransactionState.FILED
        and not is_own_record(asset_transaction.filed_by_id, user)
        and holds_in(user, "rights_lists.review_assettransaction", asset_transaction.division_id)
    )


def may_conclude(user, asset_transaction: AssetTransaction) -> bool:
    return asset_transaction.state == TransactionState.APPROVED and holds_in(
        user, "rights_lists.change_assettransaction", asset_transaction.division_id
    )


def may_add_files(user, asset_transaction: AssetTransaction) -> bool:
    return holds_in(user, "rights_lists.add_assettransactionfile", asset_transaction.division_id)


# --- the checks ----------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return "".join(text.split())


def matched_negative_items(asset_transaction: AssetTransaction) -> list[ListItem]:
    """The items of the town's negative list whose title occurs in the purpose or the asset."""
    text = _normalised(f"{asset_transaction.purpose} {asset_transaction.asset}")
    return [
        item
        for item in ListItem.objects.town_negative_projects(asset_transaction.division_id, asset_transaction.bidding_on)
        if _normalised(item.title) and _normalised(item.title) in text
    ]


def requires_decision(item: ListItem | None) -> bool:
    return item is not None and item.list.kind in DECIDED_ITEM_KINDS


def adopted_decision_for(asset_transaction: AssetTransaction) -> Decision | None:
    """The decision the transaction rests on: the one named when adopted, else one adopted on its
    item in its division (the earliest opened)."""
    if asset_transaction.decision_id is not None:
        decision = asset_transaction.decision
        return decision if decision.state in ADOPTED_STATES else None
    if asset_transaction.item_id is None:
        return None
    return (
        Decision.objects.adopted()
        .filter(division_id=asset_transaction.division_id, item_id=asset_transaction.item_id)
        .order_by("opened_at", "id")
        .first()
    )


def check_bidders(asset_transaction: AssetTransaction, bidders: Sequence[Bidder] | None = None) -> list[BidderCheck]:
    """Each bidder's eligibility for asset bidding on the bidding date: one query for all of them
    (governance.eligibility), and one for the bidders when they are not given."""
    if bidders is None:
        bidders = list(asset_transaction.bidders.select_related("person").order_by("id"))
    answers = eligibility_of(
        [bidder.person_id for bidder in bidders], EligibilityAction.ASSET_BIDDING, asset_transaction.bidding_on
    )
    return [
        BidderCheck(
            bidder,
            answers[bidder.person_id].eligible,
            answers[bidder.person_id].eligible_from,
            "；".join(answers[bidder.person_id].reasons),
        )
        for bidder in bidders
    ]


def barred_message(check: BidderCheck) -> str:
    return _("竞投人%(name)s在竞投日不具备竞投资格：%(reasons)s。%(free)s起可参与竞投。") % {
        "name": check.bidder.person.name,
        "reasons": check.refusal,
        "free": check.eligible_from.isoformat(),
    }


def approval_refusals(
    asset_transaction: AssetTransaction,
    *,
    negative_item: ListItem | None = None,
    checks: list[BidderCheck] | None = None,
) -> dict[str, list[str]]:
    """Why the town may not approve the transaction, per field (empty: it may). Saves nothing."""
    errors: dict[str, list[str]] = {}
    hits = [negative_item] if negative_item is not None else []
    hits += [item for item in matched_negative_items(asset_transaction) if item not in hits]
    if hits:
        errors["negative_item"] = [
            _("该交易触及镇域项目负面清单第%(number)s项“%(title)s”，不能审核通过。")
            % {"number": item.number, "title": item.title}
            for item in hits
        ]
    if requires_decision(asset_transaction.item) and adopted_decision_for(asset_transaction) is None:
        errors["decision"] = [
            _("清单事项“%(item)s”须经决策，本单位尚无就该事项通过的决策，不能审核通过。")
            % {"item": asset_transaction.item.title}
        ]
    if checks is None:
        checks = check_bidders(asset_transaction)
    barred = [barred_message(check) for check in checks if not check.eligible]
    if barred:
        errors["bidders"] = barred
    return errors


# --- the actions ---------------------------------------------------------------------------------


def file_transaction(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    asset: str,
    kind: str,
    reserve_price_fen: int,
    bidding_on: datetime.date,
    bidders: Sequence[tuple[Person, int | None]],
    purpose: str = "",
    term_months: int | None = None,
    item: ListItem | None = None,
    decision: Decision | None = None,
) -> AssetTransaction:
    """File a transaction of a village or cooperative with its bidders (people, with their bids),
    for the town's review."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.FILE_TRANSACTION):
        if not may_file(acting_user, division.code):
            raise PermissionDenied(_("您无权为该单位登记集体资产交易。"))
        if len(division.code) not in DECIDING_CODE_LENGTHS:
            raise ValidationError({"division": _("集体资产交易由村（社区）或经济社登记。")})
        if kind not in TransactionKind.values:
            raise ValidationError({"kind": _("交易方式只能是租赁、出售或竞投。")})
        if kind in TERM_REQUIRED_KINDS and not term_months:
            raise ValidationError({"term_months": _("租赁须填写期限（月）。")})
        if not reserve_price_fen or reserve_price_fen <= 0:
            raise ValidationError({"reserve_price_fen": _("底价须大于零。")})
        if decision is not None:
            if decision.division_id != division.code:
                raise ValidationError({"decision": _("所选决策不是本单位的决策。")})
            if item is not None and decision.item_id != item.pk:
                raise ValidationError({"decision": _("所选决策不是就该清单事项作出的。")})
            item = item or decision.item
        if (
            item is not None
            and not ListItem.objects.in_force_for(division.code, bidding_on).filter(pk=item.pk).exists()
        ):
            raise ValidationError({"item": _("所选事项在竞投日不是本单位施行的清单事项。")})
        if not bidders:
            raise ValidationError({"bidders": _("请至少登记一名竞投人。")})
        people = [person.pk for person, _bid in bidders]
        if len(set(people)) != len(people):
            raise ValidationError({"bidders": _("同一人不能重复登记为竞投人。")})
        for _person, bid in bidders:
            if bid is not None and bid < 0:
                raise ValidationError({"bidders": _("报价不能为负数。")})
        asset_transaction = AssetTransaction(
            division=division,
            asset=asset.strip(),
            kind=kind,
            purpose=purpose.strip(),
            term_months=term_months,
            reserve_price_fen=reserve_price_fen,
            bidding_on=bidding_on,
            item=item,
            decision=decision,
            filed_by=acting_user,
        )
        asset_transaction.full_clean()
        asset_transaction.save()
        Bidder.objects.bulk_create(
            Bidder(transaction=asset_transaction, person=person, bid_fen=bid) for person, bid in bidders
        )
        return asset_transaction


def _record_checks(asset_transaction: AssetTransaction, acting_user) -> list[BidderCheck]:
    """Store on each bidder what the eligibility service says on the bidding date (one UPDATE)."""
    with acting_as(acting_user, action=RightsListsAction.CHECK_BIDDERS):
        checks = check_bidders(asset_transaction)
        for check in checks:
            check.bidder.checked_on = asset_transaction.bidding_on
            check.bidder.eligible = check.eligible
            check.bidder.refusal = check.refusal
            check.bidder.eligible_from = check.eligible_from
        Bidder.objects.bulk_update(
            [check.bidder for check in checks], ["checked_on", "eligible", "refusal", "eligible_from"]
        )
    return checks


def _lock_for_review(asset_transaction: AssetTransaction, acting_user) -> AssetTransaction:
    locked = (
        AssetTransaction.objects.select_for_update(of=("self",))
        .select_related("item__list", "decision")
        .get(pk=asset_transaction.pk)
    )
    if not holds_in(acting_user, "rights_lists.review_assettransaction", locked.division_id):
        raise PermissionDenied(_("您无权审核该集体资产交易。"))
    require_another_user(locked.filed_by_id, acting_user)
    if locked.state != TransactionState.FILED:
        raise ValidationError(
            {"approve": _("该交易当前为“%(state)s”，不能再审核。") % {"state": locked.get_state_display()}}
        )
    return locked


def review_transaction(
    asset_transaction: AssetTransaction,
    *,
    acting_user: AbstractBaseUser,
    approve: bool,
    reviewed_on: datetime.date | None = None,
    comment: str = "",
    negative_item: ListItem | None = None,
) -> AssetTransaction:
    """The town's review: approve (refused, with every reason, unless approval_refusals is empty)
    or reject with a comment. The bidders' eligibility is recorded first, and stays recorded when
    the approval is refused."""
    reviewed_on = reviewed_on or today()
    with transaction.atomic():
        locked = _lock_for_review(asset_transaction, acting_user)
        if (
            negative_item is not None
            and not ListItem.objects.town_negative_projects(locked.division_id, locked.bidding_on)
            .filter(pk=negative_item.pk)
            .exists()
        ):
            raise ValidationError({"negative_item": _("所选事项不在本镇竞投日施行的镇域项目负面清单中。")})
        if reviewed_on < locked.filed_at.date():
            raise ValidationError({"reviewed_on": _("审核日期不能早于登记日期。")})
        not_in_the_future("reviewed_on", reviewed_on)
        if not approve and not comment.strip():
            raise ValidationError({"comment": _("审核不通过须填写审核意见。")})
        checks = _record_checks(locked, acting_user)
    refusals = approval_refusals(locked, negative_item=negative_item, checks=checks)
    if approve and refusals:
        raise ValidationError(refusals)
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.REVIEW_TRANSACTION):
        locked = _lock_for_review(asset_transaction, acting_user)
        if approve:
            locked.state = TransactionState.APPROVED
            if requires_decision(locked.item) and locked.decision_id is None:
                locked.decision = adopted_decision_for(locked)
        else:
            locked.state = TransactionState.REJECTED
            matched = matched_negative_items(locked)
            locked.negative_item = negative_item or (matched[0] if matched else None)
        locked.reviewed_by = acting_user
        locked.reviewed_on = reviewed_on
        locked.review_comment = comment.strip()
        locked.save(
            update_fields=["state", "decision", "negative_item", "reviewed_by", "reviewed_on", "review_comment"]
        )
        return locked


def conclude_transaction(
    asset_transaction: AssetTransaction,
    *,
    acting_user: AbstractBaseUser,
    winning_bidder: Bidder | None,
    winning_bid_fen: int,
    contract_number: str,
    contract_signed_on: datetime.date,
) -> AssetTransaction:
    """Record the winning bid and the contract of an approved transaction."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.CONCLUDE_TRANSACTION):
        locked = AssetTransaction.objects.select_for_update().get(pk=asset_transaction.pk)
        if not holds_in(acting_user, "rights_lists.change_assettransaction", locked.division_id):
            raise PermissionDenied(_("您无权登记该交易的成交结果。"))
        if locked.state != TransactionState.APPROVED:
            raise ValidationError(
                {
                    "winning_bidder": _("只有审核通过的交易可以登记成交（当前为“%(state)s”）。")
                    % {"state": locked.get_state_display()}
                }
            )
        # None: the bidder named exists nowhere; answered as one of another transaction, nothing leaks.
        if winning_bidder is None or winning_bidder.transaction_id != locked.pk:
            raise ValidationError({"winning_bidder": _("中标人须是本交易的竞投人。")})
        if winning_bidder.eligible is not True:
            raise ValidationError({"winning_bidder": _("中标人在竞投日不具备竞投资格。")})
        if winning_bid_fen is None or winning_bid_fen < locked.reserve_price_fen:
            raise ValidationError({"winning_bid_fen": _("成交价不能低于底价。")})
        if not contract_number.strip():
            raise ValidationError({"contract_number": _("请填写合同编号。")})
        if contract_signed_on < locked.bidding_on:
            raise ValidationError(
                {"contract_signed_on": _("合同签订日期不能早于竞投日期（%(day)s）。") % {"day": locked.bidding_on}}
            )
        not_in_the_future("contract_signed_on", contract_signed_on)
        locked.state = TransactionState.CONCLUDED
        locked.winning_bidder = winning_bidder
        locked.winning_bid_fen = winning_bid_fen
        locked.contract_number = contract_number.strip()
        locked.contract_signed_on = contract_signed_on
        locked.save(
            update_fields=["state", "winning_bidder", "winning_bid_fen", "contract_number", "contract_signed_on"]
        )
        return locked


def add_files(
    asset_transaction: AssetTransaction, *, acting_user: AbstractBaseUser, files: Sequence[File | AcceptedFile]
) -> list[AssetTransactionFile]:
    """Attach documents (the contract, the bidding record: governance.uploads judges them by
    content) to a transaction, all or none; private, never removed."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.ADD_TRANSACTION_FILES):
        locked = AssetTransaction.objects.select_for_update().get(pk=asset_transaction.pk)
        if not may_add_files(acting_user, locked):
            raise PermissionDenied(_("您无权为该交易添加文件。"))
        accepted = accept_uploads(files, field_name="files")
        if not accepted:
            raise ValidationError({"files": _("请选择要上传的文件。")})
        return attach_files(AssetTransactionFile, record=locked, files=accepted, acting_user=acting_user)
