"""factory_boy factories of the supervision app's records, and `scheme()`, which builds a scheme
with its indicators the way the service would (weights summing to 100), for other tests too."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from governance.testing.factories import UserFactory
from supervision.choices import ENTERED, Cadence, UnitLevel
from supervision.models import Disclosure, DisclosureItem, Scheme, SchemeIndicator, ScoreEntry, deadline_of, period_of
from villages.testing.factories import division


class DisclosureItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosureItem

    division = factory.LazyFunction(lambda: division("440605124001"))
    title = factory.Sequence(lambda n: f"公开事项{n}")
    cadence = Cadence.MONTHLY
    since = datetime.date(2026, 1, 1)


class DisclosureFactory(factory.django.DjangoModelFactory):
    """A disclosure of its item's period holding `period_start` (its deadline from the cadence)."""

    class Meta:
        model = Disclosure

    item = factory.SubFactory(DisclosureItemFactory)
    period_start = datetime.date(2026, 1, 1)
    due_on = factory.LazyAttribute(lambda o: deadline_of(o.item.cadence, o.period_start))
    filed_on = factory.LazyAttribute(lambda o: o.period_start)
    content = "公开内容"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        item = kwargs["item"]
        if item.cadence != Cadence.AT_ONCE:
            kwargs["period_start"] = period_of(item.cadence, kwargs["period_start"])[0]
        return kwargs


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    division = factory.LazyFunction(lambda: division("440605124"))
    level = UnitLevel.VILLAGE
    period = "2025"
    name = factory.Sequence(lambda n: f"考核方案{n}")
    excellent_from = Decimal("90")
    good_from = Decimal("80")
    pass_from = Decimal("60")
    excellent_share = 20
    created_by = factory.SubFactory(UserFactory)
    version = factory.Sequence(lambda n: n + 1)


def scheme(
    division_code: str = "440605124",
    indicators: tuple[tuple[str, int, str], ...] = (("work", 100, ENTERED),),
    **fields,
) -> Scheme:
    """A scheme of the division with its indicators, each (code, weight, source)."""
    made = SchemeFactory(division=division(division_code), **fields)
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(scheme=made, code=code, name=f"指标{code}", weight=weight, source=source, position=index)
        for index, (code, weight, source) in enumerate(indicators)
    )
    return made


def enter(made: Scheme, unit: str, indicator: str, score, by=None) -> ScoreEntry:
    """One entered score, written directly (the service's rules are tested through the service)."""
    return ScoreEntry.objects.update_or_create(
        scheme=made,
        unit=division(unit),
        indicator=made.indicators.get(code=indicator),
        defaults={"score": Decimal(str(score)), "entered_by": by or made.created_by},
    )[0]


def stored_results(made: Scheme, rows: dict, counting_day: datetime.date | None = None) -> list:
    """Results of `made` stored as a finished run would leave them, without scoring: `rows` maps a
    unit's code to (total, grade, rank) or (total, grade, rank, scores, missing). The scheme's
    scored run is set to the new run (for tests of what reads results: reports, pages, pay)."""
    from supervision.choices import RunState
    from supervision.models import Result, ScoringRun

    run = ScoringRun.objects.create(
        scheme=made,
        state=RunState.DONE,
        counting_day=counting_day or made.period_range.end,
        total=len(rows),
        requested_by=made.created_by,
    )
    results = []
    for code, values in rows.items():
        total, grade, rank, *rest = values
        scores = rest[0] if rest else {}
        missing = rest[1] if len(rest) > 1 else []
        unit = division(code)
        results.append(
            Result(
                run=run,
                unit=unit,
                town_id=code[:9],
                total=Decimal(str(total)),
                grade=grade,
                rank=rank,
                scores=scores,
                missing=missing,
            )
        )
    Result.objects.bulk_create(results)
    made.scored_run = run
    made.save(update_fields=["scored_run"])
    return results
