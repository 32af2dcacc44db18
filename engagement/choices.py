"""Choices and the named rules of the engagement app (DESIGN.md sections 2 and 3; docs/domain.md):
direct contact (直联), visits (走访), deliberation (议事协商), party members' service (党员积分、服务岗),
service centres and operating funds, emergency plans and drills.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Direct contact: 五挂钩 (Nanhai party-building plan) ------------------------------------------


class LinkKind(models.TextChoices):
    """The five links of each village (五挂钩): 1 district leader, 1 district-organ party branch,
    1 town leader, 1 town-organ party branch, and deputies and members (两代表一委员)."""

    DISTRICT_LEADER = "district_leader", _("区领导")
    DISTRICT_BRANCH = "district_branch", _("区直机关党支部")
    TOWN_LEADER = "town_leader", _("镇（街道）领导")
    TOWN_BRANCH = "town_branch", _("镇（街道）机关党支部")
    DEPUTIES = "deputies", _("两代表一委员")


# The links of which a village has exactly one at a time; "deputies" may be several people.
SINGLE_LINKS: tuple[str, ...] = (
    LinkKind.DISTRICT_LEADER,
    LinkKind.DISTRICT_BRANCH,
    LinkKind.TOWN_LEADER,
    LinkKind.TOWN_BRANCH,
)
# The organisation's direct-contact day is Tuesday (Nanhai party-building plan: 组织直联日).
# datetime.date.weekday(): Monday is 0.
DIRECT_CONTACT_WEEKDAY = 1

# --- Visits: coverage quotas (Guangxi §16) --------------------------------------------------------


class VisitorLevel(models.TextChoices):
    """Who visits, for the quota that applies to them (Guangxi §16)."""

    COUNTY_SECRETARY = "county_secretary", _("县（区）委书记")
    TOWN_HEAD = "town_head", _("乡镇（街道）党政主要负责人")
    TOWN_LEADER = "town_leader", _("乡镇（街道）领导班子成员")
    TOWN_CADRE = "town_cadre", _("乡镇（街道）干部")


class QuotaTarget(models.TextChoices):
    """What a quota asks to be visited."""

    VILLAGES = "villages", _("行政村")
    NATURAL_VILLAGES = "natural_villages", _("自然村")
    GROUPS = "groups", _("村民小组")
    HOUSEHOLDS = "households", _("农户")


class QuotaWindow(models.TextChoices):
    YEAR = "year", _("每年")
    HALF_YEAR = "half_year", _("每半年")
    TERM = "term", _("任期内")


# Each visiting level's quotas (Guangxi §16): (what, over which villages, within which window).
# "every administrative village within the term" for the county party secretary (the county's
# villages); town heads every natural village each year (the town's); town leadership members every
# group of their villages each half-year and every household within the term; town cadres every
# household of their villages each year. In Nanhai a natural village or villagers' group is an
# economic cooperative (经济社, the former production team): both count cooperatives.
VISIT_QUOTAS: dict[str, tuple[tuple[str, str], ...]] = {
    VisitorLevel.COUNTY_SECRETARY: ((QuotaTarget.VILLAGES, QuotaWindow.TERM),),
    VisitorLevel.TOWN_HEAD: ((QuotaTarget.NATURAL_VILLAGES, QuotaWindow.YEAR),),
    VisitorLevel.TOWN_LEADER: ((QuotaTarget.GROUPS, QuotaWindow.HALF_YEAR), (QuotaTarget.HOUSEHOLDS, QuotaWindow.TERM)),
    VisitorLevel.TOWN_CADRE: ((QuotaTarget.HOUSEHOLDS, QuotaWindow.YEAR),),
}
# A term of a county or town leadership: five years (《中国共产党地方组织选举工作条例》 第三条).
LEADERSHIP_TERM_YEARS = 5

# --- Contacts kept by village cadres and party members (Guangxi §10) ------------------------------


class ContactKind(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("致富能手")
    HOUSEHOLD = "household", _("联系农户")


# Each village cadre keeps contact with at least 1 capable rural entrepreneur and 5 households;
# each party member with at least 3 households (Guangxi §10).
CADRE_MIN_ENTREPRENEURS = 1
CADRE_MIN_HOUSEHOLDS = 5
PARTY_MEMBER_MIN_HOUSEHOLDS = 3
# Each party member holds at least 1 service post (Guangxi §10: 设岗定责).
PARTY_MEMBER_MIN_POSTS = 1

# --- Deliberation (Jiangsu 一; Guangyuan 三) -------------------------------------------------------

# Deliberation bodies cover 100% of villages and communities (Jiangsu 一, by 2025).
DELIBERATION_COVERAGE_TARGET_PERCENT = 100


class TopicStatus(models.TextChoices):
    """A topic comes from the guiding catalogue, passes a pre-review (预审), then is deliberated."""

    PROPOSED = "proposed", _("已提出")
    APPROVED = "approved", _("预审通过")
    REJECTED = "rejected", _("预审未通过")
    DELIBERATED = "deliberated", _("已协商")


class Outcome(models.TextChoices):
    AGREED = "agreed", _("达成一致")
    NOT_AGREED = "not_agreed", _("未达成一致")
    NEEDS_DECISION = "needs_decision", _("需按“四议两公开”决策")


# --- Party members' points -------------------------------------------------------------------------


class PointActivity(models.TextChoices):
    """What a district's point rules reward (the district sets the points)."""

    ACTIVITY = "activity", _("参加组织生活和活动")
    CONTACT = "contact", _("联系群众")
    SERVICE_POST = "service_post", _("履行服务岗")
    VISIT = "visit", _("走访")
    VOLUNTEER = "volunteer", _("志愿服务")


