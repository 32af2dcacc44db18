"""The meeting rules applied: which rule holds for a body in a district, whether a meeting sits and
adopts (integer arithmetic only, docs/domain.md R2-R8), the sentences that explain the answer,
and the expected count the portal's own records give.

A district overrides a body's default rule (choices.DEFAULT_MEETING_RULES) with a QuorumRule row
of its own: the district admin sets it, and it holds for every village and cooperative below.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rights_lists.choices import (
    DEFAULT_MEETING_RULES,
    DISTRICT_CODE_LENGTH,
    VILLAGE_CODE_LENGTH,
    Body,
    Fraction,
    MajorityBase,
    MeetingRule,
)

# Those entitled to attend the villagers' assembly are the adult villagers (Organic Law art. 13, 22).
ADULT_AGE = 18


def rule_for(body: str, division_code: str) -> MeetingRule:
    """The rule a body follows in the district of `division_code`: the district's own, else the default."""
    from rights_lists.models import QuorumRule

    override = QuorumRule.objects.filter(division_id=division_code[:DISTRICT_CODE_LENGTH], body=body).first()
    default = DEFAULT_MEETING_RULES[body]
    if override is None:
        return default
    return MeetingRule(
        body=body,
        quorum=Fraction(override.quorum_numerator, override.quorum_denominator, override.quorum_strict),
        majority=Fraction(override.majority_numerator, override.majority_denominator, override.majority_strict),
        majority_base=override.majority_base,
        source=override.source,
        household_quorum=default.household_quorum,
    )


def rules_in(division_code: str) -> dict[str, tuple[MeetingRule, bool]]:
    """Every body's rule in the district of `division_code`, and whether the district set it
    (one query for the district's overrides)."""
    from rights_lists.models import QuorumRule

    district = division_code[:DISTRICT_CODE_LENGTH]
    overridden = set(QuorumRule.objects.filter(division_id=district).values_list("body", flat=True))
    return {
        body: (rule_for(body, district) if body in overridden else default, body in overridden)
        for body, default in DEFAULT_MEETING_RULES.items()
    }


def fraction_words(fraction: Fraction) -> str:
    """ "半数", "三分之二" (choices.Fraction.share_words)."""
    return fraction.share_words()


@dataclass(frozen=True)
class Meeting:
    """The figures of one meeting, as recorded."""

    expected: int
    present: int
    votes_for: int
    households: int | None = None
    households_present: int | None = None


def sits(rule: MeetingRule, meeting: Meeting) -> bool:
    """The quorum (R2): enough of those expected are present, or, where the rule allows it (the
    villagers' assembly), enough households are represented."""
    if rule.quorum.met_by(meeting.present, meeting.expected):
        return True
    return (
        rule.household_quorum is not None
        and meeting.households is not None
        and meeting.households_present is not None
        and rule.household_quorum.met_by(meeting.households_present, meeting.households)
    )


def majority_base(rule: MeetingRule, meeting: Meeting) -> int:
    """Members and those entitled to attend are those expected; otherwise those present."""
    return meeting.present if rule.majority_base == MajorityBase.PRESENT else meeting.expected


def adopts(rule: MeetingRule, meeting: Meeting) -> bool:
    return rule.majority.met_by(meeting.votes_for, majority_base(rule, meeting))


def body_name(body: str) -> str:
    return str(Body(body).label)


def quorum_refusal(rule: MeetingRule, meeting: Meeting) -> str:
    """Why the meeting cannot sit, naming the rule and the numbers: "村民代表会议不能召开（《村民
    委员会组织法》第二十六条）：到会人数 13 不足应到 20 人的三分之二（至少 14 人）。"."""
    figures = {
        "present": meeting.present,
        "expected": meeting.expected,
        "fraction": fraction_words(rule.quorum),
        "minimum": rule.quorum.minimum(meeting.expected),
        "shortfall": rule.quorum.shortfall(),
    }
    shortfall = (
        _("到会人数 %(present)s %(shortfall)s应到 %(expected)s 人的%(fraction)s（至少 %(minimum)s 人）") % figures
    )
    message = _("%(body)s不能召开（%(source)s）：%(shortfall)s") % {
        "body": body_name(rule.body),
        "source": rule.source,
        "shortfall": shortfall,
    }
    if rule.household_quorum is not None and meeting.households is not None:
        message += _(
            "；到会户代表 %(present)s 户也%(shortfall)s应到 %(expected)s 户的%(fraction)s（至少 %(minimum)s 户）"
        ) % {
            "shortfall": rule.household_quorum.shortfall(),
            "present": meeting.households_present or 0,
            "expected": meeting.households,
            "fraction": fraction_words(rule.household_quorum),
            "minimum": rule.household_quorum.minimum(meeting.households),
        }
    return message + "。"


