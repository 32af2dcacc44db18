"""A village's page as its hub (issue 16 point 3): the links each app contributes
(governance.registry.division_links) to the village's covenants, decisions, list items in force,
disclosures, honour lists and award runs, and its public page; a cooperative's page leads to its
village's hub and its own award runs. Each link is shown to who may follow it, counts come from
the user's restricted querysets, and the page's queries do not grow with the records."""

import re

import pytest
from django.urls import reverse

from covenants.choices import VersionStatus
from covenants.testing.factories import CovenantFactory, CovenantVersionFactory, award_run, published_covenant
from governance.registry import registry
from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from rights_lists.choices import DecisionState
from rights_lists.testing.factories import decision_on
from villages.testing.factories import division


def division_page(who, code: str):
    return client_for(who).get(reverse("villages:division", args=[code]))


def hub_links(response) -> set[str]:
    """The keys of the hub's links on a division's page."""
    assert response.status_code == 200, response.status_code
    return set(re.findall(r'id="hub-([a-z_]+)-link"', response.text))


def hub_count(response, key: str) -> str:
    found = re.search(rf'id="hub-{key}-count">([^<]*)<', response.text)
    return found.group(1).strip() if found else None


@pytest.fixture
def village_records(world):
    """The village's general covenant in force, two decisions (one open, one adopted) and an
    award run; the same in the village next door (never counted here)."""
    published_covenant(w.VILLAGE)
    decision_on(w.VILLAGE)
    decision_on(w.VILLAGE, state=DecisionState.ADOPTED)
    award_run(w.VILLAGE)
    published_covenant(w.OTHER_VILLAGE_SAME_TOWN)
    decision_on(w.OTHER_VILLAGE_SAME_TOWN)


# --- the registry ------------------------------------------------------------------------------


def test_the_apps_contribute_their_links_to_the_division_page():
    assert {
        "covenants",
        "honour_lists",
        "award_runs",
        "decisions",
        "items_in_force",
        "disclosures",
        "duty_report",
    } <= set(registry.division_links)


# --- the sections per role ---------------------------------------------------------------------


def test_a_village_clerk_finds_the_villages_covenants_decisions_lists_disclosures_and_honours(world, village_records):
    response = division_page(world.user("village_clerk"), w.VILLAGE)

    assert hub_links(response) >= {
        "covenants",
        "honour_lists",
        "award_runs",
        "decisions",
        "items_in_force",
        "disclosures",
    }
    assert hub_count(response, "covenants") == "1"
    assert hub_count(response, "award_runs") == "1"
    assert hub_count(response, "decisions") == "审议中 1 · 已通过 1"
    assert "（第 1 版施行中）" in response.text
    assert reverse("public_division", args=[w.VILLAGE]) in response.text
    assert f"{reverse('covenants:covenants')}?division={w.VILLAGE}" in response.text
    assert f"{reverse('rights_lists:decisions')}?division={w.VILLAGE}" in response.text
    assert reverse("covenants:honour_lists", args=[w.VILLAGE]) in response.text
    assert reverse("covenants:award_runs", args=[w.VILLAGE]) in response.text
    assert reverse("rights_lists:items_in_force", args=[w.VILLAGE]) in response.text


def test_a_town_official_also_finds_the_villages_duty_report_grid(world, village_records):
    response = division_page(world.user("town_official"), w.VILLAGE)

    assert hub_links(response) >= {"covenants", "honour_lists", "award_runs", "decisions", "duty_report"}
    assert hub_count(response, "decisions") == "审议中 1 · 已通过 1"
    assert f"?level=village&amp;division={w.VILLAGE}" in response.text


def test_the_town_page_has_no_hub_of_a_village(world, village_records):
    response = division_page(world.user("town_official"), w.TOWN)

    assert hub_links(response) == set()
    assert reverse("public_division", args=[w.TOWN]) not in response.text


def test_a_report_reader_finds_the_covenants_and_decisions_but_no_honour_list(world, village_records):
    response = division_page(world.user("report_reader"), w.VILLAGE)

    links = hub_links(response)
    assert {"covenants", "decisions"} <= links
    assert "honour_lists" not in links  # the report reader does not view the lists (covenants/grants.py)
    assert hub_count(response, "covenants") == "1"


def test_a_grid_worker_finds_their_villages_page_without_a_link_to_the_other_apps_records(world, village_records):
    response = division_page(world.user("grid_worker"), w.VILLAGE)

    # The division is theirs to see (villages/grants.py); covenants, decisions, lists, honour
    # lists, award runs and disclosures are not (grids/grants.py is all their role grants): the
    # village's grids are.
    assert hub_links(response) == {"grids"}
    assert 'id="add-person"' not in response.text and 'id="add-household"' not in response.text


