"""The rights_lists API (docs/api.md, "Matters-power lists and decisions"; DESIGN.md section 7):
access matrices of lists, items and decisions, the items in force for a division, the decision's
actions and their refusals in DRF's shape, XLSX through the API, and pinned query counts."""

import datetime
import io

import pytest
from django.urls import reverse

from governance.testing.api import (
    ANONYMOUS,
    CALLERS,
    APIViewTestCases,
    client_as,
    in_jurisdiction,
    queries_and_rows,
    results_of,
)
from governance.testing.fixtures import OUTSIDER
from governance.testing.world import (
    COOPERATIVE,
    FAR_VILLAGE,
    OTHER_TOWN_VILLAGE,
    OTHER_VILLAGE_SAME_TOWN,
    TOWN,
    VILLAGE,
)
from rights_lists.choices import ListKind, ListStatus, Procedure, Step
from rights_lists.models import Decision, DecisionStep, ListItem, RightsList
from rights_lists.testing.factories import (
    DecisionFactory,
    DecisionStepFactory,
    ListItemFactory,
    RightsListFactory,
    adopted_template,
    decision_on,
    district_template,
)
from villages.testing.factories import division

ALL_ROLES = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"}
LIST_EDITORS = {"district_admin", "town_official", "village_clerk"}
DECISION_RECORDERS = {"district_admin", "village_clerk"}

# Lists and decisions of the matrices lie in villages: (inside, outside) the caller's jurisdiction.
# A cooperative clerk reads its village's lists from below (tested on its own), so the matrices
# leave that role out.
VILLAGE_PLACES = {
    "district_admin": (OTHER_TOWN_VILLAGE, FAR_VILLAGE),
    "town_official": (OTHER_VILLAGE_SAME_TOWN, OTHER_TOWN_VILLAGE),
    "village_clerk": (VILLAGE, OTHER_VILLAGE_SAME_TOWN),
    "grid_worker": (VILLAGE, OTHER_VILLAGE_SAME_TOWN),
    "inspector": (VILLAGE, FAR_VILLAGE),
    "report_reader": (OTHER_TOWN_VILLAGE, FAR_VILLAGE),
    OUTSIDER: (VILLAGE, FAR_VILLAGE),
    ANONYMOUS: (VILLAGE, FAR_VILLAGE),
}
VILLAGE_LEVEL_CALLERS = tuple(who for who in CALLERS if who != "coop_clerk")
D = datetime.date


class VillageLevelRecords:
    places = VILLAGE_PLACES

    def build_objects(self, world):
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))


def own_list(code: str) -> RightsList:
    rights_list = RightsListFactory(owner=division(code), kind=ListKind.PETTY_POWER)
    ListItemFactory(list=rights_list, number="1", procedure=Procedure.COMMITTEE)
    return rights_list


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestRightsListAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "rightslist"
    model = RightsList
    viewers = ALL_ROLES
    adders = LIST_EDITORS

    def make_object(self, code):
        return own_list(code)

    def create_data(self, code, scenario, who):
        return {"owner": code, "kind": ListKind.SOCIAL_MANAGEMENT, "title": "社会管理职责清单"}


class TestListItemAccess(VillageLevelRecords, APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests):
    basename = "listitem"
    model = ListItem
    viewers = ALL_ROLES

    def make_object(self, code):
        return own_list(code).items.get()


class TestDecisionAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "decision"
    model = Decision
    viewers = ALL_ROLES
    adders = DECISION_RECORDERS

    def make_object(self, code):
        return decision_on(code)

    def create_data(self, code, scenario, who):
        return {"division": code, "item": scenario.objects[code].item_id, "title": "鱼塘发包"}

    # The decision's actions: inside the jurisdiction, recorders may, viewers get 403; outside 404.
    ACTIONS = {
        "steps": {"step": "proposal", "held_on": "2025-03-01", "expected": 5, "present": 5, "votes_for": 5},
        "withdraw": {"reason": "项目取消。", "withdrawn_on": "2025-03-02"},
    }

    @pytest.mark.parametrize("name", list(ACTIONS))
    def test_a_decisions_action_is_taken_by_a_recorder_inside_the_jurisdiction_only(
        self, scenario, who, where, name, db
    ):
        decision = self.object_at(scenario, who, where)
        url = reverse(f"api:decision-{name}", kwargs={"pk": decision.pk})

        response = client_as(who).post(url, self.ACTIONS[name], format="json")

        success = 201 if name == "steps" else 200
        expected = self.expected_on_one_object(who, self.place(who, where), DECISION_RECORDERS, success)
        assert response.status_code == expected, response.content[:500]
        assert DecisionStep.objects.filter(decision=decision).exists() == (expected == 201)


