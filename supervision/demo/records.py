"""The supervision records of the Nanhai demo (called from supervision.demo, inside load_demo's
transaction), written through supervision.services.records as the inspector (纪检监察, 南海区):

- the district's cadre conduct negative list (DEMO_NEGATIVE_ITEMS), each item with its basis;
- in the village clerk's village (villages.demo.plan.DEMO_VILLAGE_CODE): a pre-appointment integrity
  talk for every new current post that needs one (INTEGRITY_TALK_POSTS: the leaders, the members of
  the two committees, the cooperative heads) but one member of the two committees, whom the
  register flags; a warning decided
  in 2026 (its 10% deduction in force for 6 months), a 2023 demerit long expired, and a serious
  warning filed with the wrong percent and corrected by a second record (the first stays, marked
  corrected); a major matter report; an audit on leaving with its follow-up done and one in office
  whose follow-up is still open;
- an audit on leaving for every leadership post left in the district (LEADERSHIP_POSTS: the 2021
  leaders not re-elected in 2026) but one in 狮山镇, which the register flags (written in one
  statement, not one service call each: there are about a thousand).

Dates are fixed (the demo reads the same any day), except that nothing is dated after today.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from governance import clock
from governance.audit import acting_as
from supervision.choices import (
    LEADERSHIP_POSTS,
    AuditKind,
    DisciplinaryKind,
    MajorMatterCategory,
)
from supervision.models import EconomicAudit, IntegrityTalk
from supervision.services import records as services
from villages.demo.plan import DEMO_VILLAGE_CODE, DISTRICT_CODE, TOWN_CODE
from villages.models import TWO_COMMITTEE_POSITIONS, Division, Position

INSPECTOR = "inspector"

# 南海区干部职务行为负面清单 (the demo's; each item's basis is the rule it rests on).
DEMO_NEGATIVE_ITEMS: tuple[tuple[str, str], ...] = (
    (
        "不得违规插手、干预集体资产发包、出租和工程项目招投标。",
        "《中国共产党纪律处分条例》第一百一十四条；《农村集体资产交易管理办法》",
    ),
    (
        "不得利用职务便利为本人或亲属谋取集体资产承包、租赁等利益。",
        "《中国共产党纪律处分条例》第一百零五条；《村民委员会组织法》第三十九条",
    ),
    (
        "不得违规发放补贴、奖金，不得虚报冒领集体资金。",
        "《农村集体经济组织财务制度》；《公职人员政务处分法》第三十三条",
    ),
    ("不得未经“四议两公开”程序决定村级重大事项。", "《村民委员会组织法》第二十四条；南海区“四议两公开”工作规范"),
    ("不得拖延、隐瞒或不按规定公开村务、财务。", "《村民委员会组织法》第三十条"),
)
NEGATIVE_LIST_FROM = datetime.date(2023, 1, 1)


def _not_after_today(day: datetime.date) -> datetime.date:
    return min(day, clock.today())


def load_demo_records() -> str:
    """Write the demo's supervision records; the one-line summary load_demo prints."""
    inspector = get_user_model().objects.filter(username=INSPECTOR).first()
    district = Division.objects.filter(code=DISTRICT_CODE).first()
    if inspector is None or district is None:
        return "监督记录：未载入（没有纪检监察用户或区）"
    with acting_as(inspector):
        items = [
            services.add_negative_item(
                acting_user=inspector,
                division=district,
                number=number,
                text=text,
                basis=basis,
                valid_from=NEGATIVE_LIST_FROM,
            )
            for number, (text, basis) in enumerate(DEMO_NEGATIVE_ITEMS, start=1)
        ]
        posts = list(
            Position.objects.filter(division__code__startswith=DEMO_VILLAGE_CODE, kind__in=LEADERSHIP_POSTS)
            .current(clock.today())
            .select_related("person")
            .order_by("division_id", "kind", "id")
        )
        talks = _integrity_talks(inspector)
        unaudited = _audits_on_leaving(inspector)
        records = 0
        if posts:
            records = _sanctions_reports_and_audits(inspector, posts, items)
    return (
        f"监督记录：负面清单 {len(items)} 项，任前廉洁谈话 {talks} 次，处分、报告和审计 {records} 条，"
        f"缺离任审计 {unaudited} 人"
    )


def _integrity_talks(inspector) -> int:
    """A talk a week before each new current post of the demo village that needs one, but the
    first member of the two committees (not a leader): the register flags that one."""
    today = clock.today()
    needing = list(
        IntegrityTalk.objects.posts_without_talk(
            Position.objects.filter(division__code__startswith=DEMO_VILLAGE_CODE).current(today)
        )
        .select_related("person")
        .order_by("division_id", "kind", "id")
    )
    members = [post for post in needing if post.kind in TWO_COMMITTEE_POSITIONS and post.kind not in LEADERSHIP_POSTS]
    left_without = members[0] if members else None
    talks = 0
    for post in needing:
        if post == left_without:
            continue
        services.file_integrity_talk(
            acting_user=inspector,
            person=post.person,
            position=post,
            held_on=post.started_on - datetime.timedelta(days=7),
            talked_by="镇纪委书记",
            summary="任前廉洁谈话：遵守负面清单，严守集体“三资”管理和村务公开规定。",
        )
        talks += 1
    return talks


