"""The audit trail: every write is an event, with the acting user; events cannot be changed."""

import datetime

import pghistory.models
import pghistory.trigger
import pgtrigger
import pytest
from django.apps import apps
from django.db import DatabaseError, InternalError, connection, models, transaction
from django.test.utils import isolate_apps
from rest_framework.authtoken.models import Token

from governance.access.models import Assignment, Role
from governance.audit import acting_as, history_of
from governance.base_models import ScopedModel
from governance.testing.factories import UserFactory, assign
from governance.testing.schema import SchemaCheckedAPIClient as APIClient
from governance.testing.world import OTHER_VILLAGE_SAME_TOWN, TOWN, VILLAGE
from villages.identity import make_id_number
from villages.models import Division, Household, Membership, PartyMembership, Person, Position, PositionFiling
from villages.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PartyMembershipFactory,
    PersonFactory,
    PositionFactory,
    division,
)

pytestmark = pytest.mark.django_db


def event_model_of(model):
    """The pghistory event model that tracks `model`."""
    [event_model] = [
        candidate
        for candidate in apps.get_models()
        if issubclass(candidate, pghistory.models.Event) and candidate.pgh_tracked_model is model
    ]
    return event_model


def labels_of(model, pk) -> list[str]:
    events = event_model_of(model).objects.filter(pgh_obj_id=pk).order_by("pgh_id")
    return list(events.values_list("pgh_label", flat=True))


def make_filing(world):
    position = PositionFactory(kind="party_secretary")
    return PositionFiling.objects.create(
        position=position,
        filed_with=division(position.filing_division_code()),
        submitted_by=world.user("village_clerk"),
    )


# model → (make one, change it in memory): the behaviour of the triggers, model by model, for
# the models of villages and governance (that every scoped model has them is checked below).
TRACKED = {
    Division: (lambda world: division("440605124009"), lambda obj: setattr(obj, "name", "新名字")),
    Household: (lambda world: HouseholdFactory(), lambda obj: setattr(obj, "address", "新地址")),
    Person: (lambda world: PersonFactory(), lambda obj: setattr(obj, "phone", "13900000000")),
    Membership: (lambda world: MembershipFactory(), lambda obj: setattr(obj, "shares", 3)),
    PartyMembership: (
        lambda world: PartyMembershipFactory(),
        lambda obj: setattr(obj, "joined_on", datetime.date(2001, 7, 1)),
    ),
    Position: (lambda world: PositionFactory(), lambda obj: setattr(obj, "ended_on", datetime.date(2024, 1, 1))),
    PositionFiling: (make_filing, lambda obj: setattr(obj, "note", "材料齐全")),
    Assignment: (
        lambda world: assign(UserFactory(), VILLAGE, "inspector"),
        lambda obj: setattr(obj, "role", Role.objects.get(slug="report_reader")),
    ),
}


def scoped_models(registry=apps) -> set:
    """Every concrete ScopedModel of every installed app: the records that lie in a division."""
    return {model for model in registry.get_models() if issubclass(model, ScopedModel) and not model._meta.proxy}


def tracked_models(registry=apps) -> set:
    """Every model pghistory keeps events of."""
    return {model.pgh_tracked_model for model in registry.get_models() if issubclass(model, pghistory.models.Event)}


def test_the_discovery_finds_the_scoped_models_of_villages_and_governance_by_name():
    found = {model._meta.label for model in scoped_models()}

    assert found >= {
        "villages.Division",
        "villages.Household",
        "villages.Person",
        "villages.Membership",
        "villages.PartyMembership",
        "villages.Position",
        "villages.PositionFiling",
        "governance.Assignment",
    }


def test_every_scoped_model_of_every_installed_app_is_tracked():
    scoped = scoped_models()

    assert {model for model in scoped if model in tracked_models()} == scoped


def test_every_scoped_model_has_its_insert_update_and_delete_triggers_installed_in_the_database():
    scoped = scoped_models()
    installed = {
        (model, str(trigger.operation))
        for model, trigger in pgtrigger.registered()
        if model in scoped
        and isinstance(trigger, pghistory.trigger.Event)
        and trigger.get_installation_status(model)[0] == "INSTALLED"
    }

    assert installed == {(model, operation) for model in scoped for operation in ("INSERT", "UPDATE", "DELETE")}


def test_a_scoped_model_without_history_would_be_found_untracked():
    with isolate_apps("villages") as registry:

        class Untracked(ScopedModel):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "villages"

        assert scoped_models(registry) - tracked_models(registry) == {Untracked}


def test_every_model_sampled_here_is_a_tracked_scoped_model():
    assert set(TRACKED) <= scoped_models() & tracked_models()


