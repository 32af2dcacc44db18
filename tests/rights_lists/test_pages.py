"""The browser pages of the rights_lists app: the access matrix of each page (PageAccessTests), and
what the pages do: a decision taken from proposal to its published outcome through the pages,
the services' refusals as field errors, the step form's preview naming the rule and the numbers
before anything is submitted, the flag of an expected count that differs from the records, the
town's review queue, and pinned query counts."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import PageAccessTests, audit_events, queries_for
from governance.testing.pages import signed_in_client as client_for
from rights_lists.choices import Body, DecisionState, ListKind, ListStatus, Procedure, PublicationKind, Step
from rights_lists.models import Decision, DecisionStep, Publication, QuorumRule
from rights_lists.testing.factories import (
    DecisionStepFactory,
    ListItemFactory,
    RightsListFactory,
    adopted_template,
    decision_on,
)
from villages.testing.factories import PartyMembershipFactory, division

D = datetime.date
ROLES = set(w.ROLE_HOME)
VIEWERS = ROLES - {"grid_worker"}  # rights_lists/grants.py: every role but the grid worker reads decisions
RECORDERS = {"district_admin", "village_clerk"}  # rights_lists/grants.py: change_decision
REVIEWERS = {"district_admin", "town_official"}  # review_decision: the town's review


def titled(code: str, **fields) -> Decision:
    """An open four_deliberations decision in `code`, titled after it (the lists' marker)."""
    return decision_on(code, title=f"决策{code}", **fields)


def adopted_decision(code: str) -> Decision:
    """A committee decision adopted at its one meeting, held on 1 March 2025."""
    decision = decision_on(code, Procedure.COMMITTEE, title=f"决策{code}", state=DecisionState.ADOPTED)
    DecisionStepFactory(decision=decision, step=Step.CONSULTATION, body=Body.TWO_COMMITTEES, held_on=D(2025, 3, 1))
    return decision


def published_decision(code: str) -> Decision:
    decision = adopted_decision(code)
    Publication.objects.create(
        decision=decision, kind=PublicationKind.RESOLUTION, published_on=D(2025, 3, 2), recorded_by=decision.opened_by
    )
    Decision.objects.filter(pk=decision.pk).update(state=DecisionState.RESOLUTION_PUBLISHED)
    decision.refresh_from_db()
    return decision


def own_list(code: str):
    rights_list = RightsListFactory(owner=division(code), kind=ListKind.PETTY_POWER, title=f"清单{code}")
    ListItemFactory(list=rights_list, number="1", procedure=Procedure.COMMITTEE)
    return rights_list


# --- the access matrix -------------------------------------------------------------------------
# Every place is a cooperative (inside every role's jurisdiction: governance.testing.pages), whose
# decisions the village clerk records and whose lists include its village's adopted templates.


class TestListRegister(PageAccessTests):
    is_list = True
    viewers = VIEWERS

    def url(self, _none):
        return reverse("rights_lists:lists")

    def make_object(self, code):
        return own_list(code)

    def marker(self, rights_list):
        return rights_list.title


class TestListPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, rights_list):
        return reverse("rights_lists:list", args=[rights_list.pk])

    def make_object(self, code):
        return own_list(code)


class TestItemsInForcePage(PageAccessTests):
    viewers = VIEWERS

    def url(self, place):
        return reverse("rights_lists:items_in_force", args=[place.code])

    def make_object(self, code):
        adopted_template(code)
        return SimpleNamespace(code=code)


class TestDecisionRegister(PageAccessTests):
    is_list = True
    viewers = VIEWERS

    def url(self, _none):
        return reverse("rights_lists:decisions")

    def make_object(self, code):
        return titled(code)

    def marker(self, decision):
        return decision.title


class TestReviewQueue(PageAccessTests):
    is_list = True
    viewers = REVIEWERS

    def url(self, _none):
        return reverse("rights_lists:reviews")

    def make_object(self, code):
        return decision_on(code, Procedure.TOWN_REVIEW, title=f"审核{code}")

    def marker(self, decision):
        return decision.title


class TestDecisionPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, decision):
        return reverse("rights_lists:decision", args=[decision.pk])

    def make_object(self, code):
        return titled(code)


class TestOpenDecisionPage(PageAccessTests):
    viewers = ROLES  # who view the division (a grid worker does): 403 without the right to open
    posters = RECORDERS

    def url(self, place):
        return reverse("rights_lists:decision_open", args=[place.code])

    def make_object(self, code):
        return SimpleNamespace(code=code, item=adopted_template(code).items.get(number="1"))

    def post_data(self, place):
        return {"item": place.item.pk, "title": "鱼塘发包", "amount": ""}


class TestStepPage(PageAccessTests):
    viewers = VIEWERS
    posters = RECORDERS

    def url(self, decision):
        return reverse("rights_lists:step_record", args=[decision.pk])

    def make_object(self, code):
        return titled(code)

    def post_data(self, decision):
        return {
            "step": "proposal",
            "body": "party_committee",
            "held_on": "2025-03-01",
            "expected": 5,
            "present": 5,
            "votes_for": 5,
        }


class TestTownReviewStepPage(PageAccessTests):
    """The town's review is recorded by the town (review_decision), not by the village's clerk."""

    viewers = VIEWERS
    posters = REVIEWERS

    def url(self, decision):
        return reverse("rights_lists:step_record", args=[decision.pk])

    def make_object(self, code):
        return decision_on(code, Procedure.TOWN_REVIEW)

    def post_data(self, decision):
        return {"step": "review", "body": "town", "held_on": "2025-03-01", "expected": 7, "present": 5, "votes_for": 4}


class TestPublishResolutionPage(PageAccessTests):
    viewers = VIEWERS
    posters = RECORDERS

    def url(self, decision):
        return reverse("rights_lists:publish", args=[decision.pk, "resolution"])

    def make_object(self, code):
        return adopted_decision(code)

    def post_data(self, decision):
        return {"published_on": "2025-03-02"}


class TestImplementationPage(PageAccessTests):
    viewers = VIEWERS
    posters = RECORDERS

    def url(self, decision):
        return reverse("rights_lists:implementation", args=[decision.pk])

    def make_object(self, code):
        return published_decision(code)

    def post_data(self, decision):
        return {"done_on": "2025-04-01", "summary": "已按决议发包。"}


class TestWithdrawPage(PageAccessTests):
    viewers = VIEWERS
    posters = RECORDERS

    def url(self, decision):
        return reverse("rights_lists:withdraw", args=[decision.pk])

    def make_object(self, code):
        return titled(code)

    def post_data(self, decision):
        return {"reason": "项目取消。", "withdrawn_on": "2025-03-02"}


STEP_PREVIEW_DATA = {"step": "proposal", "body": "party_committee", "held_on": "2025-03-01", "expected": 5}


@pytest.mark.parametrize(
    ("who", "status"),
    [(role, 200 if role in RECORDERS else 403 if role in VIEWERS else 404) for role in sorted(ROLES)]
    + [("outsider", 404)],
)
def test_the_step_preview_answers_who_may_record_the_step_and_writes_nothing(world, who, status):
    decision = titled(w.COOPERATIVE)
    user = world.outsider if who == "outsider" else world.user(who)
    events = audit_events()

    response = client_for(user).post(reverse("rights_lists:step_preview", args=[decision.pk]), STEP_PREVIEW_DATA)

    assert response.status_code == status
    assert audit_events() == events and not decision.steps.exists()


def test_the_step_preview_sends_an_anonymous_visitor_to_sign_in(world):
    decision = titled(w.COOPERATIVE)

    response = client_for(None).post(reverse("rights_lists:step_preview", args=[decision.pk]), STEP_PREVIEW_DATA)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_decision_without_a_step_left_to_record_has_no_step_form(world):
    decision = adopted_decision(w.VILLAGE)
    client = client_for(world.user("village_clerk"))

    assert client.get(reverse("rights_lists:step_record", args=[decision.pk])).status_code == 404
    assert client.get(reverse("rights_lists:publish", args=[decision.pk, "outcome"])).status_code == 404
    assert client.get(reverse("rights_lists:publish", args=[decision.pk, "nonsense"])).status_code == 404


