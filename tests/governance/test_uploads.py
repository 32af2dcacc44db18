"""What may be uploaded (governance.uploads), judged on the file's content, and the one download
view of private files (governance.pages.files): attachments under the original name, only for
those who may view the row, only of registered PrivateFile models."""

import hashlib
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework import serializers

from covenants.testing.factories import PNG_BYTES, ViolationEvidenceFactory, ViolationFactory, published_covenant
from governance.files import private_storage
from governance.pages.files import private_file_url
from governance.registry import registry
from governance.testing import world as w
from governance.testing.pages import signed_in_client
from governance.uploads import (
    HEIC,
    HEIF,
    JPEG,
    MAX_FILES_PER_UPLOAD,
    PDF,
    PNG,
    WEBP,
    AcceptedFilesField,
    EvidenceFilesField,
    accept_upload,
    accept_uploads,
    clean_original_name,
    file_response,
    sniff_content_type,
)
from villages.testing.factories import PersonFactory, division

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24
# An iPhone photo's ftyp box: major brand heic, compatible mif1 and heic.
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 24
HEIF_BYTES = b"\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1" + b"\x00" * 24
AVIF_BYTES = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 24
TEXT_BYTES = "这不是照片，只是一段文字。\n".encode()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Every file these tests store goes to pytest's temporary folder, never into the project."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


# --- what is accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (JPEG_BYTES, JPEG),
        (PNG_BYTES, PNG),
        (WEBP_BYTES, WEBP),
        (HEIC_BYTES, HEIC),
        (HEIF_BYTES, HEIF),
        (PDF_BYTES, PDF),
        (AVIF_BYTES, None),
        (TEXT_BYTES, None),
        (b"GIF89a" + b"\x00" * 20, None),
        (b"", None),
    ],
)
def test_a_files_type_is_recognised_from_its_first_bytes(content, expected):
    assert sniff_content_type(content[:64]) == expected


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("现场.png", PNG_BYTES, PNG), ("现场.jpg", JPEG_BYTES, JPEG), ("笔录.pdf", PDF_BYTES, PDF)],
)
def test_a_png_a_jpeg_and_a_pdf_are_accepted_with_their_size_and_sha256(name, content, expected):
    accepted = accept_upload(upload(name, content))

    assert accepted.content_type == expected
    assert accepted.size == len(content)
    assert accepted.sha256 == hashlib.sha256(content).hexdigest()
    assert accepted.original_name == name
    assert accepted.file.read() == content  # rewound, ready to be stored


def test_a_text_file_renamed_to_jpg_is_refused_whatever_the_client_says_it_is():
    with pytest.raises(ValidationError) as refused:
        accept_upload(upload("照片.jpg", TEXT_BYTES, content_type="image/jpeg"))

    message = refused.value.messages[0]
    assert "照片.jpg" in message and "JPEG、PNG、WebP、HEIC、HEIF 图片或 PDF 文件" in message


def test_a_photo_with_a_misleading_name_is_stored_as_what_it_is():
    assert accept_upload(upload("说明.txt", JPEG_BYTES, content_type="text/plain")).content_type == JPEG


def test_a_file_larger_than_the_limit_is_refused_with_the_limit_named(settings):
    settings.UPLOAD_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as refused:
        accept_upload(upload("大照片.png", PNG_BYTES + b"\x00" * 1024))

    message = refused.value.messages[0]
    assert "大照片.png" in message and "1 KB" in message


def test_a_file_of_exactly_the_limit_is_accepted(settings):
    settings.UPLOAD_MAX_BYTES = len(PNG_BYTES)

    assert accept_upload(upload("刚好.png", PNG_BYTES)).size == settings.UPLOAD_MAX_BYTES


def test_the_default_limit_is_ten_megabytes_as_the_readme_says(settings):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空文件"):
        accept_upload(upload("空.png", b""))


def test_one_bad_file_refuses_the_whole_upload_naming_every_bad_one():
    with pytest.raises(ValidationError) as refused:
        accept_uploads(
            [upload("好.png", PNG_BYTES), upload("坏1.jpg", TEXT_BYTES), upload("坏2.pdf", TEXT_BYTES)],
            field_name="files",
        )

    messages = refused.value.message_dict["files"]
    assert len(messages) == 2
    assert "坏1.jpg" in messages[0] and "坏2.pdf" in messages[1]


def test_more_files_than_one_upload_takes_are_refused():
    with pytest.raises(ValidationError, match=str(MAX_FILES_PER_UPLOAD)):
        accept_uploads([upload(f"{n}.png", PNG_BYTES) for n in range(MAX_FILES_PER_UPLOAD + 1)])


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\张三\\Desktop\\现场.jpg", "现场.jpg"),
        ("../../etc/passwd", "passwd"),
        ("照片\r\n.png", "照片.png"),
        ("", "未命名文件"),
        ("长" * 300 + ".jpeg", "长" * 195 + ".jpeg"),  # 200 characters, the extension kept
    ],
)
def test_the_original_name_is_kept_without_folders_or_control_characters_and_not_too_long(given, kept):
    assert clean_original_name(given) == kept


# --- the form field and the serializer field -----------------------------------------------------


class EvidenceForm(forms.Form):
    photos = EvidenceFilesField(camera=True, required=False)
    files = EvidenceFilesField(required=False)
    one = EvidenceFilesField(multiple=False, required=False)


def test_the_form_field_offers_the_camera_or_the_picker_and_takes_several_files():
    html = str(EvidenceForm())

    assert 'name="photos" accept="image/*" capture="environment" multiple' in html
    assert 'name="files" accept="image/*,application/pdf" multiple' in html
    assert (
        'name="one" accept="image/*,application/pdf">' in html or 'name="one" accept="image/*,application/pdf" ' in html
    )


