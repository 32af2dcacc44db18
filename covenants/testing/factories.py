"""factory_boy factories of covenants' records, for this app's tests and any other app's.

`published_covenant(code)` gives a village a general covenant in force with clauses of each
consequence, the way most tests need it; the factories build the rest one by one.
"""

import datetime
import hashlib

import factory

from covenants.choices import CovenantKind, Severity, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion, Violation, ViolationEvidence
from governance.testing.factories import UserFactory
from villages.testing.factories import PersonFactory, division


class CovenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Covenant

    division = factory.LazyFunction(lambda: division("440605124001"))
    kind = CovenantKind.GENERAL
    title = factory.LazyAttribute(lambda covenant: f"{covenant.division.name}村规民约")


class CovenantVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CovenantVersion

    covenant = factory.SubFactory(CovenantFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.PUBLISHED
    adopted_on = datetime.date(2022, 3, 1)
    published_on = datetime.date(2022, 4, 1)


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    version = factory.SubFactory(CovenantVersionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"第{n + 1}条 村民应当遵守本条约定。")
    category = "集体经济"
    bars_asset_bidding = True
    bars_election = True


def published_covenant(code: str = "440605124001", **covenant_fields) -> CovenantVersion:
    """A general covenant in force in the village with this code, with four clauses: 1 bars
    repeat violators from bidding, election and nomination, 2 bars nothing but withholds the award,
    3 restricts vehicle access until rectified, 4 (about households) owes compensation."""
    covenant = CovenantFactory(division=division(code), **covenant_fields)
    version = CovenantVersionFactory(covenant=covenant, number=1)
    ClauseFactory(version=version, number=1, text="不得侵占集体资产。", category="集体经济")
    ClauseFactory(
        version=version,
        number=2,
        text="垃圾分类投放。",
        category="人居环境",
        bars_asset_bidding=False,
        bars_election=False,
    )
    ClauseFactory(
        version=version,
        number=3,
        text="车辆按位停放。",
        category="停车",
        bars_asset_bidding=False,
        bars_election=False,
        restricts_vehicle_access=True,
    )
    ClauseFactory(
        version=version,
        number=4,
        text="不得违法搭建。",
        category="两违",
        about_households=True,
        bars_asset_bidding=False,
        bars_election=False,
        compensation_fen=50_000,
    )
    return version


class ViolationFactory(factory.django.DjangoModelFactory):
    """A confirmed minor violation of clause 1 of a published covenant (confirmed_on=None for a
    recorded one). The recorder and the confirmer are two different users."""

    class Meta:
        model = Violation

    clause = factory.LazyFunction(lambda: published_covenant().clauses.get(number=1))
    division = factory.LazyAttribute(lambda violation: violation.clause.version.covenant.division)
    person = factory.LazyAttribute(lambda violation: PersonFactory(division=violation.division))
    occurred_on = datetime.date(2025, 3, 10)
    confirmed_on = datetime.date(2025, 3, 20)
    facts = "事实清楚。"
    severity = Severity.MINOR
    recorded_by = factory.LazyFunction(lambda: UserFactory())
    confirmed_by = factory.LazyAttribute(lambda violation: UserFactory() if violation.confirmed_on else None)


def repeat_violations(
    *, clause=None, person=None, confirmed_on: datetime.date = datetime.date(2025, 3, 20), **fields
) -> tuple[Violation, Violation]:
    """A repeat violator (屡教不改) barred from `confirmed_on`: two confirmed minor violations of
    the clause (clause 1 of a published covenant: it carries the bars) 30 days apart, the second
    confirmed on `confirmed_on`, within the covenant's 12-month window. A single violation,
    however serious, bars nothing (covenants.choices, "Two tiers")."""
    clause = clause or published_covenant().clauses.get(number=1)
    person = person or PersonFactory(division=clause.version.covenant.division)
    second_on = confirmed_on - datetime.timedelta(days=1)
    first_on = second_on - datetime.timedelta(days=30)
    first = ViolationFactory(clause=clause, person=person, occurred_on=first_on, confirmed_on=first_on, **fields)
    second = ViolationFactory(clause=clause, person=person, occurred_on=second_on, confirmed_on=confirmed_on, **fields)
    return first, second


# The smallest bytes governance.uploads recognises as a PNG (its 8-byte signature and an IHDR start).
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


class ViolationEvidenceFactory(factory.django.DjangoModelFactory):
    """A PNG photo attached to a violation by its recorder, stored under PRIVATE_MEDIA_ROOT (point
    it at a temporary folder in tests)."""

    class Meta:
        model = ViolationEvidence

    violation = factory.SubFactory(ViolationFactory)
    file = factory.django.FileField(data=PNG_BYTES, filename="photo.png")
    original_name = "现场照片.png"
    content_type = "image/png"
    size = len(PNG_BYTES)
    sha256 = hashlib.sha256(PNG_BYTES).hexdigest()
    uploaded_by = factory.LazyAttribute(lambda evidence: evidence.violation.recorded_by)


def award_run(
    code: str,
    *,
    members: int = 2,
    status: str = "preview",
    fund_fen: int = 100,
    period: str = "2025",
    withheld: int = 0,
):
    """A compliance award run of the division with `code` (a village: its first cooperative's
    members; a cooperative: its own) with `members` new members entitled to equal parts of the
    fund, the last `withheld` of them withheld (their part kept in the fund), as
    covenants.services.preview_award_run would write it; created by a user of no role here (an
    approved one approved by another). For tests of access and outputs, not of the allocation."""
    from covenants.models import AwardPayout, AwardRun
    from villages.models import Level
    from villages.testing.factories import MembershipFactory

    cooperative = code if division(code).level == Level.COOPERATIVE else code + "001"
    people = [MembershipFactory(cooperative=division(cooperative)).person for _ in range(members)]
    run = AwardRun.objects.create(
        division=division(code),
        period=period,
        fund_fen=fund_fen,
        status=status,
        created_by=UserFactory(),
        approved_by=UserFactory() if status == "approved" else None,
        computed_on=datetime.date(2026, 1, 5),
    )
    share, extra = divmod(fund_fen, members)
    rows = []
    for i, person in enumerate(people):
        entitlement = share + (1 if i < extra else 0)
        kept = i >= members - withheld
        rows.append(
            AwardPayout(
                run=run,
                person=person,
                shares=1,
                eligible=not kept,
                withheld_reason="本期内违约，不发放；其应得部分留存奖励资金。" if kept else "",
                entitlement_fen=entitlement,
                amount_fen=0 if kept else entitlement,
            )
        )
    AwardPayout.objects.bulk_create(rows)
    return run


class RedListNominationFactory(factory.django.DjangoModelFactory):
    """A red list nomination of a person of the village for 2025, proposed by a user of no role
    here (status=approved: decided by another such user on 2026-01-10)."""

    class Meta:
        model = "covenants.RedListNomination"

    division = factory.LazyFunction(lambda: division("440605124001"))
    person = factory.LazyAttribute(lambda nomination: PersonFactory(division=nomination.division))
    period = "2025"
    reason = "常年义务清扫村道，带头垃圾分类。"
    status = "proposed"
    nominated_by = factory.LazyFunction(lambda: UserFactory())
    decided_by = factory.LazyAttribute(lambda nomination: UserFactory() if nomination.status != "proposed" else None)
    decided_on = factory.LazyAttribute(
        lambda nomination: datetime.date(2026, 1, 10) if nomination.status != "proposed" else None
    )
