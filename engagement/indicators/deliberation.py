"""The assessment indicator computed from deliberation (议事协商), for village schemes:
`deliberation_held` (Jiangsu 一: deliberation bodies in every village and community; Guangyuan (三):
topics from the guiding catalogue, pre-reviewed, deliberated).

Our reading: a village scores 100 when its deliberation body held, in the period up to the counting
day, at least one meeting that deliberated a topic (a topic pre-reviewed and then deliberated in
that meeting); else 0, a village without a body included. A body that meets without deliberating a
topic has not practised 议事协商 in the sense of the documents: the topic, from the catalogue and
pre-reviewed, is what makes a meeting count.

One set-based SQL statement over the scheme's units (governance.registry.Indicator): the village's
body by equality on its division, within the chunk's range of codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from engagement.choices import TopicStatus
from governance.registry import Indicator
from villages.choices import Level

HELD_SCORE = 100
NOT_HELD_SCORE = 0

DELIBERATION_HELD = Indicator(
    code="deliberation_held",
    name=_("开展议事协商"),
    level=Level.VILLAGE,
    description=_(
        "考核期间内（至统计日止），村（社区）议事协商组织至少召开一次会议并协商了经预审的议题，得100分；"
        "否则（含未建立议事协商组织）得0分（江苏意见一；广元方案（三））。"
    ),
    sql=f"""
        SELECT units.code AS unit,
               CASE WHEN EXISTS (
                   SELECT 1
                   FROM engagement_deliberationbody body
                   JOIN engagement_meeting meeting ON meeting.body_id = body.id
                   JOIN engagement_topic topic ON topic.meeting_id = meeting.id
                   WHERE body.division_id = units.code
                     AND body.division_id >= %(first_town)s AND body.division_id < %(after_last_town)s
                     AND meeting.held_on >= %(start)s AND meeting.held_on <= %(day)s
                     AND topic.status = '{TopicStatus.DELIBERATED.value}'
               ) THEN {HELD_SCORE} ELSE {NOT_HELD_SCORE} END AS score
        FROM units
    """,
)

INDICATORS = (DELIBERATION_HELD,)
