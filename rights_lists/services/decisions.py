"""Decisions (四议两公开) and their workflow: opened on an item in force, each meeting recorded
(services/steps.py holds its checks), the resolution published, the implementation recorded, the
outcome published, or the decision withdrawn; minutes and other files attached. One function per
action, atomic, with the acting user (services/__init__.py).

The decision's state machine (docs/domain.md R1-R8):

    open ──step (sits, lacks the majority)──▶ not_adopted
    open ──last step of the procedure, adopted──▶ adopted
    adopted ──resolution published──▶ resolution_published ──implementation──▶ implemented
    implemented ──outcome published──▶ closed
    open | adopted | resolution_published ──withdraw (with a reason)──▶ withdrawn

The steps of each procedure and their bodies are choices.PROCEDURE_STEPS; a meeting without its
quorum is refused (nothing recorded), one that sits and lacks the majority is recorded and ends
the decision not adopted (a new decision may be opened).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.clock import today
from governance.guards import not_in_the_future, require_permission_at
from governance.uploads import accept_uploads, attach_files
from rights_lists.choices import (
    DECIDING_CODE_LENGTHS,
    TOWN_STEP_BODIES,
    WITHDRAWABLE_STATES,
    Body,
    DecisionState,
    PublicationKind,
    first_implementation_day,
)
from rights_lists.models import Decision, DecisionAttachment, DecisionStep, Implementation, ListItem, Publication
from rights_lists.services.actions import RightsListsAction
from rights_lists.services.steps import assess_step, next_step

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files import File

    from governance.uploads import AcceptedFile
    from villages.models import Division

# The state in which each publication is made (R1): the resolution once adopted, the outcome
# once implemented.
PUBLISHED_FROM = {PublicationKind.RESOLUTION: DecisionState.ADOPTED, PublicationKind.OUTCOME: DecisionState.IMPLEMENTED}


def open_decision(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    item: ListItem,
    title: str,
    amount_fen: int | None = None,
) -> Decision:
    """Open a decision of a village or cooperative on an item in force there. Its procedure is the
    item's, or the full one when the amount exceeds the item's threshold."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.OPEN_DECISION):
        require_permission_at(acting_user, "rights_lists.add_decision", division.code)
        if len(division.code) not in DECIDING_CODE_LENGTHS:
            raise ValidationError({"division": _("决策单位应为村（社区）或经济社。")})
        if not ListItem.objects.in_force_for(division.code).filter(pk=item.pk).exists():
            raise ValidationError({"item": _("该事项不在本单位现行的清单中。")})
        if not title.strip():
            raise ValidationError({"title": _("请填写决策事项。")})
        decision = Decision(
            division=division,
            item=item,
            title=title.strip(),
            amount_fen=amount_fen,
            procedure=item.procedure_for(amount_fen),
            opened_by=acting_user,
        )
        decision.full_clean()
        decision.save()
        return decision


# --- what the pages ask before they offer a step: whether the service would let `user` take it
# now. The service has the last word, inside its transaction.


def may_record_step(user, decision: Decision, body: str) -> bool:
    """The town's review needs review_decision where the decision lies, every other step change_decision."""
    perm = "rights_lists.review_decision" if body in TOWN_STEP_BODIES else "rights_lists.change_decision"
    return holds_in(user, perm, decision.division_id)


def may_record_next_step(user, decision: Decision) -> bool:
    """The decision is open, a step remains, and `user` may record it with one of its bodies."""
    if decision.state != DecisionState.OPEN:
        return False
    upcoming = next_step(decision)
    return upcoming is not None and any(may_record_step(user, decision, body) for body in upcoming[1])


def may_publish(user, decision: Decision, kind: str) -> bool:
    return decision.state == PUBLISHED_FROM.get(kind) and holds_in(
        user, "rights_lists.change_decision", decision.division_id
    )


def may_record_implementation(user, decision: Decision) -> bool:
    return decision.state == DecisionState.RESOLUTION_PUBLISHED and holds_in(
        user, "rights_lists.change_decision", decision.division_id
    )


def may_withdraw(user, decision: Decision) -> bool:
    return decision.state in WITHDRAWABLE_STATES and holds_in(
        user, "rights_lists.change_decision", decision.division_id
    )


