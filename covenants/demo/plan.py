"""What the covenants demo holds: the dates and clauses of every village's covenant, the demo
village's violations, award fund and red list nominations, and who plays which part."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from covenants.choices import CovenantKind, Severity

# The dates of version 1 of every demo covenant: adopted by the assembly, filed with the town,
# published (in force ever since).
ADOPTED_ON = datetime.date(2022, 6, 18)
FILED_ON = datetime.date(2022, 7, 8)
PUBLISHED_ON = datetime.date(2022, 7, 15)

# Who plays which part in the demo village's records (villages.demo.plan.DEMO_USERS).
RECORDER = "village_clerk"
CONFIRMER = "town_official"  # also decides the appeal
REVIEWER = "district_admin"
BORN_BY = datetime.date(1996, 1, 1)  # the violators are grown-ups, 30 or older in 2026


@dataclass(frozen=True)
class DemoClause:
    category: str
    text: str
    about_households: bool = False
    bars_asset_bidding: bool = False
    bars_election: bool = False
    withholds_award: bool = True
    withholds_dividends: bool = False
    suspends_homestead_allocation: bool = False
    restricts_services: bool = False
    restricts_vehicle_access: bool = False
    compensation_fen: int | None = None
    reward: str = ""


DEMO_CLAUSES: tuple[DemoClause, ...] = (
    DemoClause(
        "集体经济",
        "爱护集体资产，不得侵占、哄抢、损毁集体的土地、物业和设施；集体资产的发包、出租和竞投一律进入"
        "农村集体资产交易平台公开进行，不得以暴力、威胁或串通等手段阻挠、操纵交易。",
        bars_asset_bidding=True,
        bars_election=True,
        withholds_dividends=True,
    ),
    DemoClause(
        "宅基地",
        "严格执行“一户一宅”，建房须经村民代表会议同意并依法报批，不得未批先建、少批多建，不得非法买卖、出租宅基地。",
        about_households=True,
        bars_asset_bidding=True,
        bars_election=True,
        suspends_homestead_allocation=True,
    ),
    DemoClause(
        "人居环境",
        "落实门前“三包”，生活垃圾分类定点投放，不得乱堆乱放、乱搭乱建、乱排污水，不得在河涌倾倒垃圾。",
        about_households=True,
        reward="年度评为“美丽庭院”的农户，由村委会通报表扬。",
    ),
    DemoClause(
        "停车",
        "机动车在划定的车位有序停放，不得占用消防通道、村道和公共场地停车；违者限制其车辆出入本村停车场，至整改为止。",
        withholds_award=False,
        restricts_vehicle_access=True,
    ),
    DemoClause(
        "两违",
        "不得违法用地、违法建设（“两违”）；已建成的违法建筑须在限期内自行拆除，造成集体损失的，照价赔偿。",
        about_households=True,
        bars_asset_bidding=True,
        bars_election=True,
        compensation_fen=500_000,
    ),
    DemoClause(
        "移风易俗",
        "倡导文明新风，红白喜事从简办理，不得大操大办、铺张浪费，不搞封建迷信活动，不参与赌博。",
        reward="遵守本条、带头移风易俗的家庭，优先推荐参加“文明家庭”评选。",
    ),
)
BARRING_CLAUSE_NUMBERS = tuple(
    number for number, clause in enumerate(DEMO_CLAUSES, 1) if clause.bars_asset_bidding or clause.bars_election
)


@dataclass(frozen=True)
class DemoViolation:
    """A violation of the demo village: who (the index of the violator among the chosen villagers),
    the clause number, what happened, when, and how far it went."""

    violator: int
    clause: int
    facts: str
    occurred_on: datetime.date
    severity: str = Severity.MINOR
    confirmed_on: datetime.date | None = None
    appeal_filed_on: datetime.date | None = None
    appeal_reason: str = ""
    appeal_upheld: bool | None = None
    appeal_decided_on: datetime.date | None = None
    referred_to: str = ""
    referred_on: datetime.date | None = None


# Each tier of DESIGN.md section 3 ("two tiers") in the village clerk's village.
DEMO_VIOLATIONS: tuple[DemoViolation, ...] = (
    # Recorded, waiting for the town to confirm it.
    DemoViolation(0, 4, "连续多日将小货车停放在村道消防通道上，经劝导仍未移走。", datetime.date(2026, 11, 18)),
    # Confirmed minor: the 2026 compliance award is withheld, nothing more.
    DemoViolation(
        1,
        3,
        "在门前空地堆放建筑废料，逾期未清理。",
        datetime.date(2026, 5, 12),
        confirmed_on=datetime.date(2026, 5, 20),
    ),
    # A repeat (屡教不改): a first minor violation of the covenant in March, then a serious one in
    # August, within 12 months. The second bars from its confirmation on 2026-09-10: from asset
    # bidding until 2029-09-09, from election and nomination until 2031-09-09.
    DemoViolation(
        2,
        1,
        "未经村委会同意，擅自在集体鱼塘塘基上搭建棚舍并出租牟利。",
        datetime.date(2026, 3, 5),
        confirmed_on=datetime.date(2026, 3, 16),
    ),
    DemoViolation(
        2,
        1,
        "在第三经济社鱼塘发包竞投中串通他人压价，并阻挠竞投现场秩序。",
        datetime.date(2026, 8, 28),
        severity=Severity.SERIOUS,
        confirmed_on=datetime.date(2026, 9, 10),
        referred_to="狮山镇农业农村办",
        referred_on=datetime.date(2026, 9, 12),
    ),
    # Serious, but the town upheld the appeal: nothing follows from it.
    DemoViolation(
        3,
        2,
        "被举报未经审批在宅基地上加建第四层。",
        datetime.date(2026, 6, 3),
        severity=Severity.SERIOUS,
        confirmed_on=datetime.date(2026, 6, 15),
        appeal_filed_on=datetime.date(2026, 6, 25),
        appeal_reason="加建部分为2019年经批准的原有建筑，已提供规划报建批复。",
        appeal_upheld=True,
        appeal_decided_on=datetime.date(2026, 7, 10),
    ),
    # A single serious violation (情节较为严重) of a clause that carries the bars: compensation and a
    # referral to the department until rectified, the award withheld, and no bar (a single
    # violation, however serious, never bars).
    DemoViolation(
        4,
        5,
        "未经审批在承包地上违法建设两层厂房，经责令仍未停工。",
        datetime.date(2026, 10, 9),
        severity=Severity.SERIOUS,
        confirmed_on=datetime.date(2026, 10, 20),
        referred_to="狮山镇综合行政执法办",
        referred_on=datetime.date(2026, 10, 22),
    ),
)
DEMO_VIOLATORS = 1 + max(spec.violator for spec in DEMO_VIOLATIONS)
BARRED_VIOLATION = 2  # the violator (index among the chosen villagers) a repeat bars
SERIOUS_SINGLE_VIOLATOR = 4  # the violator of a single serious violation: restrictions, no bar


# Versions waiting for review in the demo village, submitted by the village clerk: each waits in
# the queue of the department of its kind (covenants.choices.REVIEWING_DEPARTMENT), nobody chose
# a reviewer. (kind, title suffix, the DEMO_CLAUSES category its one clause is taken from.) The
# homestead covenant waits for natural_resources_reviewer; the parking covenant for the public
# security sub-bureau, which has nobody in the demo: its page says so. The general covenant's
# second version (its six clauses again) waits for civil_affairs_reviewer.
UNDER_REVIEW_SPECIAL_COVENANTS: tuple[tuple[str, str, str], ...] = (
    (CovenantKind.HOMESTEAD, "宅基地管理专项公约", "宅基地"),
    (CovenantKind.PARKING, "停车管理专项公约", "停车"),
)
UNDER_REVIEW_ADOPTED_DAYS_AGO = 20  # adopted by the assembly this long before the load


def special_covenant_title(village_name: str, suffix: str) -> str:
    """唐边村委会, 宅基地管理专项公约 → 唐边村宅基地管理专项公约."""
    if village_name.endswith("村委会"):
        return village_name.removesuffix("村委会") + "村" + suffix
    return village_name.removesuffix("居委会") + suffix


def covenant_title(village_name: str) -> str:
    """唐边村委会 → 唐边村村规民约; 桂一社区居委会 → 桂一社区居民公约."""
    if village_name.endswith("村委会"):
        return village_name.removesuffix("村委会") + "村村规民约"
    return village_name.removesuffix("居委会") + "居民公约"


# The demo village's compliance awards (公约遵守奖), by shares among the members of its
# cooperatives, each member's entitlement fixed over the whole membership: 2025 (a year) approved
# (frozen) by the town official after the clerk's preview, everyone paid in full; from 2026 the
# village pays half-yearly, with its dividends (年中、年终分红): 2026-H1 approved, in which the
# member of the confirmed May violation is withheld and their entitlement stays in the fund (the
# run's kept amount) while the one whose appeal was upheld is paid in full; 2026-H2 still a
# preview, withholding the member of the confirmed August violation and no longer the May one (a
# run withholds only for violations occurring within its own period).
DEMO_AWARD_FUND_FEN = 20_000_000  # 200,000.00 yuan of collective dividends a period


@dataclass(frozen=True)
class DemoAwardRun:
    period: str
    approved: bool
    computed_on: datetime.date | None  # None: the day the demo is loaded
    approved_at: datetime.datetime | None = None


DEMO_AWARD_RUNS: tuple[DemoAwardRun, ...] = (
    DemoAwardRun("2025", True, datetime.date(2026, 1, 15), datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC)),
    DemoAwardRun(
        "2026-H1", True, datetime.date(2026, 7, 6), datetime.datetime(2026, 7, 10, 10, 0, tzinfo=datetime.UTC)
    ),
    DemoAwardRun("2026-H2", False, None),
)


# The demo village's red list (红榜) of the year the demo is loaded in (the public page shows the
# current year): what each nominee did. The first DEMO_APPROVED_NOMINATIONS are approved by the
# town official, the last waits for approval (the town official's home page counts it).
DEMO_NOMINATION_REASONS: tuple[str, ...] = (
    "常年义务清扫村道、疏通河涌，带头落实门前“三包”。",
    "家中老人去世丧事从简，带头移风易俗，拒收礼金。",
    "主动拆除自家违建围墙，让出村道拓宽用地。",
    "组织邻里互助照料独居老人，连续三年不间断。",
)
DEMO_APPROVED_NOMINATIONS = 3
