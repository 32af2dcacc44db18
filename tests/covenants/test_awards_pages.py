"""The award run screen: access matrices of the division's runs, the preview form, a run's page
and its buttons; masking on the page, the buttons the may_* predicates offer, field errors of the
form, and pinned query counts."""

import datetime

import pytest
from django.urls import reverse

from covenants.choices import AwardRunStatus
from covenants.models import AwardRun
from covenants.testing.factories import award_run, published_covenant
from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from villages.testing.factories import MembershipFactory, division

D = datetime.date
RUN_VIEWERS = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"}
PREVIEWERS = {"district_admin", "village_clerk"}
APPROVERS = {"district_admin", "town_official"}


class TestAwardRunsPage(PageAccessTests):
    viewers = RUN_VIEWERS

    def url(self, run):
        return reverse("covenants:award_runs", args=[run.division_id])

    def make_object(self, code):
        return award_run(code)


class TestAwardPreviewPost(PageAccessTests):
    viewers = RUN_VIEWERS
    posters = PREVIEWERS
    methods = ("post",)

    def url(self, run):
        return reverse("covenants:award_runs", args=[run.division_id])

    def make_object(self, code):
        return award_run(code)

    def post_data(self, run):
        return {"period": "2024", "fund_yuan": "100.00", "rule": "equal"}


class TestAwardRunPage(PageAccessTests):
    viewers = RUN_VIEWERS

    def url(self, run):
        return reverse("covenants:award_run", args=[run.pk])

    def make_object(self, code):
        return award_run(code)


class TestAwardRunApprovePost(PageAccessTests):
    viewers = RUN_VIEWERS
    posters = APPROVERS
    methods = ("post",)

    def url(self, run):
        return reverse("covenants:award_run_approve", args=[run.pk])

    def make_object(self, code):
        return award_run(code)


class TestAwardRunRecomputePost(PageAccessTests):
    viewers = RUN_VIEWERS
    posters = PREVIEWERS
    methods = ("post",)

    def url(self, run):
        return reverse("covenants:award_run_recompute", args=[run.pk])

    def make_object(self, code):
        return award_run(code)


class TestAwardRunDiscardPost(PageAccessTests):
    viewers = RUN_VIEWERS
    posters = PREVIEWERS
    methods = ("post",)

    def url(self, run):
        return reverse("covenants:award_run_discard", args=[run.pk])

    def make_object(self, code):
        return award_run(code)


# --- behaviour ----------------------------------------------------------------------------------


def as_(world, role):
    return signed_in_client(world.user(role))


def test_previewing_on_the_page_sends_the_clerk_to_the_run_with_its_payouts(world):
    for _ in range(3):
        MembershipFactory(cooperative=division(w.COOPERATIVE))

    response = as_(world, "village_clerk").post(
        reverse("covenants:award_runs", args=[w.COOPERATIVE]),
        {"period": "2025", "fund_yuan": "10000.00", "rule": "equal"},
        follow=True,
    )

    run = AwardRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("covenants:award_run", args=[run.pk])
    assert "3333.34" in response.text and "3333.33" in response.text


@pytest.mark.parametrize("fund_yuan", ["12.345", "-3", "abc"])
def test_a_bad_fund_on_the_form_is_shown_in_chinese_and_writes_nothing(world, fund_yuan):
    MembershipFactory(cooperative=division(w.COOPERATIVE))

    response = as_(world, "village_clerk").post(
        reverse("covenants:award_runs", args=[w.COOPERATIVE]),
        {"period": "2025", "fund_yuan": fund_yuan, "rule": "equal"},
    )

    assert response.status_code == 200
    assert "alert-danger" in response.text or "invalid-feedback" in response.text
    assert any(text in response.text for text in ("金额", "奖励资金"))
    assert not AwardRun.objects.exists()


def test_the_preview_form_is_offered_only_to_those_who_may_preview(world):
    award_run(w.COOPERATIVE)
    url = reverse("covenants:award_runs", args=[w.COOPERATIVE])

    assert 'id="award-preview-form"' in as_(world, "village_clerk").get(url).text
    assert 'id="award-preview-form"' not in as_(world, "town_official").get(url).text


def test_the_run_page_offers_approval_to_the_town_and_recomputing_to_the_clerk(world):
    run = award_run(w.COOPERATIVE)
    url = reverse("covenants:award_run", args=[run.pk])

    clerk_page, town_page = as_(world, "village_clerk").get(url).text, as_(world, "town_official").get(url).text

    assert 'id="recompute"' in clerk_page and 'id="discard"' in clerk_page and 'id="approve"' not in clerk_page
    assert 'id="approve"' in town_page and 'id="recompute"' not in town_page


