"""Querysets of the villages app; all of them start from the one scoping mechanism.

They name no model class of villages.models (which builds its managers from them): a queryset
reaches its own model as `self.model`, and the others through `apps.get_model`, so the two
modules do not import each other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.db import connection
from django.db.models import CharField, Count, DateField, F, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Substr

from governance.access.querysets import RestrictedQuerySet
from governance.clock import today
from governance.periods import same_day_later
from villages.choices import (
    CADRE_POSITIONS,
    CODE_LENGTH_BY_LEVEL,
    COMMITTEE_TERM_YEARS,
    LEVEL_ORDER,
    MIN_RESERVE_CADRES_PER_VILLAGE,
    TERM_WATCH_PERMISSION,
    TWO_COMMITTEE_POSITIONS,
    FilingStatus,
    Level,
    PositionKind,
)
from villages.codes import child_level_of, level_for_code
from villages.identity import normalise_id_number


def villages_model(name: str):
    """The villages model `name`, looked up in the app registry (not imported: see above)."""
    return apps.get_model("villages", name)


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


def term_ends_on(elected_on: datetime.date) -> datetime.date:
    """The day the two committees elected on `elected_on` are out of term: COMMITTEE_TERM_YEARS
    later, the same day (governance.periods.same_day_later: elected 29 February, out of term on
    1 March)."""
    return same_day_later(elected_on, years=COMMITTEE_TERM_YEARS)


def latest_election_out_of_term(on: datetime.date) -> datetime.date:
    """The latest election day whose committees are out of term on `on` (term_ends_on(day) <= on):
    the committees of a village last elected on or before it are out of term. term_ends_on never
    decreases with the day, so this is found by stepping from the same day COMMITTEE_TERM_YEARS
    earlier (a few steps at most)."""
    day = datetime.date(on.year - COMMITTEE_TERM_YEARS, on.month, min(on.day, 28))
    one = datetime.timedelta(days=1)
    while term_ends_on(day + one) <= on:
        day += one
    while term_ends_on(day) > on:
        day -= one
    return day


def held_on(day: datetime.date) -> Q:
    """Positions held on `day`: started on or before it and not ended by then
    (Position.is_current_on, as a filter)."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def in_area(lookup: str, codes: Iterable[str]) -> Q:
    """The condition "`lookup` lies in the subtree of one of `codes`": the prefixes of a
    division's area (DivisionQuerySet.area_codes), each a range the code index serves."""
    condition = Q()
    for code in codes:
        condition |= Q(**subtree_range(lookup, code))
    return condition


