"""Pages importing a village's roll (花名册) and its members and shares (成员股份) from XLSX.

- `divisions/<code>/rolls/<kind>/template.xlsx`: the template for the village or cooperative;
- `divisions/<code>/rolls/<kind>/`: the upload form; its POST reads and checks the file and shows
  the preview: what saving would write, or every bad row with its column and reason. Nothing is
  saved, and no audit event written;
- `divisions/<code>/rolls/<kind>/confirm/`: the POST that saves a previewed file, all or nothing.

Between preview and confirm the rows read from the file are kept as a private file (JSON, in
governance.files' private storage, under a random name no row names and no view serves), and the
signed-in session holds a one-time token naming it, with the kind, the division and the file's
SHA-256 (a changed file is refused). Why not the rows in the session itself: 50,000 rows are
megabytes of session data, written to the session table at every request of the session. Why
not ask for the file again at confirm: the clerk would have to pick the same file twice, and
could pick another one than the one previewed; and reading the XLSX is a good part of the time
an import takes (bench/README.md), paid once this way. The rows are checked again at confirm (the
database may have changed in between); the stored rows are deleted once taken, replaced by the
next upload of the same kind into the same division, and files older than PENDING_MAX_AGE are
swept at each upload (a preview never confirmed).

Who: those who may add every kind of record the file writes at the division (people and
households, or memberships), inside their jurisdiction: out of it 404, in it without the right
403, before any file is read.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from governance.files import private_storage
from governance.guards import require_model_permission_at
from governance.uploads import SpreadsheetField, clean_original_name, human_size
from villages.choices import PERSON_LEVELS
from villages.models import Division
from villages.rolls import (
    ROLL_KINDS,
    XLSX_CONTENT_TYPE,
    RollCheck,
    RollKind,
    check_roll,
    read_rows,
    rows_from_json,
    rows_to_json,
    template_workbook,
)
from villages.services import import_roll

# Where previewed files wait for their confirmation, and how long at most.
PENDING_FOLDER = "villages/rolls"
PENDING_MAX_AGE = datetime.timedelta(days=1)
SESSION_KEY = "villages.rolls.pending"
# The preview lists at most this many errors (all are counted): a file whose every row is wrong
# needs its first screens, not 50,000 lines.
ERRORS_SHOWN = 1000


class RollUploadForm(forms.Form):
    # The size limit and the XLSX check: governance.uploads.accept_spreadsheet.
    file = SpreadsheetField(
        label=_("填好的模板（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": f"{XLSX_CONTENT_TYPE},.xlsx", "class": "form-control"}),
    )


class RollPageMixin(LoginRequiredMixin):
    """The kind of file and the division, found before anything else: 404 for an unknown kind or a
    division out of scope (or no village or cooperative), 403 without the right to add there."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.kind: RollKind = ROLL_KINDS.get(kwargs["kind"])
            if self.kind is None:
                raise Http404
            self.division = get_object_or_404(
                Division.objects.restrict(request.user, "view")
                .filter(level__in=PERSON_LEVELS)
                .select_related("parent"),
                code=kwargs["code"],
            )
            for model in self.kind.models:
                require_model_permission_at(request.user, model, "add", self.division.code)
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, *, form=None, check: RollCheck | None = None, token: str = "", file_name: str = ""):
        errors = check.sorted_errors() if check is not None else []
        return render(
            request,
            "villages/roll_import.html",
            {
                "kind": self.kind,
                "division": self.division,
                "form": form or RollUploadForm(),
                "headers": self.kind.columns,
                "check": check,
                "errors": errors[:ERRORS_SHOWN],
                "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
                "token": token,
                "file_name": file_name,
                "upload_limit": human_size(settings.UPLOAD_MAX_BYTES),
            },
        )


