"""The download of private files (governance.files.PrivateFile): /files/<app_label>.<model_name>/<pk>/.

One view for every app's files: the model must be a PrivateFile registered as downloadable
(governance.registry.add_private_file_model), and the row must lie in the signed-in user's
`restrict(user, "view")`, which follows the record it belongs to (its scope_field). Anything
else is 404, so that neither the file nor the record leaks; an anonymous visitor is sent to sign
in. Files are sent as attachments (governance.uploads.file_response).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from governance.files import PrivateFile
from governance.registry import registry
from governance.uploads import file_response


def downloadable_model(key: str) -> type[PrivateFile]:
    """The PrivateFile model registered under "app_label.model_name", else 404."""
    key = key.lower()
    if key not in registry.private_files:
        raise Http404
    try:
        model = apps.get_model(key)
    except (LookupError, ValueError):
        raise Http404 from None
    if not issubclass(model, PrivateFile):
        raise Http404
    return model


def private_file_url(private_file: PrivateFile) -> str:
    """Where a stored file is downloaded."""
    return reverse("private_file", args=[private_file._meta.label_lower, private_file.pk])


class PrivateFileView(LoginRequiredMixin, View):
    """Send one private file to a user who may view it: one query for the row, whatever the model."""

    def get(self, request, key: str, pk: str):
        model = downloadable_model(key)
        try:
            pk = model._meta.pk.to_python(pk)
        except ValidationError:
            raise Http404 from None
        private_file = get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk)
        return file_response(private_file)
