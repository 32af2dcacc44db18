"""Evidence files of violations: covenants.services.add_evidence and record_violation's evidence,
the API (GET/POST /api/v1/violations/<id>/evidence/, evidence on POST /api/v1/violations/, the
token download), the violation's page and the recording form, with their access matrices and
pinned query counts. Every file goes to pytest's temporary folders, never into the project."""

import datetime
import hashlib
import re
from pathlib import Path

import factory
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from covenants import services
from covenants.models import Violation, ViolationEvidence
from covenants.services import CovenantsAction
from covenants.testing.factories import PNG_BYTES, ViolationEvidenceFactory, ViolationFactory, published_covenant
from governance.access.models import Role
from governance.audit import history_of
from governance.pages.files import private_file_url
from governance.testing import world as w
from governance.testing.api import APITestCase, client_as, queries_and_rows, results_of
from governance.testing.factories import UserFactory, assign
from governance.testing.pages import PageAccessTests, queries_for
from governance.testing.pages import signed_in_client as page_client
from tests.covenants.test_api import VIOLATION_RECORDERS, VIOLATION_VIEWERS, VillageLevelRecords, a_clause_in_force
from tests.covenants.test_pages import RECORDERS, villager, violation_at
from tests.covenants.test_pages import VILLAGE_PLACES as PAGE_VILLAGE_PLACES
from villages.testing.factories import PersonFactory, division

D = datetime.date
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40
PDF_BYTES = b"%PDF-1.7\n%%EOF\n"
TEXT_BYTES = "不是图片。".encode()


@pytest.fixture(scope="module", autouse=True)
def module_private_media(tmp_path_factory):
    """Files written by the class-wide scenarios and by the tests go to a temporary folder."""
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")):
        yield