# --- Service centres and funds (Jiangsu 六, 十一) ------------------------------------------------------

# At least 30 m² per 100 households, of which at least 70% service and activity space (Jiangsu 六).
CENTRE_M2_PER_100_HOUSEHOLDS = 30
CENTRE_MIN_SERVICE_SHARE_PERCENT = 70
# A village's annual operating fund is at least 380,000 yuan; the county makes up the shortfall
# (Jiangsu 十一). In fen, as every amount of the portal.
MIN_OPERATING_FUND_FEN = 380_000 * 100


class CentreLevel(models.TextChoices):
    """The 1+7+N levels of party-mass service centres (Nanhai): one district centre, the towns'
    centres, the villages' stations."""

    DISTRICT = "district", _("区级中心（1）")
    TOWN = "town", _("镇（街道）中心（7）")
    VILLAGE = "village", _("村（社区）站点（N）")


# --- Emergency (Jiangsu 九) ---------------------------------------------------------------------------

# A plan with no drill for a year is reminded (Jiangsu 九: 有预案、有队伍、有演练; "a year": our
# reading of the annual drill most plans prescribe).
DRILL_REMINDER_DAYS = 365

# --- contact ---
# Where a contact day is held (组织直联日): a town (street) or a village (community), Nanhai
# party-building plan (镇、村两级组织直联).
CONTACT_DAY_LEVELS: tuple[str, ...] = ("town", "village")
# A village's five links (五挂钩) in full: all of LinkKind filled (Nanhai party-building plan).
LINKS_PER_VILLAGE = len(LinkKind.values)

# --- party ---
# Every party member holds at least PARTY_MEMBER_MIN_POSTS posts (Guangxi §10): the share of a
# unit's party members who do is met at 100%.
SERVICE_POSTS_TARGET_PERCENT = 100
# The pioneer index (先锋指数, Nanhai party-building plan) as we read it: a member's points over
# their branch's average points in the period × 100 (100 = the branch's average), one decimal; a
# branch's index is its average points per party member (docs/parts/domain-party.md).
PIONEER_INDEX_BASE = 100
PIONEER_INDEX_PLACES = 1