# --- a decision through the pages --------------------------------------------------------------


def step_url(decision) -> str:
    return reverse("rights_lists:step_record", args=[decision.pk])


def record(client, decision, **figures):
    return client.post(step_url(decision), {"votes_against": 0, "abstentions": 0, **figures})


def test_a_clerk_takes_a_decision_from_proposal_to_its_published_outcome_through_the_pages(world):
    item = adopted_template(w.VILLAGE).items.get(number="1")
    client = client_for(world.user("village_clerk"))

    opened = client.post(
        reverse("rights_lists:decision_open", args=[w.VILLAGE]),
        {"item": item.pk, "title": "鱼塘发包", "amount": "12000.50"},
    )
    decision = Decision.objects.get(title="鱼塘发包")
    assert opened.status_code == 302 and opened.url == reverse("rights_lists:decision", args=[decision.pk])
    assert (decision.procedure, decision.amount_fen) == (Procedure.FOUR_DELIBERATIONS, 1_200_050)
    meetings = [
        ("proposal", "party_committee", "2025-03-01", 5, 5, 5),
        ("consultation", "two_committees", "2025-03-03", 9, 8, 7),
        ("review", "party_assembly", "2025-03-05", 30, 20, 18),
        ("resolution", "representative_assembly", "2025-03-08", 21, 18, 15),
    ]
    for step, body, held_on, expected, present, votes in meetings:
        page = client.get(step_url(decision))
        assert page.status_code == 200 and str(Step(step).label) in page.text
        response = record(
            client, decision, step=step, body=body, held_on=held_on, expected=expected, present=present, votes_for=votes
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    decision.refresh_from_db()
    assert decision.state == DecisionState.ADOPTED

    for url, data in (
        (reverse("rights_lists:publish", args=[decision.pk, "resolution"]), {"published_on": "2025-03-09"}),
        (reverse("rights_lists:implementation", args=[decision.pk]), {"done_on": "2025-04-01", "summary": "已发包。"}),
        (reverse("rights_lists:publish", args=[decision.pk, "outcome"]), {"published_on": "2025-04-02"}),
    ):
        assert client.post(url, data).status_code == 302

    decision.refresh_from_db()
    assert decision.state == DecisionState.CLOSED
    page = client.get(reverse("rights_lists:decision", args=[decision.pk]))
    assert "结果已公开（办结）" in page.text and "已发包。" in page.text
    assert page.text.count("timeline-step") == 4 and "《村民委员会组织法》第二十六条" in page.text


def test_the_decision_page_offers_only_the_steps_open_to_the_visitor(world):
    decision = adopted_decision(w.VILLAGE)
    url = reverse("rights_lists:decision", args=[decision.pk])

    clerk = client_for(world.user("village_clerk")).get(url).text
    inspector = client_for(world.user("inspector")).get(url).text

    assert 'id="publish-resolution"' in clerk and 'id="withdraw-decision"' in clerk and 'id="add-attachment"' in clerk
    assert 'id="record-next-step"' not in clerk  # adopted: no step left
    assert 'id="decision-actions"' not in inspector


def test_an_inquorate_meeting_is_refused_under_present_with_the_rule_and_the_numbers(world):
    decision = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation", "review"):
        DecisionStepFactory(decision=decision, step=step, held_on=D(2025, 3, 1))
    client = client_for(world.user("village_clerk"))

    response = record(
        client,
        decision,
        step="resolution",
        body="representative_assembly",
        held_on="2025-03-02",
        expected=20,
        present=13,
        votes_for=13,
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "《村民委员会组织法》第二十六条" in errors["present"][0]
    assert "到会人数 13 不足应到 20 人的三分之二（至少 14 人）" in errors["present"][0]
    assert 'id="error-present"' in response.text
    assert not decision.steps.filter(step="resolution").exists()


def test_a_meeting_dated_before_the_one_before_is_refused_under_the_date(world):
    decision = decision_on(w.VILLAGE)
    DecisionStepFactory(decision=decision, step="proposal", held_on=D(2025, 3, 5))

    response = record(
        client_for(world.user("village_clerk")),
        decision,
        step="consultation",
        body="two_committees",
        held_on="2025-03-01",
        expected=9,
        present=9,
        votes_for=9,
    )

    assert "早于上一步骤“党组织提议”的日期 2025-03-05" in response.context["form"].errors["held_on"][0]


def test_more_votes_than_present_are_refused_under_the_votes(world):
    decision = decision_on(w.VILLAGE)

    response = record(
        client_for(world.user("village_clerk")),
        decision,
        step="proposal",
        body="party_committee",
        held_on="2025-03-01",
        expected=5,
        present=4,
        votes_for=4,
        votes_against=1,
    )

    assert "合计 5 票，多于实到人数 4" in response.context["form"].errors["votes_for"][0]


def test_a_step_recorded_meanwhile_in_another_tab_is_refused_on_the_form(world):
    decision = decision_on(w.VILLAGE)
    client = client_for(world.user("village_clerk"))
    DecisionStepFactory(decision=decision, step="proposal", held_on=D(2025, 3, 1))

    # The form was shown for the proposal; meanwhile the proposal was recorded.
    response = record(
        client,
        decision,
        step="proposal",
        body="party_committee",
        held_on="2025-03-02",
        expected=5,
        present=5,
        votes_for=5,
    )

    assert response.status_code == 200, response.status_code
    assert "“党组织提议”已经登记" in response.text, response.context["form"].errors


def test_a_meeting_that_lacks_the_majority_ends_the_decision_not_adopted(world):
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)
    client = client_for(world.user("village_clerk"))

    response = record(
        client,
        decision,
        step="consultation",
        body="two_committees",
        held_on="2025-03-01",
        expected=9,
        present=9,
        votes_for=4,
    )
    response = client.get(response.url)

    assert "已登记“两委会议商议”：未通过" in response.text and 'id="not-adopted"' in response.text
    reopen = reverse("rights_lists:decision_open", args=[w.VILLAGE]) + f"?item={decision.item_id}"
    assert f'href="{reopen}" id="reopen-decision"' in response.text
    decision.refresh_from_db()
    assert decision.state == DecisionState.NOT_ADOPTED


# --- the step form: the rule in force and the preview ------------------------------------------


def preview(client, decision, **figures):
    return client.post(reverse("rights_lists:step_preview", args=[decision.pk]), figures)


def test_the_step_form_shows_the_rules_of_the_bodies_that_may_sit_with_their_sources(world):
    decision = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation", "review"):
        DecisionStepFactory(decision=decision, step=step, held_on=D(2025, 3, 1))

    page = client_for(world.user("village_clerk")).get(step_url(decision)).text

    assert 'id="rule-representative_assembly"' in page and 'id="rule-villagers_assembly"' in page
    assert "《村民委员会组织法》第二十六条" in page and "《村民委员会组织法》第二十二条" in page
    assert "到会人数不少于应到人数的三分之二" in page
    assert "赞成票超过到会人数的半数" in page


def test_the_step_form_shows_a_districts_own_rule_as_such(world):
    QuorumRule.objects.create(
        division=division(w.DISTRICT),
        body=Body.TWO_COMMITTEES,
        quorum_numerator=2,
        quorum_denominator=3,
        quorum_strict=False,
        majority_base="members",
        source="南海区两委联席会议议事规则",
    )
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)

    page = client_for(world.user("village_clerk")).get(step_url(decision)).text

    assert "南海区两委联席会议议事规则" in page and "本区规定" in page


