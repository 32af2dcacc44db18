"""The rights_lists part of the Nanhai demo (manage.py load_demo runs it after villages' own load,
through governance.registry.demo_steps, in the same transaction).

What it holds (docs/api.md, "Demo content"):

- the district's lists: one published template of 南海区 per kind (choices.ListKind: the important
  matters-power lists of villages and of cooperatives, the petty power list, the social management
  duty list and the three lists), each with items of each procedure (four_deliberations,
  committee, town_review), in force since TEMPLATES_VALID_FROM;
- every template adopted in every village of the district (one INSERT for all of them);
- in the village clerk's village (唐边村委会, villages.demo.plan.DEMO_VILLAGE_CODE), the decisions
  of DEMO_DECISIONS at every stage: closed, implemented, resolution published, adopted, open
  midway, not adopted (a representative assembly that sat and lacked the majority), a committee
  decision closed, a town review adopted by the town, and one withdrawn. They are written through
  rights_lists.services by the demo's village clerk (and the town official for the town's
  review), so every rule of the procedure holds for them as it would in the browser.

Set-based: the templates, their items and the adoptions are three bulk_create calls.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection

from governance.audit import acting_as, keep_audit_triggers_linear
from rights_lists import rules, services
from rights_lists.choices import Body, ListKind, ListStatus, Procedure, PublicationKind, Step
from rights_lists.models import Adoption, Decision, ListItem, RightsList
from villages.demo.plan import DEMO_VILLAGE_CODE, DISTRICT_CODE
from villages.models import Division, Level

TEMPLATES_VALID_FROM = datetime.date(2023, 1, 1)
ADOPTED_ON = datetime.date(2023, 1, 15)
CLERK = "village_clerk"
TOWN_OFFICIAL = "town_official"
BASIS_ORGANIC_LAW = "《中华人民共和国村民委员会组织法》第二十四条"
BASIS_NANHAI = "《南海区关于深化农村体制机制改革的意见》（2022）"

# (number, title, category, responsible body, procedure, full procedure above (fen), publicity days)
Item = tuple[str, str, str, str, str, int | None, int]

DEMO_ITEMS: dict[str, tuple[Item, ...]] = {
    ListKind.VILLAGE_MATTERS: (
        ("1", "集体土地、物业的发包、出租", "集体资产", "村委会", Procedure.FOUR_DELIBERATIONS, None, 7),
        ("2", "村级公益事业建设项目", "村级工程", "村委会", Procedure.COMMITTEE, 20_000_000, 5),
        ("3", "集体资产处置", "集体资产", "村委会", Procedure.TOWN_REVIEW, None, 7),
        ("4", "征地补偿费的使用、分配方案", "集体资产", "村委会", Procedure.FOUR_DELIBERATIONS, None, 7),
    ),
    ListKind.COOPERATIVE_MATTERS: (
        ("1", "经济社集体资产发包、出租", "集体资产", "经济社", Procedure.FOUR_DELIBERATIONS, None, 7),
        ("2", "经济社年度收益分配方案", "收益分配", "经济社", Procedure.FOUR_DELIBERATIONS, None, 7),
        ("3", "经济社日常小额开支", "财务", "社委会", Procedure.COMMITTEE, 1_000_000, 3),
        ("4", "经济社集体资产处置", "集体资产", "经济社", Procedure.TOWN_REVIEW, None, 7),
    ),
    ListKind.PETTY_POWER: (
        ("1", "村级小额采购", "财务", "村委会", Procedure.COMMITTEE, 5_000_000, 3),
        ("2", "低保、特困供养对象初审", "民生", "村委会", Procedure.COMMITTEE, None, 7),
        ("3", "宅基地申请初审", "宅基地", "村委会", Procedure.TOWN_REVIEW, None, 7),
        ("4", "村级重大项目立项", "村级工程", "村委会", Procedure.FOUR_DELIBERATIONS, None, 7),
    ),
    ListKind.SOCIAL_MANAGEMENT: (
        ("1", "网格化巡查和矛盾纠纷排查化解", "社会治理", "村委会", Procedure.COMMITTEE, None, 0),
        ("2", "出租屋和流动人口登记", "社会治理", "村委会", Procedure.COMMITTEE, None, 0),
        ("3", "村级安全生产和消防检查", "安全", "村委会", Procedure.TOWN_REVIEW, None, 0),
        ("4", "人居环境整治方案", "人居环境", "村委会", Procedure.FOUR_DELIBERATIONS, None, 5),
    ),
    ListKind.DUTIES_BY_LAW: (
        ("1", "召集村民会议、村民代表会议", "村民自治", "村委会", Procedure.COMMITTEE, None, 0),
        ("2", "村务公开和民主管理", "村民自治", "村委会", Procedure.COMMITTEE, None, 0),
        ("3", "制定和修改村规民约", "村民自治", "村委会", Procedure.FOUR_DELIBERATIONS, None, 7),
        ("4", "村级财务管理", "财务", "村委会", Procedure.TOWN_REVIEW, None, 0),
    ),
    ListKind.ASSISTED_DUTIES: (
        ("1", "协助开展社会保险参保登记", "民生", "村委会", Procedure.COMMITTEE, None, 0),
        ("2", "协助开展征兵工作", "其他", "村委会", Procedure.COMMITTEE, None, 0),
        ("3", "协助开展人口普查", "统计", "村委会", Procedure.TOWN_REVIEW, None, 0),
        ("4", "协助做好征地拆迁工作", "征地拆迁", "村委会", Procedure.FOUR_DELIBERATIONS, None, 7),
    ),
    ListKind.NEGATIVE: (
        ("1", "不得要求村（社区）出具应由职能部门核实的证明", "证明事项", "各职能部门", Procedure.COMMITTEE, None, 0),
        ("2", "不得将行政执法事项交由村（社区）承担", "行政执法", "各职能部门", Procedure.TOWN_REVIEW, None, 0),
        ("3", "不得以考核名义向村（社区）摊派招商引资任务", "考核", "各职能部门", Procedure.TOWN_REVIEW, None, 0),
        ("4", "村级重大事项不得未经民主程序决定", "民主决策", "村委会", Procedure.FOUR_DELIBERATIONS, None, 0),
    ),
}


@dataclass(frozen=True)
class DemoDecision:
    """A decision of the demo village: its item (number on the village matters list unless
    `kind` says otherwise), title, the days of its steps, and how far it went."""

    item: str
    title: str
    steps: tuple[datetime.date, ...]
    kind: str = ListKind.VILLAGE_MATTERS
    amount_fen: int | None = None
    lacks_majority: bool = False  # the last step sat but did not adopt it
    resolution_published_on: datetime.date | None = None
    implemented_on: datetime.date | None = None
    summary: str = ""
    outcome_published_on: datetime.date | None = None
    withdrawn_on: datetime.date | None = None
    withdrawal_reason: str = ""
    body: str = Body.REPRESENTATIVE_ASSEMBLY


D = datetime.date
FULL = (D(2026, 2, 3), D(2026, 2, 10), D(2026, 2, 24), D(2026, 3, 6))

DEMO_DECISIONS: tuple[DemoDecision, ...] = (
    DemoDecision(
        "1",
        "唐边村第三经济社鱼塘发包",
        FULL,
        resolution_published_on=D(2026, 3, 9),
        implemented_on=D(2026, 4, 20),
        summary="经农村集体资产交易平台公开竞投，与中标人签订五年承包合同。",
        outcome_published_on=D(2026, 4, 25),
    ),
    DemoDecision(
        "2",
        "村道硬底化及路灯改造工程",
        (D(2026, 5, 6), D(2026, 5, 12), D(2026, 5, 26), D(2026, 6, 5)),
        amount_fen=68_000_000,  # above the item's 200,000 yuan: the full procedure
        resolution_published_on=D(2026, 6, 8),
        implemented_on=D(2026, 10, 30),
        summary="工程已完工并通过镇建设办验收。",
    ),
    DemoDecision(
        "1",
        "村委会旧办公楼一楼商铺出租",
        (D(2026, 7, 1), D(2026, 7, 8), D(2026, 7, 15), D(2026, 7, 28)),
        resolution_published_on=D(2026, 7, 31),
    ),
    DemoDecision("1", "村集体仓库出租给物流企业", (D(2026, 9, 2), D(2026, 9, 9), D(2026, 9, 23), D(2026, 10, 12))),
    DemoDecision("4", "2026年征地补偿款分配方案", (D(2026, 10, 14), D(2026, 10, 21))),
    DemoDecision(
        "4",
        "村民小组征地补偿款按人口平均分配方案",
        (D(2026, 8, 5), D(2026, 8, 12), D(2026, 8, 26), D(2026, 9, 8)),
        lacks_majority=True,
    ),
    DemoDecision(
        "1",
        "村委会办公用品及防汛物资采购",
        (D(2026, 6, 16),),
        kind=ListKind.PETTY_POWER,
        amount_fen=3_600_000,
        resolution_published_on=D(2026, 6, 17),
        implemented_on=D(2026, 6, 30),
        summary="已按询价结果采购并入库。",
        outcome_published_on=D(2026, 7, 2),
    ),
    DemoDecision("3", "村集体旧厂房拍卖处置", (D(2026, 11, 10),)),
    DemoDecision(
        "1",
        "村口停车场建设项目",
        (D(2026, 4, 8),),
        withdrawn_on=D(2026, 4, 20),
        withdrawal_reason="镇规划调整，该地块纳入道路拓宽范围，项目取消。",
    ),
)


def load_demo_lists() -> str:
    """Write the rights_lists part of the demo; returns the one-line summary load_demo prints."""
    with acting_as(None, source="load_demo"):
        with connection.cursor() as cursor:
            keep_audit_triggers_linear(cursor)
        templates = RightsList.objects.bulk_create(
            RightsList(
                owner_id=DISTRICT_CODE,
                kind=kind,
                title=f"南海区{ListKind(kind).label}",
                version=1,
                status=ListStatus.PUBLISHED,
                valid_from=TEMPLATES_VALID_FROM,
            )
            for kind in DEMO_ITEMS
        )
        items = ListItem.objects.bulk_create(
            ListItem(
                list=template,
                number=number,
                title=title,
                category=category,
                basis=BASIS_ORGANIC_LAW if procedure == Procedure.FOUR_DELIBERATIONS else BASIS_NANHAI,
                responsible_body=responsible,
                procedure=procedure,
                full_procedure_above_fen=threshold,
                publicity_days=days,
            )
            for template in templates
            for number, title, category, responsible, procedure, threshold, days in DEMO_ITEMS[template.kind]
        )
        villages = list(
            Division.objects.filter(
                code__startswith=DISTRICT_CODE, level=Level.VILLAGE, retired_on__isnull=True
            ).values_list("code", flat=True)
        )
        adoptions = Adoption.objects.bulk_create(
            Adoption(template=template, division_id=code, adopted_on=ADOPTED_ON)
            for template in templates
            for code in villages
        )
    decisions = _write_demo_decisions(templates)
    from rights_lists.demo.transactions import load_demo_transactions

    admission_and_transactions = load_demo_transactions()
    return (
        f"事权清单 / lists: {len(templates)} 个区级模板 templates, {len(items)} 项事项 items, "
        f"{len(adoptions)} 次采用 adoptions in {len(villages)} villages, "
        f"{len(decisions)} 项决策 decisions in {DEMO_VILLAGE_CODE}. {admission_and_transactions}"
    )


def _figures(body: str, *, adopt: bool = True) -> dict:
    """Plausible figures of a meeting: the expected count from the village's records where they
    have enough of them (left for the service to default), else a usual size of the body."""
    sizes = {
        Body.PARTY_COMMITTEE: 5,
        Body.TWO_COMMITTEES: 9,
        Body.PARTY_ASSEMBLY: 42,
        Body.REPRESENTATIVE_ASSEMBLY: 35,
        Body.TOWN: 9,
    }
    known = rules.expected_from_records(body, DEMO_VILLAGE_CODE, datetime.date(2026, 1, 1))
    expected = known if known is not None and known >= 5 else sizes[body]
    present = expected - expected // 6
    votes_for = expected // 2 + 1 if adopt else present // 2
    return {"expected": expected, "present": present, "votes_for": votes_for, "votes_against": present - votes_for}


def _write_demo_decisions(templates: list[RightsList]) -> list[Decision]:
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[CLERK, TOWN_OFFICIAL])}
    village = Division.objects.filter(code=DEMO_VILLAGE_CODE).first()
    if village is None or CLERK not in users or TOWN_OFFICIAL not in users:
        return []
    clerk, official = users[CLERK], users[TOWN_OFFICIAL]
    by_kind = {template.kind: template for template in templates}
    decisions = []
    for spec in DEMO_DECISIONS:
        item = ListItem.objects.get(list=by_kind[spec.kind], number=spec.item)
        decision = services.open_decision(
            acting_user=clerk, division=village, item=item, title=spec.title, amount_fen=spec.amount_fen
        )
        steps = Decision.objects.get(pk=decision.pk).steps_required
        for index, (name, held_on) in enumerate(zip(steps, spec.steps, strict=False)):
            body = spec.body if name == Step.RESOLUTION else None
            default_body = body or _body_of(decision.procedure, name)
            last = index == len(spec.steps) - 1
            services.record_step(
                decision,
                acting_user=official if default_body == Body.TOWN else clerk,
                step=name,
                held_on=held_on,
                body=body,
                **_figures(default_body, adopt=not (last and spec.lacks_majority)),
            )
        if spec.resolution_published_on:
            services.publish_decision(
                decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=spec.resolution_published_on
            )
        if spec.implemented_on:
            services.record_implementation(
                decision, acting_user=clerk, done_on=spec.implemented_on, summary=spec.summary
            )
        if spec.outcome_published_on:
            services.publish_decision(
                decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=spec.outcome_published_on
            )
        if spec.withdrawn_on:
            services.withdraw_decision(
                decision, acting_user=clerk, reason=spec.withdrawal_reason, withdrawn_on=spec.withdrawn_on
            )
        decisions.append(decision)
    return decisions


def _body_of(procedure: str, step: str) -> str:
    from rights_lists.choices import PROCEDURE_STEPS

    return dict(PROCEDURE_STEPS[procedure])[step][0]
