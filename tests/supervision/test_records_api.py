"""The API of supervision records (supervision/api/records.py): access matrices of each kind of
record, filing and correcting through POST, the sanctions in force on a day, an audit's follow-up,
the leadership posts without an integrity talk, no edit nor delete, and pinned query counts."""

import datetime

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, APIViewTestCases, client_as, queries_and_rows, results_of
from supervision.models import DisciplinarySanction, EconomicAudit, IntegrityTalk, MajorMatterReport
from supervision.testing.record_factories import (
    ConductNegativeItemFactory,
    DisciplinarySanctionFactory,
    EconomicAuditFactory,
    IntegrityTalkFactory,
    MajorMatterReportFactory,
)
from villages.choices import PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division

D = datetime.date
FILERS = {"district_admin", "inspector"}


class TestSanctionAccess(APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests, APIViewTestCases.HistoryTests):
    basename = "disciplinarysanction"
    model = DisciplinarySanction
    viewers = {"district_admin", "inspector", "town_official"}

    def make_object(self, code):
        return DisciplinarySanctionFactory(division=division(code))


class TestIntegrityTalkAccess(APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests):
    basename = "integritytalk"
    model = IntegrityTalk
    viewers = {"district_admin", "inspector", "town_official"}

    def make_object(self, code):
        return IntegrityTalkFactory(division=division(code))


class TestMajorMatterReportAccess(APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests):
    """Major matter reports are the inspectors' (and the district's) alone."""

    basename = "majormatterreport"
    model = MajorMatterReport
    viewers = {"district_admin", "inspector"}

    def make_object(self, code):
        return MajorMatterReportFactory(division=division(code))


class TestEconomicAuditAccess(APIViewTestCases.ListTests, APIViewTestCases.RetrieveTests):
    basename = "economicaudit"
    model = EconomicAudit
    viewers = {"district_admin", "inspector", "town_official"}

    def make_object(self, code):
        return EconomicAuditFactory(division=division(code))


pytestmark = pytest.mark.django_db


def sanction_data(person, **extra):
    return {
        "person": person.pk,
        "kind": "warning",
        "decided_on": "2025-01-31",
        "decided_by": "区纪委",
        "basis": "《中国共产党纪律处分条例》",
        "facts": "违规过问集体物业出租。",
        **extra,
    }


@pytest.mark.parametrize(
    "who", ["district_admin", "inspector", "town_official", "village_clerk", "report_reader", ANONYMOUS]
)
def test_a_sanction_is_filed_only_by_inspectors_and_the_district(world, who):
    person = PersonFactory(division=division(w.VILLAGE))

    response = client_as(who).post(reverse("api:disciplinarysanction-list"), sanction_data(person), format="json")

    expected = {ANONYMOUS: 401}.get(who, 201 if who in FILERS else 403)
    assert response.status_code == expected, response.content[:300]
    assert DisciplinarySanction.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        body = response.json()
        assert (body["deduction_percent"], body["deduction_months"], body["ends_on"]) == (10, 6, "2025-07-31")
        assert body["standing"] is True and body["corrected_by"] is None


def test_a_person_outside_the_jurisdiction_is_a_field_error_and_nothing_is_written(world):
    far = PersonFactory(division=division(w.FAR_VILLAGE))

    response = client_as("inspector").post(reverse("api:disciplinarysanction-list"), sanction_data(far), format="json")

    assert response.status_code == 400
    assert "person" in response.json()
    assert not DisciplinarySanction.objects.exists()


def test_a_correction_is_filed_with_corrects_and_the_old_record_shows_who_corrected_it(world):
    old = DisciplinarySanctionFactory(deduction_percent=50)
    client = client_as("inspector")

    response = client.post(
        reverse("api:disciplinarysanction-list"),
        sanction_data(old.person, deduction_percent=20, corrects=old.pk, correction_reason="决定书载明 20%。"),
        format="json",
    )

    assert response.status_code == 201, response.content[:300]
    new_id = response.json()["id"]
    old_row = client.get(reverse("api:disciplinarysanction-detail", args=[old.pk])).json()
    assert (old_row["standing"], old_row["corrected_by"], old_row["deduction_percent"]) == (False, new_id, 50)
    standing = client.get(reverse("api:disciplinarysanction-list"), {"standing": "true"})
    assert [row["id"] for row in results_of(standing)] == [new_id]