def test_the_preview_names_the_rule_and_the_numbers_an_inquorate_meeting_breaks_without_saving(world):
    decision = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation", "review"):
        DecisionStepFactory(decision=decision, step=step, held_on=D(2025, 3, 1))
    events = audit_events()

    response = preview(
        client_for(world.user("village_clerk")),
        decision,
        step="resolution",
        body="representative_assembly",
        held_on="2025-03-02",
        expected="20",
        present="13",
    )

    assert response.status_code == 200
    present = response.text.split('id="preview-present"', 1)[1].split("</div></div>", 1)[0]
    assert "村民代表会议不能召开（《村民委员会组织法》第二十六条）" in present
    assert "到会人数 13 不足应到 20 人的三分之二（至少 14 人）" in present
    assert "至少 14 人到会方可开会" in response.text and "至少 7 票赞成方可通过" in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert audit_events() == events and decision.steps.count() == 3


def test_the_preview_says_a_meeting_would_adopt_and_by_which_rule(world):
    decision = decision_on(w.VILLAGE)

    response = preview(
        client_for(world.user("village_clerk")),
        decision,
        step="proposal",
        body="party_committee",
        held_on="2025-03-01",
        expected="5",
        present="4",
        votes_for="3",
    )

    assert "可以登记，将通过" in response.text
    assert (
        "《中国共产党支部工作条例（试行）》第十三条：赞成 3 票，超过全体成员 5 人的半数（至少 3 票），通过。"
        in response.text
    )


