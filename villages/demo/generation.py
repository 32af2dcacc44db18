"""Turning the demo's plan (villages/demo/plan.py) into records: names, ID numbers, households,
people, memberships, positions and filings, all drawn from one `random.Random(seed)`. Touches
no database; villages/demo/loading.py writes what `build_plan(seed)` returns.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from villages.demo.plan import (
    ADMIN_USERNAME,
    ADULT_AGE,
    CADRE_AGES,
    COLLECTIVE_COMMUNITY_COUNT,
    COMMITTEES_OUT_OF_TERM,
    COMMUNITY_COUNT,
    COOPERATIVE_COUNT,
    DEFAULT_SEED,
    DEMO_COMMITTEE_MEMBERS,
    DEMO_DATA_DIR,
    DEMO_VILLAGE_CODE,
    DISTRICT_CODE,
    ELECTION_WINDOWS,
    FACTORY_BIRTHS,
    LATEST_BIRTH,
    MAX_COOPERATIVES_PER_VILLAGE,
    ONE_SHOULDER_SHARE,
    OTHER_TOWN_CODE,
    PARTY_JOINED_BY,
    PENDING_FILING_SHARE,
    RE_ELECTION_CHANCE,
    RESERVE_CADRE_AGES,
    RESERVE_CADRE_SHORTFALL,
    RESERVE_CADRE_WINDOW,
    RETURN_NOTE,
    RETURNED_FILING_SHARE,
    SHARES_FIXED_ON,
    TERM_YEARS,
    TOWN_CODE,
    TOWN_COUNT,
    VILLAGE_COMMITTEE_COOPERATIVE_WEIGHT,
    VILLAGE_COMMITTEE_COUNT,
    VILLAGE_COUNT,
    VillageRow,
    read_villages,
)
from villages.identity import make_id_number
from villages.models import (
    CADRE_POSITIONS,
    CODE_LENGTH_BY_LEVEL,
    FILED_WITH_LEVEL,
    MIN_RESERVE_CADRES_PER_VILLAGE,
    TWO_COMMITTEE_POSITIONS,
    FilingStatus,
    PositionKind,
)

# --- names ------------------------------------------------------------------------------------

# Common surnames of Nanhai (Cantonese Pearl River Delta; 区, 招, 麦, 邝, 霍 are typical there),
# most common first: villages pick their clan surnames from the first twenty.
SURNAMES = (
    "陈",
    "梁",
    "黄",
    "李",
    "何",
    "张",
    "关",
    "冯",
    "潘",
    "罗",
    "麦",
    "邓",
    "区",
    "吴",
    "林",
    "叶",
    "谢",
    "周",
    "郭",
    "杨",
    "刘",
    "邝",
    "霍",
    "招",
    "庞",
    "钟",
    "简",
    "杜",
    "卢",
    "蔡",
    "邵",
    "胡",
    "袁",
    "温",
    "苏",
    "曾",
    "江",
    "徐",
    "朱",
    "谭",
    "崔",
    "岑",
    "劳",
    "陆",
)
MALE_GIVEN = (
    "志",
    "国",
    "伟",
    "明",
    "华",
    "建",
    "文",
    "永",
    "俊",
    "杰",
    "荣",
    "强",
    "家",
    "锦",
    "海",
    "辉",
    "健",
    "德",
    "祖",
    "耀",
    "振",
    "兆",
    "焕",
    "柏",
    "嘉",
    "浩",
    "宇",
    "军",
    "彬",
    "润",
    "达",
    "业",
    "森",
    "权",
    "成",
    "添",
    "标",
    "超",
)
FEMALE_GIVEN = (
    "秀",
    "丽",
    "玉",
    "美",
    "红",
    "燕",
    "芳",
    "霞",
    "婷",
    "敏",
    "雪",
    "惠",
    "玲",
    "娟",
    "桂",
    "凤",
    "英",
    "兰",
    "少",
    "彩",
    "嘉",
    "欣",
    "颖",
    "慧",
    "淑",
    "艳",
    "洁",
    "琼",
    "珊",
    "咏",
    "诗",
    "雅",
    "月",
    "金",
    "好",
    "妹",
    "倩",
    "萍",
)
# Mobile number prefixes of the three carriers.
PHONE_PREFIXES = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "180",
    "181",
    "189",
    "177",
    "199",
)

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")


def chinese_numeral(number: int) -> str:
    """Write a positive integer in Chinese numerals: 1 一, 10 十, 12 十二, 20 二十, 105 一百零五,
    1010 一千零一十, 20001 二万零一. Up to 99,999,999."""
    if not 0 < number < 100_000_000:
        raise ValueError(f"{number} is outside 1..99,999,999")
    high, low = divmod(number, 10_000)
    if high == 0:
        text = _below_ten_thousand(low)
    else:
        text = _below_ten_thousand(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _below_ten_thousand(low)
    # 一十二 is read 十二 at the start of a number (十二, 十万), not after a higher unit (一百一十).
    return text[1:] if text.startswith("一十") else text


def _below_ten_thousand(number: int) -> str:
    parts: list[str] = []
    zero_pending = False
    for power in (3, 2, 1, 0):
        digit = number // 10**power % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(_DIGITS[digit] + _SMALL_UNITS[power])
    return "".join(parts)


def cooperative_name(number: int) -> str:
    """第一经济社, 第二经济社, ... for the cooperative numbered `number` in its village."""
    return f"第{chinese_numeral(number)}经济社"


# --- the records ------------------------------------------------------------------------------


@dataclass
class PlannedHousehold:
    division_code: str
    number: str
    address: str
    head: int | None = None  # index into DemoPlan.people


@dataclass
class PlannedPerson:
    division_code: str
    household: int | None  # index into DemoPlan.households
    name: str
    id_number: str
    phone: str
    birth_date: datetime.date  # as in the ID number; kept to spare parsing it again

    def age_on(self, day: datetime.date) -> int:
        birth = self.birth_date
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class PlannedMembership:
    person: int
    cooperative_code: str
    shares: Decimal
    joined_on: datetime.date


@dataclass
class PlannedPartyMembership:
    person: int
    branch_code: str
    joined_on: datetime.date


@dataclass
class PlannedPosition:
    person: int
    division_code: str
    kind: str
    started_on: datetime.date
    term_ends_on: datetime.date | None
    ended_on: datetime.date | None = None


@dataclass
class PlannedFiling:
    position: int  # index into DemoPlan.positions
    filed_with_code: str
    status: str
    submitted_by: str  # username
    submitted_on: datetime.date
    decided_by: str | None = None
    decided_on: datetime.date | None = None
    note: str = ""


@dataclass
class DemoPlan:
    """Everything the demo writes below the imported divisions, as plain data."""

    seed: int
    collective_village_codes: list[str] = field(default_factory=list)
    cooperatives: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    households: list[PlannedHousehold] = field(default_factory=list)
    people: list[PlannedPerson] = field(default_factory=list)
    memberships: list[PlannedMembership] = field(default_factory=list)
    party_memberships: list[PlannedPartyMembership] = field(default_factory=list)
    positions: list[PlannedPosition] = field(default_factory=list)
    filings: list[PlannedFiling] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of the cooperatives, people and positions (see `demo_digest`)."""
        people = self.people
        return demo_digest(
            collective=self.collective_village_codes,
            cooperatives=self.cooperatives,
            people=[(p.id_number, p.name, p.division_code, p.phone) for p in people],
            positions=[
                (people[q.person].id_number, q.division_code, q.kind, q.started_on, q.ended_on) for q in self.positions
            ],
        )


