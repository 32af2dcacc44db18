"""Querysets of the supervision app; all of them start from the one scoping mechanism.

Overdue disclosures are computed from dates at query time (DESIGN.md section 5): a periodic item
is due once per month or quarter from its `since` on, whether or not anything was filed, so the
due occurrences are generated in SQL (generate_series over each item's periods) and matched to
the filed disclosures; nothing is flipped by a job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.db.models import Avg, CharField, Count, Exists, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, Substr

from governance.access.querysets import RestrictedQuerySet, jurisdiction_codes
from governance.reporting import UnitOf, unit_level
from supervision.choices import (
    AUDIT_PERMISSION,
    CADENCE_MONTHS,
    COOPERATIVE_COMMITTEE_POSITIONS,
    DISCLOSURE_GRACE_DAYS,
    INTEGRITY_TALK_POSTS,
    INTEGRITY_TALK_WINDOW_DAYS,
    LEADERSHIP_POSTS,
    MAX_SCORE,
    TALK_PERMISSION,
    AuditKind,
    Cadence,
    ChunkState,
    DisclosureState,
    Grade,
    UnitLevel,
    round_score,
    weighted_points,
)
from villages.querysets import held_on, subtree_range


def _cadence_values() -> str:
    """The periodic cadences as an SQL VALUES list (cadence, months, grace days), from the named rules."""
    return ", ".join(
        f"('{cadence}', {months}, {DISCLOSURE_GRACE_DAYS[cadence]})" for cadence, months in CADENCE_MONTHS.items()
    )


def due_disclosures_sql(items_sql: str) -> str:
    """SQL of every disclosure due of the items `items_sql` selects (one column of item ids), with
    `%(due_from)s` <= due_on <= `%(due_to)s`: (item_id, division_id, period_start, due_on, filed_on).
    Periodic items contribute one row per calendar month or quarter from the one holding `since`
    up to `until`; major matters (at once) one row per recorded matter."""
    return f"""
        SELECT occurrence.item_id, occurrence.division_id, occurrence.period_start, occurrence.due_on,
               filed.filed_on
        FROM (
            SELECT item.id AS item_id, item.division_id, series.period_start::date AS period_start,
                   ((series.period_start + make_interval(months => cadence.months))::date - 1
                    + cadence.grace) AS due_on
            FROM supervision_disclosureitem item
            JOIN (VALUES {_cadence_values()}) AS cadence (cadence, months, grace) ON cadence.cadence = item.cadence
            CROSS JOIN LATERAL generate_series(
                date_trunc(CASE cadence.months WHEN 1 THEN 'month' ELSE 'quarter' END, item.since::timestamp),
                LEAST(COALESCE(item.until, %(due_to)s), %(due_to)s)::timestamp,
                make_interval(months => cadence.months)
            ) AS series (period_start)
            WHERE item.id IN ({items_sql})
            UNION ALL
            SELECT item.id, item.division_id, matter.period_start, matter.due_on
            FROM supervision_disclosure matter
            JOIN supervision_disclosureitem item ON item.id = matter.item_id
            WHERE item.cadence = '{Cadence.AT_ONCE}' AND item.id IN ({items_sql})
        ) AS occurrence
        -- Only these items' disclosures, so that the join reads them (by the item index), not every
        -- disclosure of the table: a scoring chunk's 5,000 villages hashed all 517,791 of a province.
        LEFT JOIN (
            SELECT filed.item_id, filed.period_start, filed.filed_on FROM supervision_disclosure filed
            WHERE filed.item_id IN ({items_sql})
        ) AS filed
            ON filed.item_id = occurrence.item_id AND filed.period_start = occurrence.period_start
        WHERE occurrence.due_on BETWEEN %(due_from)s AND %(due_to)s
    """


def unit_names(divisions: QuerySet, division) -> dict[str, str]:
    """Code → name of the units (governance.reporting.unit_level) of `division`'s subtree among
    `divisions`, retired ones included (stored results name them); none when the division is
    itself the unit. One query."""
    if division.report_unit_code_length <= len(division.code):
        return {}
    return dict(divisions.subtree(division.code).filter(level=unit_level(division)).values_list("code", "name"))


@dataclass(frozen=True)
class DueDisclosure:
    item_id: int
    division_id: str
    period_start: datetime.date
    due_on: datetime.date
    filed_on: datetime.date | None

    @property
    def on_time(self) -> bool:
        return self.filed_on is not None and self.filed_on <= self.due_on

    def state_on(self, on: datetime.date) -> str:
        """Where this disclosure stands on `on` (supervision.choices.DisclosureState): published by
        then on time or late; else overdue once its deadline has passed (due the day before `on` or
        earlier), not yet due before that."""
        return disclosure_state(self.due_on, self.filed_on, on)


def disclosure_state(due_on: datetime.date, filed_on: datetime.date | None, on: datetime.date) -> str:
    """The one definition of on time, late, overdue and not yet due (DisclosureState): what a
    disclosure due on `due_on` and published on `filed_on` (None: not published) is on `on`."""
    if filed_on is not None and filed_on <= on:
        return DisclosureState.ON_TIME if filed_on <= due_on else DisclosureState.LATE
    return DisclosureState.OVERDUE if due_on < on else DisclosureState.PENDING


class DisclosureItemQuerySet(RestrictedQuerySet):
    def due_between(self, start: datetime.date, end: datetime.date) -> list[DueDisclosure]:
        """The disclosures of these items due from `start` to `end`, filed or not, in one query."""
        items_sql, items_params = self.values("id").query.sql_with_params()
        # The items' SQL has positional parameters; inline them as named ones for the template.
        names = {f"item_{index}": value for index, value in enumerate(items_params)}
        items_sql = items_sql % tuple(f"%({name})s" for name in names)
        sql = (
            due_disclosures_sql(items_sql)
            + " ORDER BY occurrence.division_id, occurrence.item_id, occurrence.period_start"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {**names, "due_from": start, "due_to": end})
            return [DueDisclosure(*row) for row in cursor.fetchall()]

    def overdue(self, on: datetime.date) -> list[DueDisclosure]:
        """What of these items is overdue on `on` (DisclosureState.OVERDUE): due before it and not
        published by it. A disclosure published after its deadline is late, not overdue. The
        calendar, the overdue list, the home page's count and the reports all read this state."""
        return [
            row
            for row in self.due_between(datetime.date.min, on - datetime.timedelta(days=1))
            if row.state_on(on) == DisclosureState.OVERDUE
        ]