def test_the_preview_warns_that_a_meeting_would_not_adopt(world):
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)

    response = preview(
        client_for(world.user("village_clerk")),
        decision,
        step="consultation",
        body="two_committees",
        held_on="2025-03-01",
        expected="9",
        present="9",
        votes_for="4",
    )

    assert "可以登记，但将不通过" in response.text and "未通过。" in response.text


def test_the_preview_puts_each_message_under_its_field_and_waits_for_figures_not_yet_typed(world):
    decision = decision_on(w.VILLAGE)
    client = client_for(world.user("village_clerk"))

    nothing_yet = preview(client, decision, step="proposal", body="party_committee", held_on="", present="")
    too_many = preview(
        client, decision, step="proposal", body="party_committee", held_on="2025-03-01", expected="5", present="6"
    )

    assert (
        "多于" not in nothing_yet.text and "必填" not in nothing_yet.text and "这个字段是必填项" not in nothing_yet.text
    )
    votes_slot = too_many.text.split('id="preview-votes_for"', 1)[1].split("</div>", 1)[0]
    assert "实到人数 6 多于应到人数 5。" in too_many.text.split('id="preview-present"', 1)[1]
    assert "多于" not in votes_slot


def test_the_preview_and_the_service_refuse_with_the_same_words(world):
    """The preview runs services.assess_step, the checks record_step refuses a step with."""
    from django.core.exceptions import ValidationError

    from rights_lists import services

    decision = decision_on(w.VILLAGE)
    figures = {"step": "proposal", "held_on": D(2025, 3, 1), "expected": 8, "present": 3, "votes_for": 3}

    assessment = services.assess_step(decision, **figures)
    with pytest.raises(ValidationError) as refused:
        services.record_step(decision, acting_user=world.user("village_clerk"), **figures)
    shown = preview(
        client_for(world.user("village_clerk")),
        decision,
        **{name: str(value) for name, value in figures.items()},
        body="party_committee",
    )

    assert refused.value.message_dict == assessment.errors
    assert assessment.errors["present"][0] in shown.text
    assert not decision.steps.exists()


