"""The assessment indicators computed from direct contact (五挂钩 links, contact days).

`contact_links_filled` (village level): the percent of a village's five links (五挂钩: district
leader, district-organ party branch, town leader, town-organ party branch, deputies and members;
Nanhai party-building plan) filled on the counting day (the period's last day, or the day the run
was asked for while the period runs), 2 decimals: 5 filled score 100, 4 score 80, none 0. A kind
counts once however many hold it (several deputies and members are one link). Our reading: the plan
asks that each village *have* its five links, so the score is the state on the counting day, not an
average over the period; a link ended before that day no longer counts. One set-based statement
over the scheme's units; a village finds its links by equality on the link's division, within the
chunk's range of codes (the index on the division).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from engagement.choices import LINKS_PER_VILLAGE, LinkKind
from governance.registry import Indicator
from villages.choices import Level

_KINDS = ", ".join(f"'{kind}'" for kind in LinkKind.values)

CONTACT_LINKS_FILLED = Indicator(
    code="contact_links_filled",
    name=_("五挂钩落实率"),
    level=Level.VILLAGE,
    description=_(
        "统计日村（社区）五挂钩（区领导、区直机关党支部、镇（街道）领导、镇（街道）机关党支部、"
        "两代表一委员）中已落实的比例，保留两位小数；五项齐全得100分，每缺一项少20分（南海区党建工作方案）。"
    ),
    sql=f"""
        SELECT units.code AS unit,
               round(100.0 * count(DISTINCT link.kind) / {LINKS_PER_VILLAGE}, 2) AS score
        FROM units
        LEFT JOIN engagement_contactlink link
            ON link.division_id = units.code
            AND link.division_id >= %(first_town)s AND link.division_id < %(after_last_town)s
            AND link.kind IN ({_KINDS})
            AND link.since <= %(day)s AND (link.until IS NULL OR link.until >= %(day)s)
        GROUP BY units.code
    """,
)

INDICATORS: tuple = (CONTACT_LINKS_FILLED,)
