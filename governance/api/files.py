"""The API's view of a private file (governance.files.PrivateFile): evidence, decision
attachments, transaction files and whatever a later app uploads are read the same way."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.api.serializers import PortalModelSerializer
from governance.pages.files import private_file_url

PRIVATE_FILE_FIELDS = [
    "id",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_at",
    "uploaded_by",
    "uploaded_by_name",
    "download_url",
    "api_download_url",
]


class PrivateFileSerializer(PortalModelSerializer):
    """One stored file: what it is, who uploaded it when, and where a signed-in browser
    (`download_url`) or a token client (`api_download_url`) downloads it.

    A subclass names its model and its record's field in Meta (`fields = [*PRIVATE_FILE_FIELDS,
    "violation"]`) and the API route of its download with the route's arguments
    (`api_download_route`, `api_download_kwargs`)."""

    uploaded_by_name = serializers.CharField(source="uploaded_by.username", read_only=True)
    download_url = serializers.SerializerMethodField(help_text=_("浏览器下载地址（需登录）"))
    api_download_url = serializers.SerializerMethodField(help_text=_("接口下载地址（可用令牌）"))

    api_download_route: str = ""

    def api_download_kwargs(self, private_file) -> dict:
        raise NotImplementedError

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_download_url(self, private_file) -> str:
        return self._absolute(private_file_url(private_file))

    def get_api_download_url(self, private_file) -> str:
        return self._absolute(reverse(self.api_download_route, kwargs=self.api_download_kwargs(private_file)))
