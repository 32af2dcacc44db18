"""Set-based queries of party members' service (党员设岗定责、积分): who holds a service post on a
day, members with at least PARTY_MEMBER_MIN_POSTS posts per unit, points per member and branch
in a period and the pioneer index (先锋指数). Written once here; the API, the reports, the pages,
the dashboard panel and the home count ask them.

Readings (docs/parts/domain-party.md):
- a claim holds its post on day D when `claimed_on <= D` and it was not left by then (`left_on` is
  null or after D: the day a member leaves a post they no longer hold it);
- a party member counts on day D when they joined by then (`joined_on <= D`); the party members
  of a village are those whose organisation (`branch`) is the village;
- a member's points in a period: the sum of their point entries earned in it (the rule's points
  when they were awarded, stored on the entry);
- a branch's pioneer index: its average points per party member (every member counted, with or
  without points); a member's pioneer index: their points over their branch's average × 100
  (100 = the branch's average), one decimal; null when the branch's average is 0.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from engagement.choices import (
    PARTY_MEMBER_MIN_POSTS,
    PIONEER_INDEX_BASE,
    PIONEER_INDEX_PLACES,
    SERVICE_POSTS_TARGET_PERCENT,
)
from governance.access.querysets import RestrictedQuerySet, assigned_codes


def _prefixes(code: str) -> list[str]:
    """Every leading part of a division code: its ancestors' codes and its own."""
    return [code[:length] for length in range(1, len(code) + 1)]


class PointRuleQuerySet(RestrictedQuerySet):
    def readable_by(self, user) -> PointRuleQuerySet:
        """The rules of every district the user's jurisdiction lies in or covers: a town official
        or a village clerk reads their district's rules, which lie above their subtree (the
        district's data, as grids' event categories). Only for who views point rules somewhere."""
        from governance.access.permissions import may_act_somewhere

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not may_act_somewhere(user, self.model, "view"):
            return self.none()
        condition = Q()
        for code in assigned_codes(user):
            condition |= Q(district__code__startswith=code) | Q(district_id__in=_prefixes(code))
        return self.filter(condition) if condition else self.none()

    def of_district_of(self, division_code: str) -> PointRuleQuerySet:
        """The rules of the district a division lies in (a district's code is 6 digits: its
        prefixes include it)."""
        return self.filter(district_id__in=_prefixes(division_code))


def holds_on(on: datetime.date, prefix: str = "") -> Q:
    """The claims that hold their post on `on` (see the module's readings); `prefix` the path
    from the queried model to the claim ("post_claims__")."""
    return Q(**{f"{prefix}claimed_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


def posts_held_on(on: datetime.date) -> Subquery:
    """A member's number of posts held on `on`, as a correlated subquery (0 when none): a column
    of the members' query, not a query per member."""
    claims = apps.get_model("engagement", "PostClaim")
    held = (
        claims.objects.filter(holds_on(on), member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(posts=Count("id"))
        .values("posts")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


def members_on(members, on: datetime.date):
    """The party members counted on `on` (joined by then), each with `posts` held that day."""
    return members.filter(joined_on__lte=on).annotate(posts=posts_held_on(on))


def without_post(members, on: datetime.date):
    """The party members counted on `on` who hold fewer than PARTY_MEMBER_MIN_POSTS posts that
    day (设岗定责: each holds at least one)."""
    return members_on(members, on).filter(posts__lt=PARTY_MEMBER_MIN_POSTS)


def post_counts() -> dict:
    """The aggregates of the service-posts share over members annotated by members_on(): the
    report, the dashboard and the home count count alike."""
    return {
        "party_members": Count("id"),
        "with_post": Count("id", filter=Q(posts__gte=PARTY_MEMBER_MIN_POSTS)),
    }


# Shares are percents with two decimals, as every engagement report's (DESIGN.md §7).
SHARE_PLACES = 2


def posts_share(with_post: int, members: int) -> float | None:
    """Percent of the party members holding a post, 2 decimals; None without members."""
    from governance.reporting import percent

    return percent(with_post, members, SHARE_PLACES)


def posts_target_met(share: float | None) -> bool | None:
    """Every party member holds a post (100%); None without members (nothing to judge)."""
    return None if share is None else share >= SERVICE_POSTS_TARGET_PERCENT


def points_between(start: datetime.date, end: datetime.date) -> Coalesce:
    """A member's points earned from `start` to `end` (0 when none), for .annotate() on members."""
    earned = Q(point_entries__earned_on__gte=start, point_entries__earned_on__lte=end)
    return Coalesce(Sum("point_entries__points", filter=earned), Value(0))


def branch_average(points: int, members: int) -> float | None:
    """A branch's pioneer index: its average points per party member, 2 decimals (half up, in
    integer arithmetic); None without members."""
    if not members:
        return None
    scale = 100
    return (points * 2 * scale + members) // (2 * members) / scale


def member_index(points: int, branch_points: int, branch_members: int) -> float | None:
    """A member's pioneer index: their points over their branch's average × 100, one decimal
    (half up, integer arithmetic: points × members × 100 / branch points); None when the
    branch's average is 0."""
    if not branch_points or not branch_members:
        return None
    scale = 10**PIONEER_INDEX_PLACES
    numerator = points * branch_members * PIONEER_INDEX_BASE * scale
    return (numerator * 2 + branch_points) // (2 * branch_points) / scale


def pioneer_table(members, start: datetime.date, end: datetime.date) -> list[dict]:
    """The pioneer index of the members of `members` (a restricted PartyMembership queryset) for
    the days from `start` to `end`: one query. Members count when they joined by `end`. Each
    branch with members: `code`, `name`, `members`, `points` (in all), `average` (the branch's
    index) and `rows` (its members, most points first: `id`, `name`, `points`, `index`)."""
    rows = (
        members.filter(joined_on__lte=end)
        .annotate(points=points_between(start, end))
        .order_by("branch_id", "-points", "person__name", "id")
        .values("id", "person__name", "branch_id", "branch__name", "points")
    )
    branches: dict[str, dict] = {}
    for row in rows:
        branch = branches.setdefault(
            row["branch_id"], {"code": row["branch_id"], "name": row["branch__name"], "rows": []}
        )
        branch["rows"].append({"id": row["id"], "name": row["person__name"], "points": row["points"]})
    for branch in branches.values():
        branch["members"] = len(branch["rows"])
        branch["points"] = sum(row["points"] for row in branch["rows"])
        branch["average"] = branch_average(branch["points"], branch["members"])
        for row in branch["rows"]:
            row["index"] = member_index(row["points"], branch["points"], branch["members"])
    return list(branches.values())


__all__ = [
    "PointRuleQuerySet",
    "branch_average",
    "holds_on",
    "pioneer_table",
    "member_index",
    "members_on",
    "points_between",
    "post_counts",
    "posts_share",
    "posts_target_met",
    "without_post",
    "posts_held_on",
]
