"""Workflow actions of the rights_lists app: one function per action, atomic, with the acting user.

Each locks its row, re-checks the acting user's right where the record lies inside the
transaction, and writes under the audit context naming the action (RightsListsAction). Errors are
field-level ValidationErrors or PermissionDenied, which the API turns into 400 and 403.

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
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in
from governance.audit import acting_as, keep_audit_triggers_linear
from governance.uploads import accept_uploads, attach_files
from rights_lists import rules
from rights_lists.choices import (
    PROCEDURE_STEPS,
    TOWN_STEP_BODIES,
    WITHDRAWABLE_STATES,
    Body,
    DecisionState,
    ListStatus,
    PublicationKind,
)
from rights_lists.models import (
    Adoption,
    Decision,
    DecisionAttachment,
    DecisionStep,
    Implementation,
    ListItem,
    Publication,
    RightsList,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files import File

    from governance.uploads import AcceptedFile
    from villages.models import Division

DISTRICT_CODE_LENGTH = 6
TOWN_CODE_LENGTH = 9
VILLAGE_CODE_LENGTH = 12
DECIDING_CODE_LENGTHS = (VILLAGE_CODE_LENGTH, VILLAGE_CODE_LENGTH + 3)

# The fields of an item a new version copies.
ITEM_FIELDS = (
    "number",
    "title",
    "category",
    "basis",
    "responsible_body",
    "procedure",
    "full_procedure_above_fen",
    "publicity_days",
)


class RightsListsAction(StrEnum):
    """The workflow actions of this app, as the audit trail names them (pgh_context "action")."""

    CREATE_LIST = "create_list"
    NEW_LIST_VERSION = "new_list_version"
    PUBLISH_LIST = "publish_list"
    IMPORT_ITEMS = "import_items"
    ADOPT_TEMPLATE = "adopt_template"
    OPEN_DECISION = "open_decision"
    RECORD_STEP = "record_step"
    PUBLISH_DECISION = "publish_decision"
    RECORD_IMPLEMENTATION = "record_implementation"
    WITHDRAW_DECISION = "withdraw_decision"
    ADD_ATTACHMENTS = "add_decision_attachments"


def _require(user, perm: str, division_code: str) -> None:
    if not holds_in(user, perm, division_code):
        raise PermissionDenied(_("您无权在该区划执行此操作。"))


def _not_in_the_future(field: str, day: datetime.date) -> None:
    if day > datetime.date.today():
        raise ValidationError({field: _("日期不能晚于今天。")})


# --- lists -------------------------------------------------------------------------------------


def create_list(*, acting_user: AbstractBaseUser, owner: Division, kind: str, title: str) -> RightsList:
    """A new list of a division, version 1 (or the next version number of its kind), as a draft."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.CREATE_LIST):
        _require(acting_user, "rights_lists.add_rightslist", owner.code)
        latest = RightsList.objects.filter(owner=owner, kind=kind).aggregate(latest=Max("version"))["latest"]
        rights_list = RightsList(owner=owner, kind=kind, title=title, version=(latest or 0) + 1)
        rights_list.full_clean()
        rights_list.save()
        return rights_list


def new_version(rights_list: RightsList, *, acting_user: AbstractBaseUser) -> RightsList:
    """The next version of a list, as a draft with a copy of every item of this one (one INSERT).
    Decisions stay on the items of the version they were made under."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.NEW_LIST_VERSION):
        rights_list = RightsList.objects.select_for_update().get(pk=rights_list.pk)
        _require(acting_user, "rights_lists.add_rightslist", rights_list.owner_id)
        siblings = RightsList.objects.filter(owner_id=rights_list.owner_id, kind=rights_list.kind)
        if siblings.filter(status=ListStatus.DRAFT).exists():
            raise ValidationError({"version": _("该清单已有未发布的草稿版本，请先发布或完成该草稿。")})
        latest = siblings.aggregate(latest=Max("version"))["latest"]
        draft = RightsList.objects.create(
            owner_id=rights_list.owner_id,
            kind=rights_list.kind,
            title=rights_list.title,
            version=latest + 1,
            previous=rights_list,
        )
        ListItem.objects.bulk_create(
            ListItem(list=draft, **row) for row in rights_list.items.order_by("id").values(*ITEM_FIELDS)
        )
        return draft


def publish_list(
    rights_list: RightsList,
    *,
    acting_user: AbstractBaseUser,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> RightsList:
    """Put a draft version in force from `valid_from`. The version published before it is
    superseded (valid until the day before), and the adoptions of a template follow it to the new
    version in one UPDATE."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.PUBLISH_LIST):
        rights_list = RightsList.objects.select_for_update().get(pk=rights_list.pk)
        _require(acting_user, "rights_lists.change_rightslist", rights_list.owner_id)
        if rights_list.status != ListStatus.DRAFT:
            raise ValidationError({"status": _("只有草稿版本可以发布。")})
        if not rights_list.items.exists():
            raise ValidationError({"status": _("没有事项的清单不能发布。")})
        if valid_until is not None and valid_until < valid_from:
            raise ValidationError({"valid_until": _("失效日期不能早于施行日期。")})
        earlier = list(
            RightsList.objects.select_for_update().filter(
                owner_id=rights_list.owner_id, kind=rights_list.kind, status=ListStatus.PUBLISHED
            )
        )
        for old in earlier:
            if old.valid_from > valid_from:
                raise ValidationError(
                    {"valid_from": _("施行日期不能早于现行版本的施行日期（%(day)s）。") % {"day": old.valid_from}}
                )
            old.status = ListStatus.SUPERSEDED
            day_before = valid_from - datetime.timedelta(days=1)
            if old.valid_until is None or old.valid_until > day_before:
                old.valid_until = max(day_before, old.valid_from)
            old.save(update_fields=["status", "valid_until"])
        rights_list.status = ListStatus.PUBLISHED
        rights_list.valid_from = valid_from
        rights_list.valid_until = valid_until
        rights_list.save(update_fields=["status", "valid_from", "valid_until"])
        if earlier:
            already = Adoption.objects.filter(template=rights_list).values("division_id")
            Adoption.objects.filter(template__in=earlier).exclude(division_id__in=already).update(template=rights_list)
        return rights_list


