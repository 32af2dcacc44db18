"""The browser pages of the villages app: masking, filters, query counts, language, sign-in."""

import datetime
import itertools

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from governance.audit import acting_as
from governance.people_names import display_name
from governance.privacy import mask_id_number, mask_phone
from governance.testing import world as w
from governance.testing.factories import TEST_PASSWORD, UserFactory
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Division, Person, PositionKind
from villages.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PartyMembershipFactory,
    PersonFactory,
    PositionFactory,
    division,
)


def person_at(code: str, sequence: int, **extra) -> Person:
    return PersonFactory(
        division=division(code),
        id_number=make_id_number(code[:6], datetime.date(1985, 6, 1), sequence),
        **extra,
    )


# --- personal data -------------------------------------------------------------------------


@pytest.fixture
def villager(world) -> Person:
    return person_at(w.VILLAGE, 101, name="张三", phone="13812345678")


@pytest.mark.parametrize("url_name", ["villages:people", "villages:person"])
def test_a_village_clerk_sees_the_full_id_number_and_phone_inside_its_village(villager, world, url_name):
    args = [villager.pk] if url_name == "villages:person" else []

    response = client_for(world.user("village_clerk")).get(reverse(url_name, args=args))

    assert villager.id_number in response.text
    assert "13812345678" in response.text


@pytest.mark.parametrize("url_name", ["villages:people", "villages:person"])
def test_a_town_official_sees_the_id_number_and_phone_masked(villager, world, url_name):
    args = [villager.pk] if url_name == "villages:person" else []

    response = client_for(world.user("town_official")).get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert villager.id_number not in response.text
    assert mask_id_number(villager.id_number) in response.text
    assert "13812345678" not in response.text
    assert mask_phone("13812345678") in response.text


def test_the_history_page_masks_personal_data_in_snapshots_and_diffs(villager, world):
    with acting_as(world.user("village_clerk")):
        villager.phone = "13900001111"
        villager.save()
    url = reverse("history", args=["villages", "person", villager.pk])

    masked_page = client_for(world.user("town_official")).get(url)
    full_page = client_for(world.user("village_clerk")).get(url)

    assert masked_page.status_code == full_page.status_code == 200
    for secret in (villager.id_number, "13812345678", "13900001111"):
        assert secret not in masked_page.text
        assert secret in full_page.text
    assert mask_phone("13812345678") in masked_page.text
    assert mask_phone("13900001111") in masked_page.text
    # The acting user of the change is named, and both the insert and the update are listed.
    assert [event["label"] for event in full_page.context["events"]] == ["修改", "新增"]
    assert full_page.context["events"][0]["user"] == display_name(world.user("village_clerk"))


def test_the_person_page_shows_household_memberships_party_membership_and_positions(world):
    household = HouseholdFactory(division=division(w.COOPERATIVE), number="H-0001", address="罗村大道1号")
    person = person_at(w.COOPERATIVE, 103, name="李四", household=household)
    person_at(w.COOPERATIVE, 105, name="李四之妻", household=household)
    MembershipFactory(person=person, cooperative=division(w.COOPERATIVE), shares=3)
    PartyMembershipFactory(person=person, branch=division(w.VILLAGE))
    PositionFactory(person=person, division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    PositionFactory(
        person=person,
        division=division(w.VILLAGE),
        kind=PositionKind.VILLAGER_REPRESENTATIVE,
        started_on=datetime.date(2016, 3, 1),
        ended_on=datetime.date(2021, 2, 28),
    )

    response = client_for(world.user("village_clerk")).get(reverse("villages:person", args=[person.pk]))

    assert response.status_code == 200
    for text in (
        "H-0001",
        "罗村大道1号",
        "李四之妻",
        "第一经济社",
        "罗村村委会",
        "经济社社长",
        "村民代表",
        "2021-02-28",
    ):
        assert text in response.text
    assert [p.kind for p in response.context["current_positions"]] == [PositionKind.COOPERATIVE_HEAD]
    assert [p.kind for p in response.context["past_positions"]] == [PositionKind.VILLAGER_REPRESENTATIVE]
    assert reverse("history", args=["villages", "person", person.pk]) in response.text


# --- filters -------------------------------------------------------------------------------


@pytest.fixture
def people(world) -> dict:
    """Two people in the town official's village, one in another village of the same town."""
    return {
        "man": person_at(w.COOPERATIVE, 111, name="王大明"),  # odd sequence: male
        "woman": person_at(w.VILLAGE, 112, name="王小红"),  # even sequence: female
        "neighbour": person_at(w.OTHER_VILLAGE_SAME_TOWN, 113, name="陈立"),
    }


def listed_people(response) -> set[str]:
    assert response.status_code == 200
    return {person.name for person in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"王大明", "王小红", "陈立"}),
        ({"division": w.VILLAGE}, {"王大明", "王小红"}),  # the subtree: the village and its cooperatives
        ({"division": w.COOPERATIVE}, {"王大明"}),
        ({"search": "王"}, {"王大明", "王小红"}),
        ({"gender": "female"}, {"王小红"}),
        ({"division": w.VILLAGE, "gender": "male"}, {"王大明"}),
    ],
    ids=["no filter", "village subtree", "cooperative", "name search", "gender", "combined"],
)
def test_the_people_list_filters_by_division_subtree_name_and_gender(people, world, query, expected):
    response = client_for(world.user("town_official")).get(reverse("villages:people"), query)

    assert listed_people(response) == expected


