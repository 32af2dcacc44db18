"""The assessment indicator computed from party members' service posts (Guangxi §10: each party
member holds at least one service post, 设岗定责), contributed through governance's registry.

One set-based SQL statement over the scheme's units (governance.registry.Indicator): a village's
party members are those whose organisation (`branch`) is the village and who joined by the
counting day; a member holds a post that day when a claim of theirs began by then and was not left
by then (engagement.querysets.party: the day a member leaves a post they no longer hold it).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from engagement.choices import PARTY_MEMBER_MIN_POSTS, SERVICE_POSTS_TARGET_PERCENT
from governance.registry import Indicator
from villages.choices import Level

# A village with no party member on the counting day scores 100: nobody was due a post (the rule
# of every "nothing due" indicator of the portal: supervision.choices.NOTHING_DUE_SCORE).
NO_MEMBERS_SCORE = Decimal("100")

SERVICE_POSTS_CLAIMED = Indicator(
    code="service_posts_claimed",
    name=_("党员认岗率"),
    level=Level.VILLAGE,
    description=format_lazy(
        _(
            "统计日本村（社区）党组织的党员中，至少认领{posts}个服务岗的百分比，保留两位小数"
            "（目标{target}%）；统计日无党员得100分（广西意见第十条：设岗定责）。"
        ),
        posts=PARTY_MEMBER_MIN_POSTS,
        target=SERVICE_POSTS_TARGET_PERCENT,
    ),
    # The same count as the service-posts report's `share` on the same day (both round half up
    # to 2 decimals).
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN count(member.id) = 0 THEN {NO_MEMBERS_SCORE}
                    ELSE round(100.0 * count(member.id) FILTER (WHERE member.posts >= {PARTY_MEMBER_MIN_POSTS})
                               / count(member.id), 2)
               END AS score
        FROM units
        LEFT JOIN (
            SELECT m.id, m.branch_id,
                   (SELECT count(*) FROM engagement_postclaim claim
                     WHERE claim.member_id = m.id AND claim.claimed_on <= %(day)s
                       AND (claim.left_on IS NULL OR claim.left_on > %(day)s)) AS posts
            FROM villages_partymembership m
            WHERE m.branch_id >= %(first_town)s AND m.branch_id < %(after_last_town)s
              AND m.joined_on <= %(day)s
        ) member ON member.branch_id = units.code
        GROUP BY units.code
    """,
)

INDICATORS = (SERVICE_POSTS_CLAIMED,)
