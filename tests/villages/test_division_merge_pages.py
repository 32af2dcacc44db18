"""撤并 in the browser (issue 16 point 6): the district retires a village into another of its town
from the village's page (/divisions/<code>/merge/), previews what the merger carries over, and
confirms; from then on the successor's page, its people list, the per-unit reports and the
meetings' expected counts include the retired village's people and records, which keep its code.

The merged village is 联和 (OTHER_VILLAGE_SAME_TOWN), the successor 罗村 (VILLAGE), both of 狮山镇.
Every date is fixed and past: nothing here depends on today but the page's default date."""

import datetime

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from covenants.testing.factories import CovenantFactory
from governance import clock
from governance.reporting import per_unit, unit_in, units_and_successors
from governance.testing import world as w
from governance.testing.api import client_as, results_of
from governance.testing.factories import UserFactory, assign
from governance.testing.pages import PageAccessTests, audit_events, queries_for, signed_in_client
from rights_lists import rules
from rights_lists.choices import Body
from rights_lists.models import Decision
from rights_lists.testing.factories import decision_on
from villages.choices import Level
from villages.identity import make_id_number
from villages.models import Division, Person, Position
from villages.querysets import in_area
from villages.services import retire_division
from villages.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PartyMembershipFactory,
    PersonFactory,
    PositionFactory,
    division,
)

D = datetime.date
MERGED, SUCCESSOR = w.OTHER_VILLAGE_SAME_TOWN, w.VILLAGE
MERGED_COOPERATIVE = f"{MERGED}001"
MERGED_ON = D(2024, 12, 31)

pytestmark = pytest.mark.django_db


def merge_url(code: str) -> str:
    return reverse("villages:division_merge", args=[code])


def successor_of(code: str) -> str:
    """A division of the same level and parent as `code` (what the page offers)."""
    return {w.COOPERATIVE: w.OTHER_COOPERATIVE_SAME_VILLAGE, MERGED: SUCCESSOR}.get(code, code)


# --- 1. Who may merge: the district only -------------------------------------------------------


class TestMergePage(PageAccessTests):
    """Every role views the cooperative's page; only the district administrator, who may change
    divisions (villages.change_division), may merge it: the town official and the clerks get 403,
    the outsider and whoever is outside 404."""

    viewers = {
        "district_admin",
        "town_official",
        "village_clerk",
        "coop_clerk",
        "grid_worker",
        "inspector",
        "report_reader",
    }
    posters = {"district_admin"}

    def url(self, place):
        return merge_url(place.code)

    def make_object(self, code):
        return division(code)

    def post_data(self, place):
        return {"into": successor_of(place.code), "on": "2024-12-31", "confirm": "1"}


# --- 2. The page: form, preview, confirmation ----------------------------------------------------


@pytest.fixture
def merged_village(world):
    """联和, to be merged: a cooperative; 3 people (2 adults, 1 child), 2 households, a current
    member of its cooperative, a party member, 3 current posts (2 representatives, the party
    secretary) and an ended one; a covenant and a
    decision. 罗村, its successor: 1 adult of its own."""
    cooperative = division(MERGED_COOPERATIVE, name="联和第一经济社")
    households = [HouseholdFactory(division=division(MERGED)) for _ in range(2)]
    adults = [
        PersonFactory(name="联和甲", division=division(MERGED), household=households[0]),
        PersonFactory(name="联和乙", division=division(MERGED), household=households[1]),
    ]
    PersonFactory(  # the birth date is the ID number's
        name="联和丙",
        division=division(MERGED),
        household=households[0],
        id_number=make_id_number("440605", D(2015, 1, 1), 7),
    )
    MembershipFactory(cooperative=cooperative)  # the member: a 4th person, of the cooperative
    PartyMembershipFactory(person=adults[0], branch=division(MERGED))
    PositionFactory(person=adults[0], division=division(MERGED), kind="villager_representative")
    PositionFactory(person=adults[1], division=division(MERGED), kind="villager_representative")
    PositionFactory(person=adults[0], division=division(MERGED), kind="party_secretary")
    PositionFactory(
        person=adults[1],
        division=division(MERGED),
        kind="reserve_cadre",
        started_on=D(2015, 1, 1),
        ended_on=D(2018, 1, 1),
    )
    CovenantFactory(division=division(MERGED))
    decision_on(MERGED, title="联和的决策")
    PersonFactory(name="罗村甲", division=division(SUCCESSOR))
    return division(MERGED)