class DivisionQuerySet(RestrictedQuerySet):
    def subtree(self, code: str) -> DivisionQuerySet:
        """The division with this code and everything below it."""
        return self.filter(code__startswith=code)

    def area_codes(self, code: str, on: datetime.date | None = None) -> list[str]:
        """The prefixes of the area of the division `code` on `on` (today by default): its own
        code, then the codes of the divisions merged into it (撤并) on or before that day, and of
        those merged into them before (a village merged twice over), in code order. A merged
        division keeps its records under its own code (retire_division); they count as its
        successor's, wherever a page, a filter or a meeting's expected count reads the area
        (in_area). One recursive query on the partial index of successors, which holds only the
        few merged divisions; not restricted: it names codes, not records."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE area(code) AS (
                    SELECT d.code FROM {table} d WHERE d.merged_into_id = %s AND d.retired_on <= %s
                    UNION
                    SELECT d.code FROM {table} d JOIN area ON d.merged_into_id = area.code
                    WHERE d.merged_into_id IS NOT NULL AND d.retired_on <= %s
                )
                SELECT code FROM area ORDER BY code
                """,
                [code, on or today(), on or today()],
            )
            return [code, *(row[0] for row in cursor.fetchall())]

    def last_successor(self, code: str, on: datetime.date | None = None) -> str:
        """The division whose area holds `code` on `on` (today by default): `code` itself while it
        is not merged away, else the division it went into, followed to the last (area_codes read
        the other way). One recursive query."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        day = on or today()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE chain(code, depth) AS (
                    SELECT d.merged_into_id, 1 FROM {table} d
                    WHERE d.code = %s AND d.merged_into_id IS NOT NULL AND d.retired_on <= %s
                    UNION ALL
                    SELECT d.merged_into_id, chain.depth + 1 FROM {table} d JOIN chain ON d.code = chain.code
                    WHERE d.merged_into_id IS NOT NULL AND d.retired_on <= %s
                )
                SELECT code FROM chain ORDER BY depth DESC LIMIT 1
                """,
                [code, day, day],
            )
            row = cursor.fetchone()
        return row[0] if row else code

    def active(self) -> DivisionQuerySet:
        return self.filter(retired_on__isnull=True)

    def children_of(self, code: str) -> DivisionQuerySet:
        """The divisions right below the division `code`."""
        return self.filter(parent_id=code)

    def ancestors_of(self, division) -> DivisionQuerySet:
        """The ancestors of `division` among these divisions, from the top down (a clerk's own
        queryset starts at their village: the breadcrumbs above it are not theirs to see)."""
        return self.filter(code__in=division.ancestor_codes()).order_by("code")

    def with_counts(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Annotate counts of children, of people in the subtree, and of current cadres in it."""
        return self.annotate(
            children_count=count_related(self.model, "parent_id", extra=Q(retired_on__isnull=True)),
            people_count=count_related(villages_model("Person"), "division__code", prefix=True),
            cadres_count=count_related(
                villages_model("Position"),
                "division__code",
                prefix=True,
                extra=held_on(on or today()) & Q(kind__in=CADRE_POSITIONS),
            ),
        )

    def for_home_panel(self) -> DivisionQuerySet:
        """With their counts (with_counts), each named with its parent (Division.qualified_name)
        loaded in the same query, by code."""
        return self.with_counts().select_related("parent").order_by("code")

    def tops(self) -> DivisionQuerySet:
        """The divisions at the top of the hierarchy (no parent)."""
        return self.filter(parent__isnull=True)

    def assigned_to(self, user) -> DivisionQuerySet:
        """The divisions `user` holds a role over, each with `assignments_held`: the user's
        assignments there with their roles, by role slug (prefetched in one more query).

        The user's own assignments are not scoped data: anyone may know their own roles. Which
        of those divisions are shown is still decided by the restrict() this is chained on."""
        assignment = self.model._meta.get_field("assignments").related_model  # governance's, not imported
        own = assignment.objects.filter(user=user)
        return self.filter(code__in=own.values("division_id")).prefetch_related(
            Prefetch(
                "assignments",
                queryset=own.select_related("role").order_by("role__slug"),
                to_attr="assignments_held",
            )
        )

    def with_reserve_cadres(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Active villages, annotated with `reserve_cadres`: how many current reserve cadres
        (后备干部) each has on the day (today by default)."""
        return self.filter(level=Level.VILLAGE, retired_on__isnull=True).annotate(
            reserve_cadres=count_related(
                villages_model("Position"),
                "division_id",
                extra=held_on(on or today()) & Q(kind=PositionKind.RESERVE_CADRE),
            )
        )

    def villages_short_of_reserve_cadres(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Active villages with fewer current reserve cadres than MIN_RESERVE_CADRES_PER_VILLAGE,
        annotated with `reserve_cadres` (how many) and `reserve_cadres_missing` (how many more)."""
        return (
            self.with_reserve_cadres(on)
            .filter(reserve_cadres__lt=MIN_RESERVE_CADRES_PER_VILLAGE)
            .annotate(reserve_cadres_missing=Value(MIN_RESERVE_CADRES_PER_VILLAGE) - F("reserve_cadres"))
        )

    def with_last_election(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Active villages, annotated with `last_elected_on`: the latest day on or before `on`
        (today by default) a post of the two committees (TWO_COMMITTEE_POSITIONS) started in it,
        ended since or not: the day its committees were last elected (villages.choices,
        COMMITTEE_TERM_YEARS); None when none was ever recorded. One subquery."""
        started = (
            villages_model("Position")
            .objects.filter(
                division_id=OuterRef("code"), kind__in=TWO_COMMITTEE_POSITIONS, started_on__lte=on or today()
            )
            .order_by()
            .values("division_id")
            .annotate(last=Max("started_on"))
            .values("last")
        )
        return self.filter(level=Level.VILLAGE, retired_on__isnull=True).annotate(
            last_elected_on=Subquery(started, output_field=DateField())
        )

    def committees_out_of_term(self, on: datetime.date | None = None) -> DivisionQuerySet:
        """Active villages whose two committees' term has run out on `on` (today by default)
        without a new election: last elected COMMITTEE_TERM_YEARS or more before (term_ends_on
        on or before `on`). A village with no two-committee post recorded is not among them
        (nothing is known of its election). Annotated with `last_elected_on`."""
        on = on or today()
        return self.with_last_election(on).filter(last_elected_on__lte=latest_election_out_of_term(on))

    def committees_out_of_term_for(self, user, on: datetime.date | None = None) -> DivisionQuerySet:
        """The villages whose committees are out of term on `on` that `user` is told of: among the
        divisions they may view, where they watch the terms (TERM_WATCH_PERMISSION: the town and
        the district). The list page and the home page's count read this one queryset."""
        return self.restrict(user, "view").where_held(user, TERM_WATCH_PERMISSION, "code").committees_out_of_term(on)

    def with_town_name(self) -> DivisionQuerySet:
        """Annotate `town`: the name of the parent, which for a village is its town."""
        return self.annotate(town=F("parent__name"))

    def rollup(self, code: str) -> dict[str, dict[str, int]]:
        """For each child of the division `code`: how many active divisions of each lower level
        lie in its subtree (itself excluded), among the divisions of this (restricted) queryset.
        One GROUP BY on the child-length prefix of the code, never a walk over the tree; shared
        by the API and the Celery task."""
        level = level_for_code(code)
        child_level = child_level_of(level) if level is not None else None
        if child_level is None:
            return {}
        rows = (
            self.filter(code__startswith=code, retired_on__isnull=True)
            .exclude(level__in=LEVEL_ORDER[: LEVEL_ORDER.index(child_level) + 1])
            .annotate(child=Substr("code", 1, CODE_LENGTH_BY_LEVEL[child_level]))
            .values("child", "level")
            .annotate(n=Count("*"))
            .order_by("child", "level")
        )
        rollup: dict[str, dict[str, int]] = {}
        for row in rows:
            rollup.setdefault(row["child"], {})[row["level"]] = row["n"]
        return rollup


class HouseholdQuerySet(RestrictedQuerySet):
    def with_member_count(self) -> HouseholdQuerySet:
        """Annotate `member_count`: the people registered in each household (one subquery)."""
        return self.annotate(member_count=count_related(villages_model("Person"), "household_id", outer="pk"))


class PersonQuerySet(RestrictedQuerySet):
    def with_id_number(self, raw: str) -> PersonQuerySet:
        """The person whose ID number this is, however it was typed (spaces, a lower-case x)."""
        return self.filter(id_number=normalise_id_number(raw))

    def by_id_numbers(self, raw_numbers: Iterable[str]) -> dict:
        """Each of these ID numbers, as typed, to the person it names among these rows: one query
        for them all; a number that names nobody here is absent from the answer."""
        normalised = {raw: normalise_id_number(raw) for raw in raw_numbers}
        found = {person.id_number: person for person in self.filter(id_number__in=set(normalised.values()))}
        return {raw: found[number] for raw, number in normalised.items() if number in found}

    def housemates_of(self, person) -> PersonQuerySet:
        """The other people of `person`'s household, by name (none without a household)."""
        if person.household_id is None:
            return self.none()
        return self.filter(household_id=person.household_id).exclude(pk=person.pk).order_by("name", "id")


class PositionQuerySet(RestrictedQuerySet):
    def current(self, on: datetime.date | None = None) -> PositionQuerySet:
        """Positions held on the given day (today by default)."""
        return self.filter(held_on(on or today()))

    def cadres(self) -> PositionQuerySet:
        return self.filter(kind__in=CADRE_POSITIONS)

    def with_filings_visible_to(self, user) -> PositionQuerySet:
        """Prefetch each position's filings that `user` may view, newest first, as
        `visible_filings` (one query for all the positions)."""
        filings = villages_model("PositionFiling").objects.restrict(user, "view").order_by("-submitted_at", "-id")
        return self.prefetch_related(Prefetch("filings", queryset=filings, to_attr="visible_filings"))

    def with_latest_filing_status(self) -> PositionQuerySet:
        """Annotate `latest_filing_status`: the status of the position's latest filing (备案),
        None when it was never filed."""
        filings = villages_model("PositionFiling").objects.filter(position_id=OuterRef("pk"))
        return self.annotate(latest_filing_status=Subquery(filings.order_by("-submitted_at").values("status")[:1]))


class PositionFilingQuerySet(RestrictedQuerySet):
    def with_names(self) -> PositionFilingQuerySet:
        """With what a list or a page names of each filing, in the same query: the person, the
        division of the position (a cooperative with its village: 第四经济社 alone is ambiguous in
        a town), the receiving division, who submitted and who decided it."""
        return self.select_related(
            "position__person", "position__division__parent", "filed_with", "submitted_by", "decided_by"
        )

    def awaiting_decision_by(self, user) -> PositionFilingQuerySet:
        """Submitted filings that `user` may decide: those filed with a division where they hold
        the approval right, or granted to them one by one, and not submitted by them (four
        eyes). The same test as services.may_decide_filing, as one query."""
        return (
            self.restrict_at(user, "approve", "filed_with__code")
            .filter(status=FilingStatus.SUBMITTED)
            .exclude(submitted_by=user)
        )