def test_a_filter_never_widens_the_jurisdiction(people, world):
    response = client_for(world.user("village_clerk")).get(reverse("villages:people"), {"division": w.TOWN})

    assert listed_people(response) == {"王大明", "王小红"}


@pytest.fixture
def positions(people) -> dict:
    return {
        "head": PositionFactory(
            person=people["man"], division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD
        ),
        "former": PositionFactory(
            person=people["woman"],
            division=division(w.VILLAGE),
            kind=PositionKind.COMMITTEE_DIRECTOR,
            started_on=datetime.date(2016, 3, 1),
            ended_on=datetime.date(2021, 2, 28),
        ),
        "reserve": PositionFactory(
            person=people["neighbour"], division=division(w.OTHER_VILLAGE_SAME_TOWN), kind=PositionKind.RESERVE_CADRE
        ),
    }


def listed_positions(response) -> set[str]:
    assert response.status_code == 200
    return {position.kind for position in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {PositionKind.COOPERATIVE_HEAD, PositionKind.RESERVE_CADRE}),  # current ones by default
        ({"current": "false"}, {PositionKind.COMMITTEE_DIRECTOR}),
        (
            {"current": "unknown"},
            {PositionKind.COOPERATIVE_HEAD, PositionKind.RESERVE_CADRE, PositionKind.COMMITTEE_DIRECTOR},
        ),
        ({"kind": PositionKind.RESERVE_CADRE}, {PositionKind.RESERVE_CADRE}),
        ({"division": w.VILLAGE}, {PositionKind.COOPERATIVE_HEAD}),
        ({"search": "陈"}, {PositionKind.RESERVE_CADRE}),
    ],
    ids=["current by default", "past only", "current and past", "kind", "division subtree", "name search"],
)
def test_the_cadre_list_filters_by_kind_division_currency_and_name(positions, world, query, expected):
    response = client_for(world.user("town_official")).get(reverse("villages:cadres"), query)

    assert listed_positions(response) == expected


def test_the_division_page_links_to_its_people_and_cadres(world):
    response = client_for(world.user("town_official")).get(reverse("villages:division", args=[w.VILLAGE]))

    assert f"{reverse('villages:people')}?division={w.VILLAGE}" in response.text
    assert f"{reverse('villages:cadres')}?division={w.VILLAGE}" in response.text


def test_the_division_page_lists_children_with_counts_and_breadcrumbs_in_scope(people, positions, world):
    response = client_for(world.user("town_official")).get(reverse("villages:division", args=[w.TOWN]))

    assert response.status_code == 200
    children = {child.code: child for child in response.context["children"]}
    assert set(children) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}
    village = children[w.VILLAGE]
    assert (village.children_count, village.people_count, village.cadres_count) == (2, 2, 1)
    # Ancestors above the town are outside the official's jurisdiction: not in the trail.
    assert list(response.context["ancestors"]) == []