def test_the_village_page_offers_the_merger_to_the_district_only(world):
    page = reverse("villages:division", args=[MERGED])

    assert 'id="merge-link"' in signed_in_client(world.user("district_admin")).get(page).text
    assert 'id="merge-link"' not in signed_in_client(world.user("town_official")).get(page).text


def test_the_form_offers_the_active_villages_of_the_same_town_and_today(world):
    division(f"{w.TOWN}009", name="已撤销村", retired_on=D(2020, 1, 1))
    response = signed_in_client(world.user("district_admin")).get(merge_url(MERGED))

    assert response.status_code == 200
    offered = [choice.value for choice, _label in response.context["form"].fields["into"].choices if choice]
    assert [str(code) for code in offered] == [SUCCESSOR]  # not itself, not the retired one, not 九江镇's
    assert response.context["form"].initial["on"] == clock.today()


ENGAGEMENT_LINES = (
    "engagement_contact_links",
    "engagement_contact_days",
    "engagement_visits",
    "engagement_visiting_cadres",
    "engagement_kept_contacts",
    "deliberation_bodies",
    "deliberation_meetings",
    "deliberation_topics",
    "service_posts",
    "point_entries",
    "villager_points",
    "engagement_service_centres",
    "engagement_operating_funds",
    "engagement_emergency_plans",
    "engagement_drills",
)


def test_the_preview_counts_what_moves_and_writes_nothing(world, merged_village):
    client = signed_in_client(world.user("district_admin"))
    events = audit_events()

    response = client.post(merge_url(MERGED), {"into": SUCCESSOR, "on": "2024-12-31"})

    assert response.status_code == 200
    counts = {line["key"]: line["count"] for line in response.context["preview"]["lines"]}
    assert counts == {
        "cooperatives": 1,
        "households": 2,
        "people": 4,  # 3 of the village, the member of its cooperative
        "members": 1,
        "party_members": 1,
        "positions": 3,  # the ended one does not move as a post
        "covenants": 1,
        "violations": 0,
        "award_runs": 0,
        "decisions": 1,
        "admission_requests": 0,
        "asset_transactions": 0,
        "disclosure_items": 0,
        "supervision_records": 0,
        "grids": 0,
        "grid_events": 0,
        # The engagement app's lines (engagement/contributing/*.py): the merged village has none.
        **{key: 0 for key in ENGAGEMENT_LINES},
    }
    assert 'id="merge-confirm"' in response.text
    assert Division.objects.get(code=MERGED).retired_on is None
    assert audit_events() == events