def demo_digest(*, collective, cooperatives, people, positions) -> str:
    """SHA-256 over sorted canonical lines, so that a plan and a loaded database compare."""
    sha = hashlib.sha256()
    for section, rows in (
        ("collective", [(c,) for c in collective]),
        ("cooperatives", cooperatives),
        ("people", people),
        ("positions", positions),
    ):
        lines = sorted("\t".join("" if value is None else str(value) for value in row) for row in rows)
        sha.update(f"[{section}]\n".encode())
        for line in lines:
            sha.update(line.encode() + b"\n")
    return sha.hexdigest()


def choose_collective_villages(villages: list[VillageRow], rng: random.Random) -> list[str]:
    """The 222 units with a collective economy: every villagers' committee, 156 communities drawn."""
    committees = [v.code for v in villages if v.kind == "village"]
    communities = [v.code for v in villages if v.kind == "community"]
    if len(committees) != VILLAGE_COMMITTEE_COUNT or len(communities) != COMMUNITY_COUNT:
        raise ValueError(
            f"南海区数据与预期不符 / unexpected Nanhai data: {len(committees)} 村委会 (expected "
            f"{VILLAGE_COMMITTEE_COUNT}), {len(communities)} 社区 (expected {COMMUNITY_COUNT})"
        )
    return sorted(committees + rng.sample(communities, COLLECTIVE_COMMUNITY_COUNT))


