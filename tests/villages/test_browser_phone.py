"""The village clerk's forms of the hierarchy on a 390 px phone, in Debian's Chromium: registering a
person and a household, correcting a person, recording a position, a membership of the
cooperative and a party membership. Each form is submitted wrong first: its errors are shown on
screen and legible, nothing scrolls sideways; then right, and the page it lands on says so
(governance.testing.browser.try_form).

One Chromium for the module (module_browser), a fresh signed-in page per test.
"""

import datetime

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import PHONE_VIEWPORT, opened_page, sign_in, try_form
from villages.identity import make_id_number
from villages.models import Household, Membership, PartyMembership, Person, Position, PositionKind
from villages.testing.factories import PersonFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_ID = make_id_number("440605", datetime.date(1990, 3, 15), 21)
WRONG_CHECK_CHARACTER = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
REQUIRED = "该字段是必填项"

# name → (where, given the villager; wrong values, the error they give; right values, the message
# after saving; whether it was saved)
FORMS = {
    "person": (
        lambda villager: reverse("villages:person_add", args=[w.VILLAGE]),
        {"name": "王五", "id_number": WRONG_CHECK_CHARACTER, "phone": "12345"},
        "身份证号校验码错误",
        {"id_number": NEW_ID, "phone": "13812340000"},
        "已登记 王五。",
        lambda villager: Person.objects.filter(id_number=NEW_ID, phone="13812340000").exists(),
    ),
    "household": (
        lambda villager: reverse("villages:household_add", args=[w.COOPERATIVE]),
        {"number": "", "address": "罗村大道8号"},
        REQUIRED,
        {"number": "H-0101"},
        "已登记户 H-0101。",
        lambda villager: Household.objects.filter(number="H-0101", division_id=w.COOPERATIVE).exists(),
    ),
    "person-edit": (
        lambda villager: reverse("villages:person_edit", args=[villager.pk]),
        {"name": ""},
        REQUIRED,
        {"name": "陈大文"},
        "已保存 陈大文 的修改。",
        lambda villager: Person.objects.filter(pk=villager.pk, name="陈大文").exists(),
    ),
    "position": (
        lambda villager: reverse("villages:position_add", args=[villager.pk]),
        {"kind": PositionKind.COOPERATIVE_HEAD, "division": w.VILLAGE, "started_on": "2026-03-01"},
        "经济社",
        {"division": w.COOPERATIVE},
        "已登记任职：经济社社长 陈大明。",
        lambda villager: Position.objects.filter(person=villager, kind=PositionKind.COOPERATIVE_HEAD).exists(),
    ),
    "membership": (
        lambda villager: reverse("villages:membership_add", args=[villager.pk]),
        {"cooperative": w.COOPERATIVE, "shares": "-1", "joined_on": "2026-01-01"},
        "股份不能为负数",
        {"shares": "1.5"},
        "已登记成员资格：陈大明",
        lambda villager: Membership.objects.filter(person=villager, cooperative_id=w.COOPERATIVE).exists(),
    ),
    "party-membership": (
        lambda villager: reverse("villages:party_membership_add", args=[villager.pk]),
        {"joined_on": ""},
        REQUIRED,
        {"joined_on": "2010-07-01"},
        "已登记党员：陈大明",
        lambda villager: PartyMembership.objects.filter(person=villager).exists(),
    ),
}


@pytest.fixture
def villager(transactional_db):
    """build_world() and a grown villager of the clerk's cooperative."""
    build_world()
    return PersonFactory(
        name="陈大明",
        division=division(w.COOPERATIVE),
        id_number=make_id_number("440605", datetime.date(1980, 2, 3), 13),
    )


@pytest.fixture
def phone(module_browser, live_server, villager):
    with opened_page(module_browser, PHONE_VIEWPORT) as page:
        sign_in(page, live_server, "village_clerk")
        yield page


@pytest.mark.parametrize("name", FORMS)
def test_the_village_clerk_fills_the_form_on_a_phone_its_errors_legible(live_server, phone, villager, name):
    url, wrong, error, right, done, saved = FORMS[name]
    phone.goto(live_server.url + url(villager))

    try_form(phone, wrong=wrong, error=error, right=right, done=done)

    assert saved(villager)
