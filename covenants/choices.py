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
    """What the eligibility service answers for (docs/api.md, POST /api/v1/eligibility/)."""

    ASSET_BIDDING = "asset_bidding", _("参与集体资产竞投")
    ELECTION = "election", _("当选村（社）领导职务或代表")
    COMPLIANCE_AWARD = "compliance_award", _("领取公约遵守奖")


class SanctionKind(models.TextChoices):
    ASSET_BIDDING_BAR = "asset_bidding_bar", _("不得参与集体资产竞投")
    ELECTION_BAR = "election_bar", _("不得当选领导职务或代表")
    AWARD_WITHHELD = "award_withheld", _("不发放公约遵守奖")
    SERVICE_RESTRICTION = "service_restriction", _("限制享受村级服务")
    VEHICLE_ACCESS_RESTRICTION = "vehicle_access_restriction", _("限制车辆出入")
    COMPENSATION = "compensation", _("赔偿损失")


# Which eligibility question each sanction answers "no" to.
SANCTION_BARS: dict[str, str] = {
    SanctionKind.ASSET_BIDDING_BAR: EligibilityAction.ASSET_BIDDING,
    SanctionKind.ELECTION_BAR: EligibilityAction.ELECTION,
    SanctionKind.AWARD_WITHHELD: EligibilityAction.COMPLIANCE_AWARD,
}

# A repeat or serious violator may not bid for collective assets for 3 years, nor be elected to
# village party, committee or cooperative leadership, nor as a villager or member representative,
# for 5 years (Nanhai covenant opinions).
ASSET_BIDDING_BAR_YEARS = 3
ELECTION_BAR_YEARS = 5

# Repeat (屡教不改): a second confirmed violation of the same covenant occurring within 12 months
# of an earlier one; the window is configurable per covenant (our reading; docs/domain.md). Years
# and months are counted by governance.periods.same_day_later.
DEFAULT_REPEAT_WINDOW_MONTHS = 12


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