class DisclosureQuerySet(RestrictedQuerySet):
    def overdue(self, on: datetime.date) -> DisclosureQuerySet:
        """Recorded disclosures overdue on `on` (disclosure_state): past their deadline and not
        published by `on`."""
        return self.filter(due_on__lt=on).filter(Q(filed_on__isnull=True) | Q(filed_on__gt=on))


class SchemeQuerySet(RestrictedQuerySet):
    def readable_by(self, user) -> SchemeQuerySet:
        """Schemes the user may view where they lie, and the schemes of a division above the
        user's jurisdiction whose results they may read (a district's scheme, read by a town
        official for the town's units: results are read in jurisdiction, by the unit's code)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        above = Q()
        for code in jurisdiction_codes(user, "supervision.view_result"):
            codes = [code[:length] for length in (2, 4, 6, 9, 12) if length < len(code)]
            # A scheme above assesses units of one level: a reader whose subtree is a cooperative
            # has no village's results to read in a scheme of villages (all zeros, 暂无结果).
            levels = [UnitLevel.COOPERATIVE] if len(code) > 12 else [UnitLevel.VILLAGE, UnitLevel.COOPERATIVE]
            above |= Q(division_id__in=codes, level__in=levels)
        return self.filter(Q(pk__in=self.restrict(user, "view").values("pk")) | above)

    def scored_covering(self, division_code: str) -> SchemeQuerySet:
        """The scored schemes whose results cover the division: set by it, by the town or district
        above it, or inside it; newest period (then version) first."""
        above = [division_code[:length] for length in (6, 9) if length <= len(division_code)]
        return (
            self.filter(scored_run__isnull=False)
            .filter(Q(division_id__in=above) | Q(division__code__startswith=division_code))
            .order_by("-period", "-version", "-id")
        )


class ScoringRunQuerySet(RestrictedQuerySet):
    def with_progress(self) -> ScoringRunQuerySet:
        """Each run with `done`: the units of its chunks scored so far."""
        return self.annotate(done=Sum("chunks__units", filter=Q(chunks__state=ChunkState.DONE), default=0))


class ResultQuerySet(RestrictedQuerySet):
    def of_scheme(self, scheme, division_code: str | None = None) -> ResultQuerySet:
        """The stored results of the scheme's scored run (within `division_code`'s subtree when
        given), each with its unit and the unit's parent, by town and rank."""
        rows = (
            self.filter(run_id=scheme.scored_run_id)
            .select_related("unit__parent")
            .order_by("town_id", "rank", "unit_id")
        )
        return rows.filter(unit__code__startswith=division_code) if division_code else rows

    def grades_per_unit(self, code_length: int) -> list[dict]:
        """Per unit (the first `code_length` digits of the result's unit: a town's or a village's
        code), `part` and the count of each grade (a column per Grade value), by code: one GROUP BY.
        Grouped here, not with governance.reporting.per_unit: a result has a `unit` field of its
        own, which that helper's `unit` column would shadow."""
        return list(
            self.annotate(part=Substr("unit_id", 1, code_length))
            .values("part")
            .annotate(**{grade.value: Count("id", filter=Q(grade=grade)) for grade in Grade})
            .order_by("part")
        )

    def units_per_grade(self) -> dict[str, list[str]]:
        """Grade value → the names of the units that got it, in rank order (every Grade present,
        empty when none got it): one query, for a town's grade chart (issue 16 point 1)."""
        names: dict[str, list[str]] = {grade.value: [] for grade in Grade}
        for grade, name in self.order_by("town_id", "rank", "unit_id").values_list("grade", "unit__name"):
            names.setdefault(grade, []).append(name)
        return names

    def grades_per_run(self, run_ids) -> dict[int, dict]:
        """Run id → the `average` total and the count of each grade of these results in that run
        (one GROUP BY); runs without results are absent."""
        rows = (
            self.filter(run_id__in=list(run_ids))
            .values("run_id")
            .annotate(average=Avg("total"), **{grade.value: Count("id", filter=Q(grade=grade)) for grade in Grade})
            .order_by()
        )
        return {row["run_id"]: row for row in rows}

    def indicator_losses(self, indicators) -> list[dict]:
        """Per indicator (code, name, weight) of their scheme, over these stored results: the units
        that lost points on it (scored below 100 or missing), those missing it, and the points lost
        in the total (weight × (100 − score) / 100, summed and averaged), the most points lost first.
        One query, reading the stored scores."""
        results = list(self.values_list("scores", "missing"))
        rows = []
        for code, name, weight in indicators:
            lost, losing, missing = Decimal(0), 0, 0
            for scores, absent in results:
                score = Decimal(str(scores.get(code, 0)))
                if code in absent:
                    missing += 1
                if score < MAX_SCORE:
                    losing += 1
                    lost += weighted_points(weight, MAX_SCORE - score)
            rows.append(
                {
                    "indicator": code,
                    "name": name,
                    "weight": weight,
                    "units": len(results),
                    "losing_units": losing,
                    "missing_units": missing,
                    "points_lost": float(round_score(lost)),
                    "average_lost": float(round_score(lost / len(results))) if results else None,
                }
            )
        return sorted(rows, key=lambda row: (-row["points_lost"], row["indicator"]))