def may_add_attachment(user, decision: Decision) -> bool:
    """Minutes and other files are added by who may add them where the decision lies (the village
    clerk, the district), whatever its state: minutes often come after the meeting."""
    return holds_in(user, "rights_lists.add_decisionattachment", decision.division_id)


# --- the actions ---------------------------------------------------------------------------------


def record_step(
    decision: Decision,
    *,
    acting_user: AbstractBaseUser,
    step: str,
    held_on: datetime.date,
    present: int,
    votes_for: int,
    votes_against: int = 0,
    abstentions: int = 0,
    expected: int | None = None,
    body: str | None = None,
    households: int | None = None,
    households_present: int | None = None,
) -> DecisionStep:
    """Record one meeting of the decision's procedure (R1-R8): in order, none repeated or skipped,
    dated no earlier than the one before, with no more votes than people present and no more
    present than expected, and only when the meeting has its quorum (assess_step's checks). The
    expected count defaults to the portal's records; a figure given that differs from them is
    kept and flagged. A meeting that lacks the majority ends the decision not adopted; the last
    step adopted, adopted."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.RECORD_STEP):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if not any(may_record_step(acting_user, decision, body) for body in (Body.TWO_COMMITTEES, Body.TOWN)):
            raise PermissionDenied(_("您无权登记该决策的会议。"))
        assessment = assess_step(
            decision,
            step=step,
            held_on=held_on,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            expected=expected,
            body=body,
            households=households,
            households_present=households_present,
        )
        if assessment.body is not None and not may_record_step(acting_user, decision, assessment.body):
            raise PermissionDenied(_("您无权登记该决策的这一步骤。"))
        if assessment.errors:
            raise ValidationError(assessment.errors)
        row = DecisionStep.objects.create(
            decision=decision,
            step=step,
            body=assessment.body,
            held_on=held_on,
            expected=assessment.expected,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            households=assessment.households,
            households_present=households_present,
            expected_from_records=assessment.from_records,
            expected_differs=assessment.expected_differs,
            adopted=assessment.adopted,
            rule_source=assessment.outcome[:200],
            recorded_by=acting_user,
        )
        if not assessment.adopted:
            decision.state = DecisionState.NOT_ADOPTED
        elif step == decision.steps_required[-1]:
            decision.state = DecisionState.ADOPTED
        decision.save(update_fields=["state"])
        return row


def publish_decision(
    decision: Decision, *, acting_user: AbstractBaseUser, kind: str, published_on: datetime.date
) -> Publication:
    """Publish the resolution of an adopted decision (before implementation), or the outcome of an
    implemented one (after it), which closes the decision (R1). In whole days, a publication may
    share its day with the event it follows: the resolution is published on the day of the meeting
    that adopted it or later, the outcome on the day the implementation was completed or later
    (choices.first_implementation_day has the days in between)."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.PUBLISH_DECISION):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        require_permission_at(acting_user, "rights_lists.change_decision", decision.division_id)
        if kind == PublicationKind.RESOLUTION:
            if decision.state != DecisionState.ADOPTED:
                raise ValidationError(
                    {
                        "kind": _("只有已通过、尚未公开的决议可以公开（当前为“%(state)s”）。")
                        % {"state": decision.get_state_display()}
                    }
                )
            last = decision.steps.order_by("-held_on").first()
            earliest, after = last.held_on, _("决议日期")
            next_state = DecisionState.RESOLUTION_PUBLISHED
        elif kind == PublicationKind.OUTCOME:
            if decision.state != DecisionState.IMPLEMENTED:
                raise ValidationError(
                    {
                        "kind": _("决策实施后才能公开实施结果（当前为“%(state)s”）。")
                        % {"state": decision.get_state_display()}
                    }
                )
            earliest, after = decision.implementation.done_on, _("实施完成日期")
            next_state = DecisionState.CLOSED
        else:
            raise ValidationError({"kind": _("公开类别只能是决议公开或实施结果公开。")})
        if published_on < earliest:
            raise ValidationError(
                {"published_on": _("公开日期不能早于%(after)s（%(day)s）。") % {"after": after, "day": earliest}}
            )
        not_in_the_future("published_on", published_on)
        publication = Publication.objects.create(
            decision=decision, kind=kind, published_on=published_on, recorded_by=acting_user
        )
        decision.state = next_state
        decision.save(update_fields=["state"])
        return publication


