"""The access matrix of the roll import pages (villages/pages/rolls.py), on
governance.testing.pages.PageAccessTests: every role inside and outside its jurisdiction,
anonymous visitors and a signed-in user without assignments.

The record each page names is the division imported into. Those who may add people and
households (or memberships) there download the template, upload and save; those who only view
the division are refused (403); everyone outside it finds nothing (404). A poster's POST is the
whole loop: the upload (the preview, which writes nothing) and then its confirmation, which
writes the rows and their audit events.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from governance.testing import world as w
from governance.testing.pages import PageAccessTests
from villages.identity import make_id_number
from villages.rolls import MEMBERS_ROLL, PEOPLE_ROLL
from villages.testing.factories import PersonFactory, division

ROLES = list(w.ROLE_HOME)
DIVISION_VIEWERS = set(ROLES)
PEOPLE_EDITORS = {"district_admin", "village_clerk", "coop_clerk"}


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class RollImportAccess(PageAccessTests):
    viewers = DIVISION_VIEWERS
    posters = PEOPLE_EDITORS
    kind = ""

    @pytest.fixture(autouse=True)
    def private_media(self, settings, tmp_path):
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"

    def url(self, place):
        return reverse("villages:roll_import", args=[place.code, self.kind])

    def content(self, place) -> bytes:
        raise NotImplementedError

    def request(self, client, method, place):
        if method != "post":
            return client.get(self.url(place))
        preview = client.post(self.url(place), {"file": SimpleUploadedFile("roll.xlsx", self.content(place))})
        if preview.status_code != 200:
            return preview
        token = re.search(r'name="token" value="([^"]+)"', preview.text)
        assert token, preview.text[:2000]
        return client.post(reverse("villages:roll_confirm", args=[place.code, self.kind]), {"token": token.group(1)})


class TestPeopleRollImport(RollImportAccess):
    kind = "people"

    def make_object(self, code):
        return division(code)

    def content(self, place):
        row = {
            "name": "导入者",
            "id_number": make_id_number("440605", datetime.date(1991, 1, 1), 7),
            "household": "H-9",
        }
        return xlsx(PEOPLE_ROLL.headers, [[row.get(column.key, "") for column in PEOPLE_ROLL.columns]])


def member_id_number(code: str) -> str:
    """A person of each place, each with an ID number of their own (the places' codes differ)."""
    return make_id_number("440605", datetime.date(1960, 1, 1) + datetime.timedelta(days=int(code) % 10007), 8)


class TestMembersImport(RollImportAccess):
    kind = "members"

    def make_object(self, code):
        place = division(code)
        PersonFactory(division=place, name=f"社员{code}", id_number=member_id_number(code))
        return place

    def content(self, place):
        row = {
            "id_number": member_id_number(place.code),
            "name": f"社员{place.code}",
            "joined_on": "2020-01-01",
        }
        return xlsx(MEMBERS_ROLL.headers, [[row.get(column.key, "") for column in MEMBERS_ROLL.columns]])


class TestRollTemplate(PageAccessTests):
    """The template download: a GET, to those who may import."""

    viewers = DIVISION_VIEWERS
    posters = PEOPLE_EDITORS
    methods = ("get",)

    def url(self, place):
        return reverse("villages:roll_template", args=[place.code, "people"])

    def make_object(self, code):
        return division(code)


class TestMembersTemplate(TestRollTemplate):
    def url(self, place):
        return reverse("villages:roll_template", args=[place.code, "members"])
