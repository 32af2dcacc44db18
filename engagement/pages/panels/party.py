"""The engagement dashboard's panel of party members' service (设岗定责、先锋指数): per unit (the
towns of a district, the villages of a town) the party members and the share holding at least
one service post, against 100% (Guangxi §10), as a table and a bar chart; and the branches with
the highest pioneer index (average points per member) in the period.

Counted on the period's last day, or today while it runs. Four queries whatever the number of
units and members: the units, the post counts per unit (one GROUP BY), the top branches (one
GROUP BY), nothing per row."""

from __future__ import annotations

from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from engagement.choices import SERVICE_POSTS_TARGET_PERCENT
from engagement.querysets.party import branch_average, members_on, post_counts, posts_share, posts_target_met
from governance import clock
from governance.access.querysets import holds_in
from governance.reporting import per_unit, units_of
from villages.models import Division, PartyMembership

# How many branches the panel names by their pioneer index.
TOP_BRANCHES = 5
VIEW_POSTS = "engagement.view_servicepost"
VIEW_POINTS = "engagement.view_pointentry"


def panel(user, division, period) -> dict | None:
    """The panel's context for a town or district and a period, or None when the user views no
    service post there: see engagement.pages.dashboard."""
    if not holds_in(user, VIEW_POSTS, division.code):
        return None
    on = min(period.end, clock.today())
    members = PartyMembership.objects.restrict(user, "view").where_held(user, VIEW_POSTS, "branch__code")
    members = members.filter(branch__code__startswith=division.code)
    counts = {
        row["unit"]: row
        for row in per_unit(members_on(members, on), "branch_id", division, on).annotate(**post_counts())
    }
    rows = []
    for unit in units_of(Division.objects.restrict(user, "view"), division, on):
        row = counts.get(unit["code"], {"party_members": 0, "with_post": 0})
        share = posts_share(row["with_post"], row["party_members"])
        rows.append({**unit, **row, "share": share, "target_met": posts_target_met(share)})
    return {
        "key": "party",
        "template": "engagement/panels/party.html",
        "rows": rows,
        "target": SERVICE_POSTS_TARGET_PERCENT,
        "on": on,
        "top_branches": top_branches(user, members, period) if holds_in(user, VIEW_POINTS, division.code) else None,
        "charts": [
            {
                "id": "chart-party-posts",
                "title": _("党员认岗率（%）"),
                "names": [row["name"] for row in rows],
                "values": [row["share"] for row in rows],
                "target": SERVICE_POSTS_TARGET_PERCENT,
            }
        ],
    }


def top_branches(user, members, period) -> list[dict]:
    """The branches with the highest average points per party member in the period (their
    pioneer index): one GROUP BY, the first TOP_BRANCHES."""
    earned = Q(point_entries__earned_on__gte=period.start, point_entries__earned_on__lte=period.end)
    rows = (
        members.where_held(user, VIEW_POINTS, "branch__code")
        .filter(joined_on__lte=period.end)
        .order_by()
        .values("branch_id", "branch__name")
        .annotate(
            members=Count("id", distinct=True),
            points=Coalesce(Sum("point_entries__points", filter=earned), Value(0)),
        )
        .annotate(average=Cast(F("points"), FloatField()) / F("members"))
        .order_by("-average", "branch_id")[:TOP_BRANCHES]
    )
    return [
        {
            "code": row["branch_id"],
            "name": row["branch__name"],
            "members": row["members"],
            "points": row["points"],
            "index": branch_average(row["points"], row["members"]),
        }
        for row in rows
    ]
