"""The covenants demo written into the database (covenants.demo.plan says what it holds).

Set-based: the covenants, versions and clauses of all villages are three bulk_create calls.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import connection

from covenants.choices import (
    AwardRule,
    AwardRunStatus,
    CovenantKind,
    EligibilityAction,
    NominationStatus,
    VersionStatus,
)
from covenants.demo.plan import (
    ADOPTED_ON,
    BORN_BY,
    CONFIRMER,
    DEMO_APPROVED_NOMINATIONS,
    DEMO_AWARD_FUND_FEN,
    DEMO_AWARD_RUNS,
    DEMO_CLAUSES,
    DEMO_NOMINATION_REASONS,
    DEMO_VIOLATIONS,
    FILED_ON,
    PUBLISHED_ON,
    RECORDER,
    REVIEWER,
    UNDER_REVIEW_ADOPTED_DAYS_AGO,
    UNDER_REVIEW_SPECIAL_COVENANTS,
    covenant_title,
    special_covenant_title,
)
from covenants.models import AwardRun, Clause, Covenant, CovenantVersion, RedListNomination, Violation
from covenants.services import sanctions
from covenants.services.awards import write_payouts
from governance import clock
from governance.audit import acting_as, keep_audit_triggers_linear
from villages.demo.plan import DEMO_VILLAGE_CODE, DISTRICT_CODE
from villages.models import Division, Level, Person


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
                withholds_dividends=spec.withholds_dividends,
                suspends_homestead_allocation=spec.suspends_homestead_allocation,
                restricts_services=spec.restricts_services,
                restricts_vehicle_access=spec.restricts_vehicle_access,
                compensation_fen=spec.compensation_fen,
                reward=spec.reward,
            )
            for version in versions
            for number, spec in enumerate(DEMO_CLAUSES, 1)
        )
        violations = _write_demo_violations(versions, users)
        waiting = _write_versions_under_review(versions, users)
        _write_demo_award_runs(users)
        _write_demo_nominations(users, violations)
    barred = barred_today(sorted({violation.person_id for violation in violations}))
    return (
        f"村规民约 / covenants: {len(covenants)} 部施行中 in force, {len(clauses)} 条款 clauses, "
        f"{len(violations)} 条违约记录 violations in {DEMO_VILLAGE_CODE}, "
        f"{len(waiting)} 个版本待审查 versions awaiting review, "
        f"{len(barred)} 人今日不得当选 barred from election today."
    )


def barred_today(person_ids: list[int]) -> list[int]:
    """Which of these people the election bar holds today (one query)."""
    today = clock.today()
    by_person = sanctions.sanctions_of(person_ids)
    return [
        pk
        for pk in person_ids
        if not sanctions.eligibility_from(by_person.get(pk, []), EligibilityAction.ELECTION, today).eligible
    ]


def _write_versions_under_review(versions: list[CovenantVersion], users: dict) -> list[CovenantVersion]:
    """In the demo village: the general covenant's second version and two special covenants, each
    submitted by the village clerk and waiting for the department of its kind (nobody chosen)."""
    general = next((v for v in versions if v.covenant.division_id == DEMO_VILLAGE_CODE), None)
    if general is None or RECORDER not in users:
        return []
    village = general.covenant.division
    adopted_on = clock.today() - datetime.timedelta(days=UNDER_REVIEW_ADOPTED_DAYS_AGO)
    specs = {spec.category: spec for spec in DEMO_CLAUSES}
    special = Covenant.objects.bulk_create(
        Covenant(division=village, kind=kind, title=special_covenant_title(village.name, suffix))
        for kind, suffix, _category in UNDER_REVIEW_SPECIAL_COVENANTS
    )
    waiting = CovenantVersion.objects.bulk_create(
        CovenantVersion(
            covenant=covenant,
            number=number,
            status=VersionStatus.SUBMITTED,
            adopted_on=adopted_on,
            submitted_by=users[RECORDER],
        )
        for covenant, number in [(general.covenant, 2), *((covenant, 1) for covenant in special)]
    )
    chosen = [list(DEMO_CLAUSES)] + [[specs[category]] for _kind, _suffix, category in UNDER_REVIEW_SPECIAL_COVENANTS]
    Clause.objects.bulk_create(
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
        for version, clauses in zip(waiting, chosen, strict=True)
        for number, spec in enumerate(clauses, 1)
    )
    return waiting


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
    for spec in DEMO_VIOLATIONS:
        if spec.violator >= len(people):
            continue
        person = people[spec.violator]
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


def _write_demo_award_runs(users: dict) -> list:
    """The demo village's runs (DEMO_AWARD_RUNS), their payouts computed set-based and written
    with bulk_create (covenants.services.awards.write_payouts: three queries a run)."""
    if RECORDER not in users or CONFIRMER not in users:
        return []
    village = Division.objects.filter(code=DEMO_VILLAGE_CODE).first()
    if village is None:
        return []
    runs = []
    for plan in DEMO_AWARD_RUNS:
        run = AwardRun.objects.create(
            division=village,
            period=plan.period,
            fund_fen=DEMO_AWARD_FUND_FEN,
            rule=AwardRule.BY_SHARES,
            status=AwardRunStatus.APPROVED if plan.approved else AwardRunStatus.PREVIEW,
            computed_on=plan.computed_on or clock.today(),
            created_by=users[RECORDER],
            approved_by=users[CONFIRMER] if plan.approved else None,
            approved_at=plan.approved_at,
        )
        write_payouts(run)
        runs.append(run)
    return runs


def _write_demo_nominations(users: dict, violations: list[Violation]) -> list:
    """The demo village's nominations of the current year: grown-up villagers who violated
    nothing (cadres among them), each of another household, in ID-number order; nominated by the
    village clerk, decided by the town official (four eyes)."""
    if RECORDER not in users or CONFIRMER not in users:
        return []
    today = clock.today()
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