@pytest.fixture
def private_media(settings, tmp_path) -> Path:
    """An empty private folder of this test's own, to see what a test leaves on disk."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def photo(name: str = "现场照片.jpg", content: bytes = JPEG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def covenant(world):
    return published_covenant(w.VILLAGE)


@pytest.fixture
def violation(covenant):
    """A confirmed violation in the village, recorded by a clerk who is none of the role users."""
    return ViolationFactory(clause=covenant.clauses.get(number=1), person=PersonFactory(division=division(w.VILLAGE)))


# --- the service ---------------------------------------------------------------------------------


def test_a_clerk_adds_evidence_and_each_file_is_stored_privately_under_a_random_name(world, violation, private_media):
    clerk = world.user("village_clerk")

    added = services.add_evidence(
        violation, acting_user=clerk, files=[photo("现场.jpg"), SimpleUploadedFile("笔录.pdf", PDF_BYTES)]
    )

    assert [(row.original_name, row.content_type, row.size) for row in added] == [
        ("现场.jpg", "image/jpeg", len(JPEG_BYTES)),
        ("笔录.pdf", "application/pdf", len(PDF_BYTES)),
    ]
    assert all(row.uploaded_by == clerk and row.violation == violation for row in added)
    on_disk = sorted(stored_files(private_media), key=lambda path: path.stat().st_size)
    assert [path.read_bytes() for path in on_disk] == [PDF_BYTES, JPEG_BYTES]
    assert not any(path.suffix for path in on_disk)  # nothing of the original name reaches the disk


def test_evidence_of_a_confirmed_violation_can_still_be_added(world, violation):
    assert violation.confirmed_on is not None

    services.add_evidence(violation, acting_user=world.user("town_official"), files=[photo()])

    assert violation.evidence.count() == 1


def test_adding_evidence_is_named_in_the_audit_trail_with_its_acting_user(world, violation):
    clerk = world.user("village_clerk")

    (added,) = services.add_evidence(violation, acting_user=clerk, files=[photo()])

    events = [
        (event.pgh_label, (event.pgh_context or {}).get("user"), (event.pgh_context or {}).get("action"))
        for event in history_of(added)
    ]
    assert ("insert", clerk.pk, CovenantsAction.ADD_EVIDENCE.value) in events


def test_a_viewer_without_the_right_to_change_the_violation_adds_nothing(world, violation, private_media):
    with pytest.raises(PermissionDenied):
        services.add_evidence(violation, acting_user=world.user("inspector"), files=[photo()])

    assert not violation.evidence.exists() and stored_files(private_media) == []


@pytest.fixture
def recorder_only(world):
    """A user who may record violations in the village but not change them (a custom role)."""
    from django.contrib.auth.models import Permission

    role = Role.objects.create(slug="violation_recorder", name="违约登记员")
    role.permissions.set(
        Permission.objects.filter(content_type__app_label="covenants", codename__in=["view_violation", "add_violation"])
    )
    user = UserFactory(username="recorder_only")
    assign(user, w.VILLAGE, "violation_recorder")
    return user


def test_the_recorder_may_add_evidence_to_their_own_record_with_the_right_to_record_only(recorder_only, violation):
    own = ViolationFactory(clause=violation.clause, person=violation.person, recorded_by=recorder_only)

    services.add_evidence(own, acting_user=recorder_only, files=[photo()])
    with pytest.raises(PermissionDenied):
        services.add_evidence(violation, acting_user=recorder_only, files=[photo()])

    assert (own.evidence.count(), violation.evidence.count()) == (1, 0)


def test_one_bad_file_refuses_every_file_of_the_upload(world, violation, private_media):
    with pytest.raises(ValidationError) as refused:
        services.add_evidence(
            violation, acting_user=world.user("village_clerk"), files=[photo(), photo("假照片.jpg", TEXT_BYTES)]
        )

    assert "假照片.jpg" in refused.value.message_dict["files"][0]
    assert not violation.evidence.exists() and stored_files(private_media) == []


def test_adding_no_file_at_all_is_a_field_error(world, violation):
    with pytest.raises(ValidationError) as refused:
        services.add_evidence(violation, acting_user=world.user("village_clerk"), files=[])

    assert set(refused.value.message_dict) == {"files"}


def record(world, covenant, **extra):
    arguments = {
        "person": PersonFactory(division=division(w.VILLAGE)),
        "clause": covenant.clauses.get(number=1),
        "occurred_on": D(2025, 6, 1),
        "facts": "占用集体土地。",
        **extra,
    }
    return services.record_violation(acting_user=world.user("village_clerk"), **arguments)


def test_a_violation_is_recorded_with_its_evidence_in_one_go(world, covenant, private_media):
    violation = record(world, covenant, evidence=[photo(), SimpleUploadedFile("笔录.pdf", PDF_BYTES)])

    assert [row.content_type for row in violation.evidence.order_by("id")] == ["image/jpeg", "application/pdf"]
    assert len(stored_files(private_media)) == 2


def test_a_bad_file_refuses_the_whole_record_no_violation_row_and_no_file_on_disk(world, covenant, private_media):
    with pytest.raises(ValidationError) as refused:
        record(world, covenant, evidence=[photo(), photo("改了扩展名.jpg", TEXT_BYTES)])

    assert "改了扩展名.jpg" in refused.value.message_dict["evidence"][0]
    assert not Violation.objects.exists() and not ViolationEvidence.objects.exists()
    assert stored_files(private_media) == []


def test_a_record_refused_for_its_own_reason_leaves_no_file_on_disk(world, covenant, private_media):
    with pytest.raises(ValidationError):
        record(world, covenant, facts="", evidence=[photo()])

    assert not Violation.objects.exists() and stored_files(private_media) == []


# --- the API: access matrix ----------------------------------------------------------------------


def evidence_at(code: str) -> ViolationEvidence:
    return ViolationEvidenceFactory(violation=ViolationFactory(clause=a_clause_in_force(code)))


class TestEvidenceAPIAccess(VillageLevelRecords, APITestCase):
    """The evidence of a violation answers like the violation: 404 outside the jurisdiction, 403
    inside it without the right (to view for the list, to change the violation for an upload)."""

    basename = "violationevidence"
    model = ViolationEvidence
    viewers = VIOLATION_VIEWERS
    adders = VIOLATION_RECORDERS

    def make_object(self, code):
        return evidence_at(code)

    def evidence_url(self, evidence, action="list"):
        kwargs = {"violation_pk": evidence.violation_id}
        if action != "list":
            kwargs["pk"] = evidence.pk
        return reverse(f"api:violationevidence-{action}", kwargs=kwargs)

    def test_the_evidence_list_answers_like_the_violation(self, scenario, who, where, db):
        evidence = self.object_at(scenario, who, where)

        response = client_as(who).get(self.evidence_url(evidence))

        expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
        assert response.status_code == expected, response.content[:500]
        if expected == 200:
            assert [row["id"] for row in results_of(response)] == [evidence.pk]

    def test_the_token_download_answers_like_the_violation(self, scenario, who, where, db):
        evidence = self.object_at(scenario, who, where)

        response = client_as(who).get(self.evidence_url(evidence, "download"))

        expected = self.expected_on_one_object(who, self.place(who, where), self.viewers, 200)
        assert response.status_code == expected
        if expected == 200:
            assert b"".join(response.streaming_content) == PNG_BYTES

    def test_evidence_is_uploaded_only_by_those_who_may_change_the_violation(self, scenario, who, where, db):
        evidence = self.object_at(scenario, who, where)
        rows_before = ViolationEvidence.objects.count()

        response = client_as(who).post(self.evidence_url(evidence), {"files": [photo()]}, format="multipart")

        expected = self.expected_on_one_object(who, self.place(who, where), self.adders, 201)
        assert response.status_code == expected, response.content[:500]
        assert ViolationEvidence.objects.count() == rows_before + (1 if expected == 201 else 0)

    def test_evidence_is_never_deleted_through_the_api(self, scenario, db):
        evidence = scenario.objects[w.VILLAGE]

        one = f"{self.evidence_url(evidence)}{evidence.pk}/"

        responses = [client_as("district_admin").delete(url) for url in (self.evidence_url(evidence), one)]

        assert [response.status_code for response in responses] == [405, 404]
        assert ViolationEvidence.objects.filter(pk=evidence.pk).exists()


# --- the API: behaviour --------------------------------------------------------------------------


def evidence_list_url(violation) -> str:
    return reverse("api:violationevidence-list", kwargs={"violation_pk": violation.pk})


def test_several_files_are_uploaded_in_one_request_and_answered_as_a_list(world, violation):
    response = client_as("village_clerk").post(
        evidence_list_url(violation),
        {"files": [photo("一.jpg"), SimpleUploadedFile("二.pdf", PDF_BYTES)]},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    rows = response.json()
    assert [row["original_name"] for row in rows] == ["一.jpg", "二.pdf"]
    first = rows[0]
    assert set(first) >= {"id", "original_name", "content_type", "size", "uploaded_at", "uploaded_by", "download_url"}
    assert (first["content_type"], first["size"], first["uploaded_by"]) == (
        "image/jpeg",
        len(JPEG_BYTES),
        world.user("village_clerk").pk,
    )
    assert first["download_url"] == f"http://testserver/files/covenants.violationevidence/{first['id']}/"


def test_a_bad_file_in_an_upload_is_a_400_naming_it_and_nothing_is_stored(world, violation, private_media):
    response = client_as("village_clerk").post(
        evidence_list_url(violation), {"files": [photo(), photo("文字.jpg", TEXT_BYTES)]}, format="multipart"
    )

    assert response.status_code == 400
    assert "文字.jpg" in response.json()["files"][0]
    assert not violation.evidence.exists() and stored_files(private_media) == []


def test_an_upload_without_files_is_a_400_on_files(world, violation):
    response = client_as("village_clerk").post(evidence_list_url(violation), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"files"}


def test_an_upload_larger_than_the_limit_is_a_400_naming_the_limit(world, violation, settings):
    settings.UPLOAD_MAX_BYTES = 32

    response = client_as("village_clerk").post(evidence_list_url(violation), {"files": [photo()]}, format="multipart")

    assert response.status_code == 400
    assert "32 字节" in response.json()["files"][0]


def record_data(violation, **extra) -> dict:
    return {
        "id_number": violation.person.id_number,
        "clause": violation.clause_id,
        "occurred_on": "2025-06-01",
        "facts": "再次占用集体土地。",
        "severity": "minor",
        **extra,
    }


def test_a_violation_recorded_through_the_api_can_carry_evidence_files(world, violation):
    response = client_as("village_clerk").post(
        reverse("api:violation-list"), record_data(violation, evidence=[photo(), photo("二.jpg")]), format="multipart"
    )

    assert response.status_code == 201, response.content
    assert Violation.objects.get(pk=response.json()["id"]).evidence.count() == 2


def test_a_bad_evidence_file_refuses_the_violation_recorded_through_the_api(world, violation, private_media):
    before = Violation.objects.count()

    response = client_as("village_clerk").post(
        reverse("api:violation-list"),
        record_data(violation, evidence=[photo("坏.jpg", TEXT_BYTES)]),
        format="multipart",
    )

    assert response.status_code == 400
    assert "坏.jpg" in response.json()["evidence"][0]
    assert Violation.objects.count() == before and stored_files(private_media) == []


def test_the_evidence_list_costs_the_same_queries_for_one_file_and_for_thirty(world, violation):
    ViolationEvidenceFactory(violation=violation)
    queries_for_1, rows_1 = queries_and_rows(client_as("town_official"), evidence_list_url(violation))
    ViolationEvidenceFactory.create_batch(29, violation=violation)
    queries_for_30, rows_30 = queries_and_rows(client_as("town_official"), evidence_list_url(violation))

    assert (rows_1, rows_30) == (1, 30)
    # the grants, the violation, the count, the page of files with their uploaders
    assert queries_for_1 == queries_for_30 == 4


# --- pages ---------------------------------------------------------------------------------------


class TestEvidenceUploadPage(PageAccessTests):
    """添加证据: those who may change the violation upload; the inspector, who only views it, 403."""

    viewers = VIOLATION_VIEWERS
    posters = RECORDERS
    places = PAGE_VILLAGE_PLACES

    def url(self, violation):
        return reverse("covenants:violation_evidence", args=[violation.pk])

    def make_object(self, code):
        return violation_at(code)

    def post_data(self, violation):
        return {"files": photo()}


def test_the_violation_page_lists_its_evidence_with_download_links_and_the_phone_upload_form(world, violation):
    evidence = ViolationEvidenceFactory(violation=violation)

    page = page_client(world.user("village_clerk")).get(reverse("covenants:violation", args=[violation.pk]))

    assert page.status_code == 200
    assert f'href="{private_file_url(evidence)}"' in page.text and "现场照片.png" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'accept="image/*" capture="environment" multiple' in page.text
    assert "证据上传后不能删除" in page.text


def test_a_photo_is_shown_as_a_lazy_thumbnail_and_a_pdf_only_as_a_link(world, violation):
    image = ViolationEvidenceFactory(violation=violation)
    pdf = ViolationEvidenceFactory(
        violation=violation,
        file=factory.django.FileField(data=PDF_BYTES, filename="record.pdf"),
        original_name="笔录.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )

    page = page_client(world.user("village_clerk")).get(reverse("covenants:violation", args=[violation.pk]))

    thumbnails = re.findall(r"<img [^>]*>", page.text.split('id="violation-evidence"')[1])
    assert thumbnails == [
        f'<img src="{private_file_url(image)}" alt="现场照片.png" class="evidence-thumbnail img-thumbnail" '
        'loading="lazy" decoding="async">'
    ]
    assert f'href="{private_file_url(pdf)}"' in page.text and f'src="{private_file_url(pdf)}"' not in page.text
    assert ".evidence-thumbnail { max-width:" in page.text


def test_a_viewer_without_the_right_to_add_sees_the_evidence_but_no_upload_form(world, violation):
    ViolationEvidenceFactory(violation=violation)

    page = page_client(world.user("inspector")).get(reverse("covenants:violation", args=[violation.pk]))

    assert "现场照片.png" in page.text and 'id="evidence-upload"' not in page.text


def test_uploading_on_the_page_adds_the_files_and_returns_to_the_violation(world, violation):
    url = reverse("covenants:violation_evidence", args=[violation.pk])

    response = page_client(world.user("village_clerk")).post(
        url, {"photos": photo("拍的.jpg"), "files": photo("选的.jpg")}
    )

    assert response.status_code == 302 and response.url == reverse("covenants:violation", args=[violation.pk])
    assert sorted(violation.evidence.values_list("original_name", flat=True)) == ["拍的.jpg", "选的.jpg"]


def test_a_bad_file_uploaded_on_the_page_is_shown_on_the_form_and_nothing_is_stored(world, violation, private_media):
    url = reverse("covenants:violation_evidence", args=[violation.pk])

    response = page_client(world.user("village_clerk")).post(url, {"files": photo("文字.jpg", TEXT_BYTES)})

    assert response.status_code == 200
    assert "文字.jpg" in response.text and "按文件内容判断" in response.text
    assert not violation.evidence.exists() and stored_files(private_media) == []


def test_uploading_nothing_on_the_page_asks_for_a_file(world, violation):
    response = page_client(world.user("village_clerk")).post(
        reverse("covenants:violation_evidence", args=[violation.pk])
    )

    assert response.status_code == 200 and "请拍照或选择要上传的证据文件" in response.text


def test_the_recording_form_is_multipart_with_an_optional_evidence_field_and_the_camera(world, covenant):
    page = page_client(world.user("village_clerk")).get(reverse("covenants:violation_add", args=[w.VILLAGE]))

    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="evidence" accept="image/*,application/pdf"' in page.text
    assert 'name="evidence_photos" accept="image/*" capture="environment"' in page.text


def page_record_data(covenant, person, **extra):
    return {
        "id_number": person.id_number,
        "clause": covenant.clauses.get(number=1).pk,
        "occurred_on": "2025-06-01",
        "facts": "占用集体土地。",
        "severity": "minor",
        **extra,
    }


def test_recording_on_the_page_with_evidence_stores_the_files_with_the_violation(world, covenant):
    person = villager(w.VILLAGE)

    response = page_client(world.user("village_clerk")).post(
        reverse("covenants:violation_add", args=[w.VILLAGE]),
        page_record_data(covenant, person, evidence=[photo(), photo("二.jpg")], evidence_photos=photo("拍.jpg")),
    )

    assert response.status_code == 302
    assert Violation.objects.get(person=person).evidence.count() == 3


def test_a_bad_file_on_the_recording_form_refuses_the_record_and_says_why(world, covenant, private_media):
    person = villager(w.VILLAGE)

    response = page_client(world.user("village_clerk")).post(
        reverse("covenants:violation_add", args=[w.VILLAGE]),
        page_record_data(covenant, person, evidence=photo("文字.jpg", TEXT_BYTES)),
    )

    assert response.status_code == 200 and "文字.jpg" in response.text
    assert not Violation.objects.filter(person=person).exists() and stored_files(private_media) == []


# the session, the user, their grants, the violation with its person, clause and covenant, its
# sanctions, and its evidence files with their uploaders (one query whatever their number)
VIOLATION_PAGE_QUERIES = 6


def test_the_violation_page_costs_the_same_queries_for_one_file_and_for_thirty(world, violation):
    client = page_client(world.user("town_official"))
    url = reverse("covenants:violation", args=[violation.pk])

    ViolationEvidenceFactory(violation=violation)
    with_one = queries_for(client, url)
    ViolationEvidenceFactory.create_batch(29, violation=violation)
    with_thirty = queries_for(client, url)

    assert with_one == with_thirty == VIOLATION_PAGE_QUERIES


def test_an_outsider_finds_neither_the_evidence_page_nor_the_files(world, violation):
    evidence = ViolationEvidenceFactory(violation=violation)
    client = page_client(world.outsider)

    assert client.get(reverse("covenants:violation_evidence", args=[violation.pk])).status_code == 404
    assert client.get(private_file_url(evidence)).status_code == 404
    assert client_as("outsider").get(evidence_list_url(violation)).status_code == 404
