"""Kinds, states and the numbered rules of village covenants (村规民约), each with its source.

docs/domain.md has the terms; the numbers come from the Nanhai covenant opinions and, where the
documents leave them open, from our reading, fixed here for all outputs.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class CovenantKind(models.TextChoices):
    GENERAL = "general", _("村规民约（居民公约）")
    COLLECTIVE_ECONOMY = "collective_economy", _("集体经济专项公约")
    HOMESTEAD = "homestead", _("宅基地专项公约")
    PARKING = "parking", _("停车管理专项公约")
    GARBAGE_SORTING = "garbage_sorting", _("垃圾分类专项公约")
    RENTAL_HOUSING = "rental_housing", _("出租屋管理专项公约")
    LAND_CONSOLIDATION = "land_consolidation", _("土地整备专项公约")
    DEMOLITION = "demolition", _("征地拆迁专项公约")
    ILLEGAL_CONSTRUCTION = "illegal_construction", _("“两违”整治专项公约")
    INDUSTRIAL_PARK = "industrial_park", _("村级工业园专项公约")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交审查")
    UNDER_REVIEW = "under_review", _("审查中")
    RETURNED = "returned", _("已退回修改")
    FILED = "filed", _("已备案")
    PUBLISHED = "published", _("已公布施行")
    SUPERSEDED = "superseded", _("已被新版本取代")


# Which status may follow which (the version's review and filing, 准入审查/备案). A returned
# version is edited and submitted again; a published one is superseded only by the next.
VERSION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    VersionStatus.DRAFT: (VersionStatus.SUBMITTED,),
    VersionStatus.SUBMITTED: (VersionStatus.UNDER_REVIEW, VersionStatus.RETURNED),
    VersionStatus.UNDER_REVIEW: (VersionStatus.FILED, VersionStatus.RETURNED),
    VersionStatus.RETURNED: (VersionStatus.SUBMITTED,),
    VersionStatus.FILED: (VersionStatus.PUBLISHED,),
    VersionStatus.PUBLISHED: (VersionStatus.SUPERSEDED,),
    VersionStatus.SUPERSEDED: (),
}
EDITABLE_VERSION_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)
# One version of a covenant is in progress at a time (drafted to filed): a second would let two
# texts compete for publication.
VERSIONS_IN_PROGRESS = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.UNDER_REVIEW,
    VersionStatus.RETURNED,
    VersionStatus.FILED,
)


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("严重")


class EligibilityAction(models.TextChoices):
    """What the eligibility service answers for (docs/api.md, POST /api/v1/eligibility/). Keeping
    the covenant is linked to dividends, homestead allocation, asset bidding and eligibility for
    public posts (Nanhai covenant opinions, task 05; DESIGN.md section 3)."""

    ASSET_BIDDING = "asset_bidding", _("参与集体资产竞投")
    ELECTION = "election", _("当选村（社）领导职务或代表")
    COMPLIANCE_AWARD = "compliance_award", _("领取公约遵守奖")
    # As a "two representatives one member" (两代表一委员: deputy to the people's congress, party
    # congress delegate, CPPCC member): DESIGN.md section 7's fourth action.
    NOMINATION = "nomination", _("被推荐为“两代表一委员”")
    DIVIDENDS = "dividends", _("领取集体股份分红")
    HOMESTEAD_ALLOCATION = "homestead_allocation", _("申请宅基地分配")


class SanctionKind(models.TextChoices):
    ASSET_BIDDING_BAR = "asset_bidding_bar", _("不得参与集体资产竞投")
    ELECTION_BAR = "election_bar", _("不得当选领导职务或代表")
    NOMINATION_BAR = "nomination_bar", _("不得被推荐为“两代表一委员”")
    AWARD_WITHHELD = "award_withheld", _("不发放公约遵守奖")
    DIVIDENDS_WITHHELD = "dividends_withheld", _("暂停发放集体股份分红")
    HOMESTEAD_SUSPENDED = "homestead_suspended", _("暂停宅基地分配")
    SERVICE_RESTRICTION = "service_restriction", _("限制享受村级服务")
    VEHICLE_ACCESS_RESTRICTION = "vehicle_access_restriction", _("限制车辆出入")
    COMPENSATION = "compensation", _("赔偿损失")
    # What a serious violation (情节较为严重) brings besides its clause's restrictions: referral to
    # the relevant department (Nanhai covenant opinions, seed 001: 对情节较为严重… 移送相关部门处理).
    # It bars nothing; it runs, like the restrictions, from confirmation until rectification, and
    # whether the village has referred it yet is the violation's `referred_to` / `referred_on`.
    REFERRAL = "referral", _("移送相关部门处理")


class Tier(models.TextChoices):
    """Why a sanction applies: the tier of the violation behind it (DESIGN.md section 3, "two
    tiers"; Nanhai covenant opinions, seed 001: 对情节较为严重… / 对屡教不改、影响范围大的…)."""

    VIOLATION = "violation", _("违约")
    SERIOUS = "serious", _("情节较为严重")
    REPEAT = "repeat", _("屡教不改")


# Which eligibility question each sanction answers "no" to.
SANCTION_BARS: dict[str, str] = {
    SanctionKind.ASSET_BIDDING_BAR: EligibilityAction.ASSET_BIDDING,
    SanctionKind.ELECTION_BAR: EligibilityAction.ELECTION,
    SanctionKind.NOMINATION_BAR: EligibilityAction.NOMINATION,
    SanctionKind.AWARD_WITHHELD: EligibilityAction.COMPLIANCE_AWARD,
    SanctionKind.DIVIDENDS_WITHHELD: EligibilityAction.DIVIDENDS,
    SanctionKind.HOMESTEAD_SUSPENDED: EligibilityAction.HOMESTEAD_ALLOCATION,
}

# Two tiers (Nanhai covenant opinions, seed 001). 对情节较为严重、影响较为恶劣的: the clause's
# restrictions (compensation, vehicle access, services at the service centre) and referral to the
# relevant department (REFERRAL); a single violation, however serious, bars nothing. 对屡教不改、
# 影响范围大的 (a repeat, below) of a clause whose consequences include the bars: no collective
# asset bidding for 3 years; not electable to village party, committee or cooperative leadership,
# nor as a villager or member representative, and not nominated as a "two representatives one
# member", for 5 years. The nomination bar follows the clauses that bar election (`bars_election`):
# the opinions name both public posts in one breath, with one term.
ASSET_BIDDING_BAR_YEARS = 3
ELECTION_BAR_YEARS = 5
NOMINATION_BAR_YEARS = 5
# The bars only a repeat brings, each with its years.
REPEAT_BAR_YEARS: dict[str, int] = {
    SanctionKind.ASSET_BIDDING_BAR: ASSET_BIDDING_BAR_YEARS,
    SanctionKind.ELECTION_BAR: ELECTION_BAR_YEARS,
    SanctionKind.NOMINATION_BAR: NOMINATION_BAR_YEARS,
}
# What a serious violation brings besides its clause's restrictions.
SERIOUS_CONSEQUENCES = (SanctionKind.REFERRAL,)

# Repeat (屡教不改): a second confirmed violation of the same covenant occurring within 12 months
# of an earlier one; the window is configurable per covenant (our reading; docs/domain.md). Years
# and months are counted by governance.periods.same_day_later.
DEFAULT_REPEAT_WINDOW_MONTHS = 12

# Dividends and homestead allocation (Nanhai covenant opinions, task 05: covenant compliance is
# linked to dividends and homestead allocation; the documents give no term, so this is our reading,
# docs/domain.md R14): a confirmed violation of a clause marked `withholds_dividends` withholds the
# collective share dividends (股份分红) of the award period (a calendar year, award_period_of) in
# which it occurred, as the compliance award is withheld; one of a clause marked
# `suspends_homestead_allocation` suspends homestead allocation (宅基地分配) from its confirmation
# until it is rectified (`rectified_on`), as the clause's restrictions run.


# Award runs are set by a village (村/社区) or a cooperative (经济社): the levels that hold
# collective dividends (Nanhai covenant opinions).
AWARD_LEVELS = ("village", "cooperative")


def award_period_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The compliance award period containing `day`: calendar years by default (Nanhai opinions)."""
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


class NominationStatus(models.TextChoices):
    """A red list (红榜) nomination: proposed by a clerk, approved or rejected by another user."""

    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class AwardRule(models.TextChoices):
    """How a compliance award fund is shared among the eligible members (Nanhai covenant opinions
    leave the rule to the village or cooperative)."""

    EQUAL = "equal", _("按人平均")
    BY_SHARES = "by_shares", _("按股份比例")


class AwardRunStatus(models.TextChoices):
    """A compliance award run: previewed (recomputable), approved by another user (frozen, never
    recomputed), or discarded."""

    PREVIEW = "preview", _("预览")
    APPROVED = "approved", _("已批准（冻结）")
    DISCARDED = "discarded", _("已作废")


# Every village and community (村、社区) was to have its general covenant (村规民约、居民公约) revised
# and in force by the end of 2022 (Nanhai covenant opinions, 2022; DESIGN.md section 2): the target
# of the covenant-coverage report, a share in percent of the villages of a division.
COVENANT_COVERAGE_TARGET_PERCENT = 100
COVENANT_COVERAGE_TARGET_BY = datetime.date(2022, 12, 31)


# Which department of the district reviews and files a covenant of each kind (准入审查/备案):
# the civil affairs bureau the general covenant (民政局指导一般公约), the department of its field a
# special one (区相关职能部门指导专项公约), Nanhai covenant opinions; DESIGN.md section 3. The codes
# are governance.departments.DepartmentCode's. Where the opinions name no department, our reading:
# parking → public_security (the traffic police, 交警, are a brigade of the public security
# sub-bureau and keep order on village roads); rental housing → public_security (出租屋 and the
# floating population are managed by the police's 流管 in Guangdong); industrial parks →
# industry_information (village industrial park renewal, 村级工业园改造, led in Nanhai by the
# 经济促进局, the district's industry department); land consolidation → agriculture_rural (with the
# collective economy, as the brief of issue 15 reads it); demolition → natural_resources (land
# requisition, 征地).
REVIEWING_DEPARTMENT: dict[str, str] = {
    CovenantKind.GENERAL: "civil_affairs",
    CovenantKind.COLLECTIVE_ECONOMY: "agriculture_rural",
    CovenantKind.HOMESTEAD: "natural_resources",
    CovenantKind.PARKING: "public_security",
    CovenantKind.GARBAGE_SORTING: "urban_management",
    CovenantKind.RENTAL_HOUSING: "public_security",
    CovenantKind.LAND_CONSOLIDATION: "agriculture_rural",
    CovenantKind.DEMOLITION: "natural_resources",
    CovenantKind.ILLEGAL_CONSTRUCTION: "urban_management",
    CovenantKind.INDUSTRIAL_PARK: "industry_information",
}