def test_a_cooperative_clerk_reads_the_lists_of_its_village_and_the_district_from_below(world):
    template = district_template()
    village_list = own_list(VILLAGE)
    own_list(OTHER_VILLAGE_SAME_TOWN)
    coop_list = own_list(COOPERATIVE)

    response = client_as("coop_clerk").get(reverse("api:rightslist-list"))

    assert {row["id"] for row in results_of(response)} == {template.pk, village_list.pk, coop_list.pk}


# --- 2. Items in force for a division (DESIGN.md section 7) -------------------------------------------


def test_the_items_in_force_for_a_village_include_its_adopted_templates(world):
    template = adopted_template(VILLAGE)
    village_list = own_list(VILLAGE)

    response = client_as("village_clerk").get(reverse("api:listitem-list"), {"division": VILLAGE})

    assert response.status_code == 200
    rows = results_of(response)
    expected = {*template.items.values_list("pk", flat=True), *village_list.items.values_list("pk", flat=True)}
    assert {row["id"] for row in rows} == expected
    first = next(row for row in rows if row["id"] == template.items.get(number="1").pk)
    assert {"id", "number", "title", "list_kind", "procedure"} <= set(first)
    assert (first["list_kind"], first["procedure"]) == (ListKind.VILLAGE_MATTERS, "four_deliberations")


def test_the_items_in_force_filter_by_procedure(world):
    adopted_template(VILLAGE)

    response = client_as("village_clerk").get(
        reverse("api:listitem-list"), {"division": VILLAGE, "procedure": "town_review"}
    )

    assert [row["procedure"] for row in results_of(response)] == ["town_review"]


def test_the_items_in_force_outside_the_callers_jurisdiction_are_not_shown(world):
    adopted_template(OTHER_VILLAGE_SAME_TOWN)

    response = client_as("village_clerk").get(reverse("api:listitem-list"), {"division": OTHER_VILLAGE_SAME_TOWN})

    assert response.status_code == 200 and results_of(response) == []


def test_a_report_reader_reads_the_items_in_force_in_the_district(world):
    adopted_template(OTHER_TOWN_VILLAGE)

    response = client_as("report_reader").get(reverse("api:listitem-list"), {"division": OTHER_TOWN_VILLAGE})

    assert len(results_of(response)) == 3


def test_lists_in_force_for_a_division_are_listed_too(world):
    template = adopted_template(VILLAGE)
    RightsListFactory(owner=division(VILLAGE), kind=ListKind.NEGATIVE, status=ListStatus.DRAFT, valid_from=None)

    response = client_as("village_clerk").get(reverse("api:rightslist-list"), {"division": VILLAGE})

    assert [row["id"] for row in results_of(response)] == [template.pk]
    assert results_of(response)[0]["is_template"] is True


# --- 3. The decision's workflow through the API ---------------------------------------------------------


def post(who, decision, name, data):
    return client_as(who).post(reverse(f"api:decision-{name}", kwargs={"pk": decision.pk}), data, format="json")


def test_a_clerk_takes_a_decision_from_proposal_to_its_published_outcome(world):
    item = adopted_template(VILLAGE).items.get(number="1")
    opened = client_as("village_clerk").post(
        reverse("api:decision-list"), {"division": VILLAGE, "item": item.pk, "title": "鱼塘发包"}, format="json"
    )
    assert opened.status_code == 201, opened.content
    decision = Decision.objects.get(pk=opened.json()["id"])
    assert opened.json()["state"] == "open"
    assert opened.json()["steps_required"] == ["proposal", "consultation", "review", "resolution"]
    figures = {"expected": 9, "present": 7, "votes_for": 6, "votes_against": 1}
    for name, day in (("proposal", "2025-03-01"), ("consultation", "2025-03-03"), ("review", "2025-03-05")):
        response = post("village_clerk", decision, "steps", {"step": name, "held_on": day, **figures})
        assert response.status_code == 201, response.content
    response = post(
        "village_clerk",
        decision,
        "steps",
        {"step": "resolution", "body": "representative_assembly", "held_on": "2025-03-08", **figures},
    )
    assert response.json()["state"] == "adopted"
    response = post("village_clerk", decision, "publications", {"kind": "resolution", "published_on": "2025-03-09"})
    assert response.json()["state"] == "resolution_published"
    response = post("village_clerk", decision, "implementation", {"done_on": "2025-04-01", "summary": "已签订合同。"})
    assert response.json()["state"] == "implemented"
    response = post("village_clerk", decision, "publications", {"kind": "outcome", "published_on": "2025-04-02"})

    body = response.json()
    assert response.status_code == 201 and body["state"] == "closed"
    assert [step["step"] for step in body["steps"]] == ["proposal", "consultation", "review", "resolution"]
    assert [publication["kind"] for publication in body["publications"]] == ["resolution", "outcome"]
    assert body["implementation"]["summary"] == "已签订合同。"


