"""What the rights_lists pages share: the division a decision is opened in, the small form pages
of a decision's workflow (each one call of a rights_lists.services function), a service's
refusal on a form's fields, the meeting rules in words, and amounts in yuan.

Every rule is the services' and rules' (rights_lists.rules, choices.DEFAULT_MEETING_RULES); the
pages only say them: `describe_rule` reads a MeetingRule, it decides nothing.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in
from governance.money import fen_text
from governance.pages.actions import ServiceFormView
from rights_lists import rules
from rights_lists.choices import DECIDING_LEVELS, MajorityBase, MeetingRule
from rights_lists.models import Decision
from villages.models import Division

DECISION_RELATED = ("division__parent", "item__list", "opened_by", "withdrawn_by")


def decision_url(decision_id: int) -> str:
    return reverse("rights_lists:decision", args=[decision_id])


def yuan(fen: int | None) -> str:
    """12345678 fen → "123,456.78"; None → ""."""
    return "" if fen is None else fen_text(fen)


# --- the meeting rules in words ------------------------------------------------------------------


def _share(fraction, of: str) -> str:
    """ "超过应到人数的半数", "不少于到会人数的三分之二": a fraction of a count, in words."""
    return _("%(relation)s%(of)s的%(share)s") % {
        "relation": fraction.relation(),
        "of": of,
        "share": fraction.share_words(),
    }


def describe_rule(rule: MeetingRule, *, set_by_district: bool = False) -> dict:
    """A body's rule as the step form shows it: when it sits, when it adopts, and its source."""
    quorum = _("到会人数%(share)s") % {"share": _share(rule.quorum, _("应到人数"))}
    if rule.household_quorum is not None:
        quorum += _("，或到会户代表%(share)s") % {"share": _share(rule.household_quorum, _("应到户数"))}
    base = {
        MajorityBase.MEMBERS: _("全体成员（应到人数）"),
        MajorityBase.PRESENT: _("到会人数"),
        MajorityBase.ENTITLED: _("应到会人数（不是到会人数）"),
    }[rule.majority_base]
    majority = _("赞成票%(share)s") % {"share": _share(rule.majority, base)}
    return {
        "body": rule.body,
        "body_label": rules.body_name(rule.body),
        "quorum": quorum,
        "majority": majority,
        "source": rule.source,
        "set_by_district": set_by_district,
    }


def rules_for_bodies(division_code: str, bodies) -> list[dict]:
    """The rules in force in the division's district for these bodies (one query)."""
    in_force = rules.rules_in(division_code)
    return [describe_rule(in_force[body][0], set_by_district=in_force[body][1]) for body in bodies]


def minimums(rule: MeetingRule, *, expected: int | None, present: int | None) -> dict:
    """The smallest counts that meet the rule for these figures: to sit, and to adopt."""
    answer: dict[str, int | None] = {"present": None, "votes": None}
    if expected:
        answer["present"] = rule.quorum.minimum(expected)
    base = present if rule.majority_base == MajorityBase.PRESENT else expected
    if base:
        answer["votes"] = rule.majority.minimum(base)
    return answer


# --- where decisions are opened, and the pages of a decision's workflow --------------------------


def deciding_division(user, code: str) -> Division:
    """The village or cooperative `code`, where `user` is about to open a decision: 404 when it is
    no such division in their jurisdiction, 403 when they may not open decisions there."""
    division = get_object_or_404(
        Division.objects.restrict(user, "view").filter(level__in=DECIDING_LEVELS).select_related("parent"), code=code
    )
    if not holds_in(user, "rights_lists.add_decision", division.code):
        raise PermissionDenied
    return division


class DecisionStepView(ServiceFormView):
    """A form page about one decision (found among those the visitor may view: 404 otherwise);
    its `perform` calls one service, whose refusals come back as the form's field errors."""

    queryset = Decision.objects.select_related(*DECISION_RELATED)
    template_name = "rights_lists/decision_form.html"

    def success_url_for(self, result) -> str:
        return decision_url(self.object.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "decision": self.object}


def on_form_fields(error: ValidationError, form, aliases: dict[str, str] | None = None) -> ValidationError:
    """A service's refusal with the fields the form lacks (bidders, decision...) made form-wide;
    `aliases` names the form's field for a service's argument (winning_bid_fen → winning_bid)."""
    if not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list] = {}
    for name, messages in error.error_dict.items():
        name = (aliases or {}).get(name, name)
        errors.setdefault(name if name in form.fields else NON_FIELD_ERRORS, []).extend(messages)
    return ValidationError(errors)
