"""The village clerk's covenant forms on a 390 px phone, in Debian's Chromium: recording a violation
(with a photo, as taken on the spot) and adding evidence to one. Each form is submitted wrong
first: its errors are on screen and legible, nothing scrolls sideways; then right, and the
violation's page says so (governance.testing.browser.try_form). One Chromium for the module."""

import datetime

import pytest
from django.urls import reverse

from covenants.choices import Severity
from covenants.models import Violation, ViolationEvidence
from covenants.testing.factories import PNG_BYTES, ViolationFactory, published_covenant
from governance.clock import today
from governance.testing import world as w
from governance.testing.browser import PHONE_VIEWPORT, opened_page, sign_in, try_form
from villages.identity import make_id_number
from villages.testing.factories import PersonFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VILLAGER_ID = make_id_number("440605", datetime.date(1980, 2, 3), 21)
STRANGER_ID = make_id_number("440605", datetime.date(1981, 4, 5), 33)  # registered nowhere
PHOTO = ("现场照片.png", "image/png", PNG_BYTES)


@pytest.fixture
def village(transactional_db):
    """build_world(), the village's general covenant in force, a villager and a violation of
    clause 2 recorded a week ago."""
    build_world()
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    villager = PersonFactory(name="陈大文", division=division(w.VILLAGE), id_number=VILLAGER_ID)
    recorded = ViolationFactory(
        clause=clause, person=villager, occurred_on=today() - datetime.timedelta(days=7), confirmed_on=None
    )
    return clause, recorded


@pytest.fixture
def phone(module_browser, live_server, village):
    with opened_page(module_browser, PHONE_VIEWPORT) as page:
        sign_in(page, live_server, "village_clerk")
        yield page


def test_the_village_clerk_records_a_violation_with_a_photo_on_a_phone(live_server, phone, village):
    clause, _recorded = village
    phone.goto(live_server.url + reverse("covenants:violation_add", args=[w.VILLAGE]))
    occurred_on = (today() - datetime.timedelta(days=1)).isoformat()

    try_form(
        phone,
        wrong={
            "id_number": STRANGER_ID,
            "clause": str(clause.pk),
            "occurred_on": occurred_on,
            "facts": "在村道旁焚烧垃圾，经劝阻后停止。",
            "severity": Severity.MINOR,
        },
        error="本村（社区）没有登记该身份证号的人员",
        right={"id_number": VILLAGER_ID, "evidence": PHOTO},
        done="已登记违约，等待认定。",
    )

    violation = Violation.objects.get(occurred_on=occurred_on)
    assert violation.person.id_number == VILLAGER_ID
    assert violation.evidence.count() == 1


def test_the_village_clerk_adds_evidence_to_a_violation_on_a_phone(live_server, phone, village):
    _clause, recorded = village
    phone.goto(live_server.url + reverse("covenants:violation_evidence", args=[recorded.pk]))

    try_form(phone, wrong={}, error="请拍照或选择要上传的证据文件", right={"files": PHOTO}, done="已添加证据。")

    assert ViolationEvidence.objects.filter(violation=recorded).count() == 1
