"""The checks of one meeting of a decision's procedure (R1-R8), before anything is saved.

Each check is a function of plain values named for its rule, returning the field-level messages
it refuses the meeting with (empty: the rule holds): the step and its body are the procedure's
(`step_errors`, `body_errors`), on an open decision (`state_errors`), in order, none repeated or
skipped (`order_errors`); the date is no earlier than the step before nor in the future
(`date_errors`); the figures are consistent (`expected_errors`, `figure_errors`: no more present
than expected, no more votes than present, no more households present than expected); the meeting
has its quorum (`quorum_errors`). `assess_step` reads what they need (the steps recorded, the rule
in force, the records' counts) and composes them in that order, leaving out the checks that depend
on one that failed; record_step refuses a step with its errors, and the step form runs it on what
has been typed so far (a figure not yet given is None, and the checks that need it wait), so every
rule lives here once.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from governance.clock import today
from governance.guards import NOT_IN_THE_FUTURE
from rights_lists import rules
from rights_lists.choices import PROCEDURE_STEPS, DecisionState, MeetingRule, Procedure, Step

if TYPE_CHECKING:
    from rights_lists.models import Decision

Errors = dict[str, list[str]]
# The fields whose errors leave the quorum unsaid: the figures it is computed from.
FIGURE_FIELDS = frozenset({"present", "votes_for", "households_present"})


def step_label(step: str) -> str:
    """A step's name in a message (the code itself for a step no procedure has)."""
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
    errors: Errors = field(default_factory=dict)
    rule: MeetingRule | None = None
    expected: int | None = None
    from_records: int | None = None
    households: int | None = None
    meeting: rules.Meeting | None = None
    adopted: bool | None = None
    outcome: str = ""

    @property
    def expected_differs(self) -> bool:
        return self.from_records is not None and self.expected is not None and self.from_records != self.expected


# --- the order of steps --------------------------------------------------------------------------


def procedure_steps(procedure: str) -> tuple[str, ...]:
    """The steps of a procedure, in their order (R1)."""
    return tuple(name for name, _bodies in PROCEDURE_STEPS[procedure])


def bodies_of(procedure: str, step: str) -> tuple[str, ...]:
    """The bodies that may sit for the step of the procedure, the default first (none: no such step)."""
    return next((bodies for name, bodies in PROCEDURE_STEPS[procedure] if name == step), ())


def step_errors(procedure: str, step: str) -> Errors:
    """The step is one of the procedure's."""
    if bodies_of(procedure, step):
        return {}
    message = _("“%(procedure)s”程序没有“%(step)s”这一步骤。") % {
        "procedure": Procedure(procedure).label,
        "step": step_label(step),
    }
    return {"step": [message]}


def body_errors(step: str, bodies: tuple[str, ...], body: str) -> Errors:
    """The body that sits is one that may sit for the step."""
    if body in bodies:
        return {}
    message = _("“%(step)s”应由%(bodies)s召开。") % {
        "step": step_label(step),
        "bodies": "、".join(rules.body_name(b) for b in bodies),
    }
    return {"body": [message]}


def state_errors(state: str) -> Errors:
    """Meetings are recorded on an open decision only."""
    if state == DecisionState.OPEN:
        return {}
    return {"step": [_("决策当前为“%(state)s”，不能再登记会议。") % {"state": DecisionState(state).label}]}


def order_errors(order: tuple[str, ...], step: str, recorded: Collection[str]) -> Errors:
    """In the procedure's order (四议两公开 依次进行): not recorded before, every earlier step recorded."""
    if step in recorded:
        return {"step": [_("“%(step)s”已经登记，不能重复登记。") % {"step": step_label(step)}]}
    missing = [name for name in order[: order.index(step)] if name not in recorded]
    if missing:
        message = _("应先登记“%(before)s”，再登记“%(step)s”（四议两公开须依次进行）。") % {
            "before": step_label(missing[0]),
            "step": step_label(step),
        }
        return {"step": [message]}
    return {}


# --- the date ------------------------------------------------------------------------------------


def date_errors(
    held_on: datetime.date | None,
    *,
    previous_step: str | None,
    previous_on: datetime.date | None,
    on: datetime.date,
) -> Errors:
    """No earlier than the step before (`previous_step`, held on `previous_on`), not after `on`
    (today). No date yet: nothing to check."""
    if held_on is None:
        return {}
    messages = []
    if previous_on is not None and held_on < previous_on:
        messages.append(
            _("召开日期 %(day)s 早于上一步骤“%(step)s”的日期 %(previous)s。")
            % {"day": held_on, "step": step_label(previous_step), "previous": previous_on}
        )
    if held_on > on:
        messages.append(str(NOT_IN_THE_FUTURE))
    return {"held_on": messages} if messages else {}


