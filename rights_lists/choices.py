"""Kinds, procedures, states and the meeting rules of matters-power lists and decisions, each with
its source (DESIGN.md sections 2 and 3; docs/domain.md rules R1-R8).

The meeting rules are data: one MeetingRule per body, with its quorum and its majority as integer
fractions, tested in integer arithmetic only (`present * 3 >= members * 2` is "at least 2/3",
`votes * 2 > base` is "more than half"; never floats). A district may override a body's rule with
a rights_lists.models.QuorumRule row (rights_lists.rules.rule_for reads it first).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.disclosure import AT_ONCE_DAYS
from villages.choices import CODE_LENGTH_BY_LEVEL, Level

# Who opens decisions (四议两公开), files asset transactions and their files: a village (社区) or an
# economic cooperative (经济社), which decides its matters on its village's lists too.
DECIDING_LEVELS = (Level.VILLAGE, Level.COOPERATIVE)
# Who sets the list templates and the meeting rules (QuorumRule): the district; who reviews (镇级
# 审核) and keeps the negative list of projects: the town; whose three lists admission judges: the
# village. Each names the leading digits of a code below it (NBS codes nest by prefix).
DISTRICT_CODE_LENGTH = CODE_LENGTH_BY_LEVEL[Level.DISTRICT]
TOWN_CODE_LENGTH = CODE_LENGTH_BY_LEVEL[Level.TOWN]
VILLAGE_CODE_LENGTH = CODE_LENGTH_BY_LEVEL[Level.VILLAGE]
DECIDING_CODE_LENGTHS = tuple(CODE_LENGTH_BY_LEVEL[level] for level in DECIDING_LEVELS)


class ListKind(models.TextChoices):
    """The lists that say who decides what in a village (DESIGN.md section 2)."""

    COOPERATIVE_MATTERS = "cooperative_matters", _("经济社重要事权清单")
    VILLAGE_MATTERS = "village_matters", _("村级重要事权清单")
    PETTY_POWER = "petty_power", _("小微权力清单")
    SOCIAL_MANAGEMENT = "social_management", _("社会管理职责清单")
    DUTIES_BY_LAW = "duties_by_law", _("依法履职事项清单")
    ASSISTED_DUTIES = "assisted_duties", _("协助办理事项清单")
    NEGATIVE = "negative", _("负面事项清单")
    TOWN_NEGATIVE_PROJECTS = "town_negative_projects", _("镇域项目负面清单")


# The kinds a district sets as templates for its villages; the town's negative list of projects
# (镇域项目负面清单), against which asset transactions are reviewed, is the town's own.
DISTRICT_TEMPLATE_KINDS = tuple(kind for kind in ListKind if kind != ListKind.TOWN_NEGATIVE_PROJECTS)


# The three lists of a village (三张清单), against which village matter admission is judged.
THREE_LISTS = (ListKind.DUTIES_BY_LAW, ListKind.ASSISTED_DUTIES, ListKind.NEGATIVE)


class ListStatus(models.TextChoices):
    """A list version: drafted, published (in force between valid_from and valid_until), or
    superseded by the next version. Whether a published list is in force on a day is computed
    from its dates at query time (ListQuerySet.in_force)."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本取代")


class Procedure(models.TextChoices):
    """How a matter on a list is decided (DESIGN.md section 7: exactly these values).

    - four_deliberations (四议两公开): proposal → consultation → review → resolution, then the
      resolution is published, implemented and the outcome published;
    - committee: one step, the consultation of the joint meeting of the two committees, then the
      same publications and implementation (a petty power decided by the two committees);
    - town_review: one step, the town's review (镇级审核), recorded by the town, then the same
      publications and implementation (our reading: the town decides, the village carries it out).
    """

    FOUR_DELIBERATIONS = "four_deliberations", _("四议两公开")
    COMMITTEE = "committee", _("两委会议决策")
    TOWN_REVIEW = "town_review", _("镇级审核")


class Step(models.TextChoices):
    PROPOSAL = "proposal", _("党组织提议")
    CONSULTATION = "consultation", _("两委会议商议")
    REVIEW = "review", _("审议（审核）")
    RESOLUTION = "resolution", _("村民（代表）会议决议")