# --- supervision records ------------------------------------------------------------------------------


class RecordQuerySet(RestrictedQuerySet):
    def standing(self) -> RecordQuerySet:
        """The records that stand: not corrected by a later one (a correction's chain ends in it)."""
        return self.filter(corrected_by__isnull=True)


class DisciplinarySanctionQuerySet(RecordQuerySet):
    def in_force_on(self, day: datetime.date) -> DisciplinarySanctionQuerySet:
        """Sanctions standing (not corrected) and in force on `day`: decided on or before it, and
        `day` before the end of their deduction (`ends_on`, exclusive)."""
        return self.standing().filter(decided_on__lte=day, ends_on__gt=day)

    def deduction_percent_by_person(self, person_ids, day: datetime.date) -> dict[int, int]:
        """Person id → the percent of their allowance and bonus withheld on `day` (the largest of
        their sanctions in force; absent when none is). One query, for any number of people."""
        rows = (
            self.in_force_on(day)
            .filter(person_id__in=list(person_ids))
            .values("person_id")
            .annotate(percent=Max("deduction_percent"))
            .order_by()
        )
        return {row["person_id"]: row["percent"] for row in rows}


class IntegrityTalkQuerySet(RecordQuerySet):
    def flag_positions(self, positions):
        """`positions` annotated with `has_integrity_talk`: one of these talks, standing, with the
        person in the post's division held within INTEGRITY_TALK_WINDOW_DAYS before (or on) the
        day the post started. One subquery, whatever the number of rows."""
        window = datetime.timedelta(days=INTEGRITY_TALK_WINDOW_DAYS)
        talks = self.standing().filter(
            person_id=OuterRef("person_id"),
            division_id=OuterRef("division_id"),
            held_on__lte=OuterRef("started_on"),
            held_on__gte=OuterRef("started_on") - window,
        )
        return positions.annotate(has_integrity_talk=Exists(talks))

    def posts_without_talk(self, positions):
        """The posts of INTEGRITY_TALK_POSTS among `positions` that are new (not continuing the
        same person's same post in the division without a break) and were recorded without a
        pre-appointment integrity talk."""
        continued = positions.model.objects.filter(
            person_id=OuterRef("person_id"),
            division_id=OuterRef("division_id"),
            kind=OuterRef("kind"),
            started_on__lt=OuterRef("started_on"),
            ended_on__gte=OuterRef("started_on"),
        )
        new_posts = positions.filter(kind__in=INTEGRITY_TALK_POSTS).exclude(Exists(continued))
        return self.flag_positions(new_posts).filter(has_integrity_talk=False)

    def talkless_posts_for(self, user, on: datetime.date):
        """The current posts of INTEGRITY_TALK_POSTS without a pre-appointment integrity talk that
        `user` may see as such: among the positions they may view, where they may view integrity
        talks. The list page, its API (`leadership-posts-without-talk/`) and the home page's count
        read this one queryset."""
        from villages.models import Position

        positions = Position.objects.restrict(user, "view").current(on).where_held(user, TALK_PERMISSION)
        return self.posts_without_talk(positions)