def test_the_form_field_cleans_to_accepted_files_and_reports_a_bad_one_on_its_field():
    from django.utils.datastructures import MultiValueDict

    good = EvidenceForm(
        data={}, files=MultiValueDict({"files": [upload("a.png", PNG_BYTES), upload("b.pdf", PDF_BYTES)]})
    )
    bad = EvidenceForm(data={}, files=MultiValueDict({"photos": [upload("c.jpg", TEXT_BYTES)]}))

    assert good.is_valid()
    assert [item.content_type for item in good.cleaned_data["files"]] == [PNG, PDF]
    assert good.cleaned_data["photos"] == []
    assert not bad.is_valid() and "c.jpg" in bad.errors["photos"][0]


class FilesSerializer(serializers.Serializer):
    files = AcceptedFilesField()


def test_the_serializer_field_validates_each_file_and_refuses_a_list_of_none():
    good = FilesSerializer(data={"files": [upload("a.png", PNG_BYTES)]})
    bad = FilesSerializer(data={"files": [upload("a.jpg", TEXT_BYTES)]})
    empty = FilesSerializer(data={"files": []})

    assert good.is_valid(), good.errors
    assert good.validated_data["files"][0].content_type == PNG
    assert not bad.is_valid() and "a.jpg" in str(bad.errors["files"][0])
    assert not empty.is_valid() and "files" in empty.errors


# --- storing and sending -------------------------------------------------------------------------


@pytest.fixture
def evidence(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    violation = ViolationFactory(clause=clause, person=PersonFactory(division=division(w.COOPERATIVE)))
    return ViolationEvidenceFactory(violation=violation)


def test_a_file_is_stored_under_a_random_name_in_the_private_folder(evidence, private_media):
    stored = files_under(private_media)

    assert [path.read_bytes() for path in stored] == [PNG_BYTES]
    assert stored[0].name not in ("photo.png", evidence.original_name)
    assert stored[0].parent == private_media / "covenants" / "violationevidence"


def test_a_changed_private_media_root_takes_effect_at_once(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"

    assert Path(private_storage.location) == tmp_path / "elsewhere"


def test_the_download_is_an_attachment_under_the_original_name_never_sniffed(evidence):
    response = file_response(evidence)

    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_viewer_downloads_the_bytes_as_an_attachment(world, evidence):
    response = signed_in_client(world.user("village_clerk")).get(private_file_url(evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_download_url_names_the_model_and_the_row(evidence):
    assert private_file_url(evidence) == f"/files/covenants.violationevidence/{evidence.pk}/"


@pytest.mark.parametrize("who", ["outsider", "coop_clerk", "report_reader"])
def test_who_may_not_view_the_violation_gets_404_for_its_file(world, evidence, who):
    user = world.outsider if who == "outsider" else world.user(who)

    assert signed_in_client(user).get(private_file_url(evidence)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(evidence):
    response = signed_in_client(None).get(private_file_url(evidence))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_a_model_not_registered_as_downloadable_is_404_even_for_a_superuser(world, evidence, monkeypatch):
    from governance.testing.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True)
    monkeypatch.setattr(registry, "private_files", set())

    assert signed_in_client(admin).get(private_file_url(evidence)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/files/covenants.violation/{pk}/",  # registered by mistake, but no PrivateFile
        "/files/covenants.nosuchmodel/{pk}/",
        "/files/nonsense/{pk}/",
        "/files/covenants.violationevidence/not-a-number/",
        "/files/covenants.violationevidence/999999999/",
    ],
)
def test_what_is_no_registered_private_file_is_404(world, evidence, monkeypatch, path):
    monkeypatch.setattr(registry, "private_files", registry.private_files | {"covenants.violation"})

    response = signed_in_client(world.user("district_admin")).get(path.format(pk=evidence.pk))

    assert response.status_code == 404


def test_a_file_missing_from_the_disk_is_404_not_500(world, evidence):
    private_storage.delete(evidence.file.name)

    assert signed_in_client(world.user("village_clerk")).get(private_file_url(evidence)).status_code == 404


def test_a_download_costs_four_queries(world, evidence, django_assert_num_queries):
    client = signed_in_client(world.user("town_official"))

    # the session, the user, their grants, the row
    with django_assert_num_queries(4):
        response = client.get(private_file_url(evidence))
    assert response.status_code == 200


def test_a_failure_while_storing_removes_the_files_already_written(world, evidence, private_media, monkeypatch):
    from covenants.models import ViolationEvidence
    from governance.uploads import attach_files

    saves = []
    real_save = ViolationEvidence.save

    def fail_on_the_second(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("the database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(ViolationEvidence, "save", fail_on_the_second)
    before = files_under(private_media)

    with pytest.raises(RuntimeError):
        attach_files(
            ViolationEvidence,
            record=evidence.violation,
            files=[upload("一.png", PNG_BYTES), upload("二.pdf", PDF_BYTES)],
            acting_user=world.user("village_clerk"),
        )

    assert files_under(private_media) == before  # the first file is gone again, the second never stayed


def test_attaching_to_a_model_that_is_no_private_file_is_a_configuration_error(world, evidence):
    from django.core.exceptions import ImproperlyConfigured

    from covenants.models import Violation
    from governance.uploads import attach_files

    with pytest.raises(ImproperlyConfigured):
        attach_files(Violation, record=evidence.violation, files=[], acting_user=world.user("village_clerk"))
