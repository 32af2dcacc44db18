"""Every way a file enters the portal goes through the upload limits of governance/uploads.py
(issue 19, point 6): the size limit (settings.UPLOAD_MAX_BYTES) and the allowed types, judged by
the content. The tests enumerate what there is, so a file field added later without the limits
fails here:

- every file field of a model belongs to a PrivateFile, whose rows only attach_files() writes,
  after accept_uploads(): an oversized file is refused in Chinese and nothing is stored;
- every file field of a form is an EvidenceFilesField or a SpreadsheetField, and every file field
  of a serializer an AcceptedFileField, AcceptedFilesField or AcceptedSpreadsheetField: each
  refuses an oversized file and a file of another type with a field-level error in Chinese (a
  form error on a page, a 400 naming the field in the API)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pghistory.models
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from rest_framework import serializers

from governance.files import PrivateFile
from governance.uploads import (
    XLSX_MAGIC,
    AcceptedFileField,
    AcceptedFilesField,
    AcceptedSpreadsheetField,
    EvidenceFilesField,
    SpreadsheetField,
    attach_files,
)

ROOT = Path(settings.BASE_DIR)
PORTAL_APPS = ["governance", "villages", "rights_lists", "covenants", "supervision", "grids", "engagement"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
LIMIT = 64  # bytes, for these tests: what is larger is oversized
TOO_LARGE = "超过了上传上限"
WRONG_TYPE = "不是"

CHECKED_FORM_FIELDS = (EvidenceFilesField, SpreadsheetField)
CHECKED_SERIALIZER_FIELDS = (AcceptedFileField, AcceptedFilesField, AcceptedSpreadsheetField)


def import_every_module() -> None:
    """Every module of the portal's apps, so that every form and serializer class exists."""
    for app in PORTAL_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module.name or module.name.endswith((".celery", ".wsgi", ".asgi")):
                continue
            importlib.import_module(module.name)


def subclasses(base: type) -> set[type]:
    found, stack = set(), [base]
    while stack:
        for cls in stack.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                stack.append(cls)
    return {cls for cls in found if cls.__module__.split(".")[0] in PORTAL_APPS}


def form_file_fields() -> dict[str, forms.Field]:
    import_every_module()
    return {
        f"{cls.__module__}.{cls.__qualname__}.{name}": field
        for cls in subclasses(forms.BaseForm)
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.FileField)
    }


def is_file_field(field) -> bool:
    return isinstance(field, serializers.FileField) or isinstance(getattr(field, "child", None), serializers.FileField)


def serializer_file_fields() -> dict[str, serializers.Field]:
    import_every_module()
    found = {}
    for cls in subclasses(serializers.Serializer):
        if getattr(cls, "Meta", None) is not None and hasattr(cls.Meta, "model"):
            # A model serializer: its fields as DRF builds them (a model's FileField included).
            fields = cls().get_fields()
        else:
            fields = cls._declared_fields
        for name, field in fields.items():
            if is_file_field(field) and not field.read_only:
                found[f"{cls.__module__}.{cls.__qualname__}.{name}"] = field
    return found


def oversized(name: str = "大照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG + b"\x00" * LIMIT, content_type="image/png")


def wrong_type(name: str = "说明.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"just some text", content_type="text/plain")


def fitting(form_or_serializer_field) -> SimpleUploadedFile:
    spreadsheet = isinstance(form_or_serializer_field, SpreadsheetField | AcceptedSpreadsheetField)
    return SimpleUploadedFile("ok.xlsx" if spreadsheet else "ok.png", XLSX_MAGIC + b"\x00" if spreadsheet else PNG)


def messages_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error.detail)


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT


@pytest.fixture
def private_media_root(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def test_every_model_file_field_belongs_to_a_private_file():
    # pghistory's event tables copy a PrivateFile's row (its file's name) by a database trigger:
    # no file enters through them.
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and not issubclass(model, PrivateFile | pghistory.models.Event)
    ]
    assert fields == []


def test_only_attach_files_writes_a_file_into_a_file_field():
    # A FieldFile's save() or a file handed to a model's constructor would skip the checks.
    writers = []
    for app in PORTAL_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "testing" in path.parts or path == ROOT / "governance" / "uploads.py":
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "save"
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "file"
                ):
                    writers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert writers == []


@pytest.mark.django_db
def test_an_oversized_file_is_never_stored_in_any_private_file_model(small_limit, private_media_root):
    models_with_files = [
        model for model in apps.get_models() if issubclass(model, PrivateFile) and not model._meta.abstract
    ]
    assert models_with_files  # evidence photos, minutes, contracts, event photos...

    for model in models_with_files:
        with pytest.raises(ValidationError) as refused:
            attach_files(model, record=None, files=[oversized()], acting_user=None)
        assert TOO_LARGE in messages_of(refused.value), model._meta.label
        with pytest.raises(ValidationError) as refused:
            attach_files(model, record=None, files=[wrong_type()], acting_user=None)
        assert WRONG_TYPE in messages_of(refused.value), model._meta.label
        assert not model.objects.exists()
    assert [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()] == []


def test_every_form_file_field_goes_through_the_limits(small_limit):
    fields = form_file_fields()
    assert len(fields) >= 5  # evidence, attachments, transaction files, event photos, spreadsheets

    unchecked = [name for name, field in fields.items() if not isinstance(field, CHECKED_FORM_FIELDS)]
    assert unchecked == []
    for name, field in fields.items():
        with pytest.raises(ValidationError) as refused:
            field.clean(oversized())
        assert TOO_LARGE in messages_of(refused.value), name
        with pytest.raises(ValidationError) as refused:
            field.clean(wrong_type())
        assert WRONG_TYPE in messages_of(refused.value), name
        assert field.clean(fitting(field)), name


def test_every_serializer_file_field_goes_through_the_limits(small_limit):
    fields = serializer_file_fields()
    assert len(fields) >= 4  # evidence, attachments, transaction files, event photos, a list's items

    unchecked = [name for name, field in fields.items() if not isinstance(field, CHECKED_SERIALIZER_FIELDS)]
    assert unchecked == []
    for name, field in fields.items():
        many = isinstance(field, serializers.ListField)
        with pytest.raises(serializers.ValidationError) as refused:
            field.run_validation([oversized()] if many else oversized())
        assert TOO_LARGE in messages_of(refused.value), name
        with pytest.raises(serializers.ValidationError) as refused:
            field.run_validation([wrong_type()] if many else wrong_type())
        assert WRONG_TYPE in messages_of(refused.value), name
        assert field.run_validation([fitting(field)] if many else fitting(field)), name


@pytest.mark.django_db
def test_an_oversized_list_file_is_a_400_on_its_field_in_chinese_and_imports_nothing(world, small_limit):
    from django.urls import reverse

    from governance.testing.api import client_as
    from governance.testing.world import VILLAGE
    from rights_lists.choices import ListKind, ListStatus
    from rights_lists.testing.factories import RightsListFactory
    from villages.testing.factories import division

    draft = RightsListFactory(
        owner=division(VILLAGE), kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None
    )
    upload = SimpleUploadedFile("清单.xlsx", XLSX_MAGIC + b"\x00" * LIMIT)

    response = client_as("village_clerk").post(
        reverse("api:rightslist-import-items", kwargs={"pk": draft.pk}), {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert TOO_LARGE in response.json()["file"][0]
    assert not draft.items.exists()
