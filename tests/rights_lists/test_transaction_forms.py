"""The pages on which a village or cooperative clerk files a collective asset transaction (bidders as
lines "ID number, bid in yuan") and uploads its files (rights_lists.forms.transactions and pages.transactions): their
access matrices, a filing with two bidders, bad and unknown bidder lines as field errors with
nothing saved, an upload, the register's links, and pinned query counts."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for
from governance.testing.pages import signed_in_client as client_for
from rights_lists.choices import TransactionState
from rights_lists.models import AssetTransaction, AssetTransactionFile, Bidder
from rights_lists.testing.factories import PDF_BYTES, AssetTransactionFactory, BidderFactory, adopted_template
from villages.testing.factories import PersonFactory, division

ROLES = set(w.ROLE_HOME)
# Bidders are people: no report reader reads a transaction; the grid worker reads nothing of this app.
VIEWERS = ROLES - {"report_reader", "grid_worker"}
FILERS = {"district_admin", "village_clerk", "coop_clerk"}
PINNED = {"filing form": 6, "files form": 5, "register": 7}


def filing_url(code: str) -> str:
    return reverse("rights_lists:transaction_file", args=[code])


def files_url(row) -> str:
    return reverse("rights_lists:transaction_files", args=[row.pk])


def filing_data(*lines: str, **fields) -> dict:
    return {
        "asset": "三号鱼塘",
        "kind": "lease",
        "purpose": "水产养殖",
        "term_months": "60",
        "reserve_price": "10000.50",
        "bidding_on": "2025-06-01",
        "item": "",
        "decision": "",
        "bidders": "\n".join(lines),
        **fields,
    }


def a_pdf(name: str = "合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


# --- access --------------------------------------------------------------------------------------


class TestTransactionFilingPage(PageAccessTests):
    viewers = ROLES  # who view the division: 403 without the right to file
    posters = FILERS

    def url(self, place):
        return filing_url(place.code)

    def make_object(self, code):
        return SimpleNamespace(code=code, person=PersonFactory(division=division(code)))

    def post_data(self, place):
        return filing_data(f"{place.person.id_number}，12000")


class TestTransactionFilesPage(PageAccessTests):
    viewers = VIEWERS
    posters = FILERS

    @pytest.fixture(autouse=True)
    def private_media(self, settings, tmp_path):
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"

    def url(self, row):
        return files_url(row)

    def make_object(self, code):
        row = AssetTransactionFactory(division=division(code), asset=f"资产{code}")
        BidderFactory(transaction=row)
        return row

    def post_data(self, row):
        return {"files": [a_pdf()]}


# --- filing --------------------------------------------------------------------------------------


def test_a_clerk_files_a_transaction_with_two_bidders_and_lands_on_its_page(world):
    first, second = PersonFactory.create_batch(2, division=division(w.VILLAGE))
    client = client_for(world.user("village_clerk"))

    response = client.post(
        filing_url(w.VILLAGE),
        filing_data(f"{first.id_number}, 12000", f" {second.id_number.lower()}，13500.25 ", ""),
        follow=True,
    )

    row = AssetTransaction.objects.get(asset="三号鱼塘")
    assert response.redirect_chain == [(reverse("rights_lists:transaction", args=[row.pk]), 302)]
    assert "已登记集体资产交易，待镇（街道）审核。" in response.text
    assert (row.state, row.reserve_price_fen, row.term_months, row.division_id) == (
        TransactionState.FILED,
        1_000_050,
        60,
        w.VILLAGE,
    )
    assert sorted(Bidder.objects.filter(transaction=row).values_list("person_id", "bid_fen")) == sorted(
        [(first.pk, 1_200_000), (second.pk, 1_350_025)]
    )


def test_a_bad_bidder_line_is_a_field_error_naming_its_line_and_nothing_is_saved(world):
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_for(world.user("village_clerk")).post(
        filing_url(w.VILLAGE), filing_data(f"{person.id_number}，12000", f"{person.id_number}，十二万")
    )

    assert response.status_code == 200
    assert "第2行格式不正确" in str(response.context["form"].errors["bidders"])
    assert not AssetTransaction.objects.exists() and not Bidder.objects.exists()


def test_a_bid_with_more_than_two_decimals_is_a_bad_line(world):
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_for(world.user("village_clerk")).post(
        filing_url(w.VILLAGE), filing_data(f"{person.id_number}，12000.125")
    )

    assert "第1行格式不正确" in str(response.context["form"].errors["bidders"])
    assert not AssetTransaction.objects.exists()


def test_bidder_lines_are_read_with_either_comma_or_spaces_and_each_bad_one_is_named_by_its_number():
    from decimal import Decimal

    from rights_lists.forms.transactions import parse_bidder_lines

    rows, errors = parse_bidder_lines(
        "110101199003070011, 12000\n\n110101199003070012　13000.5\n110101199003070013\n"
        "110101199003070014，1，2\n110101199003070015，-1\n110101199003070016，1e30"
    )

    assert rows == [
        (1, "110101199003070011", Decimal("12000")),
        (3, "110101199003070012", Decimal("13000.5")),
        (4, "110101199003070013", None),
    ]
    assert [error[:3] for error in errors] == ["第5行", "第6行", "第7行"]


def test_an_unknown_id_number_is_a_field_error_naming_it_and_nothing_is_saved(world):
    known = PersonFactory(division=division(w.VILLAGE))
    elsewhere = PersonFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))

    response = client_for(world.user("village_clerk")).post(
        filing_url(w.VILLAGE), filing_data(f"{known.id_number}，12000", f"{elsewhere.id_number}，13000")
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["bidders"]
    assert "第2行" in message and elsewhere.id_number in message
    assert not AssetTransaction.objects.exists() and not Bidder.objects.exists()


def test_the_services_refusal_comes_back_on_the_field_it_names(world):
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_for(world.user("village_clerk")).post(
        filing_url(w.VILLAGE), filing_data(f"{person.id_number}，12000", term_months="")
    )

    assert "租赁须填写期限（月）。" in response.context["form"].errors["term_months"]
    assert not AssetTransaction.objects.exists()


def test_the_form_offers_the_items_in_force_for_the_division(world):
    item = adopted_template(w.VILLAGE).items.get(number="1")

    response = client_for(world.user("village_clerk")).get(filing_url(w.VILLAGE))

    assert list(response.context["form"].fields["item"].queryset) == list(item.list.items.order_by("id"))


def test_a_town_is_no_division_to_file_for(world):
    assert client_for(world.user("district_admin")).get(filing_url(w.TOWN)).status_code == 404


# --- the register's links and the upload ---------------------------------------------------------


def test_the_register_links_the_filing_form_of_each_division_the_clerk_files_for(world):
    page = client_for(world.user("village_clerk")).get(reverse("rights_lists:transactions"))

    links = [division.code for division in page.context["filing_divisions"]]
    assert links == [w.VILLAGE, w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE]
    assert filing_url(w.COOPERATIVE) in page.text and "登记集体资产交易" in page.text


def test_the_register_offers_a_town_official_no_filing(world):
    page = client_for(world.user("town_official")).get(reverse("rights_lists:transactions"))

    assert page.context["filing_divisions"] == [] and 'id="file-transaction"' not in page.text


def test_a_district_admin_is_offered_the_filing_of_the_village_filtered_by(world):
    page = client_for(world.user("district_admin")).get(
        reverse("rights_lists:transactions"), {"division": w.OTHER_VILLAGE_SAME_TOWN}
    )

    assert [division.code for division in page.context["filing_divisions"]] == [w.OTHER_VILLAGE_SAME_TOWN]


def test_the_clerk_uploads_a_contract_from_the_transactions_page(world, private_media):
    row = AssetTransactionFactory(division=division(w.VILLAGE))
    client = client_for(world.user("village_clerk"))
    detail = reverse("rights_lists:transaction", args=[row.pk])
    assert files_url(row) in client.get(detail).text

    response = client.post(files_url(row), {"files": [a_pdf("合同.pdf"), a_pdf("竞投记录.pdf")]}, follow=True)

    assert response.redirect_chain == [(detail, 302)]
    assert "已上传交易文件。" in response.text
    assert sorted(AssetTransactionFile.objects.filter(transaction=row).values_list("original_name", flat=True)) == [
        "合同.pdf",
        "竞投记录.pdf",
    ]
    contract = AssetTransactionFile.objects.get(transaction=row, original_name="合同.pdf")
    download = reverse("private_file", args=["rights_lists.assettransactionfile", contract.pk])
    assert download in response.text
    assert b"".join(client.get(download).streaming_content) == PDF_BYTES


def test_an_upload_that_is_not_a_document_is_a_field_error_and_nothing_is_stored(world, private_media):
    row = AssetTransactionFactory(division=division(w.VILLAGE))
    text = SimpleUploadedFile("合同.pdf", b"not a pdf", content_type="application/pdf")

    response = client_for(world.user("village_clerk")).post(files_url(row), {"files": [text]})

    assert response.status_code == 200 and response.context["form"].errors["files"]
    assert not AssetTransactionFile.objects.exists()


def test_a_town_official_is_not_offered_the_upload(world):
    row = AssetTransactionFactory(division=division(w.VILLAGE))

    page = client_for(world.user("town_official")).get(reverse("rights_lists:transaction", args=[row.pk]))

    assert files_url(row) not in page.text


# --- query counts --------------------------------------------------------------------------------


def test_the_filing_form_costs_a_pinned_number_of_queries(world):
    adopted_template(w.VILLAGE)
    client = client_for(world.user("village_clerk"))

    assert queries_for(client, filing_url(w.VILLAGE)) == PINNED["filing form"]


def test_the_files_form_costs_a_pinned_number_of_queries(world):
    row = AssetTransactionFactory(division=division(w.VILLAGE))
    BidderFactory.create_batch(3, transaction=row)

    assert queries_for(client_for(world.user("village_clerk")), files_url(row)) == PINNED["files form"]


def test_the_register_costs_the_same_queries_with_its_filing_links_for_one_row_and_for_many(world):
    client = client_for(world.user("village_clerk"))
    url = reverse("rights_lists:transactions")
    BidderFactory(transaction=AssetTransactionFactory(division=division(w.VILLAGE)))
    with_one = queries_for(client, url)
    for _n in range(10):
        BidderFactory(transaction=AssetTransactionFactory(division=division(w.COOPERATIVE)))

    assert (with_one, queries_for(client, url)) == (PINNED["register"], PINNED["register"])


def test_filing_posts_cost_a_fixed_number_of_queries_whatever_the_number_of_bidders(world):
    """One query finds every bidder, whatever their number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.user("village_clerk"))
    counts = []
    for size, asset in ((1, "一号鱼塘"), (6, "二号鱼塘")):
        people = PersonFactory.create_batch(size, division=division(w.VILLAGE))
        lines = [f"{person.id_number}，{10000 + index}" for index, person in enumerate(people)]
        with CaptureQueriesContext(connection) as captured:
            response = client.post(filing_url(w.VILLAGE), filing_data(*lines, asset=asset))
        assert response.status_code == 302, response.content[:500]
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]
    assert datetime.date(2025, 6, 1) == AssetTransaction.objects.get(asset="二号鱼塘").bidding_on