@pytest.mark.parametrize("model", list(TRACKED), ids=lambda model: model.__name__)
def test_every_insert_update_and_delete_of_a_tracked_model_is_an_event(world, model):
    make, change = TRACKED[model]
    obj = make(world)
    change(obj)
    obj.save()
    pk = obj.pk

    if never_deleted(model):
        with pytest.raises(InternalError), transaction.atomic():
            obj.delete()
        assert labels_of(model, pk) == ["insert", "update"]
        return
    obj.delete()

    assert labels_of(model, pk) == ["insert", "update", "delete"]


def never_deleted(model) -> bool:
    """Whether the database refuses every DELETE of the model (a division: retired, never deleted)."""
    return any(
        isinstance(trigger, pgtrigger.Protect) and "DELETE" in str(trigger.operation)
        for trigger in getattr(model._meta, "triggers", [])
    )


def test_a_bulk_update_is_recorded_row_by_row():
    people = PersonFactory.create_batch(3)

    Person.objects.filter(pk__in=[p.pk for p in people]).update(phone="13900000000")

    assert [labels_of(Person, p.pk) for p in people] == [["insert", "update"]] * 3


def test_a_save_that_changes_nothing_is_not_an_event():
    person = PersonFactory()

    Person.objects.filter(pk=person.pk).update(name=person.name)

    assert labels_of(Person, person.pk) == ["insert"]


# --- the acting user --------------------------------------------------------------------------


def last_event(model, pk):
    return event_model_of(model).objects.filter(pgh_obj_id=pk).latest("pgh_id")


def test_an_api_write_with_a_token_records_the_acting_user_and_url(world):
    clerk = world.user("village_clerk")
    person = PersonFactory(division=division(VILLAGE))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk).key}")

    response = client.patch(f"/api/v1/people/{person.pk}/", {"name": "改名"}, format="json")

    assert response.status_code == 200
    event = last_event(Person, person.pk)
    assert event.pgh_label == "update"
    assert event.pgh_context.metadata == {"user": clerk.pk, "url": f"/api/v1/people/{person.pk}/"}


def test_an_api_write_in_a_browser_session_records_the_acting_user(world):
    clerk = world.user("village_clerk")
    client = APIClient()
    client.force_login(clerk)
    data = {"name": "新村民", "id_number": make_id_number("440605", datetime.date(1980, 1, 1), 7), "division": VILLAGE}

    response = client.post("/api/v1/people/", data, format="json")

    assert response.status_code == 201
    event = last_event(Person, response.json()["id"])
    assert (event.pgh_label, event.pgh_context.metadata["user"]) == ("insert", clerk.pk)


def test_a_write_made_by_a_service_records_the_user_it_acts_for(world):
    clerk = world.user("village_clerk")

    with acting_as(clerk, reason="import"):
        person = PersonFactory()

    assert last_event(Person, person.pk).pgh_context.metadata == {"user": clerk.pk, "reason": "import"}


def test_a_refused_api_write_leaves_no_event(world, client_for):
    person = PersonFactory(division=division(VILLAGE))

    response = client_for(world.user("village_clerk")).patch(
        f"/api/v1/people/{person.pk}/", {"division": OTHER_VILLAGE_SAME_TOWN}, format="json"
    )

    assert response.status_code == 404
    assert labels_of(Person, person.pk) == ["insert"]


# --- events are append-only -------------------------------------------------------------------


@pytest.fixture
def person_with_events():
    person = PersonFactory()
    person.name = "改过的名字"
    person.save()
    return person


@pytest.mark.parametrize(
    "statement",
    ["UPDATE villages_personevent SET name = 'forged'", "DELETE FROM villages_personevent"],
    ids=["UPDATE", "DELETE"],
)
def test_the_person_event_table_refuses_updates_and_deletes_in_sql(person_with_events, statement):
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    assert labels_of(Person, person_with_events.pk) == ["insert", "update"]


def test_the_person_events_cannot_be_changed_or_deleted_through_the_orm(person_with_events):
    events = event_model_of(Person).objects.filter(pgh_obj_id=person_with_events.pk).order_by("pgh_id")
    names_before = list(events.values_list("name", flat=True))

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        events.update(name="forged")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        events.first().delete()

    assert list(events.values_list("name", flat=True)) == names_before
    assert len(names_before) == 2


