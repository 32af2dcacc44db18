"""The searchable pickers (governance/pages/pickers.py, governance/pages/widgets.py): choices
come only from restrict(user, "view"), match what was typed, are capped, cost a fixed number
of queries; the widget hands the form a key and shows its label only when in scope. The models
offered are villages' (villages/pickers.py), the only app registering pickers today. In a real
browser: tests/villages/test_browser.py (the people list's division picker)."""

import datetime

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from governance.pages.pickers import PICK_LIMIT
from governance.pages.widgets import PickerWidget
from governance.privacy import mask_id_number
from governance.registry import registry
from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Division
from villages.testing.factories import HouseholdFactory, PersonFactory, division

BORN = datetime.date(1961, 5, 4)


def pick_url(key: str = "villages.division") -> str:
    return reverse("pick", args=[key])


def choices(response) -> list[str]:
    """The labels of the choices a picker answered."""
    assert response.status_code == 200
    return [label for _key, label in response.context["choices"]]


def keys(response) -> list:
    assert response.status_code == 200
    return [key for key, _label in response.context["choices"]]


# --- who gets what -------------------------------------------------------------------------


def test_the_villages_app_offers_divisions_people_and_households():
    assert {"villages.division", "villages.person", "villages.household"} <= set(registry.pickers)


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get(pick_url(), {"q": "村"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("key", ["villages.nothing", "auth.user", "villages", "..", "villages.positionfiling"])
def test_a_key_no_app_registered_is_not_found(world, key):
    assert client_for(world.user("town_official")).get(pick_url(key)).status_code == 404


def test_an_outsider_is_offered_nothing(world):
    for key, term in (("villages.division", ""), ("villages.division", "村"), ("villages.person", "")):
        assert choices(client_for(world.outsider).get(pick_url(key), {"q": term})) == []
    PersonFactory(division=division(w.VILLAGE), name="王五")

    assert choices(client_for(world.outsider).get(pick_url("villages.person"), {"q": "王"})) == []


def test_a_town_official_is_offered_the_divisions_of_the_town_and_nothing_of_another_town(world):
    offered = choices(client_for(world.user("town_official")).get(pick_url(), {"q": "村委会"}))

    assert "狮山镇 · 罗村村委会" in offered
    assert "狮山镇 · 联和村委会" in offered
    assert not any("下西" in label or "远方" in label for label in offered)
    everything = keys(client_for(world.user("town_official")).get(pick_url()))
    assert everything and all(code.startswith(w.TOWN) for code in everything)


def test_a_village_clerk_is_offered_only_the_village_and_its_cooperatives(world):
    offered = keys(client_for(world.user("village_clerk")).get(pick_url()))

    assert offered == [w.VILLAGE, w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE]


def test_people_are_offered_by_name_within_the_jurisdiction_without_personal_data(world):
    ours = PersonFactory(division=division(w.COOPERATIVE), name="王大明", phone="13812345678")
    PersonFactory(division=division(w.OTHER_TOWN_VILLAGE), name="王小明")

    response = client_for(world.user("town_official")).get(pick_url("villages.person"), {"q": "明"})

    gender = {"male": "男", "female": "女"}[ours.gender]
    born, masked = ours.birth_date.year, mask_id_number(ours.id_number)
    assert choices(response) == [f"王大明（{gender} · {born}年生 · {masked} · 罗村村委会 · 第一经济社）"]
    assert keys(response) == [ours.pk]
    assert ours.id_number not in response.text and "13812345678" not in response.text


def test_namesakes_are_told_apart_by_gender_birth_year_masked_id_and_household(world):
    household = HouseholdFactory(division=division(w.COOPERATIVE), number="H-0007")
    man = PersonFactory(
        division=division(w.COOPERATIVE), name="潘明", household=household, id_number=make_id_number("440605", BORN, 11)
    )
    woman = PersonFactory(division=division(w.VILLAGE), name="潘明", id_number=make_id_number("440605", BORN, 12))

    response = client_for(world.user("town_official")).get(pick_url("villages.person"), {"q": "潘明"})

    assert dict(response.context["choices"]) == {
        man.pk: f"潘明（男 · 1961年生 · 440605********{man.id_number[-4:]} · 户号 H-0007 · 罗村村委会 · 第一经济社）",
        woman.pk: f"潘明（女 · 1961年生 · 440605********{woman.id_number[-4:]} · 狮山镇 · 罗村村委会）",
    }
    assert man.id_number not in response.text and woman.id_number not in response.text


# --- what matches ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("联和", ["狮山镇 · 联和村委会"]),
        ("第二", ["罗村村委会 · 第二经济社"]),
        # A village's name finds its cooperatives too.
        ("罗村", ["狮山镇 · 罗村村委会", "罗村村委会 · 第一经济社", "罗村村委会 · 第二经济社"]),
        ("罗村 第二", ["罗村村委会 · 第二经济社"]),  # every word
        ("罗村村委会 · 第一经济社", ["罗村村委会 · 第一经济社"]),  # a label typed back
        (w.VILLAGE, ["狮山镇 · 罗村村委会", "罗村村委会 · 第一经济社", "罗村村委会 · 第二经济社"]),  # a code prefix
        ("  联和\t", ["狮山镇 · 联和村委会"]),
        ("不存在", []),
    ],
)
def test_divisions_match_by_name_or_code(world, term, expected):
    offered = choices(client_for(world.user("town_official")).get(pick_url(), {"q": term}))

    assert [label for label in offered if "狮山镇" != label] == expected


