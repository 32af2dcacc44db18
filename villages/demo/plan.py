"""What the Nanhai demo contains: the district and its figures, the demo sign-ins and their
assignments, and the rules and demo values the generated records follow. Plain data and the
decisions behind it; villages/demo/generation.py draws the records from it.

What the demo holds, and why:

- Cooperatives (经济社): the Nanhai 2022 opinions on rural reform count 2,047 economic
  cooperatives under 222 village-level units with a collective economy: all 66 villagers'
  committees (村委会) and 156 of the communities (社区) that were villages before they became
  residents' committees (村改居). The data do not say which communities those are, so the demo
  draws 156 of Nanhai's 224 communities of the 0-1 kind with the seed (the 17 units like
  residents' committees in development zones never have one). Each of the 222 gets at least one
  cooperative; villagers' committees tend to have more. A cooperative's code is its village's
  code plus 001, 002, ... and its name is 第一经济社, 第二经济社, ...
- Households and people: 2-3 households per cooperative (more if too few adults), 6-10 per
  village-level unit without a collective economy; clan villages, as in the Pearl River Delta,
  where most households share one or two surnames. Every person has a valid ID number with the
  address code 440605 and a plausible birth date. Everyone registered in a cooperative is a
  member of its collective economic organisation (股东), with shares.
- Cadres (两委, 社委), for two terms of five years (Organic Law art. 11): the 2021 election
  (ended when the 2026 one took office) and the 2026 one, so that the demo has a current holder
  whatever today is between 2021 and 2031, and a history for lifelong accountability;
  representatives and reserve cadres for the current term only. Per village: a party
  secretary and a committee director, or one person as both (一肩挑); villager representatives;
  reserve cadres (at least 2, MIN_RESERVE_CADRES_PER_VILLAGE, except the villages in
  RESERVE_CADRE_SHORTFALL). Per cooperative: a head (社长), 2-4 committee members (社委) and
  member representatives. Party secretaries are party members. The village clerk's village also
  has ordinary members of the two committees in the 2026 term (DEMO_COMMITTEE_MEMBERS), and in
  COMMITTEES_OUT_OF_TERM (狮山镇's 狮西) the 2026 election was not held: its 2021 committees go on,
  out of term (COMMITTEE_TERM_YEARS).
- Filings (备案): cooperative heads with the town, party secretaries with the district. All
  2021 filings are accepted; of the 2026 ones most are accepted, a few are still submitted
  (waiting for review) and a few were returned.
- Users: the demo sign-ins of DEMO_USERS, with their assignments, plus the superuser `admin`.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from villages.models import VILLAGE_KIND_BY_TENTH_DIGIT

# --- the district and its figures -------------------------------------------------------------

DISTRICT_CODE = "440605"  # 南海区, 佛山市, 广东省
PROVINCE_CODE = DISTRICT_CODE[:2]
CITY_CODE = DISTRICT_CODE[:4]
DEMO_DATA_DIR = Path(__file__).resolve().parents[1] / "demo_data"
# The NBS files of villages/demo_data/, top down (README.md there says how they were extracted).
DIVISION_FILE_NAMES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")

# Nanhai's division rows in the NBS 2023 data (villages/data/divisions/README.md).
TOWN_COUNT = 7
VILLAGE_COUNT = 307
VILLAGE_COMMITTEE_COUNT = 66  # 10th digit 2-3: 村委会
COMMUNITY_COUNT = 224  # 10th digit 0-1: 社区居委会

# Nanhai 2022 opinions on deepening rural reform: 2,047 economic cooperatives (经济社) under
# 222 village-level units with a collective economy, 66 villages and 156 former-village
# communities.
COOPERATIVE_COUNT = 2047
COLLECTIVE_COMMUNITY_COUNT = 156
COLLECTIVE_VILLAGE_COUNT = VILLAGE_COMMITTEE_COUNT + COLLECTIVE_COMMUNITY_COUNT  # 222
# Demo choice: a villagers' committee carries more cooperatives than a community on average.
VILLAGE_COMMITTEE_COOPERATIVE_WEIGHT = 1.6
MAX_COOPERATIVES_PER_VILLAGE = 30

DEFAULT_SEED = 2022  # the year of the Nanhai opinions

# --- the demo sign-ins ------------------------------------------------------------------------

TOWN_CODE = "440605124"  # 狮山镇
OTHER_TOWN_CODE = "440605121"  # 九江镇
# The village clerk's village: the first villagers' committee of 狮山镇 by code, 唐边村委会. Every
# villagers' committee has a collective economy, so this one has cooperatives whatever the seed.
DEMO_VILLAGE_CODE = "440605124201"
DEMO_COOPERATIVE_CODE = DEMO_VILLAGE_CODE + "001"  # its 第一经济社: the cooperative clerk's


@dataclass(frozen=True)
class DemoUser:
    """A demo sign-in: the role it holds over one division, and a Chinese display name."""

    username: str
    role: str
    division_code: str
    division_name: str
    last_name: str
    first_name: str
    title: str  # what the user is, Chinese / English, for the banner
    # A department of the district the user works for (governance.departments), holding no role
    # then (role ""): the reviewers of covenants by kind (covenants.choices.REVIEWING_DEPARTMENT).
    department: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "district_admin",
        "district_admin",
        DISTRICT_CODE,
        "南海区",
        "梁",
        "伟明",
        "区级管理员 / district administrator",
    ),
    DemoUser("town_official", "town_official", TOWN_CODE, "狮山镇", "陈", "嘉慧", "镇干部 / town official"),
    DemoUser(
        "other_town_official",
        "town_official",
        OTHER_TOWN_CODE,
        "九江镇",
        "何",
        "志强",
        "镇干部 / town official (another town)",
    ),
    DemoUser(
        "village_clerk",
        "village_clerk",
        DEMO_VILLAGE_CODE,
        "狮山镇唐边村委会",
        "黄",
        "秀玲",
        "村文书 / village clerk",
    ),
    DemoUser(
        "coop_clerk",
        "coop_clerk",
        DEMO_COOPERATIVE_CODE,
        "唐边村第一经济社",
        "李",
        "锦荣",
        "经济社文书 / cooperative clerk",
    ),
    DemoUser(
        "grid_worker",
        "grid_worker",
        DEMO_VILLAGE_CODE,
        "狮山镇唐边村委会",
        "麦",
        "嘉欣",
        "网格员 / grid worker (the village's first grid)",
    ),
    DemoUser("inspector", "inspector", DISTRICT_CODE, "南海区", "冯", "国栋", "纪检监察 / inspector"),
    DemoUser("report_reader", "report_reader", DISTRICT_CODE, "南海区", "潘", "晓琳", "报表查阅 / report reader"),
    DemoUser(
        "civil_affairs_reviewer",
        "",
        DISTRICT_CODE,
        "南海区民政局",
        "罗",
        "慧敏",
        "民政局公约审查 / civil affairs reviewer (general covenants)",
        department="civil_affairs",
    ),
    DemoUser(
        "natural_resources_reviewer",
        "",
        DISTRICT_CODE,
        "南海区自然资源局",
        "邓",
        "家豪",
        "自然资源局公约审查 / natural resources reviewer (homestead covenants)",
        department="natural_resources",
    ),
)
ADMIN_USERNAME = "admin"  # superuser for Django admin, same password
ADMIN_NAME = ("吴", "建华")  # (last_name, first_name)
DEFAULT_DEMO_PASSWORD = "nanhai-demo"


def demo_password() -> str:
    """The demo sign-ins' password: settings.DEMO_PASSWORD (env DEMO_PASSWORD), else the default."""
    return getattr(settings, "DEMO_PASSWORD", None) or DEFAULT_DEMO_PASSWORD


