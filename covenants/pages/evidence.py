"""Evidence files on the pages of a violation: the list with download links on the violation's
page, and the upload form (the phone's camera, or photos and PDFs already taken) posting to
covenants.services.add_evidence. Evidence is never deleted here: it backs the confirmation and
the sanctions that follow it (covenants.services.add_evidence)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from covenants import services
from covenants.forms import CovenantFormMixin
from covenants.models import Violation, ViolationEvidence
from covenants.pages.base import ViolationActionView
from governance.pages.files import private_file_url
from governance.uploads import PhotosOrFilesForm, UploadLimitMixin, human_size


class EvidenceUploadForm(CovenantFormMixin, PhotosOrFilesForm):
    """添加证据: photos taken now with the rear camera, and/or files chosen from the phone or computer."""

    none_chosen_message = gettext_lazy("请拍照或选择要上传的证据文件。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


# The photos every browser draws (governance.uploads also takes HEIC/HEIF, which most browsers do
# not show: those stay a link, like PDFs).
THUMBNAIL_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def evidence_context(user, violation: Violation) -> dict:
    """What the violation's page shows of its evidence: each file with its download link (one
    query), a photo also as a thumbnail drawn from that link, and the upload form for a user who
    may add evidence."""
    rows = (
        ViolationEvidence.objects.restrict(user, "view")
        .filter(violation=violation)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )
    evidence = [
        {
            "file": row,
            "url": private_file_url(row),
            "size": human_size(row.size),
            "is_image": row.content_type.startswith("image/"),
            "thumbnail": row.content_type in THUMBNAIL_CONTENT_TYPES,
        }
        for row in rows
    ]
    may_add = services.may_add_evidence(user, violation)
    return {
        "evidence": evidence,
        "may_add_evidence": may_add,
        "evidence_form": EvidenceUploadForm() if may_add else None,
        "upload_limit": human_size(settings.UPLOAD_MAX_BYTES),
    }


class ViolationEvidenceView(UploadLimitMixin, ViolationActionView):
    """添加证据 (covenants/violations/<pk>/evidence/): for those who may view the violation and add
    evidence to it (404 outside the jurisdiction, 403 for a viewer without the right)."""

    form_class = EvidenceUploadForm
    scope_action = "view"  # the right to add is services.may_add_evidence's, checked in check_step
    template_name = "covenants/evidence_form.html"

    @property
    def heading(self):
        return _("添加证据")

    @property
    def success_message(self):
        return _("已添加证据。")

    def check_step(self, user, violation):
        if not services.may_add_evidence(user, violation):
            raise PermissionDenied(_("您无权为该违约记录添加证据。"))

    def perform(self, form):
        services.add_evidence(self.violation, acting_user=self.request.user, files=form.chosen_files())
        return self.violation