def test_confirming_retires_the_village_into_its_successor_and_leads_there(world, merged_village):
    client = signed_in_client(world.user("district_admin"))

    response = client.post(merge_url(MERGED), {"into": SUCCESSOR, "on": "2024-12-31", "confirm": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("villages:division", args=[SUCCESSOR])
    merged = Division.objects.get(code=MERGED)
    assert (merged.retired_on, merged.merged_into_id) == (MERGED_ON, SUCCESSOR)
    assert "联和村委会已撤并入罗村村委会" in response.text
    # Nothing moved: the people keep their village's code.
    assert Person.objects.filter(division_id=MERGED).count() == 3


def test_the_service_refusals_show_on_the_fields_in_chinese(world, merged_village):
    client = signed_in_client(world.user("district_admin"))

    future = client.post(merge_url(MERGED), {"into": SUCCESSOR, "on": "2999-01-01"})
    assert future.context["form"].errors["on"] == ["日期不能晚于今天。"]
    missing = client.post(merge_url(MERGED), {"on": "2024-12-31"})
    assert missing.context["form"].errors["into"] == ["请选择并入的区划。"]
    elsewhere = client.post(merge_url(MERGED), {"into": w.OTHER_TOWN_VILLAGE, "on": "2024-12-31", "confirm": "1"})
    assert "into" in elsewhere.context["form"].errors  # another town's village is not offered
    assert Division.objects.get(code=MERGED).retired_on is None


def test_a_village_merged_already_is_refused_a_second_merger_with_a_clear_message(world, merged_village):
    retire_division(merged_village, into=division(SUCCESSOR), on=MERGED_ON, acting_user=world.user("district_admin"))
    division(f"{w.TOWN}003", name="第三村")
    client = signed_in_client(world.user("district_admin"))
    message = "联和村委会已于 2024-12-31 撤销并入罗村村委会，不能再次撤并。"

    page = client.get(merge_url(MERGED))
    assert message in page.text and 'id="merge-form"' not in page.text
    again = client.post(merge_url(MERGED), {"into": f"{w.TOWN}003", "on": "2025-01-01", "confirm": "1"})
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [message]
    assert Division.objects.get(code=MERGED).merged_into_id == SUCCESSOR


def test_the_retired_village_page_says_so_and_leads_to_its_successor(world, merged_village):
    retire_division(merged_village, into=division(SUCCESSOR), on=MERGED_ON, acting_user=world.user("district_admin"))
    page = signed_in_client(world.user("town_official")).get(reverse("villages:division", args=[MERGED]))

    assert "已于 2024-12-31 撤销" in page.text
    assert f'href="{reverse("villages:division", args=[SUCCESSOR])}"' in page.text
    assert 'id="merge-link"' not in page.text


def test_the_merge_page_costs_a_fixed_number_of_queries(world, merged_village, django_assert_num_queries):
    client = signed_in_client(world.user("district_admin"))
    # session, user, grants; the division; the successors offered
    assert queries_for(client, merge_url(MERGED)) == 5
    # The preview: the request's own and the division, the successor chosen, the service's run
    # rolled back (the lock of both divisions, the audit context, the update), and one count a line
    # of what moves (16 lines; the supervision register's four registers are one query). None of
    # them grows with the records counted.
    # One count per line of registry.merge_counts (31: every app's), besides the page's own.
    with django_assert_num_queries(43):
        assert client.post(merge_url(MERGED), {"into": SUCCESSOR, "on": "2024-12-31"}).status_code == 200


# --- 3. After the merger: the successor includes the retired village ---------------------------


@pytest.fixture
def merged(world, merged_village):
    retire_division(merged_village, into=division(SUCCESSOR), on=MERGED_ON, acting_user=world.user("district_admin"))
    return merged_village


def test_the_successors_page_counts_the_merged_villages_people_and_lists_its_cooperatives(world, merged):
    response = signed_in_client(world.user("town_official")).get(reverse("villages:division", args=[SUCCESSOR]))

    own = Person.objects.filter(division__code__startswith=SUCCESSOR).count()
    assert response.context["division"].people_count == own + 4
    cadres = Position.objects.current().cadres().filter(in_area("division__code", [SUCCESSOR, MERGED]))
    assert response.context["division"].cadres_count == cadres.count() > 0
    assert [merged.code for merged in response.context["absorbed"]] == [MERGED]
    assert MERGED_COOPERATIVE in [child.code for child in response.context["children"]]
    assert 'id="absorbed-note"' in response.text


def test_the_successors_people_list_includes_the_merged_villages_people(world, merged):
    response = signed_in_client(world.user("town_official")).get(reverse("villages:people") + f"?division={SUCCESSOR}")

    names = {person.name for person in response.context["object_list"]}
    assert {"联和甲", "联和乙", "联和丙", "罗村甲"} <= names
    # The merged village's own list stays its own.
    merged_only = signed_in_client(world.user("town_official")).get(reverse("villages:people") + f"?division={MERGED}")
    assert "罗村甲" not in {person.name for person in merged_only.context["object_list"]}


def test_the_meetings_expected_counts_include_the_merged_villages_people(world, merged):
    after, before = D(2025, 6, 1), D(2024, 6, 1)
    own_adults = Person.objects.filter(division__code__startswith=SUCCESSOR, birth_date__lte=D(2007, 6, 1)).count()

    assert (
        rules.expected_from_records(Body.VILLAGERS_ASSEMBLY, SUCCESSOR, after) == own_adults + 3
    )  # + 联和甲, 乙, the member
    assert rules.expected_from_records(Body.VILLAGERS_ASSEMBLY, SUCCESSOR, before) == own_adults  # not merged yet
    assert rules.expected_from_records(Body.PARTY_ASSEMBLY, SUCCESSOR, after) == 1 + (
        rules.expected_from_records(Body.PARTY_ASSEMBLY, SUCCESSOR, before) or 0
    )
    representatives_before = rules.expected_from_records(Body.REPRESENTATIVE_ASSEMBLY, SUCCESSOR, before) or 0
    assert rules.expected_from_records(Body.REPRESENTATIVE_ASSEMBLY, SUCCESSOR, after) == representatives_before + 2
    assert rules.households_from_records(SUCCESSOR, after) == rules.households_from_records(SUCCESSOR, before) + 2


def opened(decision: Decision, day: datetime.date) -> Decision:
    Decision.objects.filter(pk=decision.pk).update(
        opened_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    return decision


def test_the_per_unit_reports_count_the_merged_village_in_its_successors_row_from_the_day(world, merged):
    opened(decision_on(SUCCESSOR, title="罗村2025"), D(2025, 3, 1))
    opened(decision_on(MERGED, title="联和2025"), D(2025, 4, 1))
    opened(decision_on(MERGED, title="联和2024"), D(2024, 5, 1))

    def rows(period):
        response = client_as("town_official").get(
            reverse("api:report-decisions-by-state"), {"division": w.TOWN, "period": period}
        )
        assert response.status_code == 200, response.content[:300]
        return {row["code"]: row["total"] for row in results_of(response)}

    assert rows("2025") == {SUCCESSOR: 2}  # merged by then: no row of its own, counted in 罗村's
    assert rows("2024") == {SUCCESSOR: 0, MERGED: 1}  # before the merger, a unit of its own


def test_per_unit_follows_a_chain_of_mergers_to_the_last_successor(world, merged):
    third = division(f"{w.TOWN}003", name="第三村")
    PersonFactory(division=third)
    retire_division(division(SUCCESSOR), into=third, on=D(2025, 12, 31), acting_user=world.user("district_admin"))
    people = Person.objects.filter(division__code__startswith=w.TOWN)
    town = division(w.TOWN)

    def per_village(on):
        return {row["unit"]: row["n"] for row in per_unit(people, "division_id", town, on).annotate(n=Count("id"))}

    everyone = people.count()
    assert per_village(D(2026, 1, 1)) == {third.code: everyone}
    in_2025 = per_village(D(2025, 6, 1))
    assert set(in_2025) == {SUCCESSOR, third.code} and in_2025[third.code] == 1
    assert Division.objects.area_codes(third.code, D(2026, 1, 1)) == [third.code, SUCCESSOR, MERGED]
    assert Division.objects.area_codes(third.code, D(2025, 6, 1)) == [third.code]


def test_a_successors_report_row_names_no_merged_unit(world, merged):
    """units_of leaves the merged village out once it is retired: the report's rows are the
    active villages only."""
    response = client_as("town_official").get(
        reverse("api:report-decisions-by-state"), {"division": w.TOWN, "period": "2025"}
    )
    assert MERGED not in {row["code"] for row in results_of(response)}
    assert Division.objects.get(code=MERGED).level == Level.VILLAGE


def test_reports_that_group_in_python_find_the_successor_of_a_merged_unit_in_the_units_query(world, merged):
    town = division(w.TOWN)
    divisions = Division.objects.restrict(world.user("town_official"), "view")

    units, successors = units_and_successors(divisions, town, D(2025, 1, 1))
    assert [unit["code"] for unit in units] == [SUCCESSOR]
    assert successors == {MERGED: SUCCESSOR}
    assert unit_in(f"{MERGED}001", 12, successors) == SUCCESSOR
    assert unit_in(f"{SUCCESSOR}001", 12, successors) == SUCCESSOR
    # Before the merger it is a unit of its own, and nothing is mapped.
    units, successors = units_and_successors(divisions, town, D(2024, 12, 30))
    assert ([unit["code"] for unit in units], successors) == ([SUCCESSOR, MERGED], {})


def test_the_successors_clerk_administers_the_merged_villages_people(world, merged):
    """Access follows the merger: an assignment over 罗村 covers 联和 once it is merged into it
    (governance.access.querysets.grants_of), so the village's clerk lists, opens and corrects its
    people; the clerk of a village nobody merged into keeps to their own."""
    clerk = world.user("village_clerk")  # of 罗村
    client = signed_in_client(clerk)
    person = Person.objects.get(name="联和甲")

    listed = client.get(reverse("villages:people") + f"?division={SUCCESSOR}")
    assert {"联和甲", "联和乙", "联和丙", "罗村甲"} <= {row.name for row in listed.context["object_list"]}
    assert client.get(reverse("villages:person", args=[person.pk])).status_code == 200
    assert client.get(reverse("villages:division", args=[MERGED])).status_code == 200
    assert Person.objects.restrict(clerk, "change").filter(pk=person.pk).exists()
    assert not Person.objects.restrict(world.user("coop_clerk"), "view").filter(pk=person.pk).exists()


def test_a_chain_of_mergers_carries_the_access_to_the_last_successor(world, merged):
    third = division(f"{w.TOWN}003", name="第三村")
    retire_division(division(SUCCESSOR), into=third, on=D(2025, 12, 31), acting_user=world.user("district_admin"))
    clerk_of_third = UserFactory(username="third_clerk")
    assign(clerk_of_third, third.code, "village_clerk")

    visible = set(Person.objects.restrict(clerk_of_third, "view").values_list("name", flat=True))
    assert {"联和甲", "罗村甲"} <= visible


def test_the_merged_villages_people_take_up_posts_in_the_successor(world, merged):
    """登记任职 offers a 联和 villager 罗村 (not the retired 联和) and 联和's cooperative, which stays."""
    person = Person.objects.select_related("division__parent").get(name="联和甲")

    assert person.position_division_codes() == [SUCCESSOR, MERGED_COOPERATIVE]
    assert Division.objects.last_successor(MERGED) == SUCCESSOR
    assert Division.objects.last_successor(MERGED, D(2024, 12, 30)) == MERGED
    assert Division.objects.last_successor(SUCCESSOR) == SUCCESSOR
    form = signed_in_client(world.user("village_clerk")).get(reverse("villages:position_add", args=[person.pk]))
    assert form.status_code == 200
    assert [str(value) for value, _label in form.context["form"].fields["division"].choices if value] == [
        SUCCESSOR,
        MERGED_COOPERATIVE,
    ]


def test_a_merged_village_takes_no_new_people_or_households(world, merged):
    """They are registered in the successor: the page offers no 登记人员 on the retired village,
    and the form and the API refuse one, on the division."""
    admin = world.user("district_admin")
    page = signed_in_client(admin).get(reverse("villages:division", args=[MERGED]))
    assert 'id="add-person"' not in page.text and 'id="add-household"' not in page.text
    new_id = make_id_number("440605", D(1990, 5, 5), 31)
    refusal = "联和村委会已撤销，不能再登记；请登记在其并入的村（社区）。"

    form = signed_in_client(admin).post(
        reverse("villages:person_add", args=[MERGED]), {"name": "新人", "id_number": new_id}
    )
    assert form.status_code == 200 and refusal in form.context["form"].non_field_errors()
    api = client_as("district_admin").post(
        "/api/v1/people/", {"name": "新人", "id_number": new_id, "division": MERGED}, format="json"
    )
    assert api.status_code == 400 and api.json()["division"] == [refusal]
    households = client_as("district_admin").post(
        "/api/v1/households/", {"division": MERGED, "number": "H99999"}, format="json"
    )
    assert households.status_code == 400
    assert not Person.objects.filter(name="新人").exists()
    # Its people may still be corrected.
    person = Person.objects.get(name="联和甲")
    edit = signed_in_client(admin).post(
        reverse("villages:person_edit", args=[person.pk]), {"name": "联和甲改", "id_number": person.id_number}
    )
    assert edit.status_code == 302