def test_a_correction_without_a_reason_is_a_400_naming_it(world):
    old = DisciplinarySanctionFactory()

    response = client_as("inspector").post(
        reverse("api:disciplinarysanction-list"), sanction_data(old.person, corrects=old.pk), format="json"
    )

    assert response.status_code == 400
    assert "correction_reason" in response.json()


def test_the_sanctions_in_force_on_a_day_are_listed_with_in_force_on(world):
    in_force = DisciplinarySanctionFactory(decided_on=D(2025, 6, 1))
    DisciplinarySanctionFactory(decided_on=D(2020, 6, 1))

    response = client_as("inspector").get(reverse("api:disciplinarysanction-list"), {"in_force_on": "2025-08-01"})

    assert [row["id"] for row in results_of(response)] == [in_force.pk]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_records_are_never_edited_nor_deleted_through_the_api(world, method):
    sanction = DisciplinarySanctionFactory()

    response = getattr(client_as("inspector"), method)(
        reverse("api:disciplinarysanction-detail", args=[sanction.pk]), {"deduction_percent": 0}, format="json"
    )

    # Refused before the method is looked at: nobody holds change or delete on records.
    assert response.status_code in (403, 405)
    sanction.refresh_from_db()
    assert sanction.deduction_percent == 10


def test_an_audits_follow_up_is_posted_once_by_an_inspector(world):
    audit = EconomicAuditFactory()
    url = reverse("api:economicaudit-follow-up", args=[audit.pk])
    data = {"done_on": "2024-06-01", "result": "已追缴。"}

    assert client_as("town_official").post(url, data, format="json").status_code == 403
    response = client_as("inspector").post(url, data, format="json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["follow_up_done_on"] == "2024-06-01"
    assert client_as("inspector").post(url, data, format="json").status_code == 400


def test_an_integrity_talk_is_filed_for_a_post_and_clears_its_flag(world):
    post = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    client = client_as("town_official")
    flagged_url = reverse("api:leadershippostwithouttalk-list")
    assert [row["id"] for row in results_of(client.get(flagged_url, {"on": "2025-01-01"}))] == [post.pk]

    response = client.post(
        reverse("api:integritytalk-list"),
        {
            "person": post.person_id,
            "position": post.pk,
            "held_on": "2021-02-25",
            "talked_by": "镇纪委书记",
            "summary": "谈话。",
        },
        format="json",
    )

    assert response.status_code == 201, response.content[:300]
    assert response.json()["division"] == w.COOPERATIVE
    assert results_of(client.get(flagged_url, {"on": "2025-01-01"})) == []


@pytest.mark.parametrize("who", ["village_clerk", "report_reader"])
def test_posts_without_a_talk_are_not_shown_to_those_who_view_no_talks(world, who):
    assert client_as(who).get(reverse("api:leadershippostwithouttalk-list")).status_code == 403


def test_a_negative_list_item_is_added_by_an_inspector_and_read_with_its_basis(world):
    client = client_as("inspector")
    data = {
        "division": w.DISTRICT,
        "number": 1,
        "text": "不得插手工程招投标。",
        "basis": "纪律处分条例",
        "valid_from": "2023-01-01",
    }

    response = client.post(reverse("api:conductnegativeitem-list"), data, format="json")

    assert response.status_code == 201, response.content[:300]
    rows = results_of(client.get(reverse("api:conductnegativeitem-list")))
    assert [(row["number"], row["basis"]) for row in rows] == [(1, "纪律处分条例")]


@pytest.mark.parametrize(
    ("basename", "make"),
    [
        ("disciplinarysanction", DisciplinarySanctionFactory),
        ("integritytalk", IntegrityTalkFactory),
        ("majormatterreport", MajorMatterReportFactory),
        ("economicaudit", EconomicAuditFactory),
        ("conductnegativeitem", ConductNegativeItemFactory),
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_as_for_several(world, basename, make):
    url = reverse(f"api:{basename}-list")
    make()
    one, rows = queries_and_rows(client_as("inspector"), url)
    assert rows == 1
    for _ in range(4):
        make()

    several, rows = queries_and_rows(client_as("inspector"), url)

    assert rows == 5
    assert several == one == 3  # the caller's grants, the count, the page with what it shows
