"""The forms of a collective asset transaction (集体资产交易) that a village or cooperative clerk fills
in: filing one (divisions/<code>/asset-transactions/new/: the asset, the kind, the reserve price in
yuan, the bidding date, the list item in force and the adopted decision, and the bidders as lines
"ID number, bid in yuan") and adding its files, the contract and the bidding record
(asset-transactions/<pk>/files/new/). Every rule is rights_lists.transactions'; the pages call
file_transaction and add_files and show their refusals as field errors."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from governance.access.querysets import jurisdiction_codes
from governance.money import yuan_to_fen
from governance.uploads import PhotosOrFilesForm, UploadLimitMixin
from rights_lists import transactions
from rights_lists.choices import TransactionKind
from rights_lists.models import AssetTransaction, Decision, ListItem
from rights_lists.pages.base import DECIDING_LEVELS, RightsListsFormMixin, date_widget
from rights_lists.pages.transactions import RELATED, TransactionStepView, on_form_fields, transaction_url
from villages.identity import normalise_id_number
from villages.models import Division, Person

FILE_PERMISSION = "rights_lists.add_assettransaction"
# A bidder line: the ID number, then the bid in yuan, separated by a comma (either width), a
# Chinese enumeration comma or spaces.
BIDDER_SEPARATOR = re.compile(r"\s*[,，、]\s*|\s+")
YUAN_PLACES = 2
MAX_YUAN = Decimal("999999999999.99")


def filing_divisions(user, chosen: str = "") -> list[Division]:
    """The villages and cooperatives the register offers to file for (one query): those under the
    division filtered by, when the visitor may file there, else under each village or cooperative
    they file for. A wider assignment (a town, the district) offers none until a village is
    chosen: its divisions are too many to list."""
    if len(chosen) >= transactions.VILLAGE_CODE_LENGTH and transactions.may_file(user, chosen):
        roots = [chosen]
    else:
        codes = jurisdiction_codes(user, FILE_PERMISSION)
        roots = [code for code in codes if len(code) >= transactions.VILLAGE_CODE_LENGTH]
    if not roots:
        return []
    under = Q()
    for code in roots:
        under |= Q(code__startswith=code)
    return list(
        Division.objects.restrict(user, "view")
        .active()
        .filter(under, level__in=DECIDING_LEVELS)
        .select_related("parent")
        .order_by("code")
    )


# --- filing a transaction ------------------------------------------------------------------------


def parse_bid(text: str) -> Decimal | None:
    """A bid in yuan ("12000", "13500.25"), else None: not negative, at most two decimals, at most
    MAX_YUAN (the amounts of the other forms: 14 digits, 2 of them decimals)."""
    try:
        bid = Decimal(text)
    except InvalidOperation:
        return None
    if not bid.is_finite() or bid < 0 or bid > MAX_YUAN or -bid.as_tuple().exponent > YUAN_PLACES:
        return None
    return bid


def parse_bidder_lines(text: str) -> tuple[list[tuple[int, str, Decimal | None]], list[str]]:
    """Each non-blank line "ID number, bid in yuan" (the bid may be left out) as (line number, ID
    number, bid); and a message for each line that is not so, naming its number."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), 1):
        parts = [part for part in BIDDER_SEPARATOR.split(line.strip()) if part]
        if not parts:
            continue
        id_number, *rest = parts
        bid = parse_bid(rest[0]) if len(rest) == 1 else None
        if len(rest) > 1 or (rest and bid is None):
            errors.append(
                _("第%(line)d行格式不正确：应为“身份证号，报价（元）”，报价不为负、最多两位小数。") % {"line": number}
            )
            continue
        rows.append((number, normalise_id_number(id_number), bid))
    return rows, errors


class TransactionFilingForm(RightsListsFormMixin, forms.Form):
    asset = forms.CharField(label=gettext_lazy("资产名称"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("交易方式"), choices=TransactionKind.choices)
    purpose = forms.CharField(label=gettext_lazy("用途（拟建项目）"), max_length=200, required=False)
    term_months = forms.IntegerField(
        label=gettext_lazy("期限（月）"), min_value=1, required=False, help_text=gettext_lazy("租赁须填写。")
    )
    reserve_price = forms.DecimalField(
        label=gettext_lazy("底价（元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    bidding_on = forms.DateField(label=gettext_lazy("竞投日期"), widget=date_widget(max_today=False))
    item = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("清单事项"), required=False, empty_label=gettext_lazy("不涉及清单事项")
    )
    decision = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("决策依据"), required=False, empty_label=gettext_lazy("未选择")
    )
    bidders = forms.CharField(
        label=gettext_lazy("竞投人"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "440605199001011234，120000"}),
        help_text=gettext_lazy("每行一人：身份证号，报价（元）；尚未报价的可只填身份证号。"),
    )

    def __init__(self, *args, division, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        item = self.fields["item"]
        item.queryset = (
            ListItem.objects.in_force_for(division.code, datetime.date.today())
            .select_related("list")
            .order_by("list__kind", "list_id", "id")
        )
        item.label_from_instance = lambda row: f"{row.list.get_kind_display()} · {row.number} {row.title}"
        decision = self.fields["decision"]
        decision.queryset = Decision.objects.filter(
            division=division, state__in=transactions.DECISION_ADOPTED_STATES
        ).order_by("-opened_at", "-id")
        decision.label_from_instance = lambda row: row.title
        self.fields["bidders"].widget.attrs["class"] = "form-control"
        self.style_fields()

    def clean_bidders(self) -> list[tuple[Person, int | None]]:
        """The bidders as people the visitor may view, with their bids in fen (one query)."""
        rows, errors = parse_bidder_lines(self.cleaned_data["bidders"])
        if errors:
            raise ValidationError(errors)
        people = {
            person.id_number: person
            for person in Person.objects.restrict(self.user, "view").filter(
                id_number__in=[id_number for _line, id_number, _bid in rows]
            )
        }
        unknown = [
            _("第%(line)d行：在您的辖区内没有身份证号为%(id_number)s的人员。") % {"line": line, "id_number": id_number}
            for line, id_number, _bid in rows
            if id_number not in people
        ]
        if unknown:
            raise ValidationError(unknown)
        return [(people[id_number], None if bid is None else yuan_to_fen(bid)) for _line, id_number, bid in rows]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["reserve_price_fen"] = yuan_to_fen(data.pop("reserve_price"))
        return data


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


# --- adding files --------------------------------------------------------------------------------


class TransactionFilesForm(RightsListsFormMixin, PhotosOrFilesForm):
    """上传交易文件: the contract, the bidding record, photographed now or chosen as files."""

    files_help = gettext_lazy("合同、竞投记录等：照片（JPEG、PNG、WebP、HEIC）或 PDF，可多选。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


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
