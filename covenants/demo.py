"""The covenants part of the Nanhai demo (manage.py load_demo runs it after villages' own load,
through governance.registry.demo_steps, in the same transaction).

What it holds, and why (docs/api.md, "Demo content"):

- every village-level unit of the district with a collective economy (222) has a general
  covenant (村规民约, or 居民公约 for a community) whose version 1 was adopted by the villagers'
  (representative) assembly, filed with the town and published on fixed dates, with the six
  clauses of DEMO_CLAUSES: on the collective economy, homesteads, the living environment,
  parking, illegal land use and construction (两违) and customs; the first, second and fifth
  bar repeat or serious violators from asset bidding (3 years) and election (5 years), most
  withhold the compliance award, the parking clause restricts vehicle access and the 两违 clause
  owes compensation, both until rectified;
- in the village clerk's village (唐边村委会, villages.demo.plan.DEMO_VILLAGE_CODE), its red list
  (红榜) of the current year: three nominations proposed by the village clerk and approved by the
  town official, and one waiting for approval; its black list is derived from the violations;
- in the village clerk's village, four
  violations, recorded by the village clerk and confirmed by the town official (four eyes): one
  recorded and waiting for confirmation, one confirmed minor, one confirmed serious (its person
  is barred from election until 2031 and from bidding until 2029), and one serious whose appeal
  the town upheld (lifting everything).

Set-based: the covenants, versions and clauses of all villages are three bulk_create calls.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection

from covenants import sanctions
from covenants.choices import CovenantKind, EligibilityAction, Severity, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion, Violation
from governance.audit import acting_as, keep_audit_triggers_linear
from villages.demo.plan import DEMO_VILLAGE_CODE, DISTRICT_CODE
from villages.models import Division, Level, Person

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
    ),
    DemoClause(
        "宅基地",
        "严格执行“一户一宅”，建房须经村民代表会议同意并依法报批，不得未批先建、少批多建，不得非法买卖、出租宅基地。",
        about_households=True,
        bars_asset_bidding=True,
        bars_election=True,
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
    """A violation of the demo village: the clause number, what happened, when, and how far it went."""

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


DEMO_VIOLATIONS: tuple[DemoViolation, ...] = (
    # Recorded, waiting for the town to confirm it.
    DemoViolation(4, "连续多日将小货车停放在村道消防通道上，经劝导仍未移走。", datetime.date(2026, 11, 18)),
    # Confirmed minor: the 2026 compliance award is withheld.
    DemoViolation(
        3,
        "在门前空地堆放建筑废料，逾期未清理。",
        datetime.date(2026, 5, 12),
        confirmed_on=datetime.date(2026, 5, 20),
    ),
    # Confirmed serious: barred from election until 2031-09-09 and from bidding until 2029-09-09.
    DemoViolation(
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
)
BARRED_VIOLATION = 2  # index in DEMO_VIOLATIONS of the one whose person stays barred


def covenant_title(village_name: str) -> str:
    """唐边村委会 → 唐边村村规民约; 桂一社区居委会 → 桂一社区居民公约."""
    if village_name.endswith("村委会"):
        return village_name.removesuffix("村委会") + "村村规民约"
    return village_name.removesuffix("居委会") + "居民公约"


def load_demo_covenants() -> str:
    """Write the covenants part of the demo; returns the one-line summary load_demo prints."""
    with acting_as(None, source="load_demo"):
        with connection.cursor() as cursor:
            keep_audit_triggers_linear(cursor)
        demo_users = get_user_model().objects.filter(username__in=[RECORDER, CONFIRMER, REVIEWER])
        users = {user.username: user for user in demo_users}
        villages = list(
            Division.objects.filter(
                code__startswith=DISTRICT_CODE, level=Level.VILLAGE, has_collective_economy=True
            ).order_by("code")
        )
        covenants = Covenant.objects.bulk_create(
            Covenant(division=village, kind=CovenantKind.GENERAL, title=covenant_title(village.name))
            for village in villages
        )
        versions = CovenantVersion.objects.bulk_create(
            CovenantVersion(
                covenant=covenant,
                number=1,
                status=VersionStatus.PUBLISHED,
                adopted_on=ADOPTED_ON,
                submitted_by=users.get(RECORDER) if covenant.division_id == DEMO_VILLAGE_CODE else None,
                reviewed_by=users.get(REVIEWER) if covenant.division_id == DEMO_VILLAGE_CODE else None,
                review_comment="条款具体可操作，同意备案。" if covenant.division_id == DEMO_VILLAGE_CODE else "",
                filed_on=FILED_ON,
                published_on=PUBLISHED_ON,
            )
            for covenant in covenants
        )
        clauses = Clause.objects.bulk_create(
            Clause(
                version=version,
                number=number,
                text=spec.text,
                category=spec.category,
                about_households=spec.about_households,
                bars_asset_bidding=spec.bars_asset_bidding,
                bars_election=spec.bars_election,
                withholds_award=spec.withholds_award,
                restricts_services=spec.restricts_services,
                restricts_vehicle_access=spec.restricts_vehicle_access,
                compensation_fen=spec.compensation_fen,
                reward=spec.reward,
            )
            for version in versions
            for number, spec in enumerate(DEMO_CLAUSES, 1)
        )
        violations = _write_demo_violations(versions, users)
        _write_demo_award_runs(users)
        _write_demo_nominations(users, violations)
    barred = barred_today([violation.person_id for violation in violations])
    return (
        f"村规民约 / covenants: {len(covenants)} 部施行中 in force, {len(clauses)} 条款 clauses, "
        f"{len(violations)} 条违约记录 violations in {DEMO_VILLAGE_CODE}, "
        f"{len(barred)} 人今日不得当选 barred from election today."
    )


def barred_today(person_ids: list[int]) -> list[int]:
    """Which of these people the election bar holds today (one query)."""
    today = datetime.date.today()
    by_person = sanctions.sanctions_of(person_ids)
    return [
        pk
        for pk in person_ids
        if not sanctions.eligibility_from(by_person.get(pk, []), EligibilityAction.ELECTION, today).eligible
    ]


def _write_demo_violations(versions: list[CovenantVersion], users: dict) -> list[Violation]:
    """The demo village's violations, by adult villagers who hold no post, each of another
    household, in ID-number order."""
    version = next((v for v in versions if v.covenant.division_id == DEMO_VILLAGE_CODE), None)
    if version is None or RECORDER not in users or CONFIRMER not in users:
        return []
    clauses = {clause.number: clause for clause in Clause.objects.filter(version=version)}
    people, households = [], set()
    adults = Person.objects.filter(
        division__code__startswith=DEMO_VILLAGE_CODE, positions__isnull=True, birth_date__lte=BORN_BY
    ).order_by("id_number")
    for person in adults[:50]:  # one person per household
        if person.household_id not in households:
            households.add(person.household_id)
            people.append(person)
    rows = []
    for spec, person in zip(DEMO_VIOLATIONS, people, strict=False):
        clause = clauses[spec.clause]
        violation = Violation(
            division_id=DEMO_VILLAGE_CODE,
            person=person,
            household_id=person.household_id if clause.about_households else None,
            clause=clause,
            occurred_on=spec.occurred_on,
            facts=spec.facts,
            severity=spec.severity,
            recorded_by=users[RECORDER],
            confirmed_on=spec.confirmed_on,
            confirmed_by=users[CONFIRMER] if spec.confirmed_on else None,
            appeal_filed_on=spec.appeal_filed_on,
            appeal_reason=spec.appeal_reason,
            appeal_upheld=spec.appeal_upheld,
            appeal_decided_on=spec.appeal_decided_on,
            appeal_decided_by=users[CONFIRMER] if spec.appeal_decided_on else None,
            referred_to=spec.referred_to,
            referred_on=spec.referred_on,
        )
        violation.full_clean()
        rows.append(violation)
    return Violation.objects.bulk_create(rows)


# The demo village's compliance awards (公约遵守奖), shared by shares among the members of its
# cooperatives: 2025 approved (frozen) by the town official after the clerk's preview, and 2026
# still a preview, in which the members with confirmed 2026 violations are withheld.
DEMO_AWARD_FUND_FEN = 20_000_000  # 200,000.00 yuan of collective dividends a year
DEMO_AWARD_APPROVED_AT = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC)


def _write_demo_award_runs(users: dict) -> list:
    """Two runs of the demo village, computed set-based (covenants.awards: two queries a run) and
    written with bulk_create."""
    from covenants.awards import compute_award
    from covenants.choices import AwardRule, AwardRunStatus
    from covenants.models import AwardPayout, AwardRun
    from governance.periods import Period

    if RECORDER not in users or CONFIRMER not in users:
        return []
    village = Division.objects.filter(code=DEMO_VILLAGE_CODE).first()
    if village is None:
        return []
    plans = (
        ("2025", AwardRunStatus.APPROVED, datetime.date(2026, 1, 15)),
        ("2026", AwardRunStatus.PREVIEW, datetime.date.today()),
    )
    runs = []
    for period, status, computed_on in plans:
        lines = compute_award(village.code, Period.parse(period), DEMO_AWARD_FUND_FEN, AwardRule.BY_SHARES)
        approved = status == AwardRunStatus.APPROVED
        run = AwardRun.objects.create(
            division=village,
            period=period,
            fund_fen=DEMO_AWARD_FUND_FEN,
            rule=AwardRule.BY_SHARES,
            status=status,
            computed_on=computed_on,
            created_by=users[RECORDER],
            approved_by=users[CONFIRMER] if approved else None,
            approved_at=DEMO_AWARD_APPROVED_AT if approved else None,
        )
        AwardPayout.objects.bulk_create(
            AwardPayout(
                run=run,
                person_id=line.person_id,
                shares=line.shares,
                eligible=line.eligible,
                withheld_reason=line.withheld_reason,
                amount_fen=line.amount_fen,
            )
            for line in lines
        )
        runs.append(run)
    return runs


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


def _write_demo_nominations(users: dict, violations: list[Violation]) -> list:
    """The demo village's nominations of the current year: grown-up villagers who violated
    nothing (cadres among them), each of another household, in ID-number order; nominated by the
    village clerk, decided by the town official (four eyes)."""
    from covenants.choices import NominationStatus
    from covenants.models import RedListNomination

    if RECORDER not in users or CONFIRMER not in users:
        return []
    today = datetime.date.today()
    violators = {violation.person_id for violation in violations}
    people, households = [], set()
    adults = (
        Person.objects.filter(division__code__startswith=DEMO_VILLAGE_CODE, birth_date__lte=BORN_BY)
        .exclude(pk__in=violators)
        .order_by("id_number")
    )
    for person in adults[:200]:
        if person.household_id not in households:
            households.add(person.household_id)
            people.append(person)
    rows = []
    for number, (reason, person) in enumerate(zip(DEMO_NOMINATION_REASONS, people, strict=False)):
        approved = number < DEMO_APPROVED_NOMINATIONS
        rows.append(
            RedListNomination(
                division_id=DEMO_VILLAGE_CODE,
                person=person,
                period=str(today.year),
                reason=reason,
                status=NominationStatus.APPROVED if approved else NominationStatus.PROPOSED,
                nominated_by=users[RECORDER],
                decided_by=users[CONFIRMER] if approved else None,
                decided_on=today if approved else None,
            )
        )
    return RedListNomination.objects.bulk_create(rows)