def adopt_template(
    template: RightsList,
    *,
    acting_user: AbstractBaseUser,
    town: Division,
    adopted_on: datetime.date | None = None,
) -> int:
    """Every active village of `town` adopts a district template, in one INSERT (villages that had
    adopted it already are left as they are). Returns how many villages adopted it now."""
    from villages.models import Division, Level

    adopted_on = adopted_on or datetime.date.today()
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.ADOPT_TEMPLATE):
        template = RightsList.objects.select_for_update().get(pk=template.pk)
        _require(acting_user, "rights_lists.add_adoption", town.code)
        if len(town.code) != TOWN_CODE_LENGTH:
            raise ValidationError({"town": _("请选择一个镇（街道）。")})
        if not template.is_template or not town.code.startswith(template.owner_id):
            raise ValidationError({"template": _("只能采用本区制定的清单模板。")})
        if template.status != ListStatus.PUBLISHED:
            raise ValidationError({"template": _("只能采用已发布的清单模板。")})
        with connection.cursor() as cursor:
            keep_audit_triggers_linear(cursor)
        villages = (
            Division.objects.filter(parent_id=town.code, level=Level.VILLAGE, retired_on__isnull=True)
            .exclude(adopted_lists__template=template)
            .values_list("code", flat=True)
        )
        rows = Adoption.objects.bulk_create(
            Adoption(template=template, division_id=code, adopted_on=adopted_on, adopted_by=acting_user)
            for code in villages
        )
        return len(rows)


def import_items(rights_list: RightsList, *, acting_user: AbstractBaseUser, file) -> list[ListItem]:
    """Add the items of an XLSX file (rights_lists.xlsx's template) to a draft list: every row or
    none, a bad row reported with its number and field."""
    from rights_lists import xlsx

    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.IMPORT_ITEMS):
        rights_list = RightsList.objects.select_for_update().get(pk=rights_list.pk)
        _require(acting_user, "rights_lists.add_listitem", rights_list.owner_id)
        if not rights_list.is_editable:
            raise ValidationError({"file": _("只能向草稿版本导入事项；请先建立新版本。")})
        taken = set(rights_list.items.values_list("number", flat=True))
        items = xlsx.read_items(file, taken_numbers=taken)
        for item in items:
            item.list = rights_list
        return ListItem.objects.bulk_create(items)


# --- decisions ---------------------------------------------------------------------------------


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
        _require(acting_user, "rights_lists.add_decision", division.code)
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


def _step_label(step: str) -> str:
    from rights_lists.choices import Step

    return str(Step(step).label) if step in Step.values else step


@dataclass(frozen=True)
class StepAssessment:
    """What the checks of one meeting found (assess_step), before anything is saved.

    `errors` are the field-level messages the service refuses the step with (empty: it may be
    recorded); `body` is the body that sits (None when the step or body is not one of the
    procedure's); `rule` the meeting rule in force for it; `expected` the figure used (the one
    given, else the records'); `adopted` and `outcome` what the vote decides, when the figures
    allow it to be said."""

    step: str
    body: str | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    rule: rules.MeetingRule | None = None
    expected: int | None = None
    from_records: int | None = None
    households: int | None = None
    meeting: rules.Meeting | None = None
    adopted: bool | None = None
    outcome: str = ""

    @property
    def expected_differs(self) -> bool:
        return self.from_records is not None and self.expected is not None and self.from_records != self.expected


