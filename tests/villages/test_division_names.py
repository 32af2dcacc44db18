"""A division below the town is named with its parent wherever a page names it
(Division.qualified_name): a cooperative with its village, a village with its town. Lists load
the parent in the same query; the division filters and the household field take a picked key."""

import datetime

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Division, Person
from villages.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PartyMembershipFactory,
    PersonFactory,
    PositionFactory,
    division,
)

# A second 第一经济社, in the other village of the town: the name alone says neither.
NEIGHBOURS_COOPERATIVE = f"{w.OTHER_VILLAGE_SAME_TOWN}001"
NEIGHBOURS_LABEL = "联和村委会 · 第一经济社"
BORN = datetime.date(1980, 1, 1)


def person_at(code: str, sequence: int, name: str) -> Person:
    return PersonFactory(division=division(code), name=name, id_number=make_id_number("440605", BORN, sequence))


@pytest.fixture
def two_first_cooperatives(world):
    division(NEIGHBOURS_COOPERATIVE, "第一经济社")
    return {
        "ours": person_at(w.COOPERATIVE, 301, "罗一"),
        "theirs": person_at(NEIGHBOURS_COOPERATIVE, 303, "联一"),
        "villager": person_at(w.VILLAGE, 305, "罗村民"),
    }


# --- the name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (w.COOPERATIVE, "罗村村委会 · 第一经济社"),
        (w.VILLAGE, "狮山镇 · 罗村村委会"),
        (w.TOWN, "狮山镇"),
        (w.DISTRICT, "南海区"),
    ],
    ids=["cooperative with its village", "village with its town", "town alone", "district alone"],
)
def test_a_division_below_the_town_is_named_with_its_parent(world, code, expected):
    assert Division.objects.get(code=code).qualified_name == expected


def test_the_qualified_name_costs_no_query_with_the_parent_selected_or_annotated(world, django_assert_num_queries):
    from django.db.models import F

    selected = Division.objects.select_related("parent").get(code=w.COOPERATIVE)
    annotated = Division.objects.annotate(parent_name=F("parent__name")).get(code=w.COOPERATIVE)

    with django_assert_num_queries(0):
        assert selected.qualified_name == annotated.qualified_name == "罗村村委会 · 第一经济社"


# --- the pages -----------------------------------------------------------------------------


def test_the_town_wide_people_list_names_each_cooperative_with_its_village(two_first_cooperatives, world):
    response = client_for(world.user("town_official")).get(reverse("villages:people"))

    assert response.status_code == 200
    rows = response.text.split('id="people"', 1)[1]
    assert "罗村村委会 · 第一经济社" in rows
    assert "联和村委会 · 第一经济社" in rows
    assert "狮山镇 · 罗村村委会" in rows  # the villager's village, with its town
    assert ">第一经济社<" not in rows


def test_the_cadre_list_names_each_cooperative_with_its_village(two_first_cooperatives, world):
    for person in (two_first_cooperatives["ours"], two_first_cooperatives["theirs"]):
        PositionFactory(person=person, division=person.division)

    response = client_for(world.user("town_official")).get(reverse("villages:cadres"))

    rows = response.text.split('id="positions"', 1)[1]
    assert "罗村村委会 · 第一经济社" in rows and "联和村委会 · 第一经济社" in rows


def test_the_person_page_names_the_division_cooperative_and_branch_with_their_parents(two_first_cooperatives, world):
    person = two_first_cooperatives["ours"]
    MembershipFactory(person=person, cooperative=division(w.COOPERATIVE))
    PartyMembershipFactory(person=person, branch=division(w.VILLAGE))
    PositionFactory(person=person, division=division(w.COOPERATIVE))

    response = client_for(world.user("village_clerk")).get(reverse("villages:person", args=[person.pk]))

    assert response.text.count("罗村村委会 · 第一经济社") >= 3  # registered in, member of, serving in
    assert "狮山镇 · 罗村村委会" in response.text  # the party branch


def test_home_names_a_cooperative_clerks_cooperative_with_its_village(world):
    response = client_for(world.user("coop_clerk")).get(reverse("home"))

    assert ">罗村村委会 · 第一经济社</a>" in response.text


@pytest.mark.parametrize("rows", [1, 30])
def test_naming_the_cooperatives_of_the_people_list_costs_no_query_per_row(world, rows):
    for code in (w.COOPERATIVE, NEIGHBOURS_COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE):
        division(code)
        for _ in range(rows):
            PersonFactory(division=division(code))

    # 3 for the session, the user and the grants; the count; the page with divisions and parents.
    assert queries_for(client_for(world.user("town_official")), reverse("villages:people")) == 5