def record_implementation(
    decision: Decision, *, acting_user: AbstractBaseUser, done_on: datetime.date, summary: str
) -> Implementation:
    """Record that a decision whose resolution was published has been carried out (R1), once its
    item's publicity period has run (R24: done_on no earlier than choices.first_implementation_day,
    the publication plus the item's publicity_days; on the publication day itself when it has none)."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.RECORD_IMPLEMENTATION):
        decision = Decision.objects.select_for_update(of=("self",)).select_related("item").get(pk=decision.pk)
        require_permission_at(acting_user, "rights_lists.change_decision", decision.division_id)
        if decision.state != DecisionState.RESOLUTION_PUBLISHED:
            raise ValidationError(
                {
                    "done_on": _("决议公开后才能登记实施（当前为“%(state)s”）。")
                    % {"state": decision.get_state_display()}
                }
            )
        published = decision.publications.get(kind=PublicationKind.RESOLUTION).published_on
        publicity_days = decision.item.publicity_days
        first_day = first_implementation_day(published, publicity_days)
        if done_on < first_day:
            if publicity_days:
                message = _(
                    "决议于 %(published)s 公开，公示期 %(days)s 天，公示期满前不能登记实施："
                    "实施完成日期最早为 %(first)s。"
                ) % {"published": published, "days": publicity_days, "first": first_day}
            else:
                message = _("实施完成日期不能早于决议公开日期（%(day)s）。") % {"day": published}
            raise ValidationError({"done_on": message})
        not_in_the_future("done_on", done_on)
        if not summary.strip():
            raise ValidationError({"summary": _("请填写实施情况。")})
        implementation = Implementation.objects.create(
            decision=decision, done_on=done_on, summary=summary.strip(), recorded_by=acting_user
        )
        decision.state = DecisionState.IMPLEMENTED
        decision.save(update_fields=["state"])
        return implementation


def withdraw_decision(
    decision: Decision, *, acting_user: AbstractBaseUser, reason: str, withdrawn_on: datetime.date | None = None
) -> Decision:
    """Withdraw a decision not yet carried out, with a reason. It is never deleted."""
    withdrawn_on = withdrawn_on or today()
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.WITHDRAW_DECISION):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        require_permission_at(acting_user, "rights_lists.change_decision", decision.division_id)
        if decision.state not in WITHDRAWABLE_STATES:
            raise ValidationError(
                {"reason": _("决策当前为“%(state)s”，不能撤回。") % {"state": decision.get_state_display()}}
            )
        if not reason.strip():
            raise ValidationError({"reason": _("请填写撤回理由。")})
        not_in_the_future("withdrawn_on", withdrawn_on)
        decision.state = DecisionState.WITHDRAWN
        decision.withdrawal_reason = reason.strip()
        decision.withdrawn_on = withdrawn_on
        decision.withdrawn_by = acting_user
        decision.save(update_fields=["state", "withdrawal_reason", "withdrawn_on", "withdrawn_by"])
        return decision


def add_attachments(
    decision: Decision,
    *,
    acting_user: AbstractBaseUser,
    files: Sequence[File | AcceptedFile],
    step: DecisionStep | None = None,
) -> list[DecisionAttachment]:
    """Attach files (minutes of a meeting, scans, photos, PDFs; governance.uploads judges their
    size and type by content) to a decision, and to one of its meetings when `step` is given: all
    of them or none. They are private (sent only to who may view the decision) and never removed:
    the minutes back what the timeline says was decided."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.ADD_ATTACHMENTS):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if not may_add_attachment(acting_user, decision):
            raise PermissionDenied(_("您无权为该决策添加附件。"))
        if step is not None and step.decision_id != decision.pk:
            raise ValidationError({"step": _("所选会议不属于该决策。")})
        accepted = accept_uploads(files, field_name="files")
        if not accepted:
            raise ValidationError({"files": _("请选择要上传的文件。")})
        rows = attach_files(DecisionAttachment, record=decision, files=accepted, acting_user=acting_user)
        if step is not None:
            DecisionAttachment.objects.filter(pk__in=[row.pk for row in rows]).update(step=step)
            for row in rows:
                row.step = step
        return rows
