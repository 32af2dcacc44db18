"""Registering a party member (登记党员) in the browser: the village's party organisation and the
age rule of the Party constitution. Who may open and post the page (the people editors whose
jurisdiction covers the village: not a cooperative clerk) is declared in
tests/governance/test_pages_access.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.audit import history_of
from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import MIN_PARTY_JOINING_AGE, PartyMembership
from villages.testing.factories import PartyMembershipFactory, PersonFactory, division

BORN = datetime.date(1990, 6, 15)


def add_url(person) -> str:
    return reverse("villages:party_membership_add", args=[person.pk])


def villager(code: str = w.COOPERATIVE, sequence: int = 31):
    return PersonFactory(division=division(code), id_number=make_id_number("440605", BORN, sequence))


def test_the_constitution_sets_the_joining_age_at_18():
    assert MIN_PARTY_JOINING_AGE == 18


def test_joining_before_18_is_refused_and_on_the_18th_birthday_accepted(world):
    person = villager()
    membership = PartyMembership(person=person, branch=division(w.VILLAGE), joined_on=datetime.date(2008, 6, 14))

    with pytest.raises(ValidationError) as refused:
        membership.clean()

    assert list(refused.value.message_dict) == ["joined_on"]
    membership.joined_on = datetime.date(2008, 6, 15)
    membership.clean()


def test_a_party_member_belongs_to_a_village_not_a_cooperative(world):
    with pytest.raises(ValidationError) as refused:
        PartyMembership(person=villager(), branch=division(w.COOPERATIVE), joined_on=datetime.date(2015, 7, 1)).clean()

    assert list(refused.value.message_dict) == ["branch"]


def test_a_village_clerk_registers_a_cooperative_member_in_the_villages_party_organisation(world):
    clerk = world.user("village_clerk")
    person = villager()

    response = client_for(clerk).post(add_url(person), {"joined_on": "2015-07-01"}, follow=True)

    membership = PartyMembership.objects.get()
    assert (membership.person, membership.branch_id) == (person, w.VILLAGE)
    assert membership.joined_on == datetime.date(2015, 7, 1)
    assert "已登记党员：" in response.text
    assert history_of(membership).first().pgh_context["user"] == clerk.pk


@pytest.mark.parametrize(
    ("joined_on", "field"), [("2008-06-14", "joined_on"), ("2026-02-30", "joined_on"), ("", "joined_on")]
)
def test_a_bad_day_is_a_field_error_and_nothing_is_written(world, joined_on, field):
    response = client_for(world.user("village_clerk")).post(add_url(villager()), {"joined_on": joined_on})

    assert list(response.context["form"].errors) == [field]
    assert not PartyMembership.objects.exists()


def test_a_party_member_is_not_registered_twice(world):
    person = villager()
    PartyMembershipFactory(person=person, branch=division(w.VILLAGE))
    page = client_for(world.user("village_clerk")).get(reverse("villages:person", args=[person.pk]))

    assert client_for(world.user("village_clerk")).post(add_url(person), {"joined_on": "2015-07-01"}).status_code == 404
    assert add_url(person) not in page.text
    assert PartyMembership.objects.count() == 1


def test_the_page_costs_a_fixed_number_of_queries(world):
    # session, user, grants, the person, their membership if any, the village
    assert queries_for(client_for(world.user("village_clerk")), add_url(villager())) == 6