def test_households_are_offered_by_number_at_or_within_a_division(world):
    at_village = HouseholdFactory(division=division(w.VILLAGE), number="H-0101")
    in_cooperative = HouseholdFactory(division=division(w.COOPERATIVE), number="H-0102")
    HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN), number="H-0103")
    clerk = client_for(world.user("town_official"))

    assert keys(clerk.get(pick_url("villages.household"), {"q": "H-01", "at": w.VILLAGE})) == [at_village.pk]
    assert keys(clerk.get(pick_url("villages.household"), {"q": "01", "within": w.VILLAGE})) == [
        at_village.pk,
        in_cooperative.pk,
    ]
    assert choices(clerk.get(pick_url("villages.household"), {"q": "0102"})) == ["H-0102（罗村村委会 · 第一经济社）"]


@pytest.mark.parametrize("within", ["abc", "４４", "4406'--", "\x00"])
def test_a_malformed_division_code_matches_nothing(world, within):
    assert choices(client_for(world.user("town_official")).get(pick_url(), {"within": within})) == []


def test_a_term_with_a_nul_character_or_too_long_is_answered_not_a_server_error(world):
    clerk = client_for(world.user("town_official"))

    assert clerk.get(pick_url(), {"q": "罗\x00村"}).status_code == 200
    assert clerk.get(pick_url(), {"q": "村" * 5000}).status_code == 200


# --- caps and costs -------------------------------------------------------------------------


def add_cooperatives(n: int) -> None:
    start = Division.objects.filter(parent_id=w.OTHER_VILLAGE_SAME_TOWN).count() + 1
    for i in range(start, start + n):
        division(f"{w.OTHER_VILLAGE_SAME_TOWN}{i:03d}", f"新社{i}")


def test_the_choices_are_capped_and_say_that_there_are_more(world):
    add_cooperatives(PICK_LIMIT + 5)

    response = client_for(world.user("town_official")).get(pick_url(), {"q": "新社"})

    assert len(choices(response)) == PICK_LIMIT
    assert response.context["more"]
    assert "data-picker-more" in response.text
    add_cooperatives(0)
    assert not client_for(world.user("town_official")).get(pick_url(), {"q": "新社1"}).context["more"]


@pytest.mark.parametrize("key", ["villages.division", "villages.person", "villages.household"])
def test_a_picker_costs_the_same_queries_for_one_match_and_for_many(world, key):
    def add(n: int) -> None:
        if key == "villages.division":
            add_cooperatives(n)
        for _ in range(n):
            if key == "villages.person":
                place = division(w.OTHER_VILLAGE_SAME_TOWN)  # each with a household, named in the label
                PersonFactory(division=place, name="新人", household=HouseholdFactory(division=place))
            elif key == "villages.household":
                HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN), number=f"新{_}{n}")

    term = {"villages.division": "新社", "villages.person": "新人", "villages.household": "新"}[key]
    client = client_for(world.user("town_official"))
    url = f"{pick_url(key)}?q={term}"

    add(1)
    with_one = queries_for(client, url)
    add(40)
    with_many = queries_for(client, url)

    # The session, the user, the user's grants, and one query for the choices with their names.
    assert with_one == with_many == 4


# --- the widget ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"division": "440605124001"}, "440605124001"),  # a URL or a link: the key alone
        ({"division": "440605124001", "division__q": "罗村", "division__label": "罗村"}, "440605124001"),  # picked
        ({"division": "440605124001", "division__q": " 罗村 ", "division__label": "罗村"}, "440605124001"),
        ({"division": "", "division__q": "440605124002", "division__label": ""}, "440605124002"),  # typed
        ({"division": "440605124001", "division__q": "440605124002", "division__label": "罗村"}, "440605124002"),
        ({"division": "440605124001", "division__q": "", "division__label": "罗村"}, ""),  # cleared
        ({}, None),
    ],
    ids=["key alone", "picked", "picked, spaces", "typed", "retyped", "cleared", "nothing"],
)
def test_the_widget_hands_the_form_the_key_while_the_box_shows_its_label(data, expected):
    query = QueryDict(mutable=True)
    query.update(data)

    assert PickerWidget("villages.division").value_from_datadict(query, {}, "division") == expected


def test_the_widget_renders_a_search_box_a_hidden_key_and_the_pickers_url():
    widget = PickerWidget("villages.household", at=w.VILLAGE)

    html = widget.render("household", None, {"id": "id_household"})

    assert 'type="hidden" name="household" value=""' in html
    assert 'type="search" name="household__q"' in html and 'id="id_household"' in html
    assert f'hx-get="{pick_url("villages.household")}?at={w.VILLAGE}"' in html