def test_an_inquorate_meeting_is_a_400_on_present_naming_the_rule_and_the_numbers(world):
    decision = decision_on(VILLAGE)
    for name in ("proposal", "consultation", "review"):
        DecisionStepFactory(decision=decision, step=name, held_on=D(2025, 3, 1))

    response = post(
        "village_clerk",
        decision,
        "steps",
        {
            "step": "resolution",
            "body": "representative_assembly",
            "held_on": "2025-03-08",
            "expected": 20,
            "present": 13,
            "votes_for": 13,
        },
    )

    assert response.status_code == 400
    assert "到会人数 13 不足应到 20 人的三分之二（至少 14 人）" in response.json()["present"][0]


def test_a_step_out_of_order_is_a_400_on_step(world):
    response = post(
        "village_clerk",
        decision_on(VILLAGE),
        "steps",
        {"step": Step.REVIEW, "held_on": "2025-03-01", "expected": 5, "present": 5, "votes_for": 5},
    )
    assert response.status_code == 400 and "step" in response.json()


def test_a_decision_on_an_item_not_in_force_is_a_400_on_item(world):
    item = district_template().items.get(number="1")  # not adopted by the village

    response = client_as("village_clerk").post(
        reverse("api:decision-list"), {"division": VILLAGE, "item": item.pk, "title": "x"}, format="json"
    )

    assert response.status_code == 400 and "item" in response.json()


def test_the_town_official_records_the_towns_review_through_the_api(world):
    decision = decision_on(VILLAGE, Procedure.TOWN_REVIEW)
    data = {"step": "review", "held_on": "2025-03-01", "expected": 7, "present": 5, "votes_for": 4}

    assert post("village_clerk", decision, "steps", data).status_code == 403
    response = post("town_official", decision, "steps", data)

    assert response.status_code == 201 and response.json()["state"] == "adopted"
    assert response.json()["steps"][0]["body"] == "town"


def test_a_differing_expected_figure_is_flagged_on_the_timeline(world):
    from villages.testing.factories import PartyMembershipFactory

    PartyMembershipFactory(branch=division(VILLAGE))
    decision = decision_on(VILLAGE)
    for name in ("proposal", "consultation"):
        DecisionStepFactory(decision=decision, step=name, held_on=D(2025, 3, 1))

    response = post(
        "village_clerk",
        decision,
        "steps",
        {"step": "review", "held_on": "2025-03-02", "expected": 3, "present": 3, "votes_for": 2},
    )

    review = response.json()["steps"][-1]
    assert (review["expected"], review["expected_from_records"], review["expected_differs"]) == (3, 1, True)


# --- 4. Lists through the API: adoption, versions, XLSX -------------------------------------------------


def test_a_town_official_adopts_a_template_in_every_village_of_the_town(world):
    template = district_template()
    url = reverse("api:rightslist-adopt", kwargs={"pk": template.pk})

    response = client_as("town_official").post(url, {"town": TOWN, "adopted_on": "2025-01-01"}, format="json")
    refused = client_as("town_official").post(url, {"town": OTHER_TOWN_VILLAGE[:9]}, format="json")

    assert response.status_code == 200 and response.json()["adopted"] == 2
    assert refused.status_code == 404


def test_a_list_is_exported_and_imported_as_xlsx(world):
    template = district_template()
    exported = client_as("village_clerk").get(reverse("api:rightslist-export", kwargs={"pk": template.pk}))
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    draft = RightsListFactory(
        owner=division(VILLAGE), kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None
    )
    upload = io.BytesIO(exported.content)
    upload.name = "list.xlsx"

    response = client_as("village_clerk").post(
        reverse("api:rightslist-import-items", kwargs={"pk": draft.pk}), {"file": upload}, format="multipart"
    )

    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 3} and draft.items.count() == 3


