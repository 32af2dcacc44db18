"""Visit coverage of many visiting cadres at once (Guangxi §16), set-based: the report
`visit-coverage`, the coverage pages, the dashboard panel and the home page's count all read
`coverage_table()`, which costs one SQL statement whatever the number of cadres (DESIGN.md §6).

It answers what engagement.querysets.coverage_of answers for one cadre (a few queries per cadre;
kept as the plain reading of the rule, and tested to agree with this one):

- each quota of the cadre's level (VISIT_QUOTAS) over its window (quota_window: the period's year,
  its half-year, or the term so far);
- required: the administrative villages of the cadre's county (the county secretary), the
  cooperatives (natural villages) of the cadre's town (the town head), the cooperatives (groups) of
  the cadre's linked villages (a town leader), the households of the linked villages (a town
  leader over the term, a town cadre each year); villages and cooperatives active at the window's
  end;
- visited: those of them the cadre visited within the window: a visit to a division or anything
  under it counts for a village or a cooperative, a visit to the household itself for a household.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from engagement.choices import (
    CADRE_MIN_ENTREPRENEURS,
    CADRE_MIN_HOUSEHOLDS,
    PARTY_MEMBER_MIN_HOUSEHOLDS,
    VISIT_QUOTAS,
    ContactKind,
    QuotaTarget,
    QuotaWindow,
    VisitorLevel,
)
from engagement.querysets import Coverage, quota_window
from governance.periods import Period
from villages.choices import TWO_COMMITTEE_POSITIONS, Level

# What a quota asks, readable (the report's `quota_name`, the pages' column): the rule of Guangxi §16.
QUOTA_NAMES = {
    (QuotaTarget.VILLAGES, QuotaWindow.TERM): _("任期内走遍本县（区）所有行政村"),
    (QuotaTarget.NATURAL_VILLAGES, QuotaWindow.YEAR): _("每年走遍本乡镇（街道）所有自然村"),
    (QuotaTarget.GROUPS, QuotaWindow.HALF_YEAR): _("每半年走遍包联村所有村民小组"),
    (QuotaTarget.HOUSEHOLDS, QuotaWindow.TERM): _("任期内走遍包联村所有农户"),
    (QuotaTarget.HOUSEHOLDS, QuotaWindow.YEAR): _("每年走遍包联村所有农户"),
}


def quota_code(target: str, window: str) -> str:
    """The report's `quota`: what and within which window, e.g. `households_year`."""
    return f"{target}_{window}"


def quota_name(target: str, window: str) -> str:
    return str(QUOTA_NAMES.get((target, window), quota_code(target, window)))


@dataclass(frozen=True)
class CadreCoverage:
    """One quota of one cadre: the report's row."""

    cadre: object  # a VisitingCadre
    coverage: Coverage

    @property
    def quota(self) -> str:
        return quota_code(self.coverage.target, self.coverage.window)

    @property
    def quota_name(self) -> str:
        return quota_name(self.coverage.target, self.coverage.window)


# Which level of division a quota's target counts (households are households).
_TARGET_LEVEL = {
    QuotaTarget.VILLAGES: Level.VILLAGE,
    QuotaTarget.NATURAL_VILLAGES: Level.COOPERATIVE,
    QuotaTarget.GROUPS: Level.COOPERATIVE,
}
# Quotas counted over the cadre's own county or town, the others over their linked villages.
_OVER_OWN_DIVISION = (QuotaTarget.VILLAGES, QuotaTarget.NATURAL_VILLAGES)


def _table(app_model: str) -> str:
    return connection.ops.quote_name(apps.get_model(app_model)._meta.db_table)