def test_a_cooperative_clerk_finds_the_covenants_binding_the_members_and_the_cooperatives_award_runs(
    world, village_records
):
    award_run(w.COOPERATIVE)

    response = division_page(world.user("coop_clerk"), w.COOPERATIVE)

    links = hub_links(response)
    assert {"covenants", "award_runs"} <= links
    assert {"honour_lists", "disclosures"}.isdisjoint(links)  # the village's, not the cooperative's
    # The village's covenants (which bind the cooperative's members), the cooperative's own runs.
    assert f"{reverse('covenants:covenants')}?division={w.VILLAGE}" in response.text
    assert hub_count(response, "covenants") == "1"
    assert hub_count(response, "award_runs") == "1"
    assert reverse("covenants:award_runs", args=[w.COOPERATIVE]) in response.text
    # The village's page is not theirs to open: no link to it, nor to a public page of the cooperative.
    assert 'id="village-hub-link"' not in response.text
    assert 'id="public-page-link"' not in response.text


def test_a_cooperatives_page_leads_a_town_official_to_its_villages_hub(world, village_records):
    response = division_page(world.user("town_official"), w.COOPERATIVE)

    assert re.search(rf'href="{reverse("villages:division", args=[w.VILLAGE])}" id="village-hub-link"', response.text)
    assert "covenants" in hub_links(response)


def test_a_village_clerk_records_the_cooperatives_duty_report_from_its_page(world, village_records):
    response = division_page(world.user("village_clerk"), w.COOPERATIVE)

    assert "duty_report" in hub_links(response)
    assert f"?level=cooperative&amp;division={w.COOPERATIVE}" in response.text


@pytest.mark.parametrize("who", ["outsider", "coop_clerk"])
def test_a_village_outside_the_jurisdiction_is_a_404_without_its_hub(world, village_records, who):
    user = world.outsider if who == "outsider" else world.user(who)

    response = division_page(user, w.VILLAGE)

    assert response.status_code == 404
    assert "division-hub" not in response.text


# --- counts: restricted, and pinned ------------------------------------------------------------


def test_the_counts_are_the_users_own_and_the_village_next_door_is_not_counted(world, village_records):
    CovenantFactory(division=division(w.VILLAGE), kind="special", title="停车公约")  # no version yet

    response = division_page(world.user("town_official"), w.VILLAGE)

    assert hub_count(response, "covenants") == "2"
    assert response.text.count("版施行中") == 1


def test_the_hubs_queries_do_not_grow_with_the_villages_records(world, village_records):
    client = client_for(world.user("town_official"))
    url = reverse("villages:division", args=[w.VILLAGE])
    before = queries_for(client, url)

    for number in range(3):
        decision_on(w.VILLAGE)
        award_run(w.VILLAGE, period=str(2020 + number))
    special = CovenantFactory(division=division(w.VILLAGE), kind="special", title="环境卫生公约")
    CovenantVersionFactory(covenant=special, number=1, status=VersionStatus.PUBLISHED)

    assert queries_for(client, url) == before


def test_each_link_costs_one_query_at_most(world, village_records):
    client = client_for(world.user("village_clerk"))
    url = reverse("villages:division", args=[w.VILLAGE])
    with_links = queries_for(client, url)
    saved = dict(registry.division_links)
    registry.division_links.clear()
    try:
        without = queries_for(client, url)
    finally:
        registry.division_links.update(saved)

    assert with_links - without <= len(saved)
    # covenants, award runs, decisions and grids count; the other links ask nothing.
    assert with_links - without == 4


# --- the navigation ----------------------------------------------------------------------------


def test_the_covenants_menu_opens_the_covenants_then_the_register(world):
    response = client_for(world.user("village_clerk")).get(reverse("home"))

    covenants = response.text.index(f'href="{reverse("covenants:covenants")}"')
    register = response.text.index(f'href="{reverse("covenants:violations")}"')
    assert covenants < register
    menu = response.text[response.text.rindex("dropdown-toggle", 0, covenants) : covenants]
    assert "村规民约" in menu


@pytest.mark.parametrize(
    ("role", "lists_linked"),
    [
        ("village_clerk", True),
        ("town_official", True),
        ("report_reader", False),
        ("grid_worker", False),
    ],
)
def test_the_people_and_cadre_lists_are_linked_only_for_who_may_read_them(world, role, lists_linked):
    page = division_page(world.user(role), w.VILLAGE)
    assert page.status_code == 200
    assert ('id="people-link"' in page.text, 'id="cadres-link"' in page.text) == (lists_linked, lists_linked)
