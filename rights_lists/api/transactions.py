"""Collective asset transactions in the API (docs/api.md, "Collective asset transactions"):

- `GET /api/v1/asset-transactions/` lists them with their bidders (filtered by `division`, a code
  with everything below it, `state`, `kind`, `bidding_on_after`, `bidding_on_before`), `GET
  .../<id>/` one, `.../<id>/history/` its trail;
- `POST /api/v1/asset-transactions/` with `division`, `asset`, `kind` (`lease`, `sale`,
  `bidding`), `purpose`, `term_months`, `reserve_price_fen`, `bidding_on`, optionally `item` and
  `decision` (ids), and `bidders`: `[{"id_number", "bid_fen"}]` (people the caller may view) → 201;
- `POST .../<id>/review/` with `approve` (true or false), `reviewed_on`, `comment` (needed to
  reject) and optionally `negative_item` (the id of the town's negative list item it hits): the
  town's review (review_assettransaction, never the filer); an approval that the negative list,
  a missing decision or a barred bidder refuses is a 400 naming each (`negative_item`,
  `decision`, `bidders`: each barred bidder with the reason and the first day they are free);
- `POST .../<id>/conclude/` with `winning_bidder` (a bidder's id), `winning_bid_fen`,
  `contract_number`, `contract_signed_on`;
- `GET .../<id>/files/` lists its documents, `POST .../<id>/files/` (multipart, field `files`)
  adds them, `GET .../<id>/files/<pk>/download/` sends one to a token client.

Bidders' ID numbers are masked unless the caller may see personal data where the transaction lies.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from governance.access.permissions import OUT_OF_SCOPE
from governance.api.actions import record_action
from governance.api.fields import ChoiceLabelField, DivisionCodeField
from governance.api.files import PRIVATE_FILE_FIELDS, PrivateFileSerializer
from governance.api.serializers import (
    MaskedPersonalDataMixin,
    PortalModelSerializer,
    ReadablePrimaryKeyRelatedField,
    ScopedPrimaryKeyRelatedField,
)
from governance.uploads import AcceptedFilesField, file_response
from rights_lists.api.views import RecordViewSet, _refuse_outside_jurisdiction
from rights_lists.filters import AssetTransactionFilterSet
from rights_lists.models import AssetTransaction, AssetTransactionFile, Bidder, Decision, ListItem
from rights_lists.services import transactions
from villages.models import Person


class BidderSerializer(MaskedPersonalDataMixin, PortalModelSerializer):
    """A bidder: the person (ID number masked unless visible), the bid, and the eligibility check
    recorded at the town's review (null before it)."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.id_number", read_only=True)

    class Meta:
        model = Bidder
        fields = [
            "id",
            "person",
            "person_name",
            "id_number",
            "bid_fen",
            "checked_on",
            "eligible",
            "refusal",
            "eligible_from",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        return self.mask_person_fields(super().to_representation(instance), self.context["division"])


class TransactionFileSerializer(PrivateFileSerializer):
    """A document of the transaction (the contract, the bidding record)."""

    transaction = serializers.IntegerField(source="transaction_id", read_only=True)
    api_download_route = "api:assettransaction-file-download"

    class Meta:
        model = AssetTransactionFile
        fields = [*PRIVATE_FILE_FIELDS, "transaction"]
        read_only_fields = fields

    def api_download_kwargs(self, row) -> dict:
        return {"pk": row.transaction_id, "file_pk": row.pk}


# `kind` and `state` are plain strings in the schema (their values are documented in docs/api.md):
# other apps have fields of those names, and their enums would collide in the OpenAPI components.
KIND_OF_TRANSACTION = "lease | sale | bidding"
STATE_OF_TRANSACTION = "filed | approved | rejected | concluded | withdrawn"


class AssetTransactionSerializer(PortalModelSerializer):
    """A transaction with its state, its review, its conclusion and its bidders."""

    kind = serializers.CharField(read_only=True, help_text=KIND_OF_TRANSACTION)
    state = serializers.CharField(read_only=True, help_text=STATE_OF_TRANSACTION)
    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    kind_display = ChoiceLabelField("kind")
    state_display = ChoiceLabelField("state")
    item_title = serializers.CharField(source="item.title", read_only=True, default=None, allow_null=True)
    negative_item_title = serializers.CharField(
        source="negative_item.title", read_only=True, default=None, allow_null=True
    )
    filed_by_name = serializers.CharField(source="filed_by.username", read_only=True)
    reviewed_by_name = serializers.CharField(
        source="reviewed_by.username", read_only=True, default=None, allow_null=True
    )
    bidders = serializers.SerializerMethodField()

    class Meta:
        model = AssetTransaction
        fields = [
            "id",
            "division",
            "division_name",
            "asset",
            "kind",
            "kind_display",
            "purpose",
            "term_months",
            "reserve_price_fen",
            "bidding_on",
            "item",
            "item_title",
            "decision",
            "state",
            "state_display",
            "filed_by",
            "filed_by_name",
            "filed_at",
            "reviewed_by",
            "reviewed_by_name",
            "reviewed_on",
            "review_comment",
            "negative_item",
            "negative_item_title",
            "winning_bidder",
            "winning_bid_fen",
            "contract_number",
            "contract_signed_on",
            "bidders",
        ]
        read_only_fields = fields

    @extend_schema_field(BidderSerializer(many=True))
    def get_bidders(self, row) -> list:
        context = {**self.context, "division": row.division_id}
        return BidderSerializer(row.bidders.all(), many=True, context=context).data


class BidderInputSerializer(serializers.Serializer):
    id_number = serializers.CharField(label=_("身份证号"), max_length=18)
    bid_fen = serializers.IntegerField(label=_("报价（分）"), required=False, allow_null=True, min_value=0)


class FileTransactionSerializer(serializers.Serializer):
    division = DivisionCodeField(label=_("交易单位"))
    asset = serializers.CharField(label=_("资产名称"), max_length=200)
    kind = serializers.CharField(label=_("交易方式"), max_length=16, help_text=KIND_OF_TRANSACTION)
    purpose = serializers.CharField(label=_("用途（拟建项目）"), max_length=200, required=False, allow_blank=True)
    term_months = serializers.IntegerField(label=_("期限（月）"), required=False, allow_null=True, min_value=1)
    reserve_price_fen = serializers.IntegerField(label=_("底价（分）"), min_value=1)
    bidding_on = serializers.DateField(label=_("竞投日期"))
    item = ReadablePrimaryKeyRelatedField(
        queryset=ListItem.objects.all(), label=_("清单事项"), required=False, allow_null=True
    )
    # A decision the caller may not view does not exist for them (restrict(), like every reference).
    decision = ScopedPrimaryKeyRelatedField(
        queryset=Decision.objects.all(), label=_("决策依据"), required=False, allow_null=True
    )
    bidders = BidderInputSerializer(many=True, label=_("竞投人"))


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField(label=_("审核通过"))
    reviewed_on = serializers.DateField(label=_("审核日期"), required=False)
    comment = serializers.CharField(label=_("审核意见"), max_length=4000, required=False, allow_blank=True)
    negative_item = ReadablePrimaryKeyRelatedField(
        queryset=ListItem.objects.all(), label=_("触及的负面清单事项"), required=False, allow_null=True
    )


class ConcludeSerializer(serializers.Serializer):
    winning_bidder = serializers.IntegerField(label=_("中标人（竞投人编号）"))
    winning_bid_fen = serializers.IntegerField(label=_("成交价（分）"), min_value=0)
    contract_number = serializers.CharField(label=_("合同编号"), max_length=64)
    contract_signed_on = serializers.DateField(label=_("合同签订日期"))


class AddFilesSerializer(serializers.Serializer):
    files = AcceptedFilesField(label=_("交易文件"), help_text=_("一个或多个文件（multipart，字段名 files）"))


class AssetTransactionViewSet(RecordViewSet):
    """Asset transactions: filed with POST, reviewed by the town, concluded; never deleted."""

    queryset = (
        AssetTransaction.objects.select_related("division", "item", "negative_item", "filed_by", "reviewed_by")
        .with_bidders()
        .order_by("-bidding_on", "-id")
    )
    serializer_class = AssetTransactionSerializer
    filterset_class = AssetTransactionFilterSet
    # Whether the caller may add files is the service's to say; the transaction must be visible.
    action_permissions = {"review": "review", "conclude": "change", "files": "view", "file_download": "view"}

    @extend_schema(request=FileTransactionSerializer, responses={201: AssetTransactionSerializer})
    def create(self, request, *args, **kwargs):
        """File a transaction with its bidders, people found by ID number among those the caller
        may view (400 naming each one not found)."""
        form = FileTransactionSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        _refuse_outside_jurisdiction(request.user, data["division"].code)
        rows = data.pop("bidders")
        people = Person.objects.restrict(request.user, "view").by_id_numbers(row["id_number"] for row in rows)
        bidders, missing = [], []
        for index, row in enumerate(rows, 1):
            person = people.get(row["id_number"])
            if person is None:
                missing.append(_("第%(index)d位竞投人：在您的辖区内没有该身份证号的人员。") % {"index": index})
            bidders.append((person, row.get("bid_fen")))
        if missing:
            raise exceptions.ValidationError({"bidders": missing})
        filed = transactions.file_transaction(acting_user=request.user, bidders=bidders, **data)
        return self._answer(filed, status.HTTP_201_CREATED)

    @record_action(body=ReviewSerializer, answer=AssetTransactionSerializer)
    def review(self, row, data, *, acting_user):
        """The town's review: approve, refused with every reason, or reject with a comment."""
        transactions.review_transaction(row, acting_user=acting_user, **data)
        return row

    @record_action(body=ConcludeSerializer, answer=AssetTransactionSerializer)
    def conclude(self, row, data, *, acting_user):
        """Record the winning bid and the contract of an approved transaction."""
        # The service judges whether it is a bidder of this transaction (one rule for page and API).
        winner = Bidder.objects.filter(pk=data.pop("winning_bidder")).first()
        transactions.conclude_transaction(row, acting_user=acting_user, winning_bidder=winner, **data)
        return row

    def files_of(self, row):
        return (
            AssetTransactionFile.objects.restrict(self.request.user, "view")
            .filter(transaction=row)
            .select_related("uploaded_by")
            .order_by("uploaded_at", "id")
        )

    @extend_schema(methods=["GET"], responses=TransactionFileSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AddFilesSerializer},
        responses={201: TransactionFileSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def files(self, request, pk=None):
        """GET: the transaction's documents; POST (multipart, `files`): add them, all or none."""
        row = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(self.files_of(row))
            return self.get_paginated_response(
                TransactionFileSerializer(page, many=True, context={"request": request}).data
            )
        if not transactions.may_add_files(request.user, row):
            raise exceptions.PermissionDenied(_("您无权为该交易添加文件。"))
        form = AddFilesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        added = transactions.add_files(row, acting_user=request.user, files=form.validated_data["files"])
        rows = self.files_of(row).filter(pk__in=[file.pk for file in added])
        return Response(
            TransactionFileSerializer(rows, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_pk>[0-9]+)/download", url_name="file-download")
    def file_download(self, request, pk=None, file_pk=None):
        """One document itself, as a download under its original name (for token clients)."""
        found = self.files_of(self.get_object()).filter(pk=file_pk).first()
        if found is None:
            raise exceptions.NotFound(OUT_OF_SCOPE)
        return file_response(found)