def _statement(quota_rows: int) -> str:
    cadre = _table("engagement.VisitingCadre")
    links = connection.ops.quote_name(apps.get_model("engagement.VisitingCadre").villages.through._meta.db_table)
    division = _table("villages.Division")
    household = _table("villages.Household")
    visit = _table("engagement.Visit")
    values = ", ".join(["(%s::bigint, %s::int, %s::text, %s::date, %s::date)"] * quota_rows)
    own = ", ".join(f"'{target}'" for target in _OVER_OWN_DIVISION)
    level_of = " ".join(f"WHEN '{target}' THEN '{level}'" for target, level in _TARGET_LEVEL.items())
    # A subtree is a range of codes in the C collation (villages.querysets.subtree_range), which the
    # btree index on each code column serves.
    return f"""
        WITH quota(cadre_id, position, target, start_on, end_on) AS (VALUES {values}),
        prefix AS (
            SELECT q.cadre_id, q.position, q.target, q.end_on, c.division_id AS code
            FROM quota q JOIN {cadre} c ON c.id = q.cadre_id
            WHERE q.target IN ({own})
            UNION ALL
            SELECT q.cadre_id, q.position, q.target, q.end_on, l.division_id
            FROM quota q JOIN {links} l ON l.visitingcadre_id = q.cadre_id
            WHERE q.target NOT IN ({own})
        ),
        place AS (
            -- LATERAL: each prefix reads its own subtree by the code index (a hash join on the
            -- level would compare every prefix with every division of the country). OFFSET 0
            -- keeps the subquery whole: flattened, PostgreSQL chose that hash join (19 ms of the
            -- town's 34 on the demo; 1.2 ms kept whole, bench/README.md "api_load").
            SELECT DISTINCT p.cadre_id, p.position, d.code AS code, NULL::bigint AS household_id
            FROM prefix p CROSS JOIN LATERAL (
                SELECT d.code FROM {division} d
                WHERE d.code >= p.code AND d.code < (p.code || ':') COLLATE "C"
                  AND d.level = (CASE p.target {level_of} END)
                  AND (d.retired_on IS NULL OR d.retired_on > p.end_on)
                OFFSET 0
            ) d
            WHERE p.target <> '{QuotaTarget.HOUSEHOLDS}'
            UNION ALL
            SELECT DISTINCT p.cadre_id, p.position, NULL, h.id
            FROM prefix p JOIN {household} h
              ON h.division_id >= p.code AND h.division_id < (p.code || ':') COLLATE "C"
            WHERE p.target = '{QuotaTarget.HOUSEHOLDS}'
        ),
        -- The visits of each quota's window, once: the villages or groups they reached (the
        -- visited division's code cut to the places' length: codes nest by prefix) and the
        -- households; each place is then judged by an equality join, never a scan per place.
        window_visit AS (
            SELECT q.cadre_id, q.position, v.division_id, v.household_id
            FROM quota q JOIN {visit} v
              ON v.visitor_id = q.cadre_id AND v.visited_on >= q.start_on AND v.visited_on <= q.end_on
        ),
        code_length AS (
            SELECT cadre_id, position, max(length(code)) AS length
            FROM place WHERE code IS NOT NULL GROUP BY cadre_id, position
        ),
        visited_code AS (
            SELECT DISTINCT w.cadre_id, w.position, left(w.division_id, l.length) AS code
            FROM window_visit w JOIN code_length l ON l.cadre_id = w.cadre_id AND l.position = w.position
        ),
        visited_household AS (
            SELECT DISTINCT cadre_id, position, household_id
            FROM window_visit WHERE household_id IS NOT NULL
        )
        SELECT q.cadre_id, q.position,
               count(place.cadre_id) AS required,
               count(place.cadre_id) FILTER (
                   WHERE vc.code IS NOT NULL OR vh.household_id IS NOT NULL
               ) AS visited
        FROM quota q
        LEFT JOIN place ON place.cadre_id = q.cadre_id AND place.position = q.position
        LEFT JOIN visited_code vc
          ON vc.cadre_id = place.cadre_id AND vc.position = place.position AND vc.code = place.code
        LEFT JOIN visited_household vh
          ON vh.cadre_id = place.cadre_id AND vh.position = place.position AND vh.household_id = place.household_id
        GROUP BY q.cadre_id, q.position
    """


def coverage_table(cadres, period: Period) -> list[CadreCoverage]:
    """Each quota of each cadre (VisitingCadre objects, already read) over its window for a report
    of `period`, in the cadres' order then their quotas': one SQL statement (none without cadres)."""
    cadres = list(cadres)
    quotas = []  # (cadre, position, target, window, start, end)
    for cadre in cadres:
        for position, (target, window) in enumerate(VISIT_QUOTAS.get(cadre.level, ())):
            start, end = quota_window(window, period, cadre.term_started_on)
            quotas.append((cadre, position, target, window, start, end))
    if not quotas:
        return []
    params = []
    for cadre, position, target, _window, start, end in quotas:
        params += [cadre.pk, position, str(target), start, end]
    with connection.cursor() as cursor:
        cursor.execute(_statement(len(quotas)), params)
        counted = {(cadre_id, position): (required, visited) for cadre_id, position, required, visited in cursor}
    rows = []
    for cadre, position, target, window, start, end in quotas:
        required, visited = counted.get((cadre.pk, position), (0, 0))
        rows.append(
            CadreCoverage(
                cadre=cadre,
                coverage=Coverage(
                    target=target, window=window, start=start, end=end, required=required, visited=visited
                ),
            )
        )
    return rows


