"""What may be uploaded to a record, and how an accepted upload becomes a private file.

Evidence photos of a covenant violation, later the minutes of a decision or a signed contract:
every domain that keeps files uses this module, so the rules are the same everywhere.

- A file is judged by its content (the magic bytes at its start), never by its name or by the
  content type the client claims: a text file renamed to .jpg is refused, a photo named .txt is
  a photo. Allowed are what phone cameras and scanners produce: JPEG, PNG, WebP, HEIC/HEIF
  (iPhones save HEIC by default) and PDF.
- A file is at most settings.UPLOAD_MAX_BYTES (UPLOAD_MAX_MB, default 10 MB): a phone photo is
  3 to 6 MB, a scanned page of minutes well under 10.
- The original name is kept in the row (cleaned of paths and control characters); on disk a file
  gets a random name (governance.files.private_path), so a name never reaches the file system.
- Files are sent only by the download view (governance.pages.files), as attachments with the
  stored content type and `X-Content-Type-Options: nosniff`, so a browser never renders an
  upload inside the portal's origin.

`accept_upload()` checks one file, `accept_uploads()` several (every bad one named); the form field
`EvidenceFilesField` and the serializer field `AcceptedFilesField` run them for pages and the API,
and `attach_files()` stores accepted files as rows of a PrivateFile model.

Spreadsheets that are read and never stored (a roll to import, a list's items, a grid of scores)
go through `accept_spreadsheet()`: the same size limit, and the content must be an XLSX (a ZIP
container); the form field `SpreadsheetField` and the serializer field `AcceptedSpreadsheetField`
run it. Every file field of a form or serializer is one of these four (a test enumerates them).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.db import models
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from governance.files import PrivateFile, private_storage

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The content types the portal stores, each with the name a message gives it.
JPEG, PNG, WEBP, HEIC, HEIF, PDF = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "image/heif",
    "application/pdf",
)
ALLOWED_TYPES_TEXT = gettext_lazy("JPEG、PNG、WebP、HEIC、HEIF 图片或 PDF 文件")
# What the file pickers offer (a hint to the browser only: the content decides).
ACCEPT_ATTRIBUTE = "image/*,application/pdf"
# How many bytes of a file's start are read to recognise it (an ISO BMFF ftyp box with its
# compatible brands fits comfortably).
SNIFF_BYTES = 64
# At most this many files in one upload: a violation's evidence is a few photos; a longer list
# is a mistake (a whole camera roll) that would hold the row lock for long.
MAX_FILES_PER_UPLOAD = 20
# The longest original name kept (PrivateFile.original_name's max_length).
MAX_NAME_LENGTH = 200

# HEIF is an ISO base media file (ISO/IEC 23008-12): "ftyp" at offset 4, then the major brand and
# the compatible brands. HEVC-coded images (what iPhones write) carry these brands...
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
# ...the generic image and sequence brands say HEIF without naming the codec.
HEIF_BRANDS = {b"mif1", b"msf1"}
# AVIF shares HEIF's container but is not among the allowed types.
AVIF_BRANDS = {b"avif", b"avis"}


def sniff_content_type(head: bytes) -> str | None:
    """The allowed content type that the first bytes of a file show, else None.

    Signatures: JPEG FF D8 FF (JFIF/Exif); PNG's 8-byte signature (RFC 2083); WebP a RIFF
    container of form type "WEBP"; HEIC/HEIF an ISO BMFF "ftyp" box with a HEIF brand; PDF
    "%PDF-" (ISO 32000-1, 7.5.2).
    """
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if len(head) >= 12 and head[4:8] == b"ftyp":
        box_size = int.from_bytes(head[:4], "big")
        major = head[8:12]
        # Compatible brands follow the minor version, up to the end of the box (as far as read).
        compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
        brands = {major} | compatible
        if major in HEIC_BRANDS or (major in HEIF_BRANDS and brands & HEIC_BRANDS):
            return HEIC
        if major in HEIF_BRANDS and not brands & AVIF_BRANDS:
            return HEIF
    return None


def human_size(size: int) -> str:
    """10485760 → "10 MB", 2048 → "2 KB", 500 → "500 字节": how messages state sizes and limits."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = f"{size / factor:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return _("%(size)d 字节") % {"size": size}


_CONTROL_OR_SEPARATOR = re.compile(r"[\x00-\x1f\x7f]")


def clean_original_name(name: str | None) -> str:
    """The name a person gave the file, safe to store and to send back in a header: no folders
    (browsers on Windows may send C:\\...\\photo.jpg), no control characters, at most
    MAX_NAME_LENGTH characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _CONTROL_OR_SEPARATOR.sub("", name).strip().strip(".") or _("未命名文件")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


@dataclass(frozen=True)
class AcceptedFile:
    """An upload that passed the checks: what it is by its content, its size, its SHA-256 (kept
    with the row, so a copy handed to a department can be shown to be the same file) and its
    cleaned original name. `file` is the upload itself, rewound, ready to be stored."""

    content_type: str
    size: int
    sha256: str
    original_name: str
    file: File = field(repr=False, compare=False)


def accept_upload(uploaded_file: File) -> AcceptedFile:
    """Check one uploaded file (a Django UploadedFile or any File) and describe it; a
    ValidationError with a Chinese message names the file and the limit or the allowed types."""
    if isinstance(uploaded_file, AcceptedFile):
        return uploaded_file
    name = clean_original_name(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="empty")
    _refuse_size(size, name)
    uploaded_file.seek(0)
    content_type = sniff_content_type(uploaded_file.read(SNIFF_BYTES))
    if content_type is None:
        raise ValidationError(
            _("“%(name)s”不是允许的文件类型：只能上传 %(types)s（按文件内容判断，与文件扩展名无关）。")
            % {"name": name, "types": ALLOWED_TYPES_TEXT},
            code="type",
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():  # chunks() starts from the beginning
        digest.update(chunk)
    uploaded_file.seek(0)
    return AcceptedFile(
        content_type=content_type, size=size, sha256=digest.hexdigest(), original_name=name, file=uploaded_file
    )


def accept_uploads(files: Iterable[File | AcceptedFile], *, field_name: str | None = None) -> list[AcceptedFile]:
    """Check every file and refuse them all when any is bad, naming each bad one (so nothing is
    stored of an upload that is partly wrong). Files already accepted pass as they are. With
    `field_name`, the error is that field's (a service's field-level error)."""
    files = [item for item in files if item]
    errors: list[ValidationError] = []
    if len(files) > MAX_FILES_PER_UPLOAD:
        errors.append(
            ValidationError(_("一次最多上传 %(limit)d 个文件。") % {"limit": MAX_FILES_PER_UPLOAD}, code="too_many")
        )
        files = []
    accepted = []
    for item in files:
        try:
            accepted.append(accept_upload(item))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError({field_name: errors} if field_name else errors)
    return accepted


# An XLSX file is a ZIP container (ECMA-376 Part 2): a local file header first.
XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refuse_size(size: int, name: str | None = None) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        values = {"size": human_size(size), "limit": human_size(limit)}
        if name is None:
            raise ValidationError(_("文件大小为 %(size)s，超过了上传上限 %(limit)s。") % values, code="too_large")
        raise ValidationError(
            _("“%(name)s”大小为 %(size)s，超过了上传上限 %(limit)s。") % {"name": name, **values}, code="too_large"
        )


def accept_spreadsheet(uploaded_file: File) -> File:
    """Check an uploaded spreadsheet to be read (never stored): at most settings.UPLOAD_MAX_BYTES,
    an XLSX by its content. Returns the file rewound; a ValidationError in Chinese otherwise."""
    _refuse_size(uploaded_file.size or 0)
    uploaded_file.seek(0)
    if uploaded_file.read(len(XLSX_MAGIC)) != XLSX_MAGIC:
        raise ValidationError(_("不是 .xlsx 文件：请上传由本系统模板填写、以 .xlsx 格式保存的文件。"), code="type")
    uploaded_file.seek(0)
    return uploaded_file


# --- pages ---------------------------------------------------------------------------------------


class SpreadsheetField(forms.FileField):
    """A form field of one XLSX file, checked by accept_spreadsheet()."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": f"{XLSX_CONTENT_TYPE},.xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return accept_spreadsheet(upload) if upload else upload


