"""Registering and editing people in the browser (登记人员, 编辑人员, 登记户): where, what is
checked, what is recorded, and what the pages cost in queries. Who may open and post them,
inside and outside their jurisdiction, is declared in tests/governance/test_pages_access.py."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from governance.access.models import Role
from governance.audit import history_of
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Household, Person
from villages.testing.factories import HouseholdFactory, PersonFactory, division

BORN = datetime.date(1990, 3, 15)
VALID_ID = make_id_number("440605", BORN, 21)  # sequence 021: odd, male


def add_url(code: str) -> str:
    return reverse("villages:person_add", args=[code])


def edit_url(person: Person) -> str:
    return reverse("villages:person_edit", args=[person.pk])


def wrong_check_character(id_number: str) -> str:
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


# --- registering -----------------------------------------------------------------------------


def test_people_are_registered_in_villages_and_cooperatives_only(world):
    response = client_for(world.user("district_admin")).get(add_url(w.TOWN))

    assert response.status_code == 404


def test_a_village_clerk_registers_a_person_whose_gender_and_birth_date_come_from_the_id(world):
    clerk = world.user("village_clerk")
    household = HouseholdFactory(division=division(w.VILLAGE), number="H-0007")

    response = client_for(clerk).post(
        add_url(w.VILLAGE),
        {"name": " 王五 ", "id_number": VALID_ID.lower(), "phone": "13812340000", "household": household.pk},
        follow=True,
    )

    person = Person.objects.get()
    assert response.redirect_chain == [(reverse("villages:person", args=[person.pk]), 302)]
    assert (person.name, person.id_number, person.division_id) == ("王五", VALID_ID, w.VILLAGE)
    assert person.household == household
    assert (person.gender, person.birth_date) == ("male", BORN)
    assert "已登记 王五。" in response.text
    (event,) = history_of(person)
    assert (event.pgh_label, event.pgh_context["user"]) == ("insert", clerk.pk)


def test_a_wrong_check_character_is_a_field_error_and_nothing_is_written(world):
    response = client_for(world.user("village_clerk")).post(
        add_url(w.VILLAGE), {"name": "王五", "id_number": wrong_check_character(VALID_ID)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["身份证号校验码错误。"]
    assert 'id="error-id_number"' in response.text
    assert not Person.objects.exists()


def test_a_phone_number_that_is_neither_mobile_nor_landline_is_a_field_error_in_chinese(world):
    response = client_for(world.user("village_clerk")).post(
        add_url(w.VILLAGE), {"name": "王五", "id_number": VALID_ID, "phone": "12345"}
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["phone"]
    assert message.startswith("电话号码应为11位手机号")
    assert not Person.objects.exists()


@pytest.mark.parametrize("phone", ["13812340000", "0757-86123456"], ids=["mobile", "landline"])
def test_a_mobile_or_landline_phone_is_accepted(world, phone):
    client_for(world.user("village_clerk")).post(
        add_url(w.VILLAGE), {"name": "王五", "id_number": VALID_ID, "phone": phone}
    )

    assert Person.objects.get().phone == phone


def test_an_id_number_already_registered_anywhere_is_refused(world):
    PersonFactory(division=division(w.FAR_VILLAGE), id_number=VALID_ID)

    response = client_for(world.user("village_clerk")).post(add_url(w.VILLAGE), {"name": "王五", "id_number": VALID_ID})

    assert response.context["form"].errors["id_number"] == ["该身份证号已登记。"]
    assert Person.objects.count() == 1


def test_a_household_of_another_division_cannot_be_chosen(world):
    elsewhere = HouseholdFactory(division=division(w.COOPERATIVE))

    response = client_for(world.user("village_clerk")).post(
        add_url(w.VILLAGE), {"name": "王五", "id_number": VALID_ID, "household": elsewhere.pk}
    )

    assert "household" in response.context["form"].errors
    assert not Person.objects.exists()


def test_the_household_choices_are_the_households_of_the_division(world):
    own = HouseholdFactory(division=division(w.VILLAGE), number="H-0001")
    HouseholdFactory(division=division(w.COOPERATIVE), number="H-0002")

    response = client_for(world.user("village_clerk")).get(add_url(w.VILLAGE))

    assert list(response.context["form"].fields["household"].queryset) == [own]


# --- editing ---------------------------------------------------------------------------------


def test_an_edit_is_saved_and_recorded_as_an_update_by_its_author(world):
    clerk = world.user("coop_clerk")
    person = PersonFactory(division=division(w.COOPERATIVE), name="李四", phone="13800000000")

    response = client_for(clerk).post(
        edit_url(person), {"name": "李四", "id_number": person.id_number, "phone": "13911112222"}, follow=True
    )

    person.refresh_from_db()
    assert person.phone == "13911112222"
    assert "已保存 李四 的修改。" in response.text
    latest = history_of(person).first()
    assert (latest.pgh_label, latest.pgh_context["user"]) == ("update", clerk.pk)


def test_an_editor_without_the_personal_data_permission_gets_no_id_or_phone_fields(world):
    role = Role.objects.create(slug="people_editor", name="人员编辑")
    role.permissions.set(
        Permission.objects.filter(
            content_type__app_label="villages", codename__in=["view_division", "view_person", "change_person"]
        )
    )
    editor = UserFactory(username="editor")
    assign(editor, w.VILLAGE, "people_editor")
    person = PersonFactory(division=division(w.VILLAGE), name="李四", phone="13800000000")

    page = client_for(editor).get(edit_url(person))
    client_for(editor).post(edit_url(person), {"name": "李思", "id_number": VALID_ID, "phone": "1"})

    assert list(page.context["form"].fields) == ["name", "household"]
    assert person.id_number not in page.text and "13800000000" not in page.text
    person.refresh_from_db()
    assert (person.name, person.phone) == ("李思", "13800000000")  # the posted ID and phone are ignored
    assert person.id_number != VALID_ID


def test_the_division_and_person_pages_link_to_the_forms_only_for_editors(world):
    person = PersonFactory(division=division(w.VILLAGE))
    division_page = reverse("villages:division", args=[w.VILLAGE])
    person_page = reverse("villages:person", args=[person.pk])

    clerk = client_for(world.user("village_clerk"))
    official = client_for(world.user("town_official"))

    assert add_url(w.VILLAGE) in clerk.get(division_page).text
    assert edit_url(person) in clerk.get(person_page).text
    assert add_url(w.VILLAGE) not in official.get(division_page).text
    assert edit_url(person) not in official.get(person_page).text


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("households", [1, 40])
def test_the_register_page_costs_the_same_queries_whatever_the_number_of_households(world, households):
    HouseholdFactory.create_batch(households, division=division(w.VILLAGE))
    client = client_for(world.user("village_clerk"))
    client.get(add_url(w.VILLAGE))  # the session and the user's grants are loaded once

    # The households are not listed on the page: its picker asks for them (governance.pages.pickers).
    assert queries_for(client, add_url(w.VILLAGE)) == 4


@pytest.mark.parametrize("households", [1, 40])
def test_the_edit_page_costs_the_same_queries_whatever_the_number_of_households(world, households):
    HouseholdFactory.create_batch(households, division=division(w.VILLAGE))
    person = PersonFactory(division=division(w.VILLAGE))
    client = client_for(world.user("village_clerk"))

    assert queries_for(client, edit_url(person)) == 6  # no household listed: the picker asks for them


def test_with_the_language_switch_on_english_the_register_page_is_in_english(world):
    client = client_for(world.user("village_clerk"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(add_url(w.VILLAGE))

    assert "Register a person" in response.text
    assert "gender and birth date are derived from the ID number" in response.text
    assert "(no household)" in response.text


# --- households ------------------------------------------------------------------------------


def household_url(code: str) -> str:
    return reverse("villages:household_add", args=[code])


def test_a_coop_clerk_registers_a_household_that_the_person_form_then_offers(world):
    clerk = client_for(world.user("coop_clerk"))

    response = clerk.post(household_url(w.COOPERATIVE), {"number": " H-0101 ", "address": "罗村大道8号"}, follow=True)

    household = Household.objects.get()
    assert (household.division_id, household.number, household.address) == (w.COOPERATIVE, "H-0101", "罗村大道8号")
    assert response.redirect_chain == [(reverse("villages:division", args=[w.COOPERATIVE]), 302)]
    assert "已登记户 H-0101。" in response.text
    assert list(clerk.get(add_url(w.COOPERATIVE)).context["form"].fields["household"].queryset) == [household]


def test_a_household_number_used_in_the_division_is_a_field_error_not_a_conflict(world):
    HouseholdFactory(division=division(w.COOPERATIVE), number="H-0101")
    HouseholdFactory(division=division(w.OTHER_COOPERATIVE_SAME_VILLAGE), number="H-0102")
    clerk = client_for(world.user("village_clerk"))

    taken = clerk.post(household_url(w.COOPERATIVE), {"number": "H-0101"})
    elsewhere = clerk.post(household_url(w.COOPERATIVE), {"number": "H-0102"})

    assert taken.context["form"].errors["number"] == ["本村社已有此户号。"]
    assert elsewhere.status_code == 302  # numbers are unique per division only
    assert Household.objects.filter(division_id=w.COOPERATIVE).count() == 2


def test_households_are_registered_in_villages_and_cooperatives_only(world):
    assert client_for(world.user("district_admin")).get(household_url(w.TOWN)).status_code == 404


def test_the_household_page_costs_a_fixed_number_of_queries(world):
    # session, user, grants, the division
    assert queries_for(client_for(world.user("coop_clerk")), household_url(w.COOPERATIVE)) == 4
