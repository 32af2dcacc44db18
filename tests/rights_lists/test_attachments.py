"""Attachments of decisions (minutes of meetings and other files): rights_lists.services.add_attachments,
POST /api/v1/decisions/<id>/attachments/ and the list in the decision's detail, the page's upload
form and the private download, with their access matrices and pinned query counts. Every file
goes to pytest's temporary folders, never into the project."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.audit import history_of
from governance.pages.files import private_file_url
from governance.testing import world as w
from governance.testing.api import client_as
from governance.testing.pages import PageAccessTests, audit_events, queries_for
from governance.testing.pages import signed_in_client as client_for
from rights_lists import services
from rights_lists.models import DecisionAttachment
from rights_lists.services import RightsListsAction
from rights_lists.testing.factories import PDF_BYTES, DecisionAttachmentFactory, DecisionStepFactory, decision_on

D = datetime.date
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40
TEXT_BYTES = "不是会议记录。".encode()
ROLES = set(w.ROLE_HOME)
DECISION_VIEWERS = ROLES - {"grid_worker"}  # rights_lists/grants.py names every role but the grid worker
UPLOADERS = {"district_admin", "village_clerk"}  # rights_lists/grants.py: add_decisionattachment


@pytest.fixture(scope="module", autouse=True)
def module_private_media(tmp_path_factory):
    """Files written by the class-wide scenarios and by the tests go to a temporary folder."""
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")):
        yield


@pytest.fixture
def private_media(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def minutes(name: str = "会议记录.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def decision(world):
    """An open decision of the village with its proposal recorded."""
    decision = decision_on(w.VILLAGE)
    DecisionStepFactory(decision=decision, step="proposal", held_on=D(2025, 3, 1))
    return decision


# --- the service ---------------------------------------------------------------------------------


def test_a_clerk_attaches_the_minutes_of_a_meeting_stored_privately_under_a_random_name(world, decision, private_media):
    proposal = decision.steps.get()

    added = services.add_attachments(
        decision,
        acting_user=world.user("village_clerk"),
        files=[minutes(), SimpleUploadedFile("签到表.jpg", JPEG_BYTES)],
        step=proposal,
    )

    assert [(row.original_name, row.content_type, row.step_id) for row in added] == [
        ("会议记录.pdf", "application/pdf", proposal.pk),
        ("签到表.jpg", "image/jpeg", proposal.pk),
    ]
    assert list(proposal.attachments.order_by("id")) == added
    on_disk = stored_files(private_media)
    assert sorted(path.read_bytes() for path in on_disk) == sorted([PDF_BYTES, JPEG_BYTES])
    assert not any(path.suffix for path in on_disk)


def test_an_attachment_of_no_meeting_belongs_to_the_decision_only(world, decision):
    (added,) = services.add_attachments(decision, acting_user=world.user("village_clerk"), files=[minutes()])

    assert (added.decision_id, added.step_id) == (decision.pk, None)


def test_adding_attachments_is_named_in_the_audit_trail_with_its_acting_user(world, decision):
    clerk = world.user("village_clerk")

    (added,) = services.add_attachments(decision, acting_user=clerk, files=[minutes()])

    events = [
        ((event.pgh_context or {}).get("user"), (event.pgh_context or {}).get("action")) for event in history_of(added)
    ]
    assert (clerk.pk, RightsListsAction.ADD_ATTACHMENTS.value) in events


def test_a_file_that_is_no_document_refuses_every_file_of_the_upload(world, decision, private_media):
    with pytest.raises(ValidationError) as refused:
        services.add_attachments(
            decision, acting_user=world.user("village_clerk"), files=[minutes(), minutes("假.pdf", TEXT_BYTES)]
        )

    assert "假.pdf" in refused.value.message_dict["files"][0]
    assert not decision.attachments.exists() and stored_files(private_media) == []


def test_a_file_over_the_size_limit_is_refused(world, decision, settings, private_media):
    settings.UPLOAD_MAX_BYTES = len(PDF_BYTES) - 1

    with pytest.raises(ValidationError) as refused:
        services.add_attachments(decision, acting_user=world.user("village_clerk"), files=[minutes()])

    assert "超过了上传上限" in refused.value.message_dict["files"][0]
    assert stored_files(private_media) == []


def test_a_meeting_of_another_decision_is_refused(world, decision):
    other = DecisionStepFactory(decision=decision_on(w.VILLAGE), step="proposal")

    with pytest.raises(ValidationError) as refused:
        services.add_attachments(decision, acting_user=world.user("village_clerk"), files=[minutes()], step=other)

    assert "step" in refused.value.message_dict


@pytest.mark.parametrize("who", ["town_official", "inspector", "coop_clerk"])
def test_who_only_views_the_decision_attaches_nothing(world, decision, who, private_media):
    with pytest.raises(PermissionDenied):
        services.add_attachments(decision, acting_user=world.user(who), files=[minutes()])

    assert not decision.attachments.exists() and stored_files(private_media) == []


def test_attachments_are_added_to_a_closed_decision_too(world):
    decision = decision_on(w.VILLAGE, state="closed")

    services.add_attachments(decision, acting_user=world.user("village_clerk"), files=[minutes()])

    assert decision.attachments.count() == 1


# --- the API -------------------------------------------------------------------------------------


def api_url(decision) -> str:
    return reverse("api:decision-attachments", kwargs={"pk": decision.pk})


def test_the_api_adds_attachments_to_a_meeting_and_lists_them_in_the_decisions_detail(world, decision):
    proposal = decision.steps.get()
    client = client_as("village_clerk")

    response = client.post(
        api_url(decision), {"files": [minutes(), minutes("第二页.pdf")], "step": proposal.pk}, format="multipart"
    )
    detail = client.get(reverse("api:decision-detail", kwargs={"pk": decision.pk}))

    assert response.status_code == 201, response.content
    attachments = detail.json()["attachments"]
    assert [(row["original_name"], row["step"]) for row in attachments] == [
        ("会议记录.pdf", proposal.pk),
        ("第二页.pdf", proposal.pk),
    ]
    assert attachments[0]["download_url"].endswith(
        private_file_url(DecisionAttachment.objects.get(pk=attachments[0]["id"]))
    )
    assert response.json()["attachments"] == attachments


def test_the_api_refuses_a_bad_file_as_a_400_on_files_and_stores_nothing(world, decision, private_media):
    response = client_as("village_clerk").post(
        api_url(decision), {"files": [minutes("假.pdf", TEXT_BYTES)]}, format="multipart"
    )

    assert response.status_code == 400 and "假.pdf" in response.json()["files"][0]
    assert stored_files(private_media) == []


def test_the_api_refuses_a_meeting_of_another_decision_as_a_400_on_step(world, decision):
    other = DecisionStepFactory(decision=decision_on(w.VILLAGE), step="proposal")

    response = client_as("village_clerk").post(
        api_url(decision), {"files": [minutes()], "step": other.pk}, format="multipart"
    )

    assert response.status_code == 400 and "step" in response.json()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("district_admin", 201),
        ("village_clerk", 201),
        ("town_official", 403),
        ("inspector", 403),
        ("report_reader", 403),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_add_attachments_through_the_api(world, decision, who, status):
    events = audit_events()

    response = client_as(who).post(api_url(decision), {"files": [minutes()]}, format="multipart")

    assert response.status_code == status, response.content
    assert (audit_events() > events) is (status == 201)


def test_a_decision_outside_the_jurisdiction_is_a_404_to_the_api(world):
    decision = decision_on(w.OTHER_VILLAGE_SAME_TOWN)

    response = client_as("village_clerk").post(api_url(decision), {"files": [minutes()]}, format="multipart")

    assert response.status_code == 404


def download_url(attachment) -> str:
    return reverse(
        "api:decision-attachment-download", kwargs={"pk": attachment.decision_id, "attachment_pk": attachment.pk}
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("town_official", 200), ("report_reader", 200), ("village_clerk", 200), ("outsider", 404), ("anonymous", 401)],
)
def test_a_token_client_downloads_an_attachment_where_it_may_view_the_decision(world, decision, who, status):
    attachment = DecisionAttachmentFactory(decision=decision)

    response = client_as(who).get(download_url(attachment))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_is_downloaded_only_under_its_own_decision(world, decision):
    attachment = DecisionAttachmentFactory(decision=decision_on(w.VILLAGE))
    wrong = reverse("api:decision-attachment-download", kwargs={"pk": decision.pk, "attachment_pk": attachment.pk})

    assert client_as("village_clerk").get(wrong).status_code == 404


def test_the_detail_names_each_attachments_download_for_token_clients(world, decision):
    attachment = DecisionAttachmentFactory(decision=decision)

    row = client_as("village_clerk").get(reverse("api:decision-detail", kwargs={"pk": decision.pk})).json()
    (listed,) = row["attachments"]

    assert listed["api_download_url"].endswith(download_url(attachment))


def test_the_decisions_detail_costs_the_same_queries_for_one_attachment_and_for_many(world, decision):
    client = client_as("village_clerk")
    url = reverse("api:decision-detail", kwargs={"pk": decision.pk})
    DecisionAttachmentFactory(decision=decision)
    client.get(url)  # the grants, read once and cached on the user

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(5):
        DecisionAttachmentFactory(decision=decision, step=decision.steps.get())
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["attachments"]) == 6

    assert len(one) == len(many)


# --- the pages -----------------------------------------------------------------------------------


class TestAttachmentPage(PageAccessTests):
    """添加附件 on a cooperative's decision: who records decisions there uploads, the others who
    view it get 403."""

    viewers = DECISION_VIEWERS
    posters = UPLOADERS

    def url(self, decision):
        return reverse("rights_lists:attachment_add", args=[decision.pk])

    def make_object(self, code):
        return decision_on(code)

    def post_data(self, decision):
        return {"files": minutes()}


class TestAttachmentDownload(PageAccessTests):
    """The minutes download (/files/rights_lists.decisionattachment/<pk>/) for who views the decision."""

    viewers = DECISION_VIEWERS

    def url(self, attachment):
        return private_file_url(attachment)

    def make_object(self, code):
        return DecisionAttachmentFactory(decision=decision_on(code))


def test_the_minutes_uploaded_on_the_page_show_under_their_meeting_and_download(world, decision):
    proposal = decision.steps.get()
    client = client_for(world.user("village_clerk"))

    response = client.post(
        reverse("rights_lists:attachment_add", args=[decision.pk]), {"step": proposal.pk, "files": minutes()}
    )
    page = client.get(response.url)
    attachment = proposal.attachments.get()
    download = client_for(world.user("inspector")).get(private_file_url(attachment))

    assert response.url == reverse("rights_lists:decision", args=[decision.pk])
    assert "已添加附件。" in page.text and "会议记录.pdf" in page.text
    assert page.text.index("会议记录.pdf") < page.text.index('id="step-consultation"')  # under the proposal
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")


def test_the_page_refuses_a_bad_file_under_its_field(world, decision, private_media):
    response = client_for(world.user("village_clerk")).post(
        reverse("rights_lists:attachment_add", args=[decision.pk]), {"files": minutes("假.pdf", TEXT_BYTES)}
    )

    assert response.status_code == 200 and "假.pdf" in response.context["form"].errors["files"][0]
    assert stored_files(private_media) == []


def test_the_page_asks_for_a_file_when_none_is_chosen(world, decision):
    response = client_for(world.user("village_clerk")).post(
        reverse("rights_lists:attachment_add", args=[decision.pk]), {}
    )

    assert "请拍照或选择要上传的文件。" in response.context["form"].errors["files"]


def test_the_upload_form_costs_a_fixed_number_of_queries(world, decision):
    client = client_for(world.user("village_clerk"))
    url = reverse("rights_lists:attachment_add", args=[decision.pk])

    with_one_meeting = queries_for(client, url)
    DecisionStepFactory(decision=decision, step="consultation", held_on=D(2025, 3, 2))

    assert queries_for(client, url) == with_one_meeting
