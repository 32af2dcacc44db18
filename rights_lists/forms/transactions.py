"""The forms of a collective asset transaction (集体资产交易): filing one (the asset, the kind, the
reserve price in yuan, the bidding date, the list item in force and the adopted decision, and the
bidders as lines "ID number, bid in yuan"), adding its files (the contract, the bidding record),
the town's review and the conclusion (the winning bid and the contract). Each feeds one
rights_lists.services.transactions action; the rules are the service's."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.clock import today
from governance.money import yuan_to_fen
from governance.uploads import PhotosOrFilesForm
from rights_lists.choices import TransactionKind
from rights_lists.forms.base import RightsListsFormMixin, date_widget
from rights_lists.models import Bidder, Decision, ListItem
from villages.identity import normalise_id_number
from villages.models import Person

# A bidder line: the ID number, then the bid in yuan, separated by a comma (either width), a
# Chinese enumeration comma or spaces.
BIDDER_SEPARATOR = re.compile(r"\s*[,，、]\s*|\s+")


YUAN_PLACES = 2


MAX_YUAN = Decimal("999999999999.99")


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
            ListItem.objects.in_force_for(division.code, today())
            .select_related("list")
            .order_by("list__kind", "list_id", "id")
        )
        item.label_from_instance = lambda row: f"{row.list.get_kind_display()} · {row.number} {row.title}"
        decision = self.fields["decision"]
        decision.queryset = Decision.objects.adopted().filter(division=division).order_by("-opened_at", "-id")
        decision.label_from_instance = lambda row: row.title
        self.fields["bidders"].widget.attrs["class"] = "form-control"
        self.style_fields()

    def clean_bidders(self) -> list[tuple[Person, int | None]]:
        """The bidders as people the visitor may view, with their bids in fen (one query)."""
        rows, errors = parse_bidder_lines(self.cleaned_data["bidders"])
        if errors:
            raise ValidationError(errors)
        people = Person.objects.restrict(self.user, "view").by_id_numbers(id_number for _line, id_number, _bid in rows)
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


class TransactionFilesForm(RightsListsFormMixin, PhotosOrFilesForm):
    """上传交易文件: the contract, the bidding record, photographed now or chosen as files."""

    files_help = gettext_lazy("合同、竞投记录等：照片（JPEG、PNG、WebP、HEIC）或 PDF，可多选。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


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
        item.queryset = ListItem.objects.town_negative_projects(
            asset_transaction.division_id, asset_transaction.bidding_on
        )
        item.label_from_instance = lambda row: f"{row.number} {row.title}"
        self.style_fields()


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
