"""Recording a position in the browser (登记任职) and its end (登记离任): in which divisions, what is
checked, what is recorded. Who may open and post the pages, inside and outside their
jurisdiction, is declared in tests/governance/test_pages_access.py."""

import datetime

import pytest
from django.urls import reverse

from governance.audit import history_of
from governance.testing import world as w
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.models import Position, PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division


def add_url(person) -> str:
    return reverse("villages:position_add", args=[person.pk])


def head_of_cooperative(started: str = "2026-03-01") -> dict:
    return {"kind": PositionKind.COOPERATIVE_HEAD, "division": w.COOPERATIVE, "started_on": started}


def test_a_cooperative_member_is_offered_their_cooperative_and_its_village(world):
    person = PersonFactory(division=division(w.COOPERATIVE))

    response = client_for(world.user("village_clerk")).get(add_url(person))

    assert sorted(response.context["form"].fields["division"].queryset.values_list("code", flat=True)) == [
        w.VILLAGE,
        w.COOPERATIVE,
    ]


def test_a_villager_is_offered_the_village_and_its_cooperatives_within_reach(world):
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_for(world.user("village_clerk")).get(add_url(person))

    offered = response.context["form"].fields["division"].queryset.values_list("code", flat=True)
    assert sorted(offered) == [w.VILLAGE, w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE]


def test_a_village_clerk_records_a_cooperative_head_under_their_name(world):
    clerk = world.user("village_clerk")
    person = PersonFactory(division=division(w.COOPERATIVE), name="黄志强")

    response = client_for(clerk).post(
        add_url(person), {**head_of_cooperative(), "term_ends_on": "2031-02-28"}, follow=True
    )

    position = Position.objects.get()
    assert response.redirect_chain == [(reverse("villages:person", args=[person.pk]), 302)]
    assert (position.person, position.division_id) == (person, w.COOPERATIVE)
    assert position.kind == PositionKind.COOPERATIVE_HEAD
    assert (position.started_on, position.term_ends_on) == (datetime.date(2026, 3, 1), datetime.date(2031, 2, 28))
    assert "已登记任职：经济社社长 黄志强。" in response.text
    assert f'id="file-position-{position.pk}"' in response.text  # and can now be submitted for filing
    (event,) = history_of(position)
    assert event.pgh_context["user"] == clerk.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"division": w.VILLAGE}, "division"),  # a cooperative head heads a cooperative
        ({"started_on": "2026-02-30"}, "started_on"),
        ({"kind": "emperor"}, "kind"),
        ({"division": w.OTHER_TOWN_VILLAGE}, "division"),  # not one of the divisions offered
    ],
    ids=["a kind of another level", "30 February", "an unknown kind", "a division not offered"],
)
def test_a_bad_position_is_a_field_error_and_nothing_is_written(world, changes, field):
    person = PersonFactory(division=division(w.COOPERATIVE))

    response = client_for(world.user("village_clerk")).post(add_url(person), {**head_of_cooperative(), **changes})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'id="error-{field}"' in response.text
    assert not Position.objects.exists()


def test_a_second_current_cooperative_head_is_refused_with_the_reason(world):
    PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    person = PersonFactory(division=division(w.COOPERATIVE))

    response = client_for(world.user("village_clerk")).post(add_url(person), head_of_cooperative())

    assert response.context["form"].errors["kind"] == ["该村社已有现任的此职务，请先登记原任职人员离任。"]
    assert Position.objects.count() == 1


def test_the_person_page_links_to_the_form_for_recorders_only(world):
    person = PersonFactory(division=division(w.COOPERATIVE))
    page = reverse("villages:person", args=[person.pk])

    assert add_url(person) in client_for(world.user("village_clerk")).get(page).text
    assert add_url(person) not in client_for(world.user("coop_clerk")).get(page).text


@pytest.mark.parametrize("cooperatives", [1, 30])
def test_the_page_costs_the_same_queries_whatever_the_number_of_cooperatives(world, cooperatives):
    for number in range(3, 3 + cooperatives):
        division(f"{w.VILLAGE}{number:03d}")
    person = PersonFactory(division=division(w.VILLAGE))

    assert queries_for(client_for(world.user("village_clerk")), add_url(person)) == 7


# --- ending a position -------------------------------------------------------------------------


def end_url(position) -> str:
    return reverse("villages:position_end", args=[position.pk])


def test_a_position_cannot_end_before_it_started_or_without_a_day(world):
    position = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    client = client_for(world.user("village_clerk"))

    before = client.post(end_url(position), {"ended_on": "2020-01-01"})
    empty = client.post(end_url(position), {"ended_on": ""})

    assert list(before.context["form"].errors) == ["ended_on"]
    assert list(empty.context["form"].errors) == ["ended_on"]
    position.refresh_from_db()
    assert position.ended_on is None


def test_after_the_head_has_left_a_successor_can_be_recorded_and_the_old_record_stays(world):
    sitting = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    successor = PersonFactory(division=division(w.COOPERATIVE))
    client = client_for(world.user("village_clerk"))

    client.post(end_url(sitting), {"ended_on": "2026-02-28"})
    client.post(add_url(successor), head_of_cooperative(started="2026-03-01"))

    heads = Position.objects.filter(division_id=w.COOPERATIVE, kind=PositionKind.COOPERATIVE_HEAD)
    assert sorted((p.person_id, p.ended_on) for p in heads) == sorted(
        [(sitting.person_id, datetime.date(2026, 2, 28)), (successor.pk, None)]
    )
    latest = history_of(sitting).first()
    assert (latest.pgh_label, latest.pgh_context["user"]) == ("update", world.user("village_clerk").pk)


def test_an_ended_position_has_nothing_left_to_end(world):
    position = PositionFactory(
        division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD, ended_on=datetime.date(2025, 1, 1)
    )

    assert client_for(world.user("village_clerk")).get(end_url(position)).status_code == 404


def test_the_person_page_offers_ending_current_positions_to_recorders(world):
    position = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    page = reverse("villages:person", args=[position.person_id])

    assert end_url(position) in client_for(world.user("village_clerk")).get(page).text
    assert end_url(position) not in client_for(world.user("coop_clerk")).get(page).text


def test_a_rule_about_a_field_the_form_does_not_show_is_a_form_error_not_a_crash(world):
    """Two current terms of one person in one post, left by data that predates the rule: ending
    one without a day runs Position.clean, whose complaint names `kind`, which this form lacks."""
    first = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    PositionFactory(person=first.person, division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)

    response = client_for(world.user("village_clerk")).post(end_url(first), {"ended_on": ""})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["ended_on", "__all__"]
    assert errors["__all__"] == ["此人已在该村社现任此职务。"]
    first.refresh_from_db()
    assert first.ended_on is None


def test_the_end_page_costs_a_fixed_number_of_queries(world):
    position = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)

    # session, user, grants, the position with its person and division, the change check
    assert queries_for(client_for(world.user("village_clerk")), end_url(position)) == 5
