"""The decision and transaction forms as a town official first meets them (issue 16): the empty
step form refuses nothing yet and says each thing once; a decision that was not adopted owes no
publication; the review form preselects the negative-list item it warns about, and names a barred
bidder's reason once."""

import datetime

import pytest
from django.urls import reverse

from governance.clock import today
from governance.testing import world as w
from governance.testing.pages import signed_in_client as client_for
from rights_lists.choices import Body, DecisionState, Procedure, Step
from rights_lists.testing.factories import DecisionStepFactory, decision_on, town_negative_list
from tests.rights_lists.test_transactions import barred_person, filed

pytestmark = pytest.mark.django_db
D = datetime.date


def step_url(decision) -> str:
    return reverse("rights_lists:step_record", args=[decision.pk])


def preview(client, decision, **figures):
    return client.post(reverse("rights_lists:step_preview", args=[decision.pk]), figures)


# --- the step form, empty ------------------------------------------------------------------------


def test_the_empty_step_form_shows_no_error(world):
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)

    page = client_for(world.user("village_clerk")).get(step_url(decision))

    assert page.status_code == 200
    assert not page.context["form"].is_bound
    assert "invalid-feedback" not in page.text and 'id="form-errors"' not in page.text


def test_the_preview_of_the_empty_step_form_as_it_loads_refuses_nothing_and_says_the_missing_count_once(world):
    """What the form sends as it loads (htmx "load"): its initial values only. No records of the
    two committees' members: the expected count is to be typed, which its help already says."""
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)
    client = client_for(world.user("village_clerk"))
    form_page = client.get(step_url(decision)).text

    loaded = preview(
        client,
        decision,
        step=Step.CONSULTATION,
        body=Body.TWO_COMMITTEES,
        held_on=str(today()),
        expected="",
        present="",
        votes_for="",
        votes_against="0",
        abstentions="0",
    )

    assert loaded.status_code == 200
    assert not any(loaded.context["fields"].values()) and loaded.context["refused"] is False
    assert "alert-danger" not in loaded.text and "不能登记" not in loaded.text
    assert "两委联席会议（本区规定）" in loaded.text  # the rule is still said
    page = form_page + loaded.text
    assert page.count("系统中没有该会议成员的记录") == 1


def test_an_expected_count_typed_as_zero_is_still_refused_in_the_preview(world):
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)

    zero = preview(
        client_for(world.user("village_clerk")),
        decision,
        step=Step.CONSULTATION,
        body=Body.TWO_COMMITTEES,
        held_on="2025-03-01",
        expected="0",
        present="",
    )

    assert zero.context["fields"]["expected"] == ["应到人数应大于零。"]


# --- a decision not adopted ----------------------------------------------------------------------


def test_a_decision_not_adopted_lists_no_pending_step_publication_nor_implementation(world):
    decision = decision_on(w.VILLAGE, title="未通过的决策", state=DecisionState.NOT_ADOPTED)
    DecisionStepFactory(decision=decision, step=Step.PROPOSAL, held_on=D(2025, 3, 1), votes_for=1, adopted=False)

    page = client_for(world.user("town_official")).get(reverse("rights_lists:decision", args=[decision.pk])).text

    assert 'id="not-adopted"' in page
    assert "待公开" not in page and "待实施" not in page and "待登记" not in page
    assert 'id="step-resolution-published"' not in page and 'id="step-outcome-published"' not in page
    assert page.count("未进行") == 3  # consultation, review, resolution: never held


def test_an_open_decision_still_lists_what_is_pending(world):
    decision = decision_on(w.VILLAGE, title="审议中的决策")

    page = client_for(world.user("town_official")).get(reverse("rights_lists:decision", args=[decision.pk])).text

    assert page.count("待公开") == 2 and "待实施" in page and "待登记" in page and "未进行" not in page


# --- the review of an asset transaction ----------------------------------------------------------


def review_url(row) -> str:
    return reverse("rights_lists:transaction_review", args=[row.pk])


def test_the_review_form_preselects_the_negative_list_item_it_warns_about(world):
    negative = town_negative_list(w.TOWN, "高污染项目").items.get()
    row = filed(world.user("village_clerk"), purpose="高污染项目")

    page = client_for(world.user("town_official")).get(review_url(row))

    assert page.context["form"]["negative_item"].value() == negative.pk
    assert f'<option value="{negative.pk}" selected>' in page.text
    assert "该交易触及镇域项目负面清单第1项“高污染项目”" in page.text


def test_the_review_form_of_a_transaction_touching_no_negative_item_says_so(world):
    town_negative_list(w.TOWN, "高污染项目")
    row = filed(world.user("village_clerk"))

    page = client_for(world.user("town_official")).get(review_url(row))

    assert page.context["form"]["negative_item"].value() is None
    assert '<option value="" selected>未触及</option>' in page.text


def test_the_review_form_says_a_barred_bidders_reason_once(world):
    row = filed(world.user("village_clerk"), barred_person())
    client = client_for(world.user("town_official"))

    before = client.get(review_url(row)).text
    refused = client.post(review_url(row), {"approve": "1", "reviewed_on": str(today()), "comment": ""}).text

    for page in (before, refused):
        assert page.count("不得参与集体资产竞投") == 1  # the reason, in the list of bidders
        assert "竞投人张三在竞投日不具备竞投资格，2028-03-20起可参与竞投（原因见“竞投人资格”）。" in page
    assert before.count("竞投人张三在竞投日不具备竞投资格") == 1
    assert refused.count("竞投人张三在竞投日不具备竞投资格") == 1  # the refusal, not the warning again
