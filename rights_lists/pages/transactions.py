"""Pages of collective asset transactions (集体资产交易): the register, the town's review queue, a
transaction's page with its bidders and their eligibility on the bidding date, the town's review
form (which shows, before anything is submitted, each barred bidder's reason and the day they are
free, and every other reason services.transactions.approval_refusals would refuse an
approval with), the conclusion form (the winning bid and the contract), filing a transaction
(divisions/<code>/asset-transactions/new/) and adding its files (asset-transactions/<pk>/files/new/).
Every rule is rights_lists.services.transactions'; the pages call it and show its refusals as
field errors (pages.base.on_form_fields)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from governance.access.querysets import holds_anywhere
from governance.clock import today
from governance.pages.actions import ServiceFormView
from governance.pages.files import private_file_url
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin
from governance.uploads import UploadLimitMixin
from rights_lists.choices import DECIDING_LEVELS, TransactionState
from rights_lists.filters import AssetTransactionFilterSet
from rights_lists.forms.transactions import ConcludeForm, ReviewForm, TransactionFilesForm, TransactionFilingForm
from rights_lists.models import AssetTransaction
from rights_lists.pages.base import on_form_fields, yuan
from rights_lists.querysets import filing_divisions
from rights_lists.services import transactions
from villages.models import Division

RELATED = ("division__parent", "item__list", "decision", "negative_item", "filed_by", "reviewed_by", "winning_bidder")
STATE_BADGES = {
    TransactionState.FILED: "text-bg-primary",
    TransactionState.APPROVED: "text-bg-success",
    TransactionState.REJECTED: "text-bg-danger",
    TransactionState.CONCLUDED: "text-bg-secondary",
    TransactionState.WITHDRAWN: "text-bg-warning",
}


def transaction_url(pk: int) -> str:
    return reverse("rights_lists:transaction", args=[pk])


def annotate_rows(rows) -> list[AssetTransaction]:
    rows = list(rows)
    for row in rows:
        row.badge = STATE_BADGES[row.state]
        row.reserve_yuan = yuan(row.reserve_price_fen)
        row.bidder_count = len(row.bidders.all())
    return rows


def tabs(user) -> dict:
    return {"reviewer": holds_anywhere(user, "rights_lists.review_assettransaction")}


class TransactionListView(ScopedFilterListView):
    """集体资产交易: the transactions in the visitor's jurisdiction, latest bidding date first."""

    model = AssetTransaction
    filterset_class = AssetTransactionFilterSet
    shown_filters = ("state", "division")
    template_name = "rights_lists/transaction_list.html"

    def get_queryset(self):
        return super().get_queryset().for_register().order_by("-bidding_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_rows(context["object_list"])
        context.update(tabs(self.request.user))
        context["filing_divisions"] = filing_divisions(self.request.user, self.request.GET.get("division", ""))
        return context


class TransactionReviewQueueView(LoginRequiredMixin, ListView):
    """交易审核: the filed transactions the visitor reviews (not their own), earliest bidding first."""

    template_name = "rights_lists/transaction_queue.html"
    paginate_by = 50

    def get_queryset(self):
        awaiting = AssetTransaction.objects.awaiting_review_by(self.request.user)
        return awaiting.for_register().order_by("bidding_on", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_rows(context["object_list"])
        context.update(tabs(self.request.user))
        return context


def bidder_rows(asset_transaction: AssetTransaction) -> list[dict]:
    """Each bidder with its eligibility: as recorded at the review, or, while the transaction
    awaits it, as the eligibility service answers now for the bidding date (one query)."""
    bidders = list(asset_transaction.bidders.all())
    if asset_transaction.state == TransactionState.FILED:
        checks = transactions.check_bidders(asset_transaction, bidders)
        return [
            {
                "bidder": check.bidder,
                "bid": yuan(check.bidder.bid_fen),
                "eligible": check.eligible,
                "refusal": check.refusal,
                "eligible_from": check.eligible_from,
                "live": True,
            }
            for check in checks
        ]
    return [
        {
            "bidder": bidder,
            "bid": yuan(bidder.bid_fen),
            "eligible": bidder.eligible,
            "refusal": bidder.refusal,
            "eligible_from": bidder.eligible_from,
            "live": False,
        }
        for bidder in bidders
    ]


class TransactionDetailView(ScopedQuerysetMixin, DetailView):
    """A transaction: what is transacted, its review and conclusion, its bidders and files."""

    model = AssetTransaction
    template_name = "rights_lists/transaction_detail.html"
    context_object_name = "asset_transaction"

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED).with_bidders().with_files()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row, user = self.object, self.request.user
        context.update(
            {
                "bidder_rows": bidder_rows(row),
                "badge": STATE_BADGES[row.state],
                "reserve": yuan(row.reserve_price_fen),
                "winning_bid": yuan(row.winning_bid_fen),
                "may_review": transactions.may_review(user, row),
                "may_conclude": transactions.may_conclude(user, row),
                "may_add_files": transactions.may_add_files(user, row),
                "files": [{"file": file, "url": private_file_url(file)} for file in row.files.all()],
                **tabs(user),
            }
        )
        return context


class TransactionStepView(ServiceFormView):
    queryset = AssetTransaction.objects.select_related(*RELATED).with_bidders()
    template_name = "rights_lists/transaction_form.html"

    def success_url_for(self, result) -> str:
        return transaction_url(self.object.pk)

    aliases: dict[str, str] = {}

    def call(self, form, service, **arguments):
        """Call the service, its refusals on the form's fields or form-wide."""
        try:
            return service(self.object, acting_user=self.request.user, **arguments)
        except ValidationError as error:
            raise on_form_fields(error, form, self.aliases) from None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "asset_transaction": self.object}