def next_step(decision: Decision) -> tuple[str, tuple[str, ...]] | None:
    """The step of the decision's procedure to record next, with the bodies that may sit for it
    (None once every step is recorded). Reads the decision's steps (prefetched or not)."""
    recorded = {row.step for row in decision.steps.all()}
    for name, bodies in PROCEDURE_STEPS[decision.procedure]:
        if name not in recorded:
            return name, bodies
    return None


def assess_step(
    decision: Decision,
    *,
    step: str,
    held_on: datetime.date | None,
    present: int | None,
    votes_for: int | None,
    votes_against: int | None = 0,
    abstentions: int | None = 0,
    expected: int | None = None,
    body: str | None = None,
    households: int | None = None,
    households_present: int | None = None,
) -> StepAssessment:
    """The checks of record_step (R1-R8) on a meeting's figures, saving nothing: in order, none
    repeated or skipped, dated no earlier than the one before and not in the future, no more
    present than expected nor votes than present, and the quorum; then what the vote decides.

    The service refuses a step with these errors; the step form runs the same function on what
    has been typed so far (a figure not yet given is None, and the checks that need it wait), so
    the rule lives in one place. Checks that depend on an earlier one (the quorum on consistent
    figures, the figures on a step that may be recorded) are left out while it fails."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    # The step and its body: the procedure's, in its order, on an open decision.
    spec = next(
        ((index, bodies) for index, (name, bodies) in enumerate(PROCEDURE_STEPS[decision.procedure]) if name == step),
        None,
    )
    if spec is None:
        refuse(
            "step",
            _("“%(procedure)s”程序没有“%(step)s”这一步骤。")
            % {"procedure": decision.get_procedure_display(), "step": _step_label(step)},
        )
        return StepAssessment(step=step, body=None, errors=errors)
    index, bodies = spec
    body = body or bodies[0]
    if body not in bodies:
        refuse(
            "body",
            _("“%(step)s”应由%(bodies)s召开。")
            % {"step": _step_label(step), "bodies": "、".join(rules.body_name(b) for b in bodies)},
        )
        return StepAssessment(step=step, body=None, errors=errors)
    if decision.state != DecisionState.OPEN:
        refuse("step", _("决策当前为“%(state)s”，不能再登记会议。") % {"state": decision.get_state_display()})
        return StepAssessment(step=step, body=body, errors=errors)
    recorded = {row.step: row for row in decision.steps.all()}
    order = decision.steps_required
    missing = [name for name in order[:index] if name not in recorded]
    if step in recorded:
        refuse("step", _("“%(step)s”已经登记，不能重复登记。") % {"step": _step_label(step)})
    elif missing:
        refuse(
            "step",
            _("应先登记“%(before)s”，再登记“%(step)s”（四议两公开须依次进行）。")
            % {"before": _step_label(missing[0]), "step": _step_label(step)},
        )
    if errors:
        return StepAssessment(step=step, body=body, errors=errors)

    # The date: no earlier than the step before, not in the future.
    if held_on is not None:
        if index > 0:
            previous = recorded[order[index - 1]]
            if held_on < previous.held_on:
                refuse(
                    "held_on",
                    _("召开日期 %(day)s 早于上一步骤“%(step)s”的日期 %(previous)s。")
                    % {"day": held_on, "step": _step_label(previous.step), "previous": previous.held_on},
                )
        if held_on > datetime.date.today():
            refuse("held_on", _("日期不能晚于今天。"))

    # The figures: expected (the records' by default), present, votes, households.
    rule = rules.rule_for(body, decision.division_id)
    from_records = rules.expected_from_records(body, decision.division_id, held_on or datetime.date.today())
    if expected is None:
        if from_records is None:
            refuse("expected", _("请填写应到人数（系统中没有该会议成员的记录）。"))
        expected = from_records
    if expected is not None and expected <= 0:
        refuse("expected", _("应到人数应大于零。"))
    assessed = {"step": step, "body": body, "rule": rule, "expected": expected, "from_records": from_records}
    if "expected" in errors:
        return StepAssessment(errors=errors, **assessed)
    if present is not None and present > expected:
        refuse(
            "present",
            _("实到人数 %(present)s 多于应到人数 %(expected)s。") % {"present": present, "expected": expected},
        )
    cast = (votes_for or 0) + (votes_against or 0) + (abstentions or 0)
    if present is not None and cast > present:
        refuse(
            "votes_for",
            _("赞成、反对、弃权合计 %(cast)s 票，多于实到人数 %(present)s。") % {"cast": cast, "present": present},
        )
    if households_present is not None and households is None:
        households = rules.households_from_records(decision.division_id)
    if households is not None and households_present is not None and households_present > households:
        refuse(
            "households_present",
            _("到会户代表 %(present)s 户多于应到 %(households)s 户。")
            % {"present": households_present, "households": households},
        )
    assessed["households"] = households
    if present is None or {"present", "votes_for", "households_present"} & errors.keys():
        return StepAssessment(errors=errors, **assessed)

    # The quorum (R2): a meeting without it cannot sit; then the majority decides.
    meeting = rules.Meeting(
        expected=expected,
        present=present,
        votes_for=votes_for or 0,
        households=households,
        households_present=households_present,
    )
    assessed["meeting"] = meeting
    if not rules.sits(rule, meeting):
        refuse("present", rules.quorum_refusal(rule, meeting))
        return StepAssessment(errors=errors, **assessed)
    if votes_for is None:
        return StepAssessment(errors=errors, **assessed)
    return StepAssessment(
        errors=errors, adopted=rules.adopts(rule, meeting), outcome=rules.majority_outcome(rule, meeting), **assessed
    )


def may_record_step(user, decision: Decision, body: str) -> bool:
    perm = "rights_lists.review_decision" if body in TOWN_STEP_BODIES else "rights_lists.change_decision"
    return holds_in(user, perm, decision.division_id)


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


# What the pages ask before they offer a step: whether the service would let `user` take it now.
# The service has the last word, inside its transaction.


def may_record_next_step(user, decision: Decision) -> bool:
    """The decision is open, a step remains, and `user` may record it with one of its bodies."""
    if decision.state != DecisionState.OPEN:
        return False
    upcoming = next_step(decision)
    return upcoming is not None and any(may_record_step(user, decision, body) for body in upcoming[1])


# The state in which each publication is made (R1): the resolution once adopted, the outcome
# once implemented.
PUBLISHED_FROM = {PublicationKind.RESOLUTION: DecisionState.ADOPTED, PublicationKind.OUTCOME: DecisionState.IMPLEMENTED}


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


def publish_decision(
    decision: Decision, *, acting_user: AbstractBaseUser, kind: str, published_on: datetime.date
) -> Publication:
    """Publish the resolution of an adopted decision (before implementation), or the outcome of an
    implemented one (after it), which closes the decision (R1)."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.PUBLISH_DECISION):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _require(acting_user, "rights_lists.change_decision", decision.division_id)
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
        _not_in_the_future("published_on", published_on)
        publication = Publication.objects.create(
            decision=decision, kind=kind, published_on=published_on, recorded_by=acting_user
        )
        decision.state = next_state
        decision.save(update_fields=["state"])
        return publication


