"""The workflow actions of the engagement app, as the audit trail names them."""

from __future__ import annotations

from enum import StrEnum


class EngagementAction(StrEnum):
    FILL_LINK = "fill_contact_link"
    END_LINK = "end_contact_link"
    RECORD_CONTACT_DAY = "record_contact_day"
    RECORD_VISIT = "record_visit"
    PROPOSE_TOPIC = "propose_topic"
    REVIEW_TOPIC = "review_topic"
    DELIBERATE = "deliberate"
    ADD_BODY_MEMBER = "add_body_member"
    FORM_BODY = "form_deliberation_body"
    ADD_CATALOGUE_ENTRY = "add_catalogue_entry"
    CLAIM_POST = "claim_post"
    RECORD_POINTS = "record_points"
    RECORD_DRILL = "record_drill"
    # --- party ---
    CREATE_POST = "create_service_post"
    LEAVE_POST = "leave_post"
    RECORD_VILLAGER_POINTS = "record_villager_points"