class RollTemplateView(RollPageMixin, View):
    """The template for this division (its cooperatives in the drop-down list)."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(template_workbook(self.kind, self.division), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.kind.slug}-{self.division.code}.xlsx"'
        return response


class RollUploadView(RollPageMixin, View):
    """The upload form, and (POST) the preview of the uploaded file."""

    def get(self, request, *args, **kwargs):
        return self.page(request)

    def post(self, request, *args, **kwargs):
        form = RollUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form=form)
        upload = form.cleaned_data["file"]
        content = upload.read()
        file_name = clean_original_name(upload.name)
        rows, errors = read_rows(_bytes_file(content), self.kind)
        if errors:
            check = RollCheck(kind=self.kind, division=self.division, errors=errors)
        else:
            check = check_roll(self.kind, self.division, rows, request.user)
        token = ""
        if check.ok:
            sha256 = hashlib.sha256(content).hexdigest()
            token = _keep_pending(request, self.kind, self.division, rows_to_json(rows), file_name, sha256)
        return self.page(request, form=RollUploadForm(), check=check, token=token, file_name=file_name)


class RollConfirmView(RollPageMixin, View):
    """Save the previewed file: checked again, written all or nothing."""

    def post(self, request, *args, **kwargs):
        pending = _take_pending(request, request.POST.get("token", ""), self.kind, self.division)
        if pending is None:
            messages.warning(request, gettext("预览已失效，请重新上传文件。"))
            return HttpResponseRedirect(reverse("villages:roll_import", args=[self.division.code, self.kind.slug]))
        rows, file_name, sha256 = pending
        try:
            check = import_roll(
                self.kind, self.division, rows, acting_user=request.user, file_name=file_name, sha256=sha256
            )
        except IntegrityError:
            messages.error(
                request, gettext("保存时发现有人同时登记了相同的人员、户或成员，未保存任何数据。请重新上传核对。")
            )
            return HttpResponseRedirect(reverse("villages:roll_import", args=[self.division.code, self.kind.slug]))
        if not check.ok:
            return self.page(request, check=check, file_name=file_name)
        messages.success(request, saved_message(check))
        if self.kind.slug == "people":
            return HttpResponseRedirect(f"{reverse('villages:people')}?division={self.division.code}")
        return HttpResponseRedirect(reverse("villages:division", args=[self.division.code]))


def saved_message(check: RollCheck) -> str:
    counts = check.counts
    if check.kind.slug == "people":
        return gettext("已导入 %(people)s 人，新建 %(new)s 户，加入已有的 %(joined)s 户。") % {
            "people": counts["people"],
            "new": counts["new_households"],
            "joined": counts["joined_households"],
        }
    return gettext("已导入 %(count)s 名集体经济组织成员，共 %(shares)s 股。") % {
        "count": counts["memberships"],
        "shares": counts["shares"],
    }


def _bytes_file(content: bytes):
    import io

    return io.BytesIO(content)


# --- the previewed file, between preview and confirm ------------------------------------------


def _keep_pending(request, kind: RollKind, division: Division, content: bytes, file_name: str, file_sha256: str) -> str:
    """Store the previewed rows (`content`, villages.rolls.rows_to_json) privately and name them
    in the session by a new token, with the uploaded file's name and SHA-256 (for the audit
    context); the previous pending rows of the same kind and division go, and so does any file
    older than PENDING_MAX_AGE."""
    _sweep_old_files()
    pending = request.session.get(SESSION_KEY, {})
    for token, entry in list(pending.items()):
        if entry["kind"] == kind.slug and entry["division"] == division.code:
            private_storage.delete(entry["path"])
            del pending[token]
    path = private_storage.save(f"{PENDING_FOLDER}/{secrets.token_hex(16)}", ContentFile(content))
    token = secrets.token_urlsafe(24)
    pending[token] = {
        "path": path,
        "kind": kind.slug,
        "division": division.code,
        "name": file_name,
        "file_sha256": file_sha256,
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _take_pending(request, token: str, kind: RollKind, division: Division) -> tuple[list, str, str] | None:
    """The rows, the file's name and its SHA-256 that the token names in this session, for this
    kind and division; the token is spent and the stored rows deleted. None when there are none."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if not token or entry is None or entry["kind"] != kind.slug or entry["division"] != division.code:
        return None
    del pending[token]
    request.session[SESSION_KEY] = pending
    try:
        with private_storage.open(entry["path"], "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return None
    finally:
        private_storage.delete(entry["path"])
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        return None
    return rows_from_json(content), entry["name"], entry["file_sha256"]


def _sweep_old_files() -> None:
    try:
        _folders, names = private_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return
    oldest = timezone.now() - PENDING_MAX_AGE
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if private_storage.get_modified_time(path) < oldest:
                private_storage.delete(path)
        except FileNotFoundError:
            continue