def test_a_retired_division_says_where_it_was_merged(world):
    village = division(w.OTHER_VILLAGE_SAME_TOWN)
    village.retired_on = datetime.date(2024, 1, 1)
    village.merged_into = division(w.VILLAGE)
    village.save()

    response = client_for(world.user("town_official")).get(reverse("villages:division", args=[village.code]))

    assert 'id="retired-note"' in response.text
    assert "2024-01-01" in response.text
    assert reverse("villages:division", args=[w.VILLAGE]) in response.text


def test_a_superuser_starts_at_the_top_of_the_hierarchy(world):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    response = client_for(admin).get(reverse("home"))

    assert [d.code for d in response.context["panels_by_key"]["jurisdiction"]["divisions"]] == ["44"]


# --- query counts --------------------------------------------------------------------------
# Each page must cost the same number of queries with one row as with a hundred (no query per
# row). The totals are pinned too, so that a new query on a page is a conscious change. Every
# request pays 3 for the session, the user and the user's grants (cached on the user object).


_numbers = itertools.count()


def fresh_person(code: str, **extra) -> Person:
    """A person with an ID number no other test person has (born 1990 or later)."""
    n = next(_numbers)
    born = datetime.date(1990, 1, 1) + datetime.timedelta(days=n // 1000)
    return PersonFactory(division=division(code), id_number=make_id_number(code[:6], born, n % 1000), **extra)


def add_people(n: int) -> None:
    for _ in range(n):
        household = HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
        fresh_person(w.OTHER_VILLAGE_SAME_TOWN, household=household)


def add_positions(n: int) -> None:
    for _ in range(n):
        PositionFactory(
            person=fresh_person(w.OTHER_VILLAGE_SAME_TOWN),
            division=division(w.OTHER_VILLAGE_SAME_TOWN),
            kind=PositionKind.VILLAGER_REPRESENTATIVE,
        )


def add_children(n: int) -> None:
    start = Division.objects.filter(parent_id=w.OTHER_VILLAGE_SAME_TOWN).count() + 1
    for i in range(start, start + n):
        division(f"{w.OTHER_VILLAGE_SAME_TOWN}{i:03d}", f"经济社{i}")


def add_history(n: int) -> None:
    person = Person.objects.filter(name="历史").first() or person_at(w.OTHER_VILLAGE_SAME_TOWN, 600, name="历史")
    with acting_as(UserFactory(username=f"editor{n}")):
        for i in range(n):
            person.phone = f"1390000{i:04d}"
            person.save()


def history_url() -> str:
    person = Person.objects.filter(name="历史").first() or person_at(w.OTHER_VILLAGE_SAME_TOWN, 600, name="历史")
    return reverse("history", args=["villages", "person", person.pk])


def holder() -> Person:
    return Person.objects.filter(name="任职者").first() or person_at(w.OTHER_VILLAGE_SAME_TOWN, 700, name="任职者")


def add_terms(n: int) -> None:
    """Past terms of one person (and as many household members): rows of the person page."""
    person = holder()
    if person.household_id is None:
        person.household = HouseholdFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
        person.save()
    for _ in range(n):
        PositionFactory(
            person=person,
            division=division(w.OTHER_VILLAGE_SAME_TOWN),
            kind=PositionKind.VILLAGER_REPRESENTATIVE,
            started_on=datetime.date(2000, 1, 1),
            ended_on=datetime.date(2005, 1, 1),
        )
        fresh_person(w.OTHER_VILLAGE_SAME_TOWN, household=person.household)


QUERY_PAGES = {
    # page: (add n rows, URL, queries: 3 per request + those of the page)
    "people list": (  # + the division's area (撤并), count, page of people with division and household, the
        # filter's division by name
        add_people,
        lambda: reverse("villages:people") + f"?division={w.OTHER_VILLAGE_SAME_TOWN}",
        7,
    ),
    "cadres list": (  # + the division's area, count, page of positions with person and division, the filter's
        # division by name
        add_positions,
        lambda: reverse("villages:cadres") + f"?division={w.OTHER_VILLAGE_SAME_TOWN}",
        7,
    ),
    "division page": (  # + the division with counts, its area (撤并), count, page of children with counts,
        # ancestors, reserve cadres, the committees' term, and the hub's counts (covenants, award runs,
        # decisions, grids)
        add_children,
        lambda: reverse("villages:division", args=[w.OTHER_VILLAGE_SAME_TOWN]),
        14,
    ),
    "person page": (  # + the person, household members, memberships, party membership, positions, their
        # filings, and the registered panels (covenants: the person's violations and their sanctions;
        # supervision: for those who view audits, here the town official, the posts left unaudited)
        add_terms,
        lambda: reverse("villages:person", args=[holder().pk]),
        {"town_official": 12, "village_clerk_of_the_other_village": 11},
    ),
    "history page": (  # + the record, count, page of events, acting users, the divisions the events name
        add_history,
        history_url,
        8,
    ),
}


@pytest.mark.parametrize("page_name", QUERY_PAGES)
@pytest.mark.parametrize("role", ["town_official", "village_clerk_of_the_other_village"])
def test_a_page_costs_the_same_queries_for_one_row_and_for_a_hundred(world, page_name, role):
    add_rows, url, pinned = QUERY_PAGES[page_name]
    if role == "town_official":
        client = client_for(world.user("town_official"))
    else:
        # A user who may see personal data: the masking decision must not cost a query per row.
        from governance.testing.factories import assign

        clerk = UserFactory(username="other_clerk")
        assign(clerk, w.OTHER_VILLAGE_SAME_TOWN, "village_clerk")
        client = client_for(clerk)

    add_rows(1)
    with_one = queries_for(client, url())
    add_rows(99)
    with_a_hundred = queries_for(client, url())

    # Never more for a hundred rows than for one; fewer may be (the history page: one row is the
    # record's creation, which names its division, a hundred are phone edits that name none).
    assert with_one == (pinned[role] if isinstance(pinned, dict) else pinned)
    assert with_a_hundred <= with_one


def test_the_home_page_costs_the_same_queries_for_one_assignment_and_for_several(world):
    from governance.testing.factories import assign

    user = UserFactory(username="many_hats")
    assign(user, w.VILLAGE, "village_clerk")
    client = client_for(user)
    one = queries_for(client, reverse("home"))
    for code in (w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE):
        assign(user, code, "village_clerk")

    assert queries_for(client, reverse("home")) == one


# --- language ------------------------------------------------------------------------------


def test_pages_are_in_chinese_by_default(world):
    response = client_for(world.user("town_official")).get(reverse("home"))

    assert "我的辖区" in response.text
    assert "退出" in response.text


def test_the_language_switch_gives_english_pages(world):
    client = client_for(world.user("town_official"))

    switched = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    response = client.get(reverse("home"))

    assert switched.status_code == 302
    assert "My jurisdiction" in response.text
    assert "Sign out" in response.text
    assert "Town official" in response.text  # the role name, a model-side msgid
    assert "我的辖区" not in response.text


# --- signing in and out --------------------------------------------------------------------


def test_a_user_signs_in_and_out(world):
    client = Client()

    signed_in = client.post(reverse("login"), {"username": "town_official", "password": TEST_PASSWORD})
    home = client.get(reverse("home"))
    signed_out = client.post(reverse("logout"))
    after = client.get(reverse("home"))

    assert signed_in.status_code == 302 and signed_in.url == reverse("home")
    assert home.status_code == 200 and "town_official" in home.text
    assert signed_out.status_code == 302 and signed_out.url == reverse("login")
    assert after.status_code == 302 and after.url.startswith(reverse("login"))


def test_a_wrong_password_shows_the_sign_in_form_again(world):
    response = Client().post(reverse("login"), {"username": "town_official", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_signing_out_needs_a_post(world):
    client = client_for(world.user("town_official"))

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_a_user_is_locked_out_after_too_many_failed_sign_ins(world):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    credentials = {"username": "town_official", "password": "wrong"}

    before_limit = [client.post(reverse("login"), credentials).status_code for _ in range(limit - 1)]
    at_limit = client.post(reverse("login"), credentials)
    right_password = client.post(reverse("login"), {"username": "town_official", "password": TEST_PASSWORD})

    assert before_limit == [200] * (limit - 1)
    assert at_limit.status_code == 429
    assert 'id="locked-out"' in at_limit.text
    assert right_password.status_code == 429
    assert client.get(reverse("home")).status_code == 302  # still not signed in
