"""Registering a member of a cooperative's collective economic organisation (登记成员资格) and
recording their leaving (退出) in the browser: the rules, what is offered and recorded. Who may
open and post the pages, inside and outside their jurisdiction, is declared in
tests/governance/test_pages_access.py."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.audit import history_of
from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.models import Membership
from villages.testing.factories import MembershipFactory, PersonFactory, division


def add_url(person) -> str:
    return reverse("villages:membership_add", args=[person.pk])


def leave_url(membership) -> str:
    return reverse("villages:membership_leave", args=[membership.pk])


MEMBER = {"cooperative": w.COOPERATIVE, "shares": "1.50", "joined_on": "2026-01-01"}


# --- the model rules -------------------------------------------------------------------------


def test_nobody_is_a_current_member_of_one_cooperative_twice(world):
    current = MembershipFactory(
        person=PersonFactory(division=division(w.COOPERATIVE)), cooperative=division(w.COOPERATIVE)
    )
    again = Membership(person=current.person, cooperative=division(w.COOPERATIVE), joined_on=datetime.date(2026, 1, 1))

    with pytest.raises(ValidationError) as refused:
        again.clean()

    assert list(refused.value.message_dict) == ["cooperative"]
    current.clean()  # not a duplicate of itself


def test_a_member_cannot_leave_before_joining():
    membership = Membership(
        cooperative_id=w.COOPERATIVE, joined_on=datetime.date(2026, 1, 1), left_on=datetime.date(2025, 12, 31)
    )

    with pytest.raises(ValidationError) as refused:
        membership.clean()

    assert list(refused.value.message_dict) == ["left_on"]
    membership.left_on = membership.joined_on
    membership.clean()  # leaving on the day of joining is allowed, as the database's check says


# --- registering -----------------------------------------------------------------------------


def test_a_coop_clerk_registers_a_member_of_their_cooperative(world):
    clerk = world.user("coop_clerk")
    person = PersonFactory(division=division(w.COOPERATIVE), name="李四")

    response = client_for(clerk).post(add_url(person), MEMBER, follow=True)

    membership = Membership.objects.get()
    assert (membership.person, membership.cooperative_id, membership.shares) == (person, w.COOPERATIVE, Decimal("1.50"))
    assert response.redirect_chain == [(reverse("villages:person", args=[person.pk]), 302)]
    assert "已登记成员资格：李四，罗村村委会 · 第一经济社。" in response.text
    (event,) = history_of(membership)
    assert event.pgh_context["user"] == clerk.pk


def test_a_villager_is_offered_the_cooperatives_of_their_village(world):
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_for(world.user("village_clerk")).get(add_url(person))

    offered = response.context["form"].fields["cooperative"].queryset.values_list("code", flat=True)
    assert sorted(offered) == [w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shares": "-1"}, "shares"),
        ({"shares": "lots"}, "shares"),
        ({"joined_on": "2026-02-30"}, "joined_on"),
        ({"cooperative": w.OTHER_COOPERATIVE_SAME_VILLAGE}, "cooperative"),  # not the person's cooperative
    ],
    ids=["negative shares", "shares as a word", "30 February", "a cooperative not offered"],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(world, changes, field):
    person = PersonFactory(division=division(w.COOPERATIVE))

    response = client_for(world.user("coop_clerk")).post(add_url(person), {**MEMBER, **changes})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Membership.objects.exists()


def test_a_second_current_membership_of_the_same_cooperative_is_refused_with_the_reason(world):
    person = PersonFactory(division=division(w.COOPERATIVE))
    MembershipFactory(person=person, cooperative=division(w.COOPERATIVE))

    response = client_for(world.user("coop_clerk")).post(add_url(person), MEMBER)

    assert response.context["form"].errors["cooperative"] == ["此人已是该经济社的现任成员。"]
    assert Membership.objects.count() == 1


# --- leaving ---------------------------------------------------------------------------------


def test_a_member_who_left_can_join_again_and_both_records_stay(world):
    person = PersonFactory(division=division(w.COOPERATIVE))
    first = MembershipFactory(person=person, cooperative=division(w.COOPERATIVE), joined_on=datetime.date(2010, 1, 1))
    client = client_for(world.user("coop_clerk"))

    early = client.post(leave_url(first), {"left_on": "2009-12-31"})
    client.post(leave_url(first), {"left_on": "2020-12-31"})
    client.post(add_url(person), MEMBER)

    assert list(early.context["form"].errors) == ["left_on"]
    assert sorted(Membership.objects.values_list("joined_on", "left_on")) == [
        (datetime.date(2010, 1, 1), datetime.date(2020, 12, 31)),
        (datetime.date(2026, 1, 1), None),
    ]
    assert client.get(leave_url(first)).status_code == 404  # already left


def test_the_person_page_offers_registering_and_leaving_to_editors_only(world):
    person = PersonFactory(division=division(w.COOPERATIVE))
    membership = MembershipFactory(person=person, cooperative=division(w.COOPERATIVE))
    page = reverse("villages:person", args=[person.pk])

    editor = client_for(world.user("coop_clerk")).get(page).text
    viewer = client_for(world.user("town_official")).get(page).text

    assert add_url(person) in editor and leave_url(membership) in editor
    assert add_url(person) not in viewer and leave_url(membership) not in viewer


@pytest.mark.parametrize("cooperatives", [1, 30])
def test_the_page_costs_the_same_queries_whatever_the_number_of_cooperatives(world, cooperatives):
    for number in range(3, 3 + cooperatives):
        division(f"{w.VILLAGE}{number:03d}")
    person = PersonFactory(division=division(w.VILLAGE))

    # session, user, grants, the person, the village's cooperatives, those in scope, the choices
    assert queries_for(client_for(world.user("village_clerk")), add_url(person)) == 7


def test_the_leave_page_costs_a_fixed_number_of_queries(world):
    membership = MembershipFactory(
        person=PersonFactory(division=division(w.COOPERATIVE)), cooperative=division(w.COOPERATIVE)
    )

    # session, user, grants, the membership with its person and cooperative, the change check
    assert queries_for(client_for(world.user("coop_clerk")), leave_url(membership)) == 5
