"""Querysets of the villages app; all of them start from the one scoping mechanism."""

from __future__ import annotations

import datetime

from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from governance.access.querysets import RestrictedQuerySet


def count_related(model, lookup: str, *, extra: Q | None = None, prefix: bool = False, outer: str = "code") -> Coalesce:
    """A correlated subquery counting `model` rows whose `lookup` matches the outer division.

    With prefix=True, rows anywhere in the outer division's subtree are counted; otherwise only
    rows attached to the division itself. One subquery per column, never one query per row
    (NetBox's count_related).

    The counted rows are not restricted: a count is an aggregate of a division the caller may
    already see (the outer queryset is restricted), and roll-ups are what report readers, who
    see no personal records, are given.
    """
    if prefix:
        rows = model.objects.filter(**subtree_range(lookup, OuterRef(outer)))
    else:
        rows = model.objects.filter(**{lookup: OuterRef(outer)})
    if extra is not None:
        rows = rows.filter(extra)
    counted = rows.order_by().annotate(_group=Value(1)).values("_group").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Codes are ASCII digits in the C collation, and ":" sorts right after "9": every code in the
# subtree of P lies in the range [P, P + ":"). A range, unlike LIKE with a pattern built per
# outer row, is served by the btree index on the code column.
SUBTREE_UPPER_BOUND_SUFFIX = ":"


def subtree_range(lookup: str, code) -> dict:
    """Filter arguments selecting rows whose `lookup` code lies in the subtree of `code`
    (a string or an expression such as OuterRef("code"))."""
    upper = (
        code + SUBTREE_UPPER_BOUND_SUFFIX
        if isinstance(code, str)
        else Concat(code, Value(SUBTREE_UPPER_BOUND_SUFFIX), output_field=CharField(db_collation="C"))
    )
    return {f"{lookup}__gte": code, f"{lookup}__lt": upper}


class DivisionQuerySet(RestrictedQuerySet):
    def subtree(self, code: str) -> DivisionQuerySet:
        """The division with this code and everything below it."""
        return self.filter(code__startswith=code)

    def active(self) -> DivisionQuerySet:
        return self.filter(retired_on__isnull=True)

    def with_counts(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Annotate counts of children, of people in the subtree, and of current cadres in it."""
        from villages.models import CADRE_POSITIONS, Division, Person, Position

        day = on or datetime.date.today()
        current = Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        return self.annotate(
            children_count=count_related(Division, "parent_id", extra=Q(retired_on__isnull=True)),
            people_count=count_related(Person, "division__code", prefix=True),
            cadres_count=count_related(
                Position, "division__code", prefix=True, extra=current & Q(kind__in=CADRE_POSITIONS)
            ),
        )

    def with_reserve_cadres(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Active villages, annotated with `reserve_cadres`: how many current reserve cadres
        (后备干部) each has on the day (today by default)."""
        from villages.models import Level, Position, PositionKind

        day = on or datetime.date.today()
        current = Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        return self.filter(level=Level.VILLAGE, retired_on__isnull=True).annotate(
            reserve_cadres=count_related(Position, "division_id", extra=current & Q(kind=PositionKind.RESERVE_CADRE))
        )

    def villages_short_of_reserve_cadres(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Active villages with fewer current reserve cadres than MIN_RESERVE_CADRES_PER_VILLAGE,
        annotated with `reserve_cadres` (how many) and `reserve_cadres_missing` (how many more)."""
        from villages.models import MIN_RESERVE_CADRES_PER_VILLAGE

        return (
            self.with_reserve_cadres(on)
            .filter(reserve_cadres__lt=MIN_RESERVE_CADRES_PER_VILLAGE)
            .annotate(reserve_cadres_missing=Value(MIN_RESERVE_CADRES_PER_VILLAGE) - F("reserve_cadres"))
        )


class PersonQuerySet(RestrictedQuerySet):
    def with_id_number(self, raw: str) -> PersonQuerySet:
        """The person whose ID number this is, however it was typed (spaces, a lower-case x)."""
        from villages.identity import normalise_id_number

        return self.filter(id_number=normalise_id_number(raw))


class PositionQuerySet(RestrictedQuerySet):
    def current(self, on: datetime.date | None = None) -> PositionQuerySet:
        """Positions held on the given day (today by default)."""
        day = on or datetime.date.today()
        return self.filter(Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day)))

    def cadres(self) -> PositionQuerySet:
        from villages.models import CADRE_POSITIONS

        return self.filter(kind__in=CADRE_POSITIONS)


class PositionFilingQuerySet(RestrictedQuerySet):
    def awaiting_decision_by(self, user) -> PositionFilingQuerySet:
        """Submitted filings that `user` may decide: those filed with a division where they hold
        the approval right, or granted to them one by one, and not submitted by them (four
        eyes). The same test as services.may_decide_filing, as one query."""
        from villages.models import FilingStatus

        return (
            self.restrict_at(user, "approve", "filed_with__code")
            .filter(status=FilingStatus.SUBMITTED)
            .exclude(submitted_by=user)
        )
