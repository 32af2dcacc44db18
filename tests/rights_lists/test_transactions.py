"""Collective asset transactions (集体资产交易, rights_lists.services.transactions): filed with bidders, reviewed
by the town (never by the filer), refused approval on the town's negative list of projects, on a
missing decision and on a barred bidder (named with the reason and the day they are free, and
recorded on the bidder), concluded with the winning bid and the contract; the API's and the
pages' access matrices and pinned query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.relations import PrimaryKeyRelatedField

from covenants.models import Clause
from covenants.testing.factories import published_covenant, repeat_violations
from governance.clock import today
from governance.guards import FOUR_EYES
from governance.testing import world as w
from governance.testing.api import APIViewTestCases, client_as, queries_and_rows
from governance.testing.pages import PageAccessTests, queries_for
from governance.testing.pages import signed_in_client as client_for
from rights_lists.choices import DecisionState, Procedure, TransactionState
from rights_lists.models import AssetTransaction, Bidder
from rights_lists.services import transactions
from rights_lists.testing.factories import (
    AssetTransactionFactory,
    BidderFactory,
    adopted_template,
    decision_on,
    town_negative_list,
)
from villages.testing.factories import PersonFactory, division

D = datetime.date
ROLES = set(w.ROLE_HOME)
# Bidders are people: no report reader reads them; the grid worker reads nothing of this app.
VIEWERS = ROLES - {"report_reader", "grid_worker"}
FILERS = {"district_admin", "village_clerk", "coop_clerk"}
REVIEWERS = {"district_admin", "town_official"}
BIDDING_ON = D(2025, 6, 1)


def barred_person(code: str = w.VILLAGE, name: str = "张三"):
    """Someone barred from asset bidding from 2025-03-20 (a repeat violator, 屡教不改: a single
    violation, however serious, bars nothing): free on 2028-03-20."""
    person = PersonFactory(division=division(code), name=name)
    clause = Clause.objects.filter(version__covenant__division_id=code, number=1).first()
    clause = clause or published_covenant(code).clauses.get(number=1)
    repeat_violations(person=person, clause=clause, confirmed_on=D(2025, 3, 20))
    return person


def filed(user, *people, code: str = w.VILLAGE, **fields):
    arguments = {
        "division": division(code),
        "asset": "三号鱼塘",
        "kind": "lease",
        "purpose": "水产养殖",
        "term_months": 60,
        "reserve_price_fen": 1_000_000,
        "bidding_on": BIDDING_ON,
        "bidders": [(person, 1_200_000) for person in people or (PersonFactory(division=division(code)),)],
        **fields,
    }
    return transactions.file_transaction(acting_user=user, **arguments)


def review(asset_transaction, user, **fields):
    arguments = {"approve": True, "reviewed_on": today(), **fields}
    return transactions.review_transaction(asset_transaction, acting_user=user, **arguments)


# --- the services --------------------------------------------------------------------------------


def test_a_clerk_files_a_transaction_with_its_bidders_for_the_towns_review(world):
    people = PersonFactory.create_batch(2, division=division(w.VILLAGE))

    row = filed(world.user("village_clerk"), *people)

    assert row.state == TransactionState.FILED
    assert sorted(Bidder.objects.filter(transaction=row).values_list("person_id", flat=True)) == sorted(
        person.pk for person in people
    )


def test_a_lease_needs_a_term(world):
    with pytest.raises(ValidationError) as refused:
        filed(world.user("village_clerk"), term_months=None)

    assert "term_months" in refused.value.message_dict


def test_a_transaction_needs_a_bidder_and_the_same_person_bids_once(world):
    person = PersonFactory(division=division(w.VILLAGE))
    with pytest.raises(ValidationError):
        filed(world.user("village_clerk"), person, person)


def test_the_town_approves_a_transaction_whose_bidders_are_all_eligible(world):
    row = filed(world.user("village_clerk"))

    approved = review(row, world.user("town_official"), comment="同意。")

    assert approved.state == TransactionState.APPROVED
    bidder = Bidder.objects.get(transaction=row)
    assert (bidder.eligible, bidder.checked_on, bidder.eligible_from, bidder.refusal) == (True, BIDDING_ON, None, "")


def test_a_barred_bidder_refuses_the_approval_with_the_reason_and_the_day_they_are_free_recorded(world):
    row = filed(world.user("village_clerk"), barred_person(), PersonFactory(division=division(w.VILLAGE)))

    with pytest.raises(ValidationError) as refused:
        review(row, world.user("town_official"))

    [message] = refused.value.message_dict["bidders"]
    assert "张三" in message and "2028-03-20" in message and "不得参与集体资产竞投" in message
    barred = Bidder.objects.get(transaction=row, person__name="张三")
    assert (barred.eligible, barred.eligible_from, barred.checked_on) == (False, D(2028, 3, 20), BIDDING_ON)
    assert "屡教不改" in barred.refusal
    assert AssetTransaction.objects.get(pk=row.pk).state == TransactionState.FILED


def test_a_bidder_barred_after_the_bidding_date_is_eligible_on_it(world):
    row = filed(world.user("village_clerk"), barred_person(), bidding_on=D(2025, 3, 19))

    assert review(row, world.user("town_official")).state == TransactionState.APPROVED


def test_the_town_rejects_a_transaction_with_a_barred_bidder_and_the_check_stays_recorded(world):
    row = filed(world.user("village_clerk"), barred_person())

    rejected = review(row, world.user("town_official"), approve=False, comment="竞投人不具备资格。")

    assert rejected.state == TransactionState.REJECTED
    assert Bidder.objects.get(transaction=row).eligible is False


def test_the_filer_never_reviews_their_own_transaction(world):
    row = filed(world.user("district_admin"))

    with pytest.raises(PermissionDenied, match=str(FOUR_EYES)):
        review(row, world.user("district_admin"))
    assert AssetTransaction.objects.get(pk=row.pk).state == TransactionState.FILED


def test_a_village_clerk_may_not_review(world):
    row = filed(world.user("coop_clerk"), code=w.COOPERATIVE)

    with pytest.raises(PermissionDenied):
        review(row, world.user("village_clerk"))


def test_a_purpose_on_the_towns_negative_list_of_projects_refuses_the_approval(world):
    negative = town_negative_list(w.TOWN, "高污染项目").items.get()
    row = filed(world.user("village_clerk"), purpose="出租用于 高污染项目 电镀加工")

    with pytest.raises(ValidationError) as refused:
        review(row, world.user("town_official"))

    assert "高污染项目" in refused.value.message_dict["negative_item"][0]
    rejected = review(row, world.user("town_official"), approve=False, comment="触及负面清单。")
    assert rejected.negative_item == negative


def test_a_negative_item_the_reviewer_names_refuses_the_approval(world):
    negative = town_negative_list(w.TOWN, "高耗能项目").items.get()
    row = filed(world.user("village_clerk"), purpose="仓储")

    with pytest.raises(ValidationError) as refused:
        review(row, world.user("town_official"), negative_item=negative)

    assert "negative_item" in refused.value.message_dict


def test_another_towns_negative_list_does_not_apply(world):
    town_negative_list(w.OTHER_TOWN, "高污染项目")
    row = filed(world.user("village_clerk"), purpose="高污染项目")

    assert review(row, world.user("town_official")).state == TransactionState.APPROVED


def test_a_transaction_on_a_decided_item_needs_a_decision_adopted_on_it_in_the_division(world):
    item = adopted_template(w.VILLAGE).items.get(number="1")
    row = filed(world.user("village_clerk"), item=item)

    with pytest.raises(ValidationError) as refused:
        review(row, world.user("town_official"))
    assert "decision" in refused.value.message_dict

    decision = decision_on(w.VILLAGE, Procedure.FOUR_DELIBERATIONS, state=DecisionState.ADOPTED)
    approved = review(row, world.user("town_official"))
    assert (approved.state, approved.decision) == (TransactionState.APPROVED, decision)


def test_a_decision_adopted_in_another_village_is_no_basis(world):
    item = adopted_template(w.VILLAGE).items.get(number="1")
    adopted_template(w.OTHER_VILLAGE_SAME_TOWN)
    decision_on(w.OTHER_VILLAGE_SAME_TOWN, Procedure.FOUR_DELIBERATIONS, state=DecisionState.ADOPTED)
    row = filed(world.user("village_clerk"), item=item)

    with pytest.raises(ValidationError):
        review(row, world.user("town_official"))


def test_a_rejection_needs_a_comment(world):
    row = filed(world.user("village_clerk"))

    with pytest.raises(ValidationError) as refused:
        review(row, world.user("town_official"), approve=False, comment=" ")

    assert "comment" in refused.value.message_dict


def test_an_approved_transaction_is_concluded_with_the_winning_bid_and_the_contract(world):
    row = filed(world.user("village_clerk"))
    review(row, world.user("town_official"))
    bidder = Bidder.objects.get(transaction=row)

    with pytest.raises(ValidationError) as refused:
        transactions.conclude_transaction(
            row,
            acting_user=world.user("village_clerk"),
            winning_bidder=bidder,
            winning_bid_fen=999_999,
            contract_number="TB-2025-01",
            contract_signed_on=D(2025, 6, 2),
        )
    assert "winning_bid_fen" in refused.value.message_dict

    concluded = transactions.conclude_transaction(
        row,
        acting_user=world.user("village_clerk"),
        winning_bidder=bidder,
        winning_bid_fen=1_200_000,
        contract_number="TB-2025-01",
        contract_signed_on=D(2025, 6, 2),
    )
    assert (concluded.state, concluded.winning_bidder, concluded.winning_bid_fen) == (
        TransactionState.CONCLUDED,
        bidder,
        1_200_000,
    )


# --- the API -------------------------------------------------------------------------------------


def make_transaction(code: str) -> AssetTransaction:
    row = AssetTransactionFactory(division=division(code), asset=f"资产{code}")
    BidderFactory(transaction=row)
    return row


class TestAssetTransactionAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "assettransaction"
    model = AssetTransaction
    viewers = VIEWERS
    adders = FILERS

    def make_object(self, code):
        return make_transaction(code)

    def create_data(self, code, scenario, who):
        person = PersonFactory(division=division(code))
        return {
            "division": code,
            "asset": "三号鱼塘",
            "kind": "bidding",
            "reserve_price_fen": 1_000_000,
            "bidding_on": "2025-06-01",
            "bidders": [{"id_number": person.id_number, "bid_fen": 1_100_000}],
        }

    def test_the_town_reviews_inside_its_jurisdiction_only(self, scenario, who, where, db):
        row = self.object_at(scenario, who, where)
        url = reverse("api:assettransaction-review", kwargs={"pk": row.pk})

        response = client_as(who).post(url, {"approve": True, "reviewed_on": str(today())}, format="json")

        expected = self.expected_on_one_object(who, self.place(who, where), REVIEWERS, 200)
        assert response.status_code == expected, response.content[:500]
        state = AssetTransaction.objects.get(pk=row.pk).state
        assert (state == TransactionState.APPROVED) == (expected == 200)


class TestConcludeAccess(APIViewTestCases.RetrieveTests):
    """Concluding needs the right to change the transaction where it lies: its clerks."""

    basename = "assettransaction"
    model = AssetTransaction
    viewers = VIEWERS

    def make_object(self, code):
        row = make_transaction(code)
        AssetTransaction.objects.filter(pk=row.pk).update(state=TransactionState.APPROVED)
        row.bidders.update(eligible=True, checked_on=BIDDING_ON)
        return row

    def test_a_transaction_is_concluded_by_its_clerks_inside_the_jurisdiction_only(self, scenario, who, where, db):
        row = self.object_at(scenario, who, where)
        data = {
            "winning_bidder": row.bidders.get().pk,
            "winning_bid_fen": 1_200_000,
            "contract_number": "TB-1",
            "contract_signed_on": "2025-06-03",
        }

        response = client_as(who).post(
            reverse("api:assettransaction-conclude", kwargs={"pk": row.pk}), data, format="json"
        )

        expected = self.expected_on_one_object(who, self.place(who, where), FILERS, 200)
        assert response.status_code == expected, response.content[:500]
        state = AssetTransaction.objects.get(pk=row.pk).state
        assert (state == TransactionState.CONCLUDED) == (expected == 200)


def test_a_transactions_detail_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    row = make_transaction(w.VILLAGE)
    for _n in range(5):
        BidderFactory(transaction=row)
    client = client_as("town_official")
    client.get(reverse("api:assettransaction-detail", kwargs={"pk": row.pk}))  # the grants, cached

    with django_assert_num_queries(PINNED["api detail"]):
        response = client.get(reverse("api:assettransaction-detail", kwargs={"pk": row.pk}))
    assert len(response.json()["bidders"]) == 6


def test_the_review_page_costs_the_same_queries_for_one_bidder_and_for_many(world):
    town_negative_list(w.TOWN, "高污染项目")
    item = adopted_template(w.VILLAGE).items.get(number="1")
    row = filed(world.user("village_clerk"), barred_person(), item=item)
    client = client_for(world.user("town_official"))
    url = reverse("rights_lists:transaction_review", args=[row.pk])

    with_one = queries_for(client, url)
    for _n in range(5):
        BidderFactory(transaction=row, person=barred_person(name="赵六"))
    with_many = queries_for(client, url)

    assert (with_one, with_many) == (PINNED["review form"], PINNED["review form"])


def test_a_barred_bidder_is_a_400_on_bidders_with_the_reason_and_the_free_day(world):
    person = barred_person()
    response = client_as("village_clerk").post(
        reverse("api:assettransaction-list"),
        {
            "division": w.VILLAGE,
            "asset": "三号鱼塘",
            "kind": "bidding",
            "reserve_price_fen": 1_000_000,
            "bidding_on": "2025-06-01",
            "bidders": [{"id_number": person.id_number, "bid_fen": 1_100_000}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    row_id = response.json()["id"]

    refused = client_as("town_official").post(
        reverse("api:assettransaction-review", kwargs={"pk": row_id}), {"approve": True}, format="json"
    )

    assert refused.status_code == 400
    assert "2028-03-20" in refused.json()["bidders"][0]
    detail = client_as("town_official").get(reverse("api:assettransaction-detail", kwargs={"pk": row_id})).json()
    assert (detail["state"], detail["bidders"][0]["eligible"], detail["bidders"][0]["eligible_from"]) == (
        "filed",
        False,
        "2028-03-20",
    )


def test_an_unknown_bidder_is_a_400_naming_its_place(world):
    response = client_as("village_clerk").post(
        reverse("api:assettransaction-list"),
        {
            "division": w.VILLAGE,
            "asset": "三号鱼塘",
            "kind": "sale",
            "reserve_price_fen": 1_000_000,
            "bidding_on": "2025-06-01",
            "bidders": [{"id_number": "110101199003070000"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "第1位" in response.json()["bidders"][0]


def test_the_filer_reviewing_through_the_api_is_a_403(world):
    row = filed(world.user("district_admin"))

    response = client_as("district_admin").post(
        reverse("api:assettransaction-review", kwargs={"pk": row.pk}), {"approve": True}, format="json"
    )

    assert response.status_code == 403


def test_a_transaction_is_concluded_through_the_api(world):
    row = filed(world.user("village_clerk"))
    review(row, world.user("town_official"))
    bidder = Bidder.objects.get(transaction=row)

    response = client_as("village_clerk").post(
        reverse("api:assettransaction-conclude", kwargs={"pk": row.pk}),
        {
            "winning_bidder": bidder.pk,
            "winning_bid_fen": 1_300_000,
            "contract_number": "TB-1",
            "contract_signed_on": "2025-06-03",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["winning_bid_fen"]) == ("concluded", 1_300_000)


def test_bidders_id_numbers_are_masked_for_who_may_not_see_personal_data(world):
    row = make_transaction(w.VILLAGE)
    number = row.bidders.get().person.id_number

    shown = client_as("inspector").get(reverse("api:assettransaction-detail", kwargs={"pk": row.pk})).json()

    assert shown["bidders"][0]["id_number"] != number


def test_the_list_of_transactions_costs_the_same_queries_for_1_row_and_for_30(world):
    url = reverse("api:assettransaction-list")
    make_transaction(w.VILLAGE)
    with_one = queries_and_rows(client_as("village_clerk"), url, {"page_size": 1000})
    for _n in range(29):
        row = make_transaction(w.VILLAGE)
        BidderFactory(transaction=row)
    with_many = queries_and_rows(client_as("village_clerk"), url, {"page_size": 1000})

    assert (with_one, with_many) == ((PINNED["api list"], 1), (PINNED["api list"], 30))


# --- the pages -----------------------------------------------------------------------------------


class TestTransactionRegister(PageAccessTests):
    is_list = True
    viewers = VIEWERS

    def url(self, _none):
        return reverse("rights_lists:transactions")

    def make_object(self, code):
        return make_transaction(code)

    def marker(self, row):
        return row.asset


class TestTransactionReviewQueue(PageAccessTests):
    is_list = True
    viewers = REVIEWERS

    def url(self, _none):
        return reverse("rights_lists:transaction_reviews")

    def make_object(self, code):
        return make_transaction(code)

    def marker(self, row):
        return row.asset


class TestTransactionPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, row):
        return reverse("rights_lists:transaction", args=[row.pk])

    def make_object(self, code):
        return make_transaction(code)


class TestTransactionReviewPage(PageAccessTests):
    viewers = VIEWERS
    posters = REVIEWERS

    def url(self, row):
        return reverse("rights_lists:transaction_review", args=[row.pk])

    def make_object(self, code):
        return make_transaction(code)

    def post_data(self, row):
        return {"approve": "1", "reviewed_on": str(today()), "comment": "同意。", "negative_item": ""}


class TestTransactionConcludePage(PageAccessTests):
    viewers = VIEWERS
    posters = FILERS

    def url(self, row):
        return reverse("rights_lists:transaction_conclude", args=[row.pk])

    def make_object(self, code):
        row = make_transaction(code)
        AssetTransaction.objects.filter(pk=row.pk).update(state=TransactionState.APPROVED)
        row.bidders.update(eligible=True, checked_on=BIDDING_ON)
        row.refresh_from_db()
        return row

    def post_data(self, row):
        return {
            "winning_bidder": row.bidders.get().pk,
            "winning_bid": "12000.00",
            "contract_number": "TB-1",
            "contract_signed_on": "2025-06-03",
        }


def test_the_review_page_shows_each_barred_bidders_reason_and_free_day_before_anything_is_sent(world):
    row = filed(world.user("village_clerk"), barred_person())

    page = client_for(world.user("town_official")).get(reverse("rights_lists:transaction_review", args=[row.pk]))

    assert page.status_code == 200
    assert "2028-03-20 起可参与竞投" in page.text and "不得参与集体资产竞投" in page.text


def test_an_approval_refused_on_the_review_page_names_the_barred_bidder(world):
    row = filed(world.user("village_clerk"), barred_person())

    response = client_for(world.user("town_official")).post(
        reverse("rights_lists:transaction_review", args=[row.pk]),
        {"approve": "1", "reviewed_on": str(today()), "comment": ""},
    )

    assert response.status_code == 200
    assert "竞投人张三在竞投日不具备竞投资格" in response.text
    assert AssetTransaction.objects.get(pk=row.pk).state == TransactionState.FILED


def test_the_filer_is_not_offered_the_review_nor_sees_it_in_the_queue(world):
    row = filed(world.user("district_admin"))
    client = client_for(world.user("district_admin"))

    assert row.asset not in client.get(reverse("rights_lists:transaction_reviews")).text
    assert client.get(reverse("rights_lists:transaction_review", args=[row.pk])).status_code == 403


def test_the_home_page_counts_the_transactions_awaiting_the_towns_review(world):
    filed(world.user("village_clerk"))

    home = client_for(world.user("town_official")).get(reverse("home"))

    assert "1 项集体资产交易待镇级审核。" in home.text


# The register: 7 with the query of its filing links (rights_lists.querysets.filing_divisions).
# The review form: 11 with the negative-list items it preselects (ReviewForm's initial).
PINNED = {"api list": 4, "api detail": 2, "register": 7, "queue": 6, "page": 7, "review form": 11}


def add_transactions(count: int) -> None:
    for _n in range(count):
        row = make_transaction(w.VILLAGE)
        BidderFactory(transaction=row, person=barred_person(name="李四"))


def counted_transaction_url() -> str:
    row = AssetTransaction.objects.filter(asset="计数交易").first() or AssetTransactionFactory(asset="计数交易")
    return reverse("rights_lists:transaction", args=[row.pk])


def add_bidders(count: int) -> None:
    row = AssetTransaction.objects.get(asset="计数交易")
    for _n in range(count):
        BidderFactory(transaction=row, person=barred_person(name="王五"))


QUERY_PAGES = {
    "register": ("village_clerk", add_transactions, lambda: reverse("rights_lists:transactions")),
    "queue": ("town_official", add_transactions, lambda: reverse("rights_lists:transaction_reviews")),
    "page": ("town_official", add_bidders, counted_transaction_url),
}


@pytest.mark.parametrize("page_name", list(QUERY_PAGES))
def test_a_page_costs_the_same_queries_for_one_row_and_for_many(world, page_name):
    who, add_rows, url = QUERY_PAGES[page_name]
    client = client_for(world.user(who))
    url()

    add_rows(1)
    with_one = queries_for(client, url())
    add_rows(10)
    with_many = queries_for(client, url())

    assert (with_one, with_many) == (PINNED[page_name], PINNED[page_name])


# --- files ---------------------------------------------------------------------------------------


def test_the_clerk_uploads_a_contract_and_a_token_client_downloads_it(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rights_lists.testing.factories import PDF_BYTES

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    row = make_transaction(w.VILLAGE)
    url = reverse("api:assettransaction-files", kwargs={"pk": row.pk})

    added = client_as("village_clerk").post(
        url, {"files": [SimpleUploadedFile("合同.pdf", PDF_BYTES, content_type="application/pdf")]}, format="multipart"
    )

    assert added.status_code == 201, added.content
    [file] = added.json()
    assert file["original_name"] == "合同.pdf"
    listed = client_as("town_official").get(url).json()["results"]
    assert [entry["id"] for entry in listed] == [file["id"]]
    download = client_as("town_official").get(file["api_download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES


def test_a_town_official_may_read_but_not_add_a_transactions_files(world):
    row = make_transaction(w.VILLAGE)

    response = client_as("town_official").post(
        reverse("api:assettransaction-files", kwargs={"pk": row.pk}), {}, format="multipart"
    )

    assert response.status_code == 403


def test_the_conclusion_form_costs_a_pinned_number_of_queries(world):
    row = filed(world.user("village_clerk"), *PersonFactory.create_batch(3, division=division(w.VILLAGE)))
    review(row, world.user("town_official"))
    client = client_for(world.user("village_clerk"))
    url = reverse("rights_lists:transaction_conclude", args=[row.pk])

    assert queries_for(client, url) == 7


def test_a_decision_the_filer_may_not_view_does_not_exist_for_them(world):
    adopted_template(w.OTHER_VILLAGE_SAME_TOWN)
    elsewhere = decision_on(w.OTHER_VILLAGE_SAME_TOWN, Procedure.FOUR_DELIBERATIONS, state=DecisionState.ADOPTED)
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_as("village_clerk").post(
        reverse("api:assettransaction-list"),
        {
            "division": w.VILLAGE,
            "asset": "三号鱼塘",
            "kind": "bidding",
            "reserve_price_fen": 1_000_000,
            "bidding_on": "2025-06-01",
            "decision": elsewhere.pk,
            "bidders": [{"id_number": person.id_number, "bid_fen": 1_100_000}],
        },
        format="json",
    )

    # Refused as unknown, as any id the filer may not view: not "another unit's decision", which
    # would tell them that one exists there.
    unknown = str(PrimaryKeyRelatedField.default_error_messages["does_not_exist"]).format(pk_value=elsewhere.pk)
    assert response.status_code == 400 and response.json()["decision"] == [unknown]
    assert not AssetTransaction.objects.filter(division_id=w.VILLAGE).exists()


@pytest.mark.parametrize("whose", ["another transaction's", "nobody's"])
def test_a_winner_who_is_not_a_bidder_of_the_transaction_is_refused_on_its_field(world, whose):
    row = filed(world.user("village_clerk"))
    review(row, world.user("town_official"))
    other = filed(world.user("village_clerk"))
    winner = Bidder.objects.get(transaction=other).pk if whose == "another transaction's" else 10**9

    response = client_as("village_clerk").post(
        reverse("api:assettransaction-conclude", kwargs={"pk": row.pk}),
        {
            "winning_bidder": winner,
            "winning_bid_fen": 1_300_000,
            "contract_number": "TB-1",
            "contract_signed_on": "2025-06-03",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"winning_bidder": ["中标人须是本交易的竞投人。"]}
    row.refresh_from_db()
    assert row.state == "approved"