def spread_cooperatives(village_codes: list[str], rng: random.Random) -> dict[str, int]:
    """How many cooperatives each collective village has: 2,047 in all, at least 1 each, varied.

    Each village draws a weight; the cooperatives above the first one are shared out in
    proportion, whole parts first and the rest by largest remainder (ties by code).
    """
    weights = {
        code: rng.uniform(0.2, 1.8) * (VILLAGE_COMMITTEE_COOPERATIVE_WEIGHT if code[9] in "23" else 1.0)
        for code in village_codes
    }
    spare = COOPERATIVE_COUNT - len(village_codes)
    total_weight = sum(weights.values())
    quotas = {code: spare * weight / total_weight for code, weight in weights.items()}
    counts = {code: 1 + int(quota) for code, quota in quotas.items()}
    left = COOPERATIVE_COUNT - sum(counts.values())
    by_remainder = sorted(village_codes, key=lambda code: (-(quotas[code] - int(quotas[code])), code))
    for code in by_remainder[:left]:
        counts[code] += 1
    if max(counts.values()) > MAX_COOPERATIVES_PER_VILLAGE:
        raise ValueError("too many cooperatives in one village; lower the weights")
    return counts


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


class _Generator:
    """Draws the plan; one instance per build, holding the random generator and the used IDs."""

    def __init__(self, seed: int, towns: dict[str, str], villages: list[VillageRow]) -> None:
        self.rng = random.Random(seed)
        self.plan = DemoPlan(seed=seed)
        self.towns = towns
        self.villages = villages
        self.used_ids: set[tuple[datetime.date, int]] = set()

    # people

    def id_number(self, birth: datetime.date, male: bool) -> str:
        """A valid ID number: address code 440605, the birth date, an unused sequence of the gender."""
        while True:
            sequence = 2 * self.rng.randrange(0, 500) + 1 if male else 2 * self.rng.randrange(1, 500)
            if (birth, sequence) not in self.used_ids:
                self.used_ids.add((birth, sequence))
                return make_id_number(DISTRICT_CODE, birth, sequence)

    def birth(self, start: datetime.date, end: datetime.date) -> datetime.date:
        """A birth date in [start, end], cut at LATEST_BIRTH, outside the factories' dates."""
        end = min(end, LATEST_BIRTH)
        while True:
            day = _date_between(self.rng, start, end)
            if not FACTORY_BIRTHS[0] <= day <= FACTORY_BIRTHS[1]:
                return day

    def given_name(self, male: bool) -> str:
        pool = MALE_GIVEN if male else FEMALE_GIVEN
        return "".join(self.rng.sample(pool, 1 if self.rng.random() < 0.2 else 2))

    def phone(self, birth: datetime.date) -> str:
        # Children and some of the eldest have no phone of their own.
        if birth.year > 2008 or (birth.year < 1950 and self.rng.random() < 0.5) or self.rng.random() < 0.05:
            return ""
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def person(self, division_code: str, household: int, surname: str, male: bool, birth: datetime.date) -> int:
        self.plan.people.append(
            PlannedPerson(
                division_code=division_code,
                household=household,
                name=surname + self.given_name(male),
                id_number=self.id_number(birth, male),
                phone=self.phone(birth),
                birth_date=birth,
            )
        )
        return len(self.plan.people) - 1

    def household(self, division_code: str, number: int, address_prefix: str, clan: tuple[str, ...]) -> list[int]:
        """One household: a head, usually a spouse, 0-3 children, sometimes an elder parent."""
        rng = self.rng
        index = len(self.plan.households)
        self.plan.households.append(
            PlannedHousehold(division_code, f"{number:04d}", f"{address_prefix}{rng.randrange(1, 300)}号")
        )
        surname = rng.choice(clan) if rng.random() < 0.75 else rng.choice(SURNAMES)
        head_male = rng.random() < 0.85
        head_birth = self.birth(datetime.date(1945, 1, 1), datetime.date(1994, 12, 31))
        members = [self.person(division_code, index, surname, head_male, head_birth)]
        mother_birth = head_birth if not head_male else None
        if rng.random() < 0.85:
            spouse_birth = self.birth(_add_years(head_birth, -3), _add_years(head_birth, 6 if head_male else 2))
            # Brides and grooms come from another clan: not the household's surname.
            spouse_surname = rng.choice([name for name in SURNAMES if name != surname])
            members.append(self.person(division_code, index, spouse_surname, not head_male, spouse_birth))
            mother_birth = spouse_birth if head_male else head_birth
        if mother_birth is not None:
            first_child = _add_years(mother_birth, 22)
            for _child in range(rng.choices((0, 1, 2, 3), weights=(15, 35, 35, 15))[0]):
                if first_child > LATEST_BIRTH:
                    break
                child_birth = self.birth(first_child, _add_years(mother_birth, 38))
                members.append(self.person(division_code, index, surname, rng.random() < 0.52, child_birth))
        if head_birth.year >= 1964 and rng.random() < 0.2:
            elder_birth = self.birth(_add_years(head_birth, -34), _add_years(head_birth, -22))
            elder_male = rng.random() < 0.4  # more widowed mothers than fathers live with a child
            elder_surname = surname if elder_male else rng.choice([name for name in SURNAMES if name != surname])
            members.append(self.person(division_code, index, elder_surname, elder_male, elder_birth))
        self.plan.households[index].head = members[0]
        return members

    def register(
        self, division_code: str, address_prefix: str, clan: tuple[str, ...], households: int, min_adults: int
    ) -> list[int]:
        """Households of one division: `households` of them, more until `min_adults` adults live there."""
        people: list[int] = []
        number = 0
        while number < households or self.adult_count(people) < min_adults:
            number += 1
            people += self.household(division_code, number, address_prefix, clan)
        return people

    def adult_count(self, people: list[int]) -> int:
        day = ELECTION_WINDOWS[0][0]
        return sum(1 for p in people if self.plan.people[p].age_on(day) >= ADULT_AGE)

    # positions

    def eligible(self, people: list[int], day: datetime.date, ages: tuple[int, int], taken: set[int]) -> list[int]:
        return [p for p in people if p not in taken and ages[0] <= self.plan.people[p].age_on(day) <= ages[1]]

    def elect(
        self,
        people: list[int],
        count: int,
        day: datetime.date,
        ages: tuple[int, int],
        taken: set[int],
        previous: list[int],
    ) -> list[int]:
        """`count` distinct people of the right age not yet `taken`; holders re-elected by chance.

        Falls back to any adult when too few are of the preferred age; elects fewer when the
        division has too few adults. The chosen are added to `taken`.
        """
        still_eligible = set(self.eligible(previous, day, ages, taken))
        chosen = [p for p in previous if p in still_eligible and self.rng.random() < RE_ELECTION_CHANCE][:count]
        taken.update(chosen)
        for bracket in (ages, (ADULT_AGE, 200)):
            candidates = self.eligible(people, day, bracket, taken)
            extra = self.rng.sample(candidates, min(count - len(chosen), len(candidates)))
            chosen += extra
            taken.update(extra)
        return chosen

    def hold(self, person: int, division_code: str, kind: str, started_on: datetime.date) -> int:
        term_ends_on = _add_years(started_on, TERM_YEARS) - datetime.timedelta(days=1)
        self.plan.positions.append(PlannedPosition(person, division_code, kind, started_on, term_ends_on))
        return len(self.plan.positions) - 1

    def hold_terms(
        self,
        division_code: str,
        people: list[int],
        slots: list[tuple[str, int, tuple[int, int]]],
        taken_by_term: list[set[int]],
        days: list[datetime.date],
    ) -> list[dict[str, list[int]]]:
        """Elect and seat the holders of `slots` (kind, how many, ages): cadres for both terms,
        representatives for the current one.

        A position of the first term ends the day the next term takes office. Returns, per term,
        kind → the positions (indexes) created.
        """
        seated: list[dict[str, list[int]]] = []
        previous: dict[str, list[int]] = {}
        for term, day in enumerate(days):
            seated.append({})
            for kind, count, ages in slots:
                if term == 0 and kind not in CADRE_POSITIONS:
                    continue  # representatives: the current term only
                holders = self.elect(people, count, day, ages, taken_by_term[term], previous.get(kind, []))
                previous[kind] = holders
                seated[term][kind] = [self.hold(holder, division_code, kind, day) for holder in holders]
        for positions in seated[0].values():  # the 2021 term ends when the 2026 one takes office
            for index in positions:
                self.plan.positions[index].ended_on = days[1]
        return seated

    def file(self, position: int, term: int, submitter: str, decider: str) -> None:
        """The filing of a position with the town or the district (FILED_WITH_LEVEL)."""
        planned = self.plan.positions[position]
        filed_with = planned.division_code[: CODE_LENGTH_BY_LEVEL[FILED_WITH_LEVEL[planned.kind]]]
        submitted_on = planned.started_on + datetime.timedelta(days=self.rng.randrange(3, 21))
        draw = self.rng.random()
        if term == 0 or draw >= PENDING_FILING_SHARE + RETURNED_FILING_SHARE:
            status, note = FilingStatus.ACCEPTED, ""
        elif draw < PENDING_FILING_SHARE:
            status, note = FilingStatus.SUBMITTED, ""
        else:
            status, note = FilingStatus.RETURNED, RETURN_NOTE
        self.plan.filings.append(self.filing(position, filed_with, status, submitter, decider, submitted_on, note))

    def filing(
        self,
        position: int,
        filed_with: str,
        status: str,
        submitter: str,
        decider: str,
        submitted_on: datetime.date,
        note: str = "",
    ) -> PlannedFiling:
        decided = status != FilingStatus.SUBMITTED
        return PlannedFiling(
            position=position,
            filed_with_code=filed_with,
            status=status,
            submitted_by=submitter,
            submitted_on=submitted_on,
            decided_by=decider if decided else None,
            decided_on=submitted_on + datetime.timedelta(days=self.rng.randrange(2, 16)) if decided else None,
            note=note,
        )

    # the whole demo

    def build(self) -> DemoPlan:
        rng = self.rng
        plan = self.plan
        plan.collective_village_codes = choose_collective_villages(self.villages, rng)
        counts = spread_cooperatives(plan.collective_village_codes, rng)
        for village in self.villages:
            self.build_village(village, counts.get(village.code, 0))
        self.build_party()
        self.seat_committee_members()
        self.leave_committees_out_of_term()
        return plan

    def seat_committee_members(self) -> None:
        """The ordinary members of the two committees in the village clerk's village, for the 2026
        term (DEMO_COMMITTEE_MEMBERS): party committee members among its party members, committee
        members among its other adults of cadre age, none a current leader. Drawn without the
        seed's generator (in order), after everything else, so that the rest of the plan is the
        same with or without them."""
        plan = self.plan
        leaders = [
            position
            for position in plan.positions
            if position.division_code == DEMO_VILLAGE_CODE
            and position.kind in TWO_COMMITTEE_POSITIONS
            and position.ended_on is None
        ]
        if not leaders:
            return
        day = max(position.started_on for position in leaders)
        taken = {position.person for position in leaders}
        party = {membership.person for membership in plan.party_memberships if membership.joined_on < day}
        villagers = [
            index
            for index, person in enumerate(plan.people)
            if person.division_code.startswith(DEMO_VILLAGE_CODE)
            and CADRE_AGES[0] <= person.age_on(day) <= CADRE_AGES[1]
        ]
        for kind, count in DEMO_COMMITTEE_MEMBERS.items():
            needs_party = kind == PositionKind.PARTY_COMMITTEE_MEMBER
            chosen = [p for p in villagers if p not in taken and (p in party or not needs_party)][:count]
            taken.update(chosen)
            for person in chosen:
                self.hold(person, DEMO_VILLAGE_CODE, kind, day)

    def leave_committees_out_of_term(self) -> None:
        """No 2026 election in the villages of COMMITTEES_OUT_OF_TERM: their two committees' posts
        of 2026 (and the filings of those) are taken out of the plan, and the 2021 posts go on."""
        plan = self.plan
        dropped: set[int] = set()
        for index, position in enumerate(plan.positions):
            if position.division_code in COMMITTEES_OUT_OF_TERM and position.kind in TWO_COMMITTEE_POSITIONS:
                if position.ended_on is None:
                    dropped.add(index)
                else:
                    position.ended_on = None
        if not dropped:
            return
        kept = [index for index in range(len(plan.positions)) if index not in dropped]
        moved = {old: new for new, old in enumerate(kept)}
        plan.positions = [plan.positions[index] for index in kept]
        plan.filings = [
            dataclasses.replace(filing, position=moved[filing.position])
            for filing in plan.filings
            if filing.position not in dropped
        ]

    def build_village(self, village: VillageRow, cooperative_count: int) -> None:
        rng = self.rng
        plan = self.plan
        clan = tuple(rng.sample(SURNAMES[:20], rng.choice((1, 2))))
        address = f"广东省佛山市南海区{self.towns[village.town_code]}{village.short_name}"
        days = [_date_between(rng, start, end) for start, end in ELECTION_WINDOWS]
        taken_by_term: list[set[int]] = [set(), set()]
        village_people: list[int] = []
        cooperative_heads: list[list[int]] = [[], []]

        for number in range(1, cooperative_count + 1):
            code = f"{village.code}{number:03d}"
            name = cooperative_name(number)
            plan.cooperatives.append((code, name))
            people = self.register(code, f"{address}{name}", clan, rng.randint(2, 3), min_adults=6)
            village_people += people
            for person in people:
                plan.memberships.append(self.membership(person, code))
            # A cooperative's committee and representatives are its own members; a member may
            # also serve the village, so each cooperative starts from an empty `taken`.
            seated = self.hold_terms(
                code,
                people,
                [
                    (PositionKind.COOPERATIVE_HEAD, 1, CADRE_AGES),
                    (PositionKind.COOPERATIVE_COMMITTEE_MEMBER, rng.randint(2, 4), CADRE_AGES),
                    (PositionKind.MEMBER_REPRESENTATIVE, rng.randint(2, 4), (ADULT_AGE, 200)),
                ],
                [set(), set()],
                [day + datetime.timedelta(days=rng.randrange(0, 15)) for day in days],
            )
            for term in (0, 1):
                for position in seated[term][PositionKind.COOPERATIVE_HEAD]:
                    cooperative_heads[term].append(plan.positions[position].person)
                    self.file_cooperative_head(position, term, village, last=number == cooperative_count)

        if cooperative_count == 0:
            village_people = self.register(village.code, address, clan, rng.randint(6, 10), min_adults=14)
        # The village leadership is not drawn among the cooperative heads of the same term.
        for term in (0, 1):
            taken_by_term[term].update(cooperative_heads[term])
        leaders = [
            [(PositionKind.SECRETARY_AND_DIRECTOR, 1, CADRE_AGES)]
            if rng.random() < ONE_SHOULDER_SHARE[term]
            else [(PositionKind.PARTY_SECRETARY, 1, CADRE_AGES), (PositionKind.COMMITTEE_DIRECTOR, 1, CADRE_AGES)]
            for term in (0, 1)
        ]
        representatives = rng.randint(5, 12)
        previous: dict[str, list[int]] = {}
        current_leadership = set(cooperative_heads[1])
        for term, day in enumerate(days):
            slots = list(leaders[term])
            if term == 1:  # representatives: the current term only
                slots.append((PositionKind.VILLAGER_REPRESENTATIVE, representatives, (ADULT_AGE, 200)))
            for kind, count, ages in slots:
                # One person as secretary and director continues the secretary's line.
                line = PositionKind.PARTY_SECRETARY if kind == PositionKind.SECRETARY_AND_DIRECTOR else kind
                holders = self.elect(village_people, count, day, ages, taken_by_term[term], previous.get(line, []))
                previous[line] = holders
                if term == 1 and kind != PositionKind.VILLAGER_REPRESENTATIVE:
                    current_leadership.update(holders)
                for holder in holders:
                    position = self.hold(holder, village.code, kind, day)
                    if term == 0:
                        plan.positions[position].ended_on = days[1]
                    if kind in FILED_WITH_LEVEL:
                        self.file_party_secretary(position, term, village)

        # Reserve cadres: young villagers (a representative may be one), not the current leaders.
        usual = MIN_RESERVE_CADRES_PER_VILLAGE + rng.choice((0, 0, 1))
        reserve_count = RESERVE_CADRE_SHORTFALL.get(village.code, usual)
        appointed_on = _date_between(rng, *RESERVE_CADRE_WINDOW)
        reserves = self.elect(village_people, reserve_count, appointed_on, RESERVE_CADRE_AGES, current_leadership, [])
        if len(reserves) != reserve_count:
            raise ValueError(f"{village.code}: too few villagers for {reserve_count} reserve cadres")
        for person in reserves:
            plan.positions.append(PlannedPosition(person, village.code, PositionKind.RESERVE_CADRE, appointed_on, None))

    def membership(self, person: int, cooperative_code: str) -> PlannedMembership:
        birth = self.plan.people[person].birth_date
        joined_on = max(birth, SHARES_FIXED_ON)
        if birth > SHARES_FIXED_ON:
            shares = Decimal("0.50")  # born after the shares were fixed: a newborn's share
        else:
            shares = Decimal("1.50") if self.rng.random() < 0.1 else Decimal("1.00")
        return PlannedMembership(person, cooperative_code, shares, joined_on)

    def file_cooperative_head(self, position: int, term: int, village: VillageRow, *, last: bool) -> None:
        """Filed with the town: by the village clerk in their village, else by `admin` (historical
        records entered centrally); reviewed by the town's demo official, else the district."""
        submitter = "village_clerk" if village.code == DEMO_VILLAGE_CODE else ADMIN_USERNAME
        decider = {TOWN_CODE: "town_official", OTHER_TOWN_CODE: "other_town_official"}.get(
            village.town_code, "district_admin"
        )
        if term == 1 and village.code == DEMO_VILLAGE_CODE and last:
            # The village clerk's last cooperative has a filing waiting for 狮山镇's official.
            planned = self.plan.positions[position]
            self.plan.filings.append(
                self.filing(
                    position,
                    village.town_code,
                    FilingStatus.SUBMITTED,
                    submitter,
                    decider,
                    planned.started_on + datetime.timedelta(days=10),
                )
            )
            return
        self.file(position, term, submitter, decider)

    def file_party_secretary(self, position: int, term: int, village: VillageRow) -> None:
        """Filed with the district by the village clerk (their village) or `admin`; reviewed by the district."""
        submitter = "village_clerk" if village.code == DEMO_VILLAGE_CODE else ADMIN_USERNAME
        self.file(position, term, submitter, "district_admin")

    def build_party(self) -> None:
        """Party members: every party secretary, many cadres, a few others; in the village's branch."""
        rng = self.rng
        plan = self.plan
        chance: dict[int, float] = {}
        first_secretary_day: dict[int, datetime.date] = {}
        by_kind = {
            PositionKind.PARTY_SECRETARY: 1.0,
            PositionKind.SECRETARY_AND_DIRECTOR: 1.0,
            PositionKind.COMMITTEE_DIRECTOR: 0.7,
            PositionKind.RESERVE_CADRE: 0.5,
            PositionKind.COOPERATIVE_HEAD: 0.5,
            PositionKind.COOPERATIVE_COMMITTEE_MEMBER: 0.3,
            PositionKind.VILLAGER_REPRESENTATIVE: 0.2,
            PositionKind.MEMBER_REPRESENTATIVE: 0.1,
        }
        for position in plan.positions:
            chance[position.person] = max(chance.get(position.person, 0.0), by_kind.get(position.kind, 0.0))
            if by_kind.get(position.kind) == 1.0:
                day = first_secretary_day.get(position.person, position.started_on)
                first_secretary_day[position.person] = min(day, position.started_on)
        for index, person in enumerate(plan.people):
            must = index in first_secretary_day
            if not must and rng.random() >= chance.get(index, 0.04):
                continue
            birth = person.birth_date
            # A secretary joined at least a year before first taking office.
            latest = _add_years(first_secretary_day[index], -1) if must else PARTY_JOINED_BY
            earliest = _add_years(birth, ADULT_AGE)
            if earliest > latest:
                continue
            joined_on = _date_between(rng, earliest, min(latest, _add_years(birth, 45)))
            plan.party_memberships.append(PlannedPartyMembership(index, person.division_code[:12], joined_on))


def build_plan(seed: int = DEFAULT_SEED, data_dir: Path = DEMO_DATA_DIR) -> DemoPlan:
    """Draw the whole demo from `random.Random(seed)`; touches no database."""
    towns, villages = read_villages(data_dir)
    if len(towns) != TOWN_COUNT or len(villages) != VILLAGE_COUNT:
        raise ValueError(f"expected {TOWN_COUNT} towns and {VILLAGE_COUNT} villages in {data_dir}")
    return _Generator(seed, towns, villages).build()