def test_the_villagers_assembly_sits_with_two_thirds_of_the_households_on_the_form(world):
    decision = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation", "review"):
        DecisionStepFactory(decision=decision, step=step, held_on=D(2025, 3, 1))
    client = client_for(world.user("village_clerk"))
    figures = {
        "step": "resolution",
        "body": "villagers_assembly",
        "held_on": "2025-03-02",
        "expected": "300",
        "present": "120",
        "votes_for": "100",
        "households": "90",
    }

    short = preview(client, decision, **figures, households_present="59")
    enough = preview(client, decision, **figures, households_present="60")
    response = record(client, decision, **figures, households_present=60)

    assert "到会户代表 59 户也不足应到 90 户的三分之二（至少 60 户）" in short.text
    assert "可以登记，将通过" in enough.text
    assert response.status_code == 302
    row = decision.steps.get(step="resolution")
    assert (row.body, row.households, row.households_present, row.adopted) == ("villagers_assembly", 90, 60, True)


# --- the expected count and the records --------------------------------------------------------


def test_the_expected_count_defaults_from_the_records_and_a_differing_figure_is_flagged_on_the_timeline(world):
    for _n in range(3):
        PartyMembershipFactory(branch=division(w.VILLAGE), joined_on=D(2010, 1, 1))
    decision = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation"):
        DecisionStepFactory(decision=decision, step=step, held_on=D(2025, 3, 1))
    client = client_for(world.user("village_clerk"))

    form = client.get(step_url(decision)).text
    differing = preview(
        client, decision, step="review", body="party_assembly", held_on="2025-03-02", expected="4", present="3"
    )
    record(
        client, decision, step="review", body="party_assembly", held_on="2025-03-02", expected=4, present=3, votes_for=3
    )
    timeline = client.get(reverse("rights_lists:decision", args=[decision.pk])).text

    assert "党员大会 3 人" in form  # the records' figure, offered before anything is typed
    assert "填写的应到人数 4 与系统记录的 3 人不符" in differing.text
    assert "应到人数与系统记录（3 人）不符" in timeline
    assert DecisionStep.objects.get(decision=decision, step="review").expected_differs


def test_an_expected_count_left_blank_is_the_records_figure(world):
    for _n in range(4):
        PartyMembershipFactory(branch=division(w.VILLAGE), joined_on=D(2010, 1, 1))
    decision = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation"):
        DecisionStepFactory(decision=decision, step=step, held_on=D(2025, 3, 1))
    client = client_for(world.user("village_clerk"))

    shown = preview(client, decision, step="review", body="party_assembly", held_on="2025-03-02", present="3")
    record(
        client,
        decision,
        step="review",
        body="party_assembly",
        held_on="2025-03-02",
        expected="",
        present=3,
        votes_for=3,
    )

    assert "应到 4 人（按系统记录）" in shown.text
    row = DecisionStep.objects.get(decision=decision, step="review")
    assert (row.expected, row.expected_from_records, row.expected_differs) == (4, 4, False)
    assert "应到人数与系统记录" not in client.get(reverse("rights_lists:decision", args=[decision.pk])).text


# --- lists, items and the review queue ---------------------------------------------------------


def test_the_items_in_force_offer_a_new_decision_to_who_may_open_one(world):
    template = adopted_template(w.VILLAGE)
    url = reverse("rights_lists:items_in_force", args=[w.VILLAGE])

    clerk = client_for(world.user("village_clerk")).get(url).text
    town = client_for(world.user("town_official")).get(url).text
    committee_only = client_for(world.user("village_clerk")).get(url, {"procedure": "committee"}).text

    assert template.title in clerk and "集体资产处置" in clerk and "open-decision" in clerk
    assert "集体资产处置" in town and "open-decision" not in town
    assert "村级小额工程建设" in committee_only and "集体资产处置" not in committee_only


def test_the_list_register_filters_by_kind(world):
    adopted_template(w.VILLAGE)
    own_list(w.VILLAGE)
    client = client_for(world.user("village_clerk"))

    petty = client.get(reverse("rights_lists:lists"), {"kind": ListKind.PETTY_POWER}).text

    assert f"清单{w.VILLAGE}" in petty and "区级模板" not in petty