def majority_outcome(rule: MeetingRule, meeting: Meeting) -> str:
    """What the vote decided and why, in the words of the rule's fraction: "《村民委员会组织法》第二十六条：
    赞成 10 票，未超过到会 20 人的半数（至少 11 票），未通过。"; "…赞成 14 票，不少于全体成员 20 人的三分之二
    （至少 14 票），通过。"."""
    base = majority_base(rule, meeting)
    base_words = {
        MajorityBase.MEMBERS: _("全体成员"),
        MajorityBase.PRESENT: _("到会"),
        MajorityBase.ENTITLED: _("应到会"),
    }[rule.majority_base]
    figures = {
        "source": rule.source,
        "votes": meeting.votes_for,
        "base_words": base_words,
        "base": base,
        "fraction": fraction_words(rule.majority),
        "minimum": rule.majority.minimum(base),
    }
    if adopts(rule, meeting):
        outcome = _(
            "%(source)s：赞成 %(votes)s 票，%(relation)s%(base_words)s %(base)s 人的%(fraction)s"
            "（至少 %(minimum)s 票），通过。"
        )
        return outcome % {**figures, "relation": rule.majority.relation()}
    outcome = _(
        "%(source)s：赞成 %(votes)s 票，%(relation)s%(base_words)s %(base)s 人的%(fraction)s"
        "（至少 %(minimum)s 票），未通过。"
    )
    return outcome % {**figures, "relation": rule.majority.shortfall()}


def expected_from_records(body: str, division_code: str, on: datetime.date, areas: dict | None = None) -> int | None:
    """How many the portal's records expect at the meeting, or None where it keeps no such record:
    the village's party members (the party members' assembly), the current villager
    representatives of the village, or member representatives of the cooperative (the
    representative assembly), the adult villagers registered in the village (the villagers' assembly).
    A village's records include those of the villages merged into it by the day (撤并: its area,
    Division.objects.area_codes), as a cooperative's those of the cooperatives merged into it.
    A count of none is no record: a village that has not entered its party members yet is not
    told that every figure it gives differs "from 0". `areas`, a dict the caller keeps, spares
    the query of an area already read when several bodies are asked of one division."""
    return _count_in_records(body, division_code, on, {} if areas is None else areas) or None


def _area(code: str, on: datetime.date, areas: dict) -> list[str]:
    from villages.models import Division

    if (code, on) not in areas:
        areas[code, on] = Division.objects.area_codes(code, on)
    return areas[code, on]


def _count_in_records(body: str, division_code: str, on: datetime.date, areas: dict) -> int | None:
    from villages.models import PartyMembership, Person, Position, PositionKind
    from villages.querysets import in_area

    if body not in (Body.PARTY_ASSEMBLY, Body.REPRESENTATIVE_ASSEMBLY, Body.VILLAGERS_ASSEMBLY):
        return None
    village = division_code[:VILLAGE_CODE_LENGTH]
    if body == Body.REPRESENTATIVE_ASSEMBLY:
        if len(division_code) > VILLAGE_CODE_LENGTH:
            kind, where = PositionKind.MEMBER_REPRESENTATIVE, division_code
        else:
            kind, where = PositionKind.VILLAGER_REPRESENTATIVE, village
        return Position.objects.current(on).filter(division_id__in=_area(where, on, areas), kind=kind).count()
    area = _area(village, on, areas)
    if body == Body.PARTY_ASSEMBLY:
        return PartyMembership.objects.filter(branch_id__in=area, joined_on__lte=on).count()
    born_by = _years_before(on, ADULT_AGE)
    return Person.objects.filter(in_area("division__code", area), birth_date__lte=born_by).count()


def households_from_records(division_code: str, on: datetime.date, areas: dict | None = None) -> int:
    """The households registered in the village, with those of the villages merged into it by
    `on` (its area, read once with `areas` as in expected_from_records)."""
    from villages.models import Household
    from villages.querysets import in_area

    area = _area(division_code[:VILLAGE_CODE_LENGTH], on, {} if areas is None else areas)
    return Household.objects.filter(in_area("division__code", area)).count()


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
