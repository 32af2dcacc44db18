"""A real browser: a town official reviews an asset transaction one of whose bidders is barred.
Playwright drives Debian's Chromium (never a downloaded one) against the live test server: from
the home page's count to the review queue, the transaction's page and its review form, which show
the barred bidder's reason and the day they are free before anything is sent; the approval is
refused naming the bidder, and the official rejects it with a comment.
"""

import datetime

import pytest
from django.urls import reverse

from covenants.testing.factories import published_covenant, repeat_violations
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from rights_lists.choices import TransactionState
from rights_lists.models import AssetTransaction, Bidder
from rights_lists.services import transactions
from villages.testing.factories import PersonFactory, division
from villages.testing.world import build_world

D = datetime.date
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filed_transaction(transactional_db):
    """build_world() and a pond bidding filed by the village clerk, one of whose two bidders is
    barred from asset bidding on the bidding date (a repeat violator barred from 2025-03-20)."""
    world = build_world()
    barred = PersonFactory(division=division(w.VILLAGE), name="张三")
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    repeat_violations(person=barred, clause=clause, confirmed_on=D(2025, 3, 20))
    other = PersonFactory(division=division(w.VILLAGE), name="李四")
    return transactions.file_transaction(
        acting_user=world.user("village_clerk"),
        division=division(w.VILLAGE),
        asset="村东二号鱼塘",
        kind="bidding",
        purpose="水产养殖",
        term_months=36,
        reserve_price_fen=2_400_000,
        bidding_on=D(2025, 6, 1),
        bidders=[(barred, 2_900_000), (other, 2_600_000)],
    )


def test_a_town_official_reviewing_an_asset_transaction_sees_the_barred_bidder_refused_with_the_reason(
    live_server, page, filed_transaction
):
    sign_in(page, live_server, "town_official")

    # The home page counts it; the queue lists it; its page shows who is barred and until when.
    expect(page.get_by_text("1 项集体资产交易待镇级审核。")).to_be_visible()
    page.goto(live_server.url + reverse("rights_lists:transaction_reviews"))
    page.get_by_role("link", name="村东二号鱼塘").click()
    page.wait_for_url(f"**/asset-transactions/{filed_transaction.pk}/")
    barred = Bidder.objects.get(person__name="张三")
    expect(page.locator(f"#bidder-{barred.pk}")).to_contain_text("不具备竞投资格")
    expect(page.locator(f"#bidder-{barred.pk}")).to_contain_text("2028-03-20 起可参与竞投")

    # The review form says, before anything is sent, why it cannot be approved.
    page.locator("#review").click()
    page.wait_for_url("**/review/")
    expect(page.locator("#refusals")).to_contain_text("竞投人张三在竞投日不具备竞投资格")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "transaction-review.png"), full_page=True)

    # Approving anyway is refused, naming the bidder, the reason and the day they are free.
    page.get_by_label("审核结果").select_option("1")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("竞投人张三在竞投日不具备竞投资格")
    expect(page.get_by_role("alert")).to_contain_text("2028-03-20起可参与竞投")
    assert AssetTransaction.objects.get().state == TransactionState.FILED
    assert Bidder.objects.get(pk=barred.pk).eligible_from == D(2028, 3, 20)

    # Rejected with a comment: the page shows the review and the recorded check.
    page.get_by_label("审核结果").select_option("0")
    page.get_by_label("审核意见").fill("竞投人张三不具备竞投资格，请重新组织竞投。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/asset-transactions/{filed_transaction.pk}/")
    expect(page.locator("#state")).to_have_text("审核不通过")
    expect(page.locator("#review-result")).to_contain_text("请重新组织竞投")
    expect(page.locator(f"#bidder-{barred.pk}")).to_contain_text("2028-03-20 起可参与竞投")
    page.screenshot(path=str(ARTIFACTS / "transaction-rejected.png"), full_page=True)
    assert AssetTransaction.objects.get().state == TransactionState.REJECTED
