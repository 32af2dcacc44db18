"""factory_boy factories of supervision records (supervision/models/records.py), for this app's tests and any
other app's (the remuneration reads sanctions in force). Records are built directly, without the
services: the tests of the services build theirs through them."""

import datetime

import factory

from governance.testing.factories import UserFactory
from supervision.choices import AuditKind, DisciplinaryKind, MajorMatterCategory
from supervision.models import (
    ConductNegativeItem,
    DisciplinarySanction,
    EconomicAudit,
    IntegrityTalk,
    MajorMatterReport,
)
from villages.testing.factories import PersonFactory, division


class _RecordFactory(factory.django.DjangoModelFactory):
    """A record about a cadre registered in the division where the record lies (a village by default)."""

    division = factory.LazyFunction(lambda: division("440605124001"))
    person = factory.SubFactory(PersonFactory, division=factory.SelfAttribute("..division"))
    recorded_by = factory.SubFactory(UserFactory)


class DisciplinarySanctionFactory(_RecordFactory):
    class Meta:
        model = DisciplinarySanction

    kind = DisciplinaryKind.WARNING
    decided_on = datetime.date(2025, 6, 1)
    decided_by = "区纪委"
    basis = "《中国共产党纪律处分条例》"
    facts = "违规过问集体物业出租。"
    deduction_percent = 10
    deduction_months = 6


class IntegrityTalkFactory(_RecordFactory):
    class Meta:
        model = IntegrityTalk

    held_on = datetime.date(2021, 2, 20)
    talked_by = "镇纪委书记"
    summary = "任前廉洁谈话。"


class MajorMatterReportFactory(_RecordFactory):
    class Meta:
        model = MajorMatterReport

    category = MajorMatterCategory.TRAVEL_ABROAD
    reported_on = datetime.date(2025, 5, 1)
    matter = "因私出境探亲。"


class EconomicAuditFactory(_RecordFactory):
    class Meta:
        model = EconomicAudit

    kind = AuditKind.ON_LEAVING
    period_from = datetime.date(2021, 1, 1)
    period_to = datetime.date(2023, 12, 31)
    reported_on = datetime.date(2024, 3, 1)
    auditor = "区农村集体经济审计中心"
    findings = "租金收缴不及时。"
    follow_up = "追缴欠收租金。"


class ConductNegativeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConductNegativeItem

    division = factory.LazyFunction(lambda: division("440605"))
    number = factory.Sequence(lambda n: n + 1)
    text = "不得违规插手集体资产交易。"
    basis = "《中国共产党纪律处分条例》"
    valid_from = datetime.date(2023, 1, 1)
    recorded_by = factory.SubFactory(UserFactory)
