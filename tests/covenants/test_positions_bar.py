"""A barred person cannot be recorded into an elected post (R10): the covenant's election bar
reaches villages' Position.clean through governance's registry (eligibility_checks), and so the
model, the API and the page all refuse it, naming the bar; a reserve cadre post is not elected,
and the bar's last day is followed by a day on which the same person is accepted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from covenants.choices import Severity
from covenants.testing.factories import ViolationFactory, published_covenant, repeat_violations
from governance.testing import world as w
from governance.testing.pages import signed_in_client
from villages.models import Position, PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date
CONFIRMED = D(2025, 3, 15)
BARRED_ON = D(2026, 3, 1)  # the 2026 term starts inside the 5-year bar
BAR_ENDS = D(2030, 3, 15)  # eligible again on this day
ELECTED = [
    (PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE),
    (PositionKind.PARTY_SECRETARY, w.VILLAGE),
    (PositionKind.COMMITTEE_DIRECTOR, w.VILLAGE),
    (PositionKind.SECRETARY_AND_DIRECTOR, w.VILLAGE),
    (PositionKind.COOPERATIVE_HEAD, w.COOPERATIVE),
    (PositionKind.MEMBER_REPRESENTATIVE, w.COOPERATIVE),
]


@pytest.fixture
def barred(world):
    """A member of the village's first cooperative who repeated (屡教不改) a violation of a clause
    that bars election, the repeat confirmed on CONFIRMED: barred until the day before BAR_ENDS."""
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    person = PersonFactory(division=division(w.COOPERATIVE), name="冯国强")
    repeat_violations(clause=clause, person=person, confirmed_on=CONFIRMED)
    return person


def position(person, kind, code, started_on) -> Position:
    return Position(person=person, division=division(code), kind=kind, started_on=started_on)


def assert_names_the_bar(messages: list[str]) -> None:
    (message,) = messages
    assert message.startswith("此人不得当选该职务：屡教不改（12个月内第2次违反《")
    assert "村规民约》）：5年内不得当选领导职务或代表（第1条，违约记录" in message
    assert "2030-03-14止，2030-03-15起恢复" in message


# --- the model --------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "code"), ELECTED, ids=[kind for kind, _code in ELECTED])
def test_a_barred_person_in_an_elected_post_is_a_field_error_on_person(barred, kind, code):
    with pytest.raises(ValidationError) as refused:
        position(barred, kind, code, BARRED_ON).full_clean()

    assert list(refused.value.message_dict) == ["person"]
    assert_names_the_bar(refused.value.message_dict["person"])


def test_a_barred_person_may_still_be_a_reserve_cadre(barred):
    position(barred, PositionKind.RESERVE_CADRE, w.VILLAGE, BARRED_ON).full_clean()


def test_the_same_person_is_accepted_in_an_elected_post_starting_the_day_the_bar_ends(barred):
    position(barred, PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE, BAR_ENDS).full_clean()


def test_the_post_is_refused_on_the_bars_last_day(barred):
    with pytest.raises(ValidationError):
        last_day = BAR_ENDS - datetime.timedelta(days=1)
        position(barred, PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE, last_day).full_clean()


def test_a_post_that_started_before_the_confirmation_is_not_refused(barred):
    day_before = CONFIRMED - datetime.timedelta(days=1)
    position(barred, PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE, day_before).full_clean()


def test_a_serious_single_violation_does_not_bar_the_post(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    person = PersonFactory(division=division(w.VILLAGE))
    ViolationFactory(
        clause=clause, person=person, occurred_on=D(2025, 3, 1), confirmed_on=CONFIRMED, severity=Severity.SERIOUS
    )

    position(person, PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE, BARRED_ON).full_clean()


def test_a_minor_first_violation_does_not_bar_the_post(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    person = PersonFactory(division=division(w.VILLAGE))
    ViolationFactory(clause=clause, person=person, occurred_on=D(2025, 3, 1), confirmed_on=CONFIRMED)

    position(person, PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE, BARRED_ON).full_clean()


def test_a_post_held_before_the_bar_can_still_be_saved_and_ended(barred):
    held = PositionFactory(
        person=barred, division=division(w.COOPERATIVE), kind=PositionKind.MEMBER_REPRESENTATIVE, started_on=BARRED_ON
    )
    held.ended_on = D(2026, 6, 1)

    held.full_clean()  # only a new position is checked against bars


# --- the API ----------------------------------------------------------------------------------


def post_position(client_for, user, person, kind, code, started_on):
    return client_for(user).post(
        "/api/v1/positions/",
        {"person": person.pk, "division": code, "kind": kind, "started_on": started_on.isoformat()},
    )


@pytest.mark.parametrize(
    ("kind", "code"),
    [(PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE), (PositionKind.COOPERATIVE_HEAD, w.COOPERATIVE)],
    ids=["villager representative", "cooperative head"],
)
def test_the_api_refuses_a_barred_person_in_an_elected_post_with_a_field_error_on_person(
    world, client_for, barred, kind, code
):
    response = post_position(client_for, world.user("village_clerk"), barred, kind, code, BARRED_ON)

    assert response.status_code == 400
    assert list(response.json()) == ["person"]
    assert_names_the_bar(response.json()["person"])
    assert not Position.objects.filter(person=barred).exists()


def test_the_api_records_a_barred_person_as_a_reserve_cadre(world, client_for, barred):
    response = post_position(
        client_for, world.user("village_clerk"), barred, PositionKind.RESERVE_CADRE, w.VILLAGE, BARRED_ON
    )

    assert response.status_code == 201


def test_the_api_accepts_the_person_on_the_day_the_bar_ends(world, client_for, barred):
    response = post_position(
        client_for, world.user("village_clerk"), barred, PositionKind.VILLAGER_REPRESENTATIVE, w.VILLAGE, BAR_ENDS
    )

    assert response.status_code == 201


def test_the_api_lets_a_post_held_before_the_bar_be_edited(world, client_for, barred):
    held = PositionFactory(
        person=barred, division=division(w.COOPERATIVE), kind=PositionKind.MEMBER_REPRESENTATIVE, started_on=BARRED_ON
    )

    response = client_for(world.user("village_clerk")).patch(
        f"/api/v1/positions/{held.pk}/", {"term_ends_on": "2031-02-28"}
    )

    assert response.status_code == 200


# --- the page ---------------------------------------------------------------------------------


def add_url(person) -> str:
    return reverse("villages:position_add", args=[person.pk])


def post_form(world, person, kind, code, started_on):
    return signed_in_client(world.user("village_clerk")).post(
        add_url(person), {"kind": kind, "division": code, "started_on": started_on.isoformat()}
    )


def test_the_page_refuses_a_barred_person_in_an_elected_post_naming_the_bar(world, barred):
    response = post_form(world, barred, PositionKind.COOPERATIVE_HEAD, w.COOPERATIVE, BARRED_ON)

    assert response.status_code == 200
    form = response.context["form"]
    # The form has no person field (the person is the page's): the model's error on `person`
    # is shown form-wide.
    assert_names_the_bar(form.non_field_errors())
    assert "不得当选领导职务或代表" in response.text
    assert not Position.objects.filter(person=barred).exists()


def test_the_page_records_a_barred_person_as_a_reserve_cadre(world, barred):
    response = post_form(world, barred, PositionKind.RESERVE_CADRE, w.VILLAGE, BARRED_ON)

    assert response.status_code == 302
    assert Position.objects.filter(person=barred, kind=PositionKind.RESERVE_CADRE).exists()


def test_the_page_records_the_person_on_the_day_the_bar_ends(world, barred):
    response = post_form(world, barred, PositionKind.COOPERATIVE_HEAD, w.COOPERATIVE, BAR_ENDS)

    assert response.status_code == 302
    assert Position.objects.filter(person=barred, kind=PositionKind.COOPERATIVE_HEAD).exists()