def test_a_bad_xlsx_is_a_400_with_its_row_errors(world):
    draft = RightsListFactory(
        owner=division(VILLAGE), kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None
    )
    from tests.rights_lists.test_xlsx import workbook_of

    upload = workbook_of([["1", "", "", "", "", "committee", None, None]])
    upload.name = "bad.xlsx"

    response = client_as("village_clerk").post(
        reverse("api:rightslist-import-items", kwargs={"pk": draft.pk}), {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["第 2 行“事项名称”：必填。"]


def test_the_district_admin_publishes_a_new_version_through_the_api(world):
    template = district_template()
    client = client_as("district_admin")

    draft = client.post(reverse("api:rightslist-new-version", kwargs={"pk": template.pk}))
    published = client.post(
        reverse("api:rightslist-publish", kwargs={"pk": draft.json()["id"]}),
        {"valid_from": "2025-01-01"},
        format="json",
    )

    assert draft.status_code == 201 and draft.json()["version"] == 2 and draft.json()["item_count"] == 3
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert (
        client_as("village_clerk").post(reverse("api:rightslist-new-version", kwargs={"pk": template.pk})).status_code
        == 403
    )


# --- 5. Query counts --------------------------------------------------------------------------------


def add_items(rights_list, count, start):
    ListItem.objects.bulk_create(
        ListItem(list=rights_list, number=f"x{start + n}", title="事项", procedure=Procedure.COMMITTEE)
        for n in range(count)
    )


def add_decisions(count):
    for _ in range(count):
        decision = decision_on(VILLAGE)
        DecisionStepFactory(decision=decision)


PINNED_QUERIES = {"list-items": 3, "list-items-in-force": 3, "lists": 3, "decisions": 5}


@pytest.mark.parametrize("name", list(PINNED_QUERIES))
def test_a_list_costs_the_same_number_of_queries_for_1_row_and_for_100(world, name):
    params = {"page_size": 1000}
    if name == "decisions":
        url = reverse("api:decision-list")
        add_rows = {1: lambda: add_decisions(1), 99: lambda: add_decisions(99)}
    elif name == "lists":
        url = reverse("api:rightslist-list")
        add_rows = {
            1: lambda: own_list(VILLAGE),
            99: lambda: [
                RightsListFactory(
                    owner=division(VILLAGE),
                    kind=ListKind.NEGATIVE,
                    version=n + 2,
                    status=ListStatus.DRAFT,
                    valid_from=None,
                )
                for n in range(99)
            ],
        }
    else:
        url = reverse("api:listitem-list")
        rights_list = RightsListFactory(owner=division(VILLAGE), kind=ListKind.PETTY_POWER)
        if name == "list-items-in-force":
            params["division"] = VILLAGE
        add_rows = {1: lambda: add_items(rights_list, 1, 0), 99: lambda: add_items(rights_list, 99, 1)}

    add_rows[1]()
    queries_for_1, rows_1 = queries_and_rows(client_as("village_clerk"), url, params)
    add_rows[99]()
    queries_for_100, rows_100 = queries_and_rows(client_as("village_clerk"), url, params)

    assert (rows_1, rows_100) == (1, 100)
    assert queries_for_1 == queries_for_100
    assert queries_for_100 == PINNED_QUERIES[name]


def test_a_decisions_detail_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    decision = decision_on(VILLAGE)
    DecisionStepFactory(decision=decision)
    client = client_as("village_clerk")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("api:decision-detail", kwargs={"pk": decision.pk}))
    assert response.status_code == 200 and len(response.json()["steps"]) == 1


def test_every_caller_sees_decisions_only_where_it_may(world):
    inside, outside = decision_on(VILLAGE), decision_on(FAR_VILLAGE)
    rows = {row["id"] for row in results_of(client_as("inspector").get(reverse("api:decision-list")))}
    assert inside.pk in rows and outside.pk not in rows
    assert not in_jurisdiction("inspector", FAR_VILLAGE)
    assert DecisionFactory  # the factory builds a decision on the adopted template's full item


def test_an_unknown_kind_is_a_400_on_kind(world):
    decision = decision_on(VILLAGE)
    response = post("village_clerk", decision, "publications", {"kind": "poster", "published_on": "2025-03-09"})
    created = client_as("village_clerk").post(
        reverse("api:rightslist-list"), {"owner": VILLAGE, "kind": "wishlist", "title": "x"}, format="json"
    )

    assert response.status_code == 400 and "kind" in response.json()
    assert created.status_code == 400 and "kind" in created.json()


def test_the_meeting_rules_of_a_district_name_their_sources_and_the_districts_own(world):
    from rights_lists.choices import Body, MajorityBase
    from rights_lists.models import QuorumRule

    QuorumRule.objects.create(
        division=division(VILLAGE[:6]),
        body=Body.TWO_COMMITTEES,
        quorum_numerator=2,
        quorum_denominator=3,
        quorum_strict=False,
        majority_base=MajorityBase.PRESENT,
        source="南海区两委联席会议议事规则",
    )

    response = client_as("village_clerk").get(reverse("api:meetingrule-list"), {"division": VILLAGE})
    anonymous = client_as(ANONYMOUS).get(reverse("api:meetingrule-list"), {"division": VILLAGE})

    rules = {row["body"]: row for row in response.json()}
    assert rules["representative_assembly"]["quorum"] == {"numerator": 2, "denominator": 3, "strict": False}
    assert rules["representative_assembly"]["source"] == "《村民委员会组织法》第二十六条"
    assert rules["villagers_assembly"]["household_quorum"]["denominator"] == 3
    assert rules["party_assembly"]["majority_base"] == "entitled"
    assert rules["two_committees"]["set_by_district"] is True and rules["two_committees"]["majority_base"] == "present"
    assert rules["party_committee"]["set_by_district"] is False
    assert anonymous.status_code == 401
