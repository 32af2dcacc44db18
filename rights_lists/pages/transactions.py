"""Pages of collective asset transactions (集体资产交易): the register, the town's review queue, a
transaction's page with its bidders and their eligibility on the bidding date, the town's review
form (which shows, before anything is submitted, each barred bidder's reason and the day they are
free, and every other reason rights_lists.transactions.approval_refusals would refuse an
approval with), and the conclusion form (the winning bid and the contract). Every rule is
rights_lists.transactions'; the pages call it and show its refusals as field errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from governance.access.querysets import holds_anywhere
from governance.money import yuan_to_fen
from governance.pages.actions import ServiceFormView
from governance.pages.files import private_file_url
from governance.pages.mixins import ScopedFilterListView, ScopedQuerysetMixin
from rights_lists import transactions
from rights_lists.choices import TransactionState
from rights_lists.models import AssetTransaction, AssetTransactionFile, Bidder
from rights_lists.pages.base import RightsListsFormMixin, date_widget, yuan
from villages.filters import division_picker

BIDDERS = Prefetch("bidders", queryset=Bidder.objects.select_related("person").order_by("id"))
RELATED = ("division__parent", "item__list", "decision", "negative_item", "filed_by", "reviewed_by", "winning_bidder")
STATE_BADGES = {
    TransactionState.FILED: "text-bg-primary",
    TransactionState.APPROVED: "text-bg-success",
    TransactionState.REJECTED: "text-bg-danger",
    TransactionState.CONCLUDED: "text-bg-secondary",
    TransactionState.WITHDRAWN: "text-bg-warning",
}


def on_form_fields(error: ValidationError, form, aliases: dict[str, str] | None = None) -> ValidationError:
    """A service's refusal with the fields the form lacks (bidders, decision...) made form-wide;
    `aliases` names the form's field for a service's argument (winning_bid_fen → winning_bid)."""
    if not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list] = {}
    for name, messages in error.error_dict.items():
        name = (aliases or {}).get(name, name)
        errors.setdefault(name if name in form.fields else NON_FIELD_ERRORS, []).extend(messages)
    return ValidationError(errors)


def transaction_url(pk: int) -> str:
    return reverse("rights_lists_assets:transaction", args=[pk])


def transactions_awaiting_review_by(user):
    """Filed transactions where `user` may review them, but not those they filed (four eyes)."""
    return (
        AssetTransaction.objects.restrict(user, "review")
        .filter(state=TransactionState.FILED)
        .exclude(filed_by_id=user.pk)
    )


def annotate_rows(rows) -> list[AssetTransaction]:
    rows = list(rows)
    for row in rows:
        row.badge = STATE_BADGES[row.state]
        row.reserve_yuan = yuan(row.reserve_price_fen)
        row.bidder_count = len(row.bidders.all())
    return rows


def tabs(user) -> dict:
    return {"reviewer": holds_anywhere(user, "rights_lists.review_assettransaction")}


class TransactionFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=TransactionState.choices, label=gettext_lazy("状态"), empty_label=gettext_lazy("全部")
    )
    division = django_filters.CharFilter(
        field_name="division__code",
        lookup_expr="startswith",
        label=gettext_lazy("交易单位（含下级）"),
        widget=division_picker(),
    )

    class Meta:
        model = AssetTransaction
        fields = ["state", "division"]


class TransactionListView(ScopedFilterListView):
    """集体资产交易: the transactions in the visitor's jurisdiction, latest bidding date first."""

    model = AssetTransaction
    filterset_class = TransactionFilterSet
    shown_filters = ("state", "division")
    template_name = "rights_lists/transaction_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("division__parent")
            .prefetch_related("bidders")
            .order_by("-bidding_on", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_rows(context["object_list"])
        context.update(tabs(self.request.user))
        from rights_lists.pages.transaction_forms import filing_divisions

        context["filing_divisions"] = filing_divisions(self.request.user, self.request.GET.get("division", ""))
        return context


class TransactionReviewQueueView(LoginRequiredMixin, ListView):
    """交易审核: the filed transactions the visitor reviews (not their own), earliest bidding first."""

    template_name = "rights_lists/transaction_queue.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            transactions_awaiting_review_by(self.request.user)
            .select_related("division__parent")
            .prefetch_related("bidders")
            .order_by("bidding_on", "id")
        )

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
        files = Prefetch("files", queryset=AssetTransactionFile.objects.order_by("uploaded_at", "id"))
        return super().get_queryset().select_related(*RELATED).prefetch_related(BIDDERS, files)

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
    queryset = AssetTransaction.objects.select_related(*RELATED).prefetch_related(BIDDERS)
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


class ReviewForm(RightsListsFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("审核结果"),
        choices=[("", gettext_lazy("请选择")), ("1", gettext_lazy("审核通过")), ("0", gettext_lazy("审核不通过"))],
        coerce=lambda value: value == "1",
    )
    reviewed_on = forms.DateField(label=gettext_lazy("审核日期"), widget=date_widget())
    negative_item = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("触及的镇域项目负面清单事项"),
        required=False,
        empty_label=gettext_lazy("未触及"),
    )
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("审核不通过须填写。"),
    )

    def __init__(self, *args, asset_transaction, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.fields["negative_item"]
        item.queryset = transactions.town_negative_items(asset_transaction.division_id, asset_transaction.bidding_on)
        item.label_from_instance = lambda row: f"{row.number} {row.title}"
        self.style_fields()


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
        return {"reviewed_on": datetime.date.today()}

    def get_context_data(self, **kwargs):
        rows = bidder_rows(self.object)
        checks = [
            transactions.BidderCheck(row["bidder"], row["eligible"], row["eligible_from"], row["refusal"])
            for row in rows
        ]
        refusals = transactions.approval_refusals(self.object, checks=checks)
        return {
            **super().get_context_data(**kwargs),
            "bidder_rows": rows,
            "refusals": [message for messages in refusals.values() for message in messages],
        }

    def perform(self, form):
        return self.call(form, transactions.review_transaction, **form.cleaned_data)


class ConcludeForm(RightsListsFormMixin, forms.Form):
    winning_bidder = forms.ModelChoiceField(queryset=None, label=gettext_lazy("中标人"))
    winning_bid = forms.DecimalField(
        label=gettext_lazy("成交价（元）"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    contract_number = forms.CharField(label=gettext_lazy("合同编号"), max_length=64)
    contract_signed_on = forms.DateField(label=gettext_lazy("合同签订日期"), widget=date_widget())

    def __init__(self, *args, asset_transaction, **kwargs):
        super().__init__(*args, **kwargs)
        bidder = self.fields["winning_bidder"]
        bidder.queryset = Bidder.objects.filter(transaction=asset_transaction, eligible=True).select_related("person")
        bidder.label_from_instance = lambda row: row.person.name
        self.style_fields()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "winning_bidder": data["winning_bidder"],
            "winning_bid_fen": yuan_to_fen(data["winning_bid"]),
            "contract_number": data["contract_number"],
            "contract_signed_on": data["contract_signed_on"],
        }


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
        return {"contract_signed_on": datetime.date.today()}

    def perform(self, form):
        return self.call(form, transactions.conclude_transaction, **form.service_arguments())
