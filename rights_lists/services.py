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
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in
from governance.audit import acting_as, keep_audit_triggers_linear
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
    DecisionStep,
    Implementation,
    ListItem,
    Publication,
    RightsList,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

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


def _spec_of(decision: Decision, step: str) -> tuple[int, tuple[str, ...]]:
    """The step's place in the decision's procedure and the bodies that may sit for it."""
    for index, (name, bodies) in enumerate(PROCEDURE_STEPS[decision.procedure]):
        if name == step:
            return index, bodies
    raise ValidationError(
        {
            "step": _("“%(procedure)s”程序没有“%(step)s”这一步骤。")
            % {"procedure": decision.get_procedure_display(), "step": _step_label(step)}
        }
    )


def _step_label(step: str) -> str:
    from rights_lists.choices import Step

    return str(Step(step).label) if step in Step.values else step


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
    present than expected, and only when the meeting has its quorum. The expected count defaults
    to the portal's records; a figure given that differs from them is kept and flagged. A meeting
    that lacks the majority ends the decision not adopted; the last step adopted, adopted."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.RECORD_STEP):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if not any(may_record_step(acting_user, decision, body) for body in (Body.TWO_COMMITTEES, Body.TOWN)):
            raise PermissionDenied(_("您无权登记该决策的会议。"))
        index, bodies = _spec_of(decision, step)
        body = body or bodies[0]
        if body not in bodies:
            raise ValidationError(
                {
                    "body": _("“%(step)s”应由%(bodies)s召开。")
                    % {"step": _step_label(step), "bodies": "、".join(rules.body_name(b) for b in bodies)}
                }
            )
        if not may_record_step(acting_user, decision, body):
            raise PermissionDenied(_("您无权登记该决策的这一步骤。"))
        if decision.state != DecisionState.OPEN:
            raise ValidationError(
                {"step": _("决策当前为“%(state)s”，不能再登记会议。") % {"state": decision.get_state_display()}}
            )
        recorded = {row.step: row for row in decision.steps.all()}
        if step in recorded:
            raise ValidationError({"step": _("“%(step)s”已经登记，不能重复登记。") % {"step": _step_label(step)}})
        order = decision.steps_required
        missing = [name for name in order[:index] if name not in recorded]
        if missing:
            raise ValidationError(
                {
                    "step": _("应先登记“%(before)s”，再登记“%(step)s”（四议两公开须依次进行）。")
                    % {"before": _step_label(missing[0]), "step": _step_label(step)}
                }
            )
        if index > 0:
            previous = recorded[order[index - 1]]
            if held_on < previous.held_on:
                raise ValidationError(
                    {
                        "held_on": _("召开日期 %(day)s 早于上一步骤“%(step)s”的日期 %(previous)s。")
                        % {"day": held_on, "step": _step_label(previous.step), "previous": previous.held_on}
                    }
                )
        _not_in_the_future("held_on", held_on)

        from_records = rules.expected_from_records(body, decision.division_id, held_on)
        if expected is None:
            if from_records is None:
                raise ValidationError({"expected": _("请填写应到人数（系统中没有该会议成员的记录）。")})
            expected = from_records
        if expected <= 0:
            raise ValidationError({"expected": _("应到人数应大于零。")})
        if present > expected:
            raise ValidationError(
                {
                    "present": _("实到人数 %(present)s 多于应到人数 %(expected)s。")
                    % {"present": present, "expected": expected}
                }
            )
        cast = votes_for + votes_against + abstentions
        if cast > present:
            raise ValidationError(
                {
                    "votes_for": _("赞成、反对、弃权合计 %(cast)s 票，多于实到人数 %(present)s。")
                    % {"cast": cast, "present": present}
                }
            )
        if households_present is not None and households is None:
            households = rules.households_from_records(decision.division_id)
        if households is not None and households_present is not None and households_present > households:
            raise ValidationError(
                {
                    "households_present": _("到会户代表 %(present)s 户多于应到 %(households)s 户。")
                    % {"present": households_present, "households": households}
                }
            )

        rule = rules.rule_for(body, decision.division_id)
        meeting = rules.Meeting(
            expected=expected,
            present=present,
            votes_for=votes_for,
            households=households,
            households_present=households_present,
        )
        if not rules.sits(rule, meeting):
            raise ValidationError({"present": rules.quorum_refusal(rule, meeting)})
        adopted = rules.adopts(rule, meeting)
        row = DecisionStep.objects.create(
            decision=decision,
            step=step,
            body=body,
            held_on=held_on,
            expected=expected,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            households=households,
            households_present=households_present,
            expected_from_records=from_records,
            expected_differs=from_records is not None and from_records != expected,
            adopted=adopted,
            rule_source=rules.majority_outcome(rule, meeting)[:200],
            recorded_by=acting_user,
        )
        if not adopted:
            decision.state = DecisionState.NOT_ADOPTED
        elif index == len(order) - 1:
            decision.state = DecisionState.ADOPTED
        decision.save(update_fields=["state"])
        return row


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