def test_a_frozen_run_offers_no_step_but_the_bank_sheet(world):
    run = award_run(w.COOPERATIVE, status=AwardRunStatus.APPROVED)

    page = as_(world, "village_clerk").get(reverse("covenants:award_run", args=[run.pk])).text

    assert not any(f'id="{step}"' in page for step in ("approve", "recompute", "discard"))
    assert reverse("api:awardrun-payouts-xlsx", args=[run.pk]) in page


def test_approving_on_the_page_freezes_the_run(world):
    run = award_run(w.COOPERATIVE)

    as_(world, "town_official").post(reverse("covenants:award_run_approve", args=[run.pk]))

    assert AwardRun.objects.get(pk=run.pk).status == AwardRunStatus.APPROVED


def test_recomputing_a_frozen_run_on_the_page_shows_the_refusal_and_changes_nothing(world):
    run = award_run(w.COOPERATIVE, status=AwardRunStatus.APPROVED)

    response = as_(world, "village_clerk").post(reverse("covenants:award_run_recompute", args=[run.pk]), follow=True)

    assert "不能重新计算" in response.text
    assert list(run.payouts.values_list("amount_fen", flat=True)) == [50, 50]


def test_the_run_page_masks_names_and_id_numbers_for_those_who_may_not_see_personal_data(world):
    run = award_run(w.COOPERATIVE, members=1)
    person = run.payouts.get().person
    url = reverse("covenants:award_run", args=[run.pk])

    clerk_page, town_page = as_(world, "village_clerk").get(url).text, as_(world, "town_official").get(url).text

    assert person.name in clerk_page and person.id_number in clerk_page
    assert person.name not in town_page and person.id_number not in town_page
    assert person.name[0] + "*" in town_page


def test_the_report_reader_sees_the_runs_figures_but_not_who_was_paid(world):
    run = award_run(w.COOPERATIVE, members=1)

    page = as_(world, "report_reader").get(reverse("covenants:award_run", args=[run.pk])).text

    assert 'id="fund"' in page and 'id="payouts"' not in page


def test_a_withheld_member_shows_with_the_reason_on_the_run_page(world):
    from covenants import services
    from covenants.testing.factories import ViolationFactory

    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    people = [MembershipFactory(cooperative=division(w.COOPERATIVE)).person for _ in range(2)]
    ViolationFactory(clause=clause, person=people[0], occurred_on=D(2025, 4, 1), confirmed_on=D(2025, 4, 2))
    run = services.preview_award_run(
        acting_user=world.user("village_clerk"), division=division(w.COOPERATIVE), period="2025", fund_fen=100
    )

    page = as_(world, "village_clerk").get(reverse("covenants:award_run", args=[run.pk])).text

    assert "table-warning" in page and "第2条" in page
    assert "2025-04-01 发生" in page and "其应得部分留存奖励资金" in page
    # Each is entitled to 0.50; the keeper is paid 0.50, the violator's 0.50 stays in the fund.
    assert 'id="paid">0.50<' in page
    assert '<span id="kept">0.50</span>' in page


def test_the_runs_page_shows_each_runs_amount_kept_in_the_fund(world):
    run = award_run(w.COOPERATIVE, members=4, fund_fen=1000, withheld=1)

    page = as_(world, "village_clerk").get(reverse("covenants:award_runs", args=[w.COOPERATIVE])).text

    assert f'id="kept-{run.pk}">2.50<' in page


def test_the_covenant_page_links_to_the_villages_award_runs(world):
    covenant = published_covenant(w.VILLAGE).covenant

    clerk_page = as_(world, "village_clerk").get(reverse("covenants:covenant", args=[covenant.pk])).text

    assert reverse("covenants:award_runs", args=[w.VILLAGE]) in clerk_page


def test_the_run_page_costs_the_same_queries_for_two_members_or_forty(world):
    small, large = award_run(w.COOPERATIVE, members=2), award_run(w.OTHER_COOPERATIVE_SAME_VILLAGE, members=40)

    few = queries_for(as_(world, "village_clerk"), reverse("covenants:award_run", args=[small.pk]))
    many = queries_for(as_(world, "village_clerk"), reverse("covenants:award_run", args=[large.pk]))

    assert few == many


def test_the_runs_page_costs_the_same_queries_for_one_run_or_ten(world):
    award_run(w.COOPERATIVE)
    url = reverse("covenants:award_runs", args=[w.COOPERATIVE])
    few = queries_for(as_(world, "village_clerk"), url)
    for _ in range(9):
        award_run(w.COOPERATIVE)

    assert queries_for(as_(world, "village_clerk"), url) == few