class Body(models.TextChoices):
    """Who sits for a step. The API names only the resolution's body (`representative_assembly`
    or `villagers_assembly`); the others follow from the step and the procedure."""

    PARTY_COMMITTEE = "party_committee", _("村党组织委员会")
    TWO_COMMITTEES = "two_committees", _("两委联席会议")
    PARTY_ASSEMBLY = "party_assembly", _("党员大会")
    REPRESENTATIVE_ASSEMBLY = "representative_assembly", _("村民代表会议")
    VILLAGERS_ASSEMBLY = "villagers_assembly", _("村民会议")
    TOWN = "town", _("镇（街道）审核会议")


# The steps of each procedure, in order, with the bodies that may sit for each (the first is the
# default when none is given). R1: in this order, none skipped, each dated no earlier than the one
# before (四议两公开).
PROCEDURE_STEPS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    Procedure.FOUR_DELIBERATIONS: (
        (Step.PROPOSAL, (Body.PARTY_COMMITTEE,)),
        (Step.CONSULTATION, (Body.TWO_COMMITTEES,)),
        (Step.REVIEW, (Body.PARTY_ASSEMBLY,)),
        (Step.RESOLUTION, (Body.REPRESENTATIVE_ASSEMBLY, Body.VILLAGERS_ASSEMBLY)),
    ),
    Procedure.COMMITTEE: ((Step.CONSULTATION, (Body.TWO_COMMITTEES,)),),
    Procedure.TOWN_REVIEW: ((Step.REVIEW, (Body.TOWN,)),),
}

# The one step of the town's review is recorded by the town (permission review_decision), not by
# the village's clerk; every other step needs the right to change the decision.
TOWN_STEP_BODIES = frozenset({Body.TOWN})


class DecisionState(models.TextChoices):
    """A decision's state (DESIGN.md section 7: exactly these values)."""

    OPEN = "open", _("审议中")
    NOT_ADOPTED = "not_adopted", _("未通过")
    ADOPTED = "adopted", _("已通过")
    RESOLUTION_PUBLISHED = "resolution_published", _("决议已公开")
    IMPLEMENTED = "implemented", _("已实施")
    CLOSED = "closed", _("结果已公开（办结）")
    WITHDRAWN = "withdrawn", _("已撤回")


# A decision is withdrawn (with a reason, never deleted) before it is carried out: once
# implemented, only its outcome remains to be published.
WITHDRAWABLE_STATES = (DecisionState.OPEN, DecisionState.ADOPTED, DecisionState.RESOLUTION_PUBLISHED)
FINAL_STATES = (DecisionState.NOT_ADOPTED, DecisionState.CLOSED, DecisionState.WITHDRAWN)
# A decision that ended without being carried out: not adopted (its meeting lacked the majority,
# R2-R7) or withdrawn. It owes no further step, publication (两公开 follows an adoption, R1, R9) nor
# implementation; the reports count no publication of it as missing (publications_overdue_on).
ENDED_UNDONE_STATES = (DecisionState.NOT_ADOPTED, DecisionState.WITHDRAWN)
# A decision that was adopted, whatever followed (a withdrawn or not adopted one is no basis for an
# asset transaction, and is not counted as adopted in the reports).
ADOPTED_STATES = (
    DecisionState.ADOPTED,
    DecisionState.RESOLUTION_PUBLISHED,
    DecisionState.IMPLEMENTED,
    DecisionState.CLOSED,
)


class PublicationKind(models.TextChoices):
    """The two publications (两公开): the resolution before implementation, the outcome after."""

    RESOLUTION = "resolution", _("决议公开")
    OUTCOME = "outcome", _("实施结果公开")


class MajorityBase(models.TextChoices):
    """What a majority is counted against."""

    MEMBERS = "members", _("全体成员")  # the body's members (its expected count)
    PRESENT = "present", _("到会人员")
    ENTITLED = "entitled", _("应到会（有表决权）人员")  # the party assembly: those entitled to attend