# --- the figures ---------------------------------------------------------------------------------


def expected_errors(expected: int | None) -> Errors:
    """The expected count (the one given, else the records'): known, and more than none."""
    if expected is None:
        return {"expected": [_("请填写应到人数（系统中没有该会议成员的记录）。")]}
    if expected <= 0:
        return {"expected": [_("应到人数应大于零。")]}
    return {}


def figure_errors(
    *,
    expected: int,
    present: int | None,
    votes_for: int | None,
    votes_against: int | None,
    abstentions: int | None,
    households: int | None,
    households_present: int | None,
) -> Errors:
    """The figures agree: no more present than expected, no more votes cast than present, no more
    households represented than expected. A figure not given yet is not checked."""
    errors: Errors = {}
    if present is not None and present > expected:
        errors["present"] = [
            _("实到人数 %(present)s 多于应到人数 %(expected)s。") % {"present": present, "expected": expected}
        ]
    cast = (votes_for or 0) + (votes_against or 0) + (abstentions or 0)
    if present is not None and cast > present:
        errors["votes_for"] = [
            _("赞成、反对、弃权合计 %(cast)s 票，多于实到人数 %(present)s。") % {"cast": cast, "present": present}
        ]
    if households is not None and households_present is not None and households_present > households:
        errors["households_present"] = [
            _("到会户代表 %(present)s 户多于应到 %(households)s 户。")
            % {"present": households_present, "households": households}
        ]
    return errors


# --- the votes -----------------------------------------------------------------------------------


def quorum_errors(rule: MeetingRule, meeting: rules.Meeting) -> Errors:
    """The quorum (R2): a meeting without it cannot sit, and is not recorded."""
    if rules.sits(rule, meeting):
        return {}
    return {"present": [rules.quorum_refusal(rule, meeting)]}


def merged(*found: Mapping[str, list[str]]) -> Errors:
    """The errors of several checks, field by field, in the order given."""
    errors: Errors = {}
    for checked in found:
        for name, messages in checked.items():
            errors.setdefault(name, []).extend(messages)
    return errors


# --- the assessment ------------------------------------------------------------------------------


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
    """The checks of record_step (R1-R8) on a meeting's figures, saving nothing, composed in their
    order: the step and its order, the date, the figures, the quorum; then what the vote decides.
    Checks that depend on an earlier one (the quorum on consistent figures, the figures on a step
    that may be recorded) are left out while it fails."""
    if errors := step_errors(decision.procedure, step):
        return StepAssessment(step=step, body=None, errors=errors)
    bodies = bodies_of(decision.procedure, step)
    body = body or bodies[0]
    if errors := body_errors(step, bodies, body):
        return StepAssessment(step=step, body=None, errors=errors)
    recorded = {row.step: row for row in decision.steps.all()}
    order = procedure_steps(decision.procedure)
    if errors := state_errors(decision.state) or order_errors(order, step, recorded):
        return StepAssessment(step=step, body=body, errors=errors)

    index = order.index(step)
    previous = recorded[order[index - 1]] if index > 0 else None
    errors = date_errors(
        held_on,
        previous_step=previous.step if previous else None,
        previous_on=previous.held_on if previous else None,
        on=today(),
    )

    rule = rules.rule_for(body, decision.division_id)
    areas: dict = {}
    from_records = rules.expected_from_records(body, decision.division_id, held_on or today(), areas)
    if expected is None:
        expected = from_records
    errors = merged(errors, expected_errors(expected))
    assessed = {"step": step, "body": body, "rule": rule, "expected": expected, "from_records": from_records}
    if "expected" in errors:
        return StepAssessment(errors=errors, **assessed)
    if households_present is not None and households is None:
        households = rules.households_from_records(decision.division_id, held_on or today(), areas)
    assessed["households"] = households
    errors = merged(
        errors,
        figure_errors(
            expected=expected,
            present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            households=households,
            households_present=households_present,
        ),
    )
    if present is None or FIGURE_FIELDS & errors.keys():
        return StepAssessment(errors=errors, **assessed)

    meeting = rules.Meeting(
        expected=expected,
        present=present,
        votes_for=votes_for or 0,
        households=households,
        households_present=households_present,
    )
    assessed["meeting"] = meeting
    if quorum := quorum_errors(rule, meeting):
        return StepAssessment(errors=merged(errors, quorum), **assessed)
    if votes_for is None:
        return StepAssessment(errors=errors, **assessed)
    return StepAssessment(
        errors=errors, adopted=rules.adopts(rule, meeting), outcome=rules.majority_outcome(rule, meeting), **assessed
    )