def test_the_registers_filter_by_a_division_and_its_subtree(world):
    titled(w.COOPERATIVE)
    titled(w.OTHER_VILLAGE_SAME_TOWN)
    own_list(w.COOPERATIVE)
    own_list(w.OTHER_VILLAGE_SAME_TOWN)
    client = client_for(world.user("town_official"))

    decisions = client.get(reverse("rights_lists:decisions"), {"division": w.VILLAGE}).text
    lists = client.get(reverse("rights_lists:lists"), {"owner": w.VILLAGE}).text

    assert f"决策{w.COOPERATIVE}" in decisions and f"决策{w.OTHER_VILLAGE_SAME_TOWN}" not in decisions
    assert f"清单{w.COOPERATIVE}" in lists and f"清单{w.OTHER_VILLAGE_SAME_TOWN}" not in lists


def test_the_api_filters_decisions_and_lists_by_a_divisions_subtree_as_the_pages_do(world):
    from governance.testing.api import client_as, results_of

    titled(w.COOPERATIVE)
    titled(w.OTHER_VILLAGE_SAME_TOWN)
    own_list(w.COOPERATIVE)
    client = client_as("town_official")

    decisions = client.get(reverse("api:decision-list"), {"division": w.VILLAGE})
    lists = client.get(reverse("api:rightslist-list"), {"owner": w.VILLAGE})

    assert [row["division"] for row in results_of(decisions)] == [w.COOPERATIVE]
    assert [row["owner"] for row in results_of(lists)] == [w.COOPERATIVE]


def test_the_town_official_records_the_towns_review_from_the_queue_and_the_home_page_counts_it(world):
    decision = decision_on(w.VILLAGE, Procedure.TOWN_REVIEW, title="集体仓库出售")
    client = client_for(world.user("town_official"))

    home = client.get(reverse("home")).text
    queue = client.get(reverse("rights_lists:reviews")).text
    response = record(
        client, decision, step="review", body="town", held_on="2025-03-01", expected=7, present=5, votes_for=4
    )

    assert "1 项决策待镇级审核。" in home and "集体仓库出售" in queue
    assert response.status_code == 302
    assert "集体仓库出售" not in client.get(reverse("rights_lists:reviews")).text


def test_the_register_filtered_by_a_village_offers_a_new_decision_there_to_who_may_open_one(world):
    url = reverse("rights_lists:decisions")

    admin = client_for(world.user("district_admin")).get(url, {"division": w.VILLAGE}).text
    unfiltered = client_for(world.user("district_admin")).get(url).text
    town = client_for(world.user("town_official")).get(url, {"division": w.VILLAGE}).text
    clerk = client_for(world.user("village_clerk")).get(url).text

    items = reverse("rights_lists:items_in_force", args=[w.VILLAGE])
    assert f'href="{items}" id="open-decision"' in admin and 'id="open-decision"' not in unfiltered
    assert 'id="open-decision"' not in town and f'href="{items}" id="open-decision"' in clerk
    assert f'href="{items}" id="items-tab"' in town  # who reads the items there finds them


def test_the_navigation_offers_the_decisions_to_who_views_them(world):
    assert "清单与决策" in client_for(world.user("village_clerk")).get(reverse("home")).text
    assert "清单与决策" not in client_for(world.outsider).get(reverse("home")).text


# --- query counts ------------------------------------------------------------------------------


def add_decisions(count: int) -> None:
    for _n in range(count):
        decision = decision_on(w.VILLAGE)
        DecisionStepFactory(decision=decision, step="proposal", held_on=D(2025, 3, 1))


def add_lists(count: int) -> None:
    for _n in range(count):
        rights_list = RightsListFactory(
            owner=division(w.VILLAGE),
            kind=ListKind.PETTY_POWER,
            version=_next_version(),
            status=ListStatus.DRAFT,
            valid_from=None,
        )
        ListItemFactory(list=rights_list)


def _next_version() -> int:
    from rights_lists.models import RightsList

    return RightsList.objects.filter(owner_id=w.VILLAGE, kind=ListKind.PETTY_POWER).count() + 1


def add_review_decisions(count: int) -> None:
    for _n in range(count):
        decision_on(w.VILLAGE, Procedure.TOWN_REVIEW)