# --- party members in cooperative committees (Nanhai party-building plan) -------------------------


def cooperative_committee_counts(code: str, days: dict[str, datetime.date], unit_length: int) -> dict[str, dict]:
    """Per unit (the first `unit_length` digits of a cooperative's code) of the subtree of `code`:
    for each day of `days` ({key: day}), `<key>_members`, the people holding a cooperative committee
    post (COOPERATIVE_COMMITTEE_POSITIONS) on that day, and `<key>_party_members`, those of them
    who were party members that day (joined on or before it). A person holding two posts of one
    cooperative counts once. One GROUP BY query whatever the number of units.

    The counted positions are not restricted: a count is an aggregate of a division the caller
    may already see, as villages.querysets.count_related's (report readers see no personal records)."""
    position = apps.get_model("villages", "Position")
    held = {key: held_on(day) for key, day in days.items()}
    # A cooperative's post per person, counted once per cooperative: (division, person) is the pair.
    pair = Concat("division_id", Value(":"), "person_id", output_field=CharField())
    aggregates = {}
    for key, day in days.items():
        aggregates[f"{key}_members"] = Count(pair, filter=held[key], distinct=True)
        aggregates[f"{key}_party_members"] = Count(
            pair, filter=held[key] & Q(person__party_membership__joined_on__lte=day), distinct=True
        )
    any_day = Q()
    for condition in held.values():
        any_day |= condition
    rows = (
        position.objects.filter(
            any_day,
            kind__in=[str(kind) for kind in COOPERATIVE_COMMITTEE_POSITIONS],
            **subtree_range("division_id", code),
        )
        # A village merged away by the last day counts in its successor's (governance.reporting).
        .annotate(unit=UnitOf("division_id", unit_length, max(days.values())))
        .order_by()
        .values("unit")
        .annotate(**aggregates)
    )
    return {row.pop("unit"): row for row in rows}


class EconomicAuditQuerySet(RecordQuerySet):
    def departures(self, positions, on: datetime.date):
        """The leadership posts (LEADERSHIP_POSTS) among `positions` left by `on` (ended_on, the
        first day without the post, on or before it) whose holder did not continue in a leadership
        post of the same division from then (re-elected, or the secretary become 一肩挑), each
        annotated with `has_leaving_audit`: one of these audits, standing, of kind ON_LEAVING,
        about the person in the post's division, whose audited period reaches into the post
        (period_to on or after the post started). Two subqueries, whatever the number of rows."""
        continued = positions.model.objects.filter(
            person_id=OuterRef("person_id"),
            division_id=OuterRef("division_id"),
            kind__in=LEADERSHIP_POSTS,
            started_on__gt=OuterRef("started_on"),
            started_on__lte=OuterRef("ended_on"),
        )
        audits = self.standing().filter(
            kind=AuditKind.ON_LEAVING,
            person_id=OuterRef("person_id"),
            division_id=OuterRef("division_id"),
            period_to__gte=OuterRef("started_on"),
        )
        return (
            positions.filter(kind__in=LEADERSHIP_POSTS, ended_on__isnull=False, ended_on__lte=on)
            .exclude(Exists(continued))
            .annotate(has_leaving_audit=Exists(audits))
        )

    def unaudited_departures(self, positions, on: datetime.date):
        """The departures (above) without an audit on leaving: flagged (Guangxi §15)."""
        return self.departures(positions, on).filter(has_leaving_audit=False)

    def departures_for(self, user, on: datetime.date):
        """The departures of leadership posts by `on` that `user` may see as such: among the
        positions they may view, where they may view economic audits (AUDIT_PERMISSION). The
        report, the person page and the home page's count read this one queryset."""
        from villages.models import Position

        return self.departures(Position.objects.restrict(user, "view").where_held(user, AUDIT_PERMISSION), on)