@dataclass(frozen=True)
class Fraction:
    """An integer fraction with its strictness: strict is "more than", else "at least"."""

    numerator: int
    denominator: int
    strict: bool

    def met_by(self, count: int, base: int) -> bool:
        """count/base reaches the fraction, in integers: count*d > base*n, or count*d >= base*n."""
        if self.strict:
            return count * self.denominator > base * self.numerator
        return count * self.denominator >= base * self.numerator

    def minimum(self, base: int) -> int:
        """The smallest count that meets the fraction of `base`."""
        product = base * self.numerator
        if self.strict:
            return product // self.denominator + 1
        return -(-product // self.denominator)

    # Every sentence that states a rule words its fraction here, so that "more than half" never
    # reads "reaches half": the law's 过半数 is strict (超过), its 三分之二以上 is not (不少于).

    def share_words(self) -> str:
        """The fraction alone: "半数", "三分之二"; one without a word reads "n/d"."""
        word = FRACTION_WORDS.get((self.numerator, self.denominator))
        return str(word) if word is not None else f"{self.numerator}/{self.denominator}"

    def relation(self) -> str:
        """How a count meeting the fraction stands to it: "超过" (strict) or "不少于"."""
        return str(_("超过") if self.strict else _("不少于"))

    def shortfall(self) -> str:
        """How a count missing the fraction stands to it: "未超过" (strict) or "不足"."""
        return str(_("未超过") if self.strict else _("不足"))

    def words(self) -> str:
        """The requirement in words: "超过半数", "不少于半数", "不少于三分之二"."""
        return self.relation() + self.share_words()


@dataclass(frozen=True)
class MeetingRule:
    """When a body sits (its quorum, counted against those expected) and when it adopts (its
    majority of votes for, counted against `majority_base`). `household_quorum`, for the
    villagers' assembly, is the other way it may sit: representatives of that share of households."""

    body: str
    quorum: Fraction
    majority: Fraction
    majority_base: str
    source: str
    household_quorum: Fraction | None = None


# The sources the rules cite (a law by its title in book-title marks, then its article).
PARTY_BRANCH_REGULATIONS = "《中国共产党支部工作条例（试行）》"
ORGANIC_LAW = "《村民委员会组织法》"
# A rule no law or regulation fixes (the two committees' joint meeting, the town's review): the
# district's own practice, which the district admin sets (QuorumRule); until it does, the rule
# below holds there and is cited as the district's rule, never as the portal's.
LOCAL_PRACTICE = _("本区规定")

AT_LEAST_HALF = Fraction(1, 2, strict=False)
MORE_THAN_HALF = Fraction(1, 2, strict=True)
AT_LEAST_TWO_THIRDS = Fraction(2, 3, strict=False)

# The rules of DESIGN.md section 3 (docs/domain.md R3-R7), per body, overridable per district.
DEFAULT_MEETING_RULES: dict[str, MeetingRule] = {
    # R3: sits with at least half of its members, adopts by more than half of its members.
    Body.PARTY_COMMITTEE: MeetingRule(
        Body.PARTY_COMMITTEE,
        quorum=AT_LEAST_HALF,
        majority=MORE_THAN_HALF,
        majority_base=MajorityBase.MEMBERS,
        source=PARTY_BRANCH_REGULATIONS + "第十三条",
    ),
    # R4: sits with more than half of its members, adopts by more than half of its members (local
    # practice: no law fixes the joint meeting's rule).
    Body.TWO_COMMITTEES: MeetingRule(
        Body.TWO_COMMITTEES,
        quorum=MORE_THAN_HALF,
        majority=MORE_THAN_HALF,
        majority_base=MajorityBase.MEMBERS,
        source=LOCAL_PRACTICE,
    ),
    # R5: sits with at least half of those entitled to vote; adopted when the votes for exceed
    # half of those entitled to attend (not of those present).
    Body.PARTY_ASSEMBLY: MeetingRule(
        Body.PARTY_ASSEMBLY,
        quorum=AT_LEAST_HALF,
        majority=MORE_THAN_HALF,
        majority_base=MajorityBase.ENTITLED,
        source=PARTY_BRANCH_REGULATIONS + "第十二条",
    ),
    # R6: sits with at least 2/3 of its members; adopts by more than half of those present.
    Body.REPRESENTATIVE_ASSEMBLY: MeetingRule(
        Body.REPRESENTATIVE_ASSEMBLY,
        quorum=AT_LEAST_TWO_THIRDS,
        majority=MORE_THAN_HALF,
        majority_base=MajorityBase.PRESENT,
        source=ORGANIC_LAW + "第二十六条",
    ),
    # R7: sits with more than half of the adult villagers, or with representatives of at least
    # 2/3 of the households; adopts by more than half of those present.
    Body.VILLAGERS_ASSEMBLY: MeetingRule(
        Body.VILLAGERS_ASSEMBLY,
        quorum=MORE_THAN_HALF,
        majority=MORE_THAN_HALF,
        majority_base=MajorityBase.PRESENT,
        source=ORGANIC_LAW + "第二十二条",
        household_quorum=AT_LEAST_TWO_THIRDS,
    ),
    # The town's review meeting: the general rule of meetings under democratic centralism
    # (more than half sit, more than half of the members adopt); local practice, configurable.
    Body.TOWN: MeetingRule(
        Body.TOWN,
        quorum=MORE_THAN_HALF,
        majority=MORE_THAN_HALF,
        majority_base=MajorityBase.MEMBERS,
        source=LOCAL_PRACTICE,
    ),
}

# How a fraction reads in a message ("三分之二"); others read "n/d".
FRACTION_WORDS: dict[tuple[int, int], str] = {(1, 2): _("半数"), (2, 3): _("三分之二"), (3, 4): _("四分之三")}


class AdmissionOutcome(models.TextChoices):
    """The outcome of a request that a village take on a matter (村级事项准入): admitted when the
    matter is on the village's duties-by-law or assisted-duties list, refused when it is on the
    negative list or on none, excepted when a town official, not the filer, grants it anyway with
    a reason (DESIGN.md section 2)."""

    ADMITTED = "admitted", _("准入")
    REFUSED = "refused", _("不予准入")
    EXCEPTED = "excepted", _("例外准入")


# The lists whose matters are admitted, and the one whose matters never are (三张清单).
ADMITTING_LISTS = (ListKind.DUTIES_BY_LAW, ListKind.ASSISTED_DUTIES)
REFUSING_LIST = ListKind.NEGATIVE


class TransactionKind(models.TextChoices):
    """A collective asset transaction (集体资产交易)."""

    LEASE = "lease", _("租赁")
    SALE = "sale", _("出售")
    BIDDING = "bidding", _("竞投")


class TransactionState(models.TextChoices):
    """A transaction is filed by the village or cooperative, reviewed by the town (镇级审核: approved
    or rejected, never by its filer), then concluded with the winning bid and the contract."""

    FILED = "filed", _("待镇级审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核不通过")
    CONCLUDED = "concluded", _("已成交")
    WITHDRAWN = "withdrawn", _("已撤回")


# When a decision's publications fall due (两公开, the overdue-publications report). A decision on
# a listed matter is a major matter affecting villagers, published at once (Organic Law art. 30;
# DESIGN.md section 3, R9); the resolution before implementation, the outcome after it (四议两公开,
# R1). "At once" is one reading everywhere, disclosures and decision publications alike: within
# governance.disclosure.AT_ONCE_DAYS (5) days: of the day the decision was adopted (its last step)
# for the resolution, of the day implementation was completed for the outcome. A publication still
# missing after that day is overdue; a withdrawn decision owes none.
PUBLICATION_DUE_DAYS = AT_ONCE_DAYS


# R1 and R24, the days of the two publications and of the implementation between them (四议两公开:
# "the resolution is published before implementation, the outcome after"; an item's publicity
# period, 公示期). The portal counts in whole days, and an event may share its day with the one
# it must follow:
# - the resolution may be published on the day of the meeting that adopted it (no earlier);
# - implementation may be recorded from the day the publicity period has run (first_implementation_day);
# - the outcome may be published on the day the implementation was completed (no earlier).


def first_implementation_day(published_on: datetime.date, publicity_days: int) -> datetime.date:
    """The first day on which implementation may be recorded, for a resolution published on
    `published_on` of an item whose publicity period (公示期) is `publicity_days` days (R24:
    "implementation may not be recorded before the resolution's publication plus that period").

    Our reading: the period counts the day of publication as its first day, so the resolution is
    publicised on `publicity_days` whole days and implementation may start on the day after the
    last of them, published_on + publicity_days: published on 1 May with 7 days, it is publicised
    from 1 to 7 May and implementation may be recorded from 8 May (7 May is refused). With no
    period (0 days), implementation may be recorded on the day of publication itself, which is
    never earlier than its publication (R1)."""
    return published_on + datetime.timedelta(days=publicity_days)
