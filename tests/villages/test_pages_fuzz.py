"""Junk posted to every form page never gets a 500: seeded random payloads (NUL characters,
huge strings, impossible dates, numbers out of range, SQL) as the clerk who may write there.

A page fuzz like this one found that ending one of two legacy duplicate terms without a day
crashed (tests/villages/test_position_form.py has the regression test)."""

import random
import string

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import signed_in_client as client_for
from villages import services
from villages.models import PositionKind
from villages.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, PositionFactory, division

PAYLOADS_PER_PAGE = 25
JUNK = [
    "",
    " ",
    "0",
    "-1",
    "1e99",
    "9" * 40,
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "'; DROP TABLE villages_person; --",
    "<script>alert(1)</script>",
    "张" * 300,
    "\x00",
    "a\x00b",
    "null",
    "true",
    "1.005",
    "%s%s%n",
    "\u202e",
    "440605124001",
    "440605124001001",
    "cooperative_head",
]


def junk(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return rng.choice(JUNK)
    return "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 40)))


@pytest.fixture
def pages(world):
    """Each form page with the fields it reads, and the clerk who may post to it."""
    cooperative = division(w.COOPERATIVE)
    person = PersonFactory(division=cooperative)
    HouseholdFactory(division=cooperative)
    position = PositionFactory(person=person, division=cooperative, kind=PositionKind.COOPERATIVE_HEAD)
    membership = MembershipFactory(person=person, cooperative=cooperative)
    # Two current terms of one post, as data from before the rule against it may hold.
    legacy = PositionFactory(person=person, division=cooperative, kind=PositionKind.MEMBER_REPRESENTATIVE)
    PositionFactory(person=person, division=cooperative, kind=PositionKind.MEMBER_REPRESENTATIVE)
    head = PositionFactory(division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), kind=PositionKind.COOPERATIVE_HEAD)
    filing = services.submit_filing(head, acting_user=world.user("district_admin"))
    return [
        (
            "village_clerk",
            reverse("villages:person_add", args=[w.VILLAGE]),
            ["name", "id_number", "phone", "household"],
        ),
        ("coop_clerk", reverse("villages:household_add", args=[w.COOPERATIVE]), ["number", "address"]),
        ("coop_clerk", reverse("villages:person_edit", args=[person.pk]), ["name", "id_number", "phone", "household"]),
        (
            "village_clerk",
            reverse("villages:position_add", args=[person.pk]),
            ["kind", "division", "started_on", "term_ends_on"],
        ),
        ("coop_clerk", reverse("villages:membership_add", args=[person.pk]), ["cooperative", "shares", "joined_on"]),
        ("village_clerk", reverse("villages:party_membership_add", args=[person.pk]), ["joined_on"]),
        ("village_clerk", reverse("villages:position_end", args=[position.pk]), ["ended_on"]),
        ("village_clerk", reverse("villages:position_end", args=[legacy.pk]), ["ended_on"]),
        ("coop_clerk", reverse("villages:membership_leave", args=[membership.pk]), ["left_on"]),
        ("town_official", reverse("villages:filing", args=[filing.pk]), ["decision", "note"]),
    ]


def test_no_junk_posted_to_a_form_page_gets_a_server_error(pages, world):
    rng = random.Random(20261122)
    for role, url, fields in pages:
        client = client_for(world.user(role))
        for _ in range(PAYLOADS_PER_PAGE):
            data = {field: junk(rng) for field in fields if rng.random() < 0.9}
            response = client.post(url, data)
            # 200: the form again with its errors; 302: saved; 404: the record has ended since
            # (or the person has become a party member).
            assert response.status_code in (200, 302, 404), (url, data, response.status_code)


def test_no_junk_in_a_list_filter_gets_a_server_error(pages, world):
    rng = random.Random(20261123)
    lists = [
        (reverse("villages:people"), ["division", "search", "gender", "household", "page"]),
        (reverse("villages:cadres"), ["division", "kind", "current", "search", "page"]),
        (reverse("villages:filings"), ["status", "division", "search", "page"]),
        (reverse("villages:reserve_shortfall", args=[w.TOWN]), ["page"]),
    ]
    client = client_for(world.user("town_official"))
    for url, fields in lists:
        for _ in range(PAYLOADS_PER_PAGE):
            query = {field: junk(rng) for field in fields if rng.random() < 0.7}
            response = client.get(url, query)
            assert response.status_code in (200, 404), (url, query, response.status_code)  # 404: a page past the end