# --- the cadre rules the demo shows -----------------------------------------------------------

# Villages left short of reserve cadres (MIN_RESERVE_CADRES_PER_VILLAGE is 2), so that the rule
# has something to show in every role's view: code → reserve cadres they have. Fixed codes, not
# drawn with the seed, so they can be named here; none is the village clerk's village.
RESERVE_CADRE_SHORTFALL: dict[str, int] = {
    "440605124249": 0,  # 石泉村委会, 狮山镇
    "440605124228": 1,  # 石澎村委会, 狮山镇
    "440605121214": 1,  # 烟南村委会, 九江镇
    "440605126209": 1,  # 得胜村委会, 里水镇
    "440605125006": 0,  # 六村社区居委会, 大沥镇
    "440605011004": 1,  # 叠二社区居委会, 桂城街道
}

# A village of 狮山镇 whose two committees were elected in 2021 and not again in 2026: their term
# (COMMITTEE_TERM_YEARS) has run out without a new election, which the town is told (home page,
# village page, report terms-expired). Code → name; not the village clerk's village.
COMMITTEES_OUT_OF_TERM: dict[str, str] = {"440605124213": "狮西村委会"}

# The village clerk's village has ordinary members of the two committees in the 2026 term, besides
# its leaders: this many members of the party committee (党组织委员) and of the villagers' committee
# (村委会委员), each new (their integrity talks: supervision/demo/records.py).
DEMO_COMMITTEE_MEMBERS = {"party_committee_member": 2, "committee_member": 2}