def test_every_event_table_has_the_protecting_trigger():
    event_tables = {
        candidate._meta.db_table for candidate in apps.get_models() if issubclass(candidate, pghistory.models.Event)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT trigger.tgrelid::regclass::text
            FROM pg_trigger trigger JOIN pg_proc function ON function.oid = trigger.tgfoid
            WHERE NOT trigger.tgisinternal
              AND function.prosrc LIKE '%Cannot update or delete rows%'
              AND trigger.tgtype & 2 = 2   -- BEFORE
              AND trigger.tgtype & 8 = 8   -- DELETE
              AND trigger.tgtype & 16 = 16 -- UPDATE
            """
        )
        protected = {row[0] for row in cursor.fetchall()}

    assert event_tables <= protected


# --- the history endpoint ---------------------------------------------------------------------


def test_the_history_of_a_person_lists_its_events_newest_first_with_the_acting_user(world, client_for):
    clerk = world.user("village_clerk")
    person = PersonFactory(division=division(VILLAGE))
    client = client_for(clerk)
    assert client.patch(f"/api/v1/people/{person.pk}/", {"name": "改名"}).status_code == 200

    events = client.get(f"/api/v1/people/{person.pk}/history/").json()["results"]

    assert [event["label"] for event in events] == ["update", "insert"]
    assert (events[0]["user"], events[0]["url"]) == (clerk.pk, f"/api/v1/people/{person.pk}/")
    assert events[0]["diff"]["name"] == [person.name, "改名"]
    assert events[1]["user"] is None  # written by the test, outside any request


@pytest.mark.parametrize(
    ("role", "status"),
    [("village_clerk", 404), ("coop_clerk", 404), ("report_reader", 403), ("town_official", 200)],
    ids=["clerk of another village", "clerk of a cooperative elsewhere", "role without people", "town official"],
)
def test_the_history_of_a_person_is_shown_only_to_those_who_may_view_the_person(world, client_for, role, status):
    person = PersonFactory(division=division(OTHER_VILLAGE_SAME_TOWN))

    response = client_for(world.user(role)).get(f"/api/v1/people/{person.pk}/history/")

    assert response.status_code == status


def test_the_outsider_gets_404_for_any_history(world, client_for):
    person = PersonFactory(division=division(VILLAGE))

    assert client_for(world.outsider).get(f"/api/v1/people/{person.pk}/history/").status_code == 404
    assert client_for(world.outsider).get(f"/api/v1/divisions/{TOWN}/history/").status_code == 404


@pytest.fixture
def person_with_changed_personal_data(world, client_for):
    """A person of VILLAGE whose phone and ID number the village clerk corrected through the API."""
    person = PersonFactory(division=division(VILLAGE), phone="13812345678")
    new_id_number = make_id_number("440605", datetime.date(1975, 5, 5), 9)
    response = client_for(world.user("village_clerk")).patch(
        f"/api/v1/people/{person.pk}/", {"phone": "13987654321", "id_number": new_id_number}
    )
    assert response.status_code == 200
    return person, new_id_number


def masked_id_number(id_number: str) -> str:
    return f"{id_number[:6]}********{id_number[-4:]}"


@pytest.mark.parametrize("role", ["town_official", "inspector"])
def test_the_history_masks_personal_data_in_snapshots_and_diffs_for_those_who_may_not_see_it(
    world, client_for, person_with_changed_personal_data, role
):
    person, new_id_number = person_with_changed_personal_data

    update, insert = client_for(world.user(role)).get(f"/api/v1/people/{person.pk}/history/").json()["results"]

    assert (insert["data"]["id_number"], insert["data"]["phone"]) == (masked_id_number(person.id_number), "138****5678")
    assert (update["data"]["id_number"], update["data"]["phone"]) == (masked_id_number(new_id_number), "139****4321")
    assert update["diff"]["id_number"] == [masked_id_number(person.id_number), masked_id_number(new_id_number)]
    assert update["diff"]["phone"] == ["138****5678", "139****4321"]
    assert person.id_number not in str(update) + str(insert)


@pytest.mark.parametrize("role", ["village_clerk", "district_admin"])
def test_the_history_shows_personal_data_to_those_who_may_see_it(
    world, client_for, person_with_changed_personal_data, role
):
    person, new_id_number = person_with_changed_personal_data

    update, insert = client_for(world.user(role)).get(f"/api/v1/people/{person.pk}/history/").json()["results"]

    assert insert["data"]["id_number"] == person.id_number
    assert update["diff"]["id_number"] == [person.id_number, new_id_number]
    assert update["diff"]["phone"] == ["13812345678", "13987654321"]


def test_history_of_returns_only_the_objects_own_events(world):
    person, other = PersonFactory(), PersonFactory()
    other.name = "别人"
    other.save()

    assert [event.pgh_label for event in history_of(person)] == ["insert"]


def test_bulk_writers_find_pgtrigger_ignore_defined_and_keep_what_was_there(db):
    from django.db import connection

    from governance.audit import keep_audit_triggers_linear

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '', true)")  # as a pgtrigger.ignore block leaves it
        assert keep_audit_triggers_linear(cursor) == "{}"
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        assert cursor.fetchone() == ("{}",)
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{some_trigger}', true)")
        assert keep_audit_triggers_linear(cursor) == "{some_trigger}"


def test_every_connection_starts_with_pgtrigger_ignore_defined(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        assert cursor.fetchone() == ("{}",)