class TransactionReviewView(TransactionStepView):
    """镇级审核 of a filed transaction: 404 once reviewed, 403 for its filer or who may not review."""

    form_class = ReviewForm
    heading = gettext_lazy("镇级审核")
    success_message = gettext_lazy("已登记审核结果。")

    def check_step(self, user, row) -> None:
        if row.state != TransactionState.FILED:
            raise Http404
        if not transactions.may_review(user, row):
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "asset_transaction": self.object}

    def get_initial(self):
        # The negative-list item the transaction is found to touch (the first, as the warning
        # names it) is preselected: the field never says "未触及" under a warning that it is hit.
        hits = transactions.matched_negative_items(self.object)
        return {"reviewed_on": today(), "negative_item": hits[0] if hits else None}

    def bidder_checks(self) -> list[transactions.BidderCheck]:
        if not hasattr(self, "_rows"):
            self._rows = bidder_rows(self.object)
        return [
            transactions.BidderCheck(row["bidder"], row["eligible"], row["eligible_from"], row["refusal"])
            for row in self._rows
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checks = self.bidder_checks()
        refusals = transactions.approval_refusals(self.object, checks=checks)
        # A barred bidder's reason is said once, in the list of bidders; what cannot be approved
        # names the bidder and refers to it. Once the form is sent, its own errors say what was refused.
        refusals["bidders"] = barred_notes(checks)
        shown = [] if context["form"].is_bound else [message for messages in refusals.values() for message in messages]
        context.update(bidder_rows=self._rows, refusals=shown)
        return context

    def perform(self, form):
        try:
            return transactions.review_transaction(self.object, acting_user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "bidders" in error.error_dict:
                error.error_dict["bidders"] = [ValidationError(note) for note in barred_notes(self.bidder_checks())]
            raise on_form_fields(error, form, self.aliases) from None


def barred_notes(checks) -> list[str]:
    """Each barred bidder named, with the day they are free, referring to their reason in the list
    of bidders (the review form says the reason there only)."""
    return [
        _("竞投人%(name)s在竞投日不具备竞投资格，%(free)s起可参与竞投（原因见“竞投人资格”）。")
        % {"name": check.bidder.person.name, "free": check.eligible_from.isoformat()}
        for check in checks
        if check.eligible is False
    ]


class TransactionConcludeView(TransactionStepView):
    """登记成交 of an approved transaction: the winning bid and the contract."""

    form_class = ConcludeForm
    aliases = {"winning_bid_fen": "winning_bid"}
    heading = gettext_lazy("登记成交")
    success_message = gettext_lazy("已登记成交结果。")

    def check_step(self, user, row) -> None:
        if row.state != TransactionState.APPROVED:
            raise Http404
        if not transactions.may_conclude(user, row):
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "asset_transaction": self.object}

    def get_initial(self):
        return {"contract_signed_on": today()}

    def perform(self, form):
        return self.call(form, transactions.conclude_transaction, **form.service_arguments())


# --- filing a transaction and adding its files ---------------------------------------------------


class TransactionFileView(LoginRequiredMixin, FormView):
    """登记集体资产交易 for a village or cooperative (divisions/<code>/asset-transactions/new/): 404
    outside the visitor's jurisdiction or for another level of division, 403 without the right."""

    form_class = TransactionFilingForm
    template_name = "rights_lists/transaction_new.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.division = get_object_or_404(
                Division.objects.restrict(request.user, "view")
                .filter(level__in=DECIDING_LEVELS)
                .select_related("parent"),
                code=self.kwargs["code"],
            )
            if not transactions.may_file(request.user, self.division.code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "division": self.division, "user": self.request.user}

    def form_valid(self, form):
        try:
            filed = transactions.file_transaction(
                acting_user=self.request.user, division=self.division, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, on_form_fields(error, form, {"reserve_price_fen": "reserve_price"}))
            return self.form_invalid(form)
        messages.success(self.request, _("已登记集体资产交易，待镇（街道）审核。"))
        return HttpResponseRedirect(transaction_url(filed.pk))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.division, "heading": _("登记集体资产交易")}


class TransactionFilesView(UploadLimitMixin, TransactionStepView):
    """上传交易文件 (asset-transactions/<pk>/files/new/): for who may view the transaction and add
    its files (404 outside the jurisdiction, 403 for a viewer without the right)."""

    queryset = AssetTransaction.objects.select_related(*RELATED)
    form_class = TransactionFilesForm
    template_name = "rights_lists/transaction_file_form.html"
    heading = gettext_lazy("上传交易文件")
    success_message = gettext_lazy("已上传交易文件。")

    def check_step(self, user, row) -> None:
        if not transactions.may_add_files(user, row):
            raise PermissionDenied

    def perform(self, form):
        return self.call(form, transactions.add_files, files=form.chosen_files())