# Village committees serve five years (Organic Law of Villagers' Committees art. 11, as amended
# in 2018). Guangdong elected all village committees in the first months of 2021 and 2026.
TERM_YEARS = 5
ELECTION_WINDOWS: tuple[tuple[datetime.date, datetime.date], ...] = (
    (datetime.date(2021, 1, 10), datetime.date(2021, 3, 31)),
    (datetime.date(2026, 1, 10), datetime.date(2026, 3, 31)),
)
# Share of villages with one person as party secretary and committee director (一肩挑), per
# election: demo figures, rising as the policy asks.
ONE_SHOULDER_SHARE = (0.45, 0.7)
# Chance that a holder is re-elected in 2026 (demo figure).
RE_ELECTION_CHANCE = 0.65
# Reserve cadres are young: picked among people aged 22-40 when appointed (2023-2025).
RESERVE_CADRE_AGES = (22, 40)
RESERVE_CADRE_WINDOW = (datetime.date(2023, 1, 1), datetime.date(2025, 6, 30))
CADRE_AGES = (23, 63)  # a secretary, director, cooperative head or committee member at election
ADULT_AGE = 18

# Filings of the 2026 term still waiting for the town or the district, and returned ones.
PENDING_FILING_SHARE = 0.04
RETURNED_FILING_SHARE = 0.01
RETURN_NOTE = "材料不全：请补充任前廉洁谈话记录后重新报备。"

# Party members of the demo joined by this day (demo value).
PARTY_JOINED_BY = datetime.date(2025, 7, 1)

# Shares of the collective economic organisation were fixed per member (股权固化) on this date
# (demo value); a member born later joined at birth.
SHARES_FIXED_ON = datetime.date(2016, 1, 1)

# The test factories (villages/testing/factories.py) number their people from 1970-01-01 with
# every sequence number; the demo keeps clear of those birth dates so tests may add factory
# people to a loaded demo without clashing ID numbers.
FACTORY_BIRTHS = (datetime.date(1970, 1, 1), datetime.date(1970, 3, 31))
LATEST_BIRTH = datetime.date(2023, 12, 31)


# --- the district's towns and villages --------------------------------------------------------


@dataclass(frozen=True)
class VillageRow:
    """A village-level unit as read from villages.csv."""

    code: str
    name: str
    town_code: str

    @property
    def kind(self) -> str:
        return VILLAGE_KIND_BY_TENTH_DIGIT[self.code[9]]

    @property
    def short_name(self) -> str:
        """唐边村委会 → 唐边村, 狮城社区居委会 → 狮城社区: the name used in addresses."""
        for suffix, replacement in (("村委会", "村"), ("社区居委会", "社区"), ("居委会", "社区")):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)] + replacement
        return self.name


def division_files(data_dir: Path = DEMO_DATA_DIR) -> list[Path]:
    """The demo's NBS files, top down."""
    return [data_dir / name for name in DIVISION_FILE_NAMES]


def read_villages(data_dir: Path = DEMO_DATA_DIR) -> tuple[dict[str, str], list[VillageRow]]:
    """(town code → name, village rows sorted by code) from the demo's streets.csv and villages.csv.

    Columns are read by header name: their order differs between the NBS files.
    """
    with open(data_dir / "streets.csv", encoding="utf-8", newline="") as handle:
        towns = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    with open(data_dir / "villages.csv", encoding="utf-8", newline="") as handle:
        villages = [VillageRow(row["code"], row["name"], row["streetCode"]) for row in csv.DictReader(handle)]
    return towns, sorted(villages, key=lambda v: v.code)
