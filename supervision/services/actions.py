"""What the supervision app's workflows share: the one enum of their actions, as the audit trail
names them (pgh_context "action"), the refusal of a batch row by row, and reading a period."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError

from governance.periods import Period


class SupervisionAction(StrEnum):
    """The workflow actions of this app, as the audit trail names them (pgh_context "action")."""

    # assessment (services/scoring.py, duty_reports.py)
    CREATE_SCHEME = "create_scheme"
    SAVE_ENTRIES = "save_entries"
    REQUEST_RUN = "request_run"
    SCORE_CHUNK = "score_chunk"
    FREEZE_SCHEME = "freeze_scheme"
    RECORD_DUTY_REPORT = "record_duty_report"
    # disclosures (services/disclosures.py)
    ADD_DISCLOSURE_ITEM = "add_disclosure_item"
    CHANGE_DISCLOSURE_ITEM = "change_disclosure_item"
    FILE_DISCLOSURE = "file_disclosure"
    # supervision records (services/records.py)
    ADD_NEGATIVE_ITEM = "add_negative_item"
    FILE_SANCTION = "file_sanction"
    FILE_INTEGRITY_TALK = "file_integrity_talk"
    FILE_MAJOR_MATTER_REPORT = "file_major_matter_report"
    FILE_ECONOMIC_AUDIT = "file_economic_audit"
    RECORD_AUDIT_FOLLOW_UP = "record_audit_follow_up"
    # remuneration (services/remuneration.py)
    SAVE_REMUNERATION_RULE = "save_remuneration_rule"
    SAVE_COLLECTIVE_INCOMES = "save_collective_incomes"


class RowErrors(Exception):
    """A batch refused whole: `errors` maps each bad row's index to its field errors."""

    def __init__(self, field: str, errors: dict[int, dict[str, list[str]]]):
        super().__init__(field, errors)
        self.field = field
        self.errors = errors

    def as_detail(self) -> dict:
        return {self.field: {str(index): fields for index, fields in sorted(self.errors.items())}}


def parse_period(label: str) -> Period:
    """The period a label names (governance.periods); a ValidationError on `period` otherwise."""
    try:
        return Period.parse(label)
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from None
