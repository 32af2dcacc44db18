"""Private files attached to records (evidence photos, minutes, contracts).

A concrete model subclasses `PrivateFile` with a foreign key to the record it belongs to and a
`scope_field` through it, so a file is seen exactly by those who may view its record. Files are
stored under PRIVATE_MEDIA_ROOT, which no web server serves: they are sent only by the portal's
download view, after restrict(). What may be uploaded (size, types) is checked by
`governance.uploads` against the file's content, not its name.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from governance.base_models import ScopedModel


class PrivateStorage(LazyObject):
    """The storage of private files, read from settings when first used (tests override them)."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def private_file_storage() -> PrivateStorage:
    """The storage as a callable, so that migrations name this function rather than freeze the
    folder of the machine that wrote them (a clone elsewhere would otherwise see a model change)."""
    return private_storage


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    """A changed PRIVATE_MEDIA_ROOT (tests point it at a temporary folder) takes effect at once."""
    if setting == "PRIVATE_MEDIA_ROOT":
        private_storage._wrapped = empty


def private_path(instance: PrivateFile, filename: str) -> str:
    """A random name under the model's folder: the original name is kept in a field, never on disk."""
    return f"{instance._meta.app_label}/{instance._meta.model_name}/{uuid.uuid4().hex}"


class PrivateFile(ScopedModel):
    """A file uploaded to a record, stored privately; the concrete model names the record."""

    file = models.FileField(_("文件"), storage=private_file_storage, upload_to=private_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