# --- the division filter takes a picked division --------------------------------------------


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {person.name for person in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Picked: the key, and the box still showing the label it was picked with.
        (
            {"division": NEIGHBOURS_COOPERATIVE, "division__q": NEIGHBOURS_LABEL, "division__label": NEIGHBOURS_LABEL},
            {"联一"},
        ),
        # A code typed into the box without picking.
        ({"division": "", "division__q": f" {w.VILLAGE} ", "division__label": ""}, {"罗一", "罗村民"}),
        # Picked once, then the box retyped: what it says now counts.
        (
            {"division": w.VILLAGE, "division__q": NEIGHBOURS_COOPERATIVE, "division__label": "狮山镇 · 罗村村委会"},
            {"联一"},
        ),
        # The box cleared: no filter.
        (
            {"division": w.VILLAGE, "division__q": "", "division__label": "狮山镇 · 罗村村委会"},
            {"罗一", "联一", "罗村民"},
        ),
        # A link with the code alone (the division page's link, the API's form).
        ({"division": w.COOPERATIVE}, {"罗一"}),
    ],
    ids=["picked", "code typed", "retyped after a pick", "cleared", "code in the URL"],
)
def test_the_people_filter_takes_a_picked_or_typed_division(two_first_cooperatives, world, query, expected):
    response = client_for(world.user("town_official")).get(reverse("villages:people"), query)

    assert listed(response) == expected


def test_the_filter_box_shows_the_picked_division_by_its_qualified_name(two_first_cooperatives, world):
    town_official = client_for(world.user("town_official"))

    response = town_official.get(reverse("villages:people"), {"division": NEIGHBOURS_COOPERATIVE})

    assert 'value="联和村委会 · 第一经济社"' in response.text


def test_the_filter_box_never_names_a_division_out_of_scope(two_first_cooperatives, world):
    town_official = client_for(world.user("town_official"))

    response = town_official.get(reverse("villages:people"), {"division": w.OTHER_TOWN_VILLAGE})

    assert listed(response) == set()
    assert "下西村委会" not in response.text
    assert f'value="{w.OTHER_TOWN_VILLAGE}"' in response.text  # the code given, as given


def test_the_cadre_filter_takes_a_picked_division(two_first_cooperatives, world):
    for person in two_first_cooperatives.values():
        PositionFactory(person=person, division=person.division)

    response = client_for(world.user("town_official")).get(
        reverse("villages:cadres"),
        {"division": NEIGHBOURS_COOPERATIVE, "division__q": NEIGHBOURS_LABEL, "division__label": NEIGHBOURS_LABEL},
    )

    assert [position.person.name for position in response.context["object_list"]] == ["联一"]


# --- the person form's household picker keeps its validation ---------------------------------


def person_form_data(household_id, label: str = "") -> dict:
    return {
        "name": "新户员",
        "id_number": make_id_number("440605", BORN, 401),
        "household": household_id,
        "household__q": label,
        "household__label": label,
    }


def test_the_person_form_saves_a_picked_household(world):
    household = HouseholdFactory(division=division(w.VILLAGE), number="H-0777")
    label = "H-0777（狮山镇 · 罗村村委会）"

    response = client_for(world.user("village_clerk")).post(
        reverse("villages:person_add", args=[w.VILLAGE]), person_form_data(household.pk, label)
    )

    assert response.status_code == 302
    assert Person.objects.get(name="新户员").household == household


@pytest.mark.parametrize(
    "where",
    [w.OTHER_VILLAGE_SAME_TOWN, w.COOPERATIVE],
    ids=["out of the clerk's scope", "in scope, but of another division"],
)
def test_the_person_form_refuses_a_household_it_does_not_offer(world, where):
    household = HouseholdFactory(division=division(where))
    label = f"{household.number}（某处）"

    response = client_for(world.user("village_clerk")).post(
        reverse("villages:person_add", args=[w.VILLAGE]), person_form_data(household.pk, label)
    )

    assert response.status_code == 200
    assert "household" in response.context["form"].errors
    assert not Person.objects.filter(name="新户员").exists()


def test_the_person_edit_page_shows_the_current_household_by_its_label(world):
    household = HouseholdFactory(division=division(w.VILLAGE), number="H-0888")
    person = person_at(w.VILLAGE, 403, "有户人")
    person.household = household
    person.save()

    response = client_for(world.user("village_clerk")).get(reverse("villages:person_edit", args=[person.pk]))

    assert 'value="H-0888（狮山镇 · 罗村村委会）"' in response.text
    assert f'name="household" value="{household.pk}"' in response.text