def _audits_on_leaving(inspector) -> int:
    """An audit on leaving, reported two months after, for every leadership post of the district
    left by today without one, but the first of 狮山镇's: the number left unaudited (one)."""
    today = clock.today()
    departures = list(
        EconomicAudit.objects.unaudited_departures(
            Position.objects.filter(division__code__startswith=DISTRICT_CODE), today
        ).order_by("division_id", "ended_on", "id")
    )
    flagged = next((post for post in departures if post.division_id.startswith(TOWN_CODE)), None)
    EconomicAudit.objects.bulk_create(
        EconomicAudit(
            division_id=post.division_id,
            person_id=post.person_id,
            position=post,
            recorded_by=inspector,
            kind=AuditKind.ON_LEAVING,
            period_from=post.started_on,
            period_to=max(post.started_on, post.ended_on - datetime.timedelta(days=1)),
            reported_on=_not_after_today(post.ended_on + datetime.timedelta(days=60)),
            auditor="佛山市南海区农村集体经济审计中心",
            findings="未发现重大问题。",
        )
        for post in departures
        if post != flagged
    )
    return 1 if flagged else 0


def _sanctions_reports_and_audits(inspector, posts, items) -> int:
    first, last = posts[0], posts[-1]
    services.file_sanction(
        acting_user=inspector,
        person=first.person,
        position=first,
        kind=DisciplinaryKind.WARNING,
        decided_on=_not_after_today(datetime.date(2026, 9, 15)),
        decided_by="中共佛山市南海区纪律检查委员会",
        basis="《中国共产党纪律处分条例》第一百一十四条",
        negative_item=items[0],
        facts="违规过问村集体物业出租事项，经查属实。",
    )
    services.file_sanction(
        acting_user=inspector,
        person=last.person,
        position=last,
        kind=DisciplinaryKind.DEMERIT,
        decided_on=datetime.date(2023, 5, 10),
        decided_by="佛山市南海区监察委员会",
        basis="《公职人员政务处分法》第三十三条",
        negative_item=items[2],
        facts="违规发放节日补贴 8,600 元，已全部退回。",
    )
    wrong = services.file_sanction(
        acting_user=inspector,
        person=last.person,
        position=last,
        kind=DisciplinaryKind.SERIOUS_WARNING,
        decided_on=datetime.date(2026, 3, 2),
        decided_by="中共佛山市南海区纪律检查委员会",
        basis="《中国共产党纪律处分条例》第一百二十八条",
        negative_item=items[4],
        facts="连续两个季度未按规定公开村级财务。",
        deduction_percent=50,
    )
    services.file_sanction(
        acting_user=inspector,
        person=last.person,
        position=last,
        kind=DisciplinaryKind.SERIOUS_WARNING,
        decided_on=datetime.date(2026, 3, 2),
        decided_by="中共佛山市南海区纪律检查委员会",
        basis="《中国共产党纪律处分条例》第一百二十八条",
        negative_item=items[4],
        facts="连续两个季度未按规定公开村级财务。",
        deduction_percent=20,
        corrects=wrong,
        correction_reason="处分决定书载明扣减比例为 20%，原登记有误。",
    )
    services.file_major_matter_report(
        acting_user=inspector,
        person=first.person,
        category=MajorMatterCategory.RELATIVES_BUSINESS,
        reported_on=datetime.date(2025, 4, 8),
        matter="配偶在本镇经营建材店，已书面报告并承诺回避本村相关工程采购。",
    )
    leaving = services.file_economic_audit(
        acting_user=inspector,
        person=last.person,
        kind=AuditKind.ON_LEAVING,
        period_from=datetime.date(2018, 1, 1),
        period_to=datetime.date(2020, 12, 31),
        reported_on=datetime.date(2021, 3, 20),
        auditor="佛山市南海区农村集体经济审计中心",
        findings="部分物业租金收缴不及时；两项工程未按规定公开招标。",
        follow_up="追缴欠收租金；完善工程招标程序。",
    )
    services.record_audit_follow_up(
        leaving,
        acting_user=inspector,
        done_on=datetime.date(2021, 9, 30),
        result="欠收租金已全部追缴；已修订招标制度。",
    )
    services.file_economic_audit(
        acting_user=inspector,
        person=first.person,
        position=first,
        kind=AuditKind.IN_OFFICE,
        period_from=datetime.date(2023, 1, 1),
        period_to=datetime.date(2025, 12, 31),
        reported_on=datetime.date(2026, 4, 15),
        auditor="佛山市南海区农村集体经济审计中心",
        findings="集体资金存放分散，未全部纳入镇农村“三资”监管平台。",
        follow_up="三个月内将全部集体资金纳入监管平台。",
    )
    return 7