class MultipleFileInput(forms.ClearableFileInput):
    """<input type="file" multiple>: the form receives every chosen file."""

    allow_multiple_selected = True


def file_input_attrs(*, camera: bool) -> dict[str, str]:
    """A picker of photos and PDFs, or (`camera`) the phone's rear camera straight away:
    `capture="environment"` opens the camera instead of the gallery, so it offers images only."""
    if camera:
        return {"accept": "image/*", "capture": "environment"}
    return {"accept": ACCEPT_ATTRIBUTE}


class EvidenceFilesField(forms.FileField):
    """A form field of uploaded files, each checked by accept_upload(); cleaned, it is a list of
    AcceptedFile (empty when optional and nothing was chosen). `camera=True` makes it the
    phone's camera input, `multiple=False` a single-file input."""

    def __init__(self, *, camera: bool = False, multiple: bool = True, **kwargs):
        attrs = file_input_attrs(camera=camera)
        kwargs.setdefault("widget", MultipleFileInput(attrs) if multiple else forms.FileInput(attrs))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[AcceptedFile]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return accept_uploads(uploads)

    def has_changed(self, initial, data) -> bool:
        return bool(data)


class PhotosOrFilesForm(forms.Form):
    """The upload form of a record's files (a violation's evidence, a decision's minutes, a
    transaction's contract): photos taken now with the phone's rear camera (`photos`) and/or
    files chosen from the phone or computer (`files`), at least one. A subclass names what its
    files are in `files_help` and, if it wants, the error when nothing is chosen."""

    files_help = gettext_lazy("照片（JPEG、PNG、WebP、HEIC）或 PDF，可多选。")
    none_chosen_message = gettext_lazy("请拍照或选择要上传的文件。")

    photos = EvidenceFilesField(label=gettext_lazy("拍照"), camera=True, required=False)
    files = EvidenceFilesField(label=gettext_lazy("选择文件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = self.files_help

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("photos") or cleaned.get("files")):
            self.add_error("files", self.none_chosen_message)
        return cleaned

    def chosen_files(self) -> list[AcceptedFile]:
        return [*self.cleaned_data.get("photos", []), *self.cleaned_data.get("files", [])]


class UploadLimitMixin:
    """For an upload page's view: the largest file allowed (settings.UPLOAD_MAX_BYTES), shown
    beside the form."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "upload_limit": human_size(settings.UPLOAD_MAX_BYTES)}


# --- the API -------------------------------------------------------------------------------------


def _as_drf_error(error: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages)


class AcceptedFileField(serializers.FileField):
    """One uploaded file, checked by accept_upload(); its validated value is an AcceptedFile."""

    def to_internal_value(self, data) -> AcceptedFile:
        upload = super().to_internal_value(data)
        try:
            return accept_upload(upload)
        except ValidationError as error:
            raise _as_drf_error(error) from None


class AcceptedSpreadsheetField(serializers.FileField):
    """One uploaded XLSX file, checked by accept_spreadsheet()."""

    def to_internal_value(self, data) -> File:
        upload = super().to_internal_value(data)
        try:
            return accept_spreadsheet(upload)
        except ValidationError as error:
            raise _as_drf_error(error) from None


class AcceptedFilesField(serializers.ListField):
    """One or more uploaded files under one multipart field name (`files=@a.jpg files=@b.pdf`),
    each checked by accept_upload(); the validated value is a list of AcceptedFile. Emptiness is
    judged by accept_upload too, so that its message names the file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField(allow_empty_file=True))
        kwargs.setdefault("allow_empty", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[AcceptedFile]:
        uploads = super().to_internal_value(data)
        try:
            return accept_uploads(uploads)
        except ValidationError as error:
            raise _as_drf_error(error) from None


# --- storing and sending -------------------------------------------------------------------------


def _link_to(model: type[PrivateFile], record: models.Model) -> str:
    """The name of the foreign key by which `model`'s files belong to records like `record`."""
    record_model = record._meta.concrete_model
    links = [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model._meta.concrete_model is record_model
    ]
    if len(links) != 1:
        raise ImproperlyConfigured(f"{model._meta.label} needs exactly one foreign key to {record_model._meta.label}")
    return links[0]


def attach_files(
    model: type[PrivateFile],
    *,
    record: models.Model,
    files: Iterable[File | AcceptedFile],
    acting_user: AbstractBaseUser,
    fields: dict | None = None,
) -> list[PrivateFile]:
    """Store the files as rows of `model` (a PrivateFile subclass) belonging to `record`, with
    the model's own `fields` if it has any (e.g. the stage of an event's photo).

    Meant to run inside the calling service's transaction, after its rights check, as its last
    write: every file is checked before any is stored; a failure while storing removes the files
    already written. (A rollback after this returns would leave files no row names: they are
    never served, since the download view serves rows.)"""
    if not issubclass(model, PrivateFile):
        raise ImproperlyConfigured(f"{model._meta.label} is not a PrivateFile")
    accepted = accept_uploads(files)
    link = _link_to(model, record)
    written: list[str] = []
    rows: list[PrivateFile] = []
    try:
        for item in accepted:
            row = model(
                **{link: record},
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                uploaded_by=acting_user,
                **(fields or {}),
            )
            # upload_to (governance.files.private_path) gives the random name on disk.
            row.file.save(item.original_name, item.file, save=False)
            written.append(row.file.name)
            row.save()
            rows.append(row)
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise
    return rows


def file_response(private_file: PrivateFile) -> FileResponse:
    """The stored file as a download: an attachment under its original name (RFC 6266, with
    RFC 5987's filename* for Chinese names), its stored content type, never sniffed by the
    browser, never kept in a shared cache. 404 when the file is missing from the disk."""
    try:
        handle = private_storage.open(private_file.file.name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=private_file.original_name, content_type=private_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