def add_items(count: int) -> None:
    template = adopted_template(w.VILLAGE)
    for _n in range(count):
        ListItemFactory(list=template)


def add_meetings_and_files(count: int) -> None:
    """Steps and attachments on the decision QUERY_DECISION's page shows."""
    from rights_lists.models import DecisionAttachment

    decision = Decision.objects.get(title="计数决策")
    for _n in range(count):
        DecisionAttachment.objects.create(
            decision=decision,
            step=decision.steps.first(),
            file="rights_lists/decisionattachment/none",
            original_name="会议记录.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=decision.opened_by,
        )


def counted_decision_url() -> str:
    decision = Decision.objects.filter(title="计数决策").first()
    if decision is None:
        decision = decision_on(w.VILLAGE, title="计数决策")
        DecisionStepFactory(decision=decision, step="proposal", held_on=D(2025, 3, 1))
    return reverse("rights_lists:decision", args=[decision.pk])


# page → (who looks, how rows are added, the URL, the pinned number of queries)
QUERY_PAGES = {
    "decision register": ("village_clerk", add_decisions, lambda: reverse("rights_lists:decisions"), 6),
    "review queue": ("town_official", add_review_decisions, lambda: reverse("rights_lists:reviews"), 6),
    "list register": ("village_clerk", add_lists, lambda: reverse("rights_lists:lists"), 5),
    "items in force": (
        "village_clerk",
        add_items,
        lambda: reverse("rights_lists:items_in_force", args=[w.VILLAGE]),
        5,
    ),
    "decision page": ("village_clerk", add_meetings_and_files, counted_decision_url, 7),
}


@pytest.mark.parametrize("page_name", list(QUERY_PAGES))
def test_a_page_costs_the_same_queries_for_one_row_and_for_many(world, page_name):
    who, add_rows, url, pinned = QUERY_PAGES[page_name]
    client = client_for(world.user(who))
    url()  # the page's own record, when it has one

    add_rows(1)
    with_one = queries_for(client, url())
    add_rows(20)
    with_many = queries_for(client, url())

    assert (with_one, with_many) == (pinned, pinned)


def test_the_step_form_and_its_preview_cost_the_same_queries_for_the_first_step_and_the_last(world):
    first = decision_on(w.VILLAGE)
    last = decision_on(w.VILLAGE)
    for step in ("proposal", "consultation", "review"):
        DecisionStepFactory(decision=last, step=step, held_on=D(2025, 3, 1))
    client = client_for(world.user("village_clerk"))
    queries_for(client, step_url(first))  # the grants, read once and cached

    def preview_queries(decision, **figures) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                preview(client, decision, held_on="2025-03-02", expected="9", present="7", **figures).status_code == 200
            )
        return len(captured)

    forms = (queries_for(client, step_url(first)), queries_for(client, step_url(last)))
    previews = (
        preview_queries(first, step="proposal", body="party_committee"),
        preview_queries(last, step="resolution", body="representative_assembly"),
    )

    # One count from the records per body they keep members of: none for the party committee,
    # the representatives and the adult villagers for the resolution, after the village's area
    # (itself and the villages merged into it, read once).
    assert forms == (7, 10)
    assert previews == (8, 10)


def test_the_implementation_form_names_the_first_day_of_the_publicity_period_and_refuses_an_earlier_one(world):
    decision = published_decision(w.VILLAGE)  # published on 2 March 2025, its item's period 5 days
    url = reverse("rights_lists:implementation", args=[decision.pk])
    client = client_for(world.user("village_clerk"))

    form = client.get(url).text
    refused = client.post(url, {"done_on": "2025-03-06", "summary": "已按决议发包。"})

    assert "决议于 2025-03-02 公开，公示期 5 天：2025-03-07 起可登记实施。" in form
    assert refused.status_code == 200 and "实施完成日期最早为 2025-03-07" in refused.text
    assert client.post(url, {"done_on": "2025-03-07", "summary": "已按决议发包。"}).status_code == 302