def record_implementation(
    decision: Decision, *, acting_user: AbstractBaseUser, done_on: datetime.date, summary: str
) -> Implementation:
    """Record that a decision whose resolution was published has been carried out (R1)."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.RECORD_IMPLEMENTATION):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _require(acting_user, "rights_lists.change_decision", decision.division_id)
        if decision.state != DecisionState.RESOLUTION_PUBLISHED:
            raise ValidationError(
                {
                    "done_on": _("决议公开后才能登记实施（当前为“%(state)s”）。")
                    % {"state": decision.get_state_display()}
                }
            )
        published = decision.publications.get(kind=PublicationKind.RESOLUTION).published_on
        if done_on < published:
            raise ValidationError({"done_on": _("实施完成日期不能早于决议公开日期（%(day)s）。") % {"day": published}})
        _not_in_the_future("done_on", done_on)
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
    withdrawn_on = withdrawn_on or datetime.date.today()
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.WITHDRAW_DECISION):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _require(acting_user, "rights_lists.change_decision", decision.division_id)
        if decision.state not in WITHDRAWABLE_STATES:
            raise ValidationError(
                {"reason": _("决策当前为“%(state)s”，不能撤回。") % {"state": decision.get_state_display()}}
            )
        if not reason.strip():
            raise ValidationError({"reason": _("请填写撤回理由。")})
        _not_in_the_future("withdrawn_on", withdrawn_on)
        decision.state = DecisionState.WITHDRAWN
        decision.withdrawal_reason = reason.strip()
        decision.withdrawn_on = withdrawn_on
        decision.withdrawn_by = acting_user
        decision.save(update_fields=["state", "withdrawal_reason", "withdrawn_on", "withdrawn_by"])
        return decision


# --- attachments -------------------------------------------------------------------------------


def may_add_attachment(user, decision: Decision) -> bool:
    """Minutes and other files are added by who may add them where the decision lies (the village
    clerk, the district), whatever its state: minutes often come after the meeting."""
    return holds_in(user, "rights_lists.add_decisionattachment", decision.division_id)


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