def cadres_behind(cadres, period: Period) -> set[int]:
    """The ids of the cadres short of at least one quota (coverage_table: one statement)."""
    return {row.cadre.pk for row in coverage_table(cadres, period) if not row.coverage.met}


# Levels in the order pages list them (the widest quota first).
LEVEL_ORDER = {level: index for index, level in enumerate(VisitorLevel.values)}


def window_label(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%Y-%m-%d} ~ {end:%Y-%m-%d}"


# --- Contacts kept by village cadres and party members (Guangxi §10) -----------------------------


class KeptRole:
    """Whose rule applies to a person: a village cadre's (1 entrepreneur and 5 households) when
    they hold a post of the two committees on the day, else a party member's (3 households). A
    cadre who is a party member keeps the cadre's rule, the stricter one (our reading)."""

    VILLAGE_CADRE = "village_cadre"
    PARTY_MEMBER = "party_member"
    LABELS = {VILLAGE_CADRE: _("村干部"), PARTY_MEMBER: _("党员")}


def required_contacts(role: str) -> tuple[int, int]:
    """(entrepreneurs, households) a person of `role` keeps at least (Guangxi §10)."""
    if role == KeptRole.VILLAGE_CADRE:
        return CADRE_MIN_ENTREPRENEURS, CADRE_MIN_HOUSEHOLDS
    return 0, PARTY_MEMBER_MIN_HOUSEHOLDS


def kept_on(on: datetime.date) -> Q:
    """Contacts kept on `on`: begun on or before it and not ended before it."""
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))


def _kept(kind: str, on: datetime.date):
    kept_contact = apps.get_model("engagement.KeptContact")
    counted = (
        kept_contact.objects.filter(kept_on(on), person_id=OuterRef("pk"), kind=kind)
        .order_by()
        .values("person_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def kept_contacts_table(people, on: datetime.date) -> list[dict]:
    """Each village cadre (a current post of the two committees in a village) and party member
    among `people` (a Person queryset, restricted by the caller) with the contacts they keep on
    `on` against Guangxi §10: one query whatever the number of people."""
    position = apps.get_model("villages.Position")
    party_membership = apps.get_model("villages.PartyMembership")
    cadre_post = position.objects.filter(
        person_id=OuterRef("pk"), kind__in=TWO_COMMITTEE_POSITIONS, started_on__lte=on
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    member = party_membership.objects.filter(person_id=OuterRef("pk"), joined_on__lte=on)
    rows = (
        people.annotate(
            is_cadre=Exists(cadre_post),
            is_member=Exists(member),
            entrepreneurs=_kept(ContactKind.ENTREPRENEUR, on),
            households=_kept(ContactKind.HOUSEHOLD, on),
        )
        .filter(Q(is_cadre=True) | Q(is_member=True))
        .order_by("division_id", "name", "id")
        .values("id", "name", "division_id", "division__name", "is_cadre", "is_member", "entrepreneurs", "households")
    )
    table = []
    for row in rows:
        role = KeptRole.VILLAGE_CADRE if row["is_cadre"] else KeptRole.PARTY_MEMBER
        need_entrepreneurs, need_households = required_contacts(role)
        table.append(
            {
                **row,
                "role": role,
                "required_entrepreneurs": need_entrepreneurs,
                "required_households": need_households,
                "target_met": row["entrepreneurs"] >= need_entrepreneurs and row["households"] >= need_households,
            }
        )
    return table


__all__ = [
    "QUOTA_NAMES",
    "CadreCoverage",
    "KeptRole",
    "cadres_behind",
    "coverage_table",
    "kept_contacts_table",
    "quota_code",
    "quota_name",
    "required_contacts",
]
