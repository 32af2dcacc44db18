"""The demo's village matter admission and collective asset transactions (called from
rights_lists.demo.lists.load_demo_lists, in load_demo's transaction; docs/api.md, "Demo content"):

- 狮山镇's own negative list of projects (镇域项目负面清单, 440605124), published, in force since
  NEGATIVE_LIST_VALID_FROM;
- in the village clerk's village (唐边村委会), an admission request of each outcome: admitted on
  the duties-by-law list and on the assisted-duties list, refused on the negative list and on no
  list, and one refused then excepted by the town official with a reason (filed by the clerk:
  four eyes);
- three transactions of that village filed by the clerk, under the town's review: a lease of a
  fish pond whose bidders are all eligible, a bidding of a pond one of whose bidders is the
  villager the covenants demo bars from asset bidding (a repeat violator, 屡教不改, barred
  until 2029-09-09, covenants.demo.BARRED_VIOLATION: the eligibility check at the review names
  the bar and the day they are free), and a lease of a workshop whose purpose hits the town's
  negative list.

Everything is written through rights_lists.services.admission and .transactions, as in the
browser. The covenants demo runs after this one: the barred villager is chosen the way it chooses
its violators (adults holding no post, one per household, in ID-number order), and their bar is
judged when the town reviews (the transaction page checks it live while it waits).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from governance.audit import acting_as
from rights_lists.choices import TOWN_CODE_LENGTH, ListKind, ListStatus, Procedure, TransactionKind
from rights_lists.models import ListItem, RightsList
from rights_lists.services import admission, transactions
from villages.demo.plan import DEMO_VILLAGE_CODE
from villages.models import Division, Person

D = datetime.date
CLERK = "village_clerk"
TOWN_OFFICIAL = "town_official"
TOWN_CODE = DEMO_VILLAGE_CODE[:TOWN_CODE_LENGTH]  # 狮山镇 440605124
NEGATIVE_LIST_VALID_FROM = D(2024, 1, 1)
NEGATIVE_PROJECTS = ("高污染、高耗能工业项目", "危险化学品生产、储存项目", "未经批准的商品房开发项目")

# (requester, matter, kind of the list whose item "number" it is on or None, number, requested_on)
DEMO_REQUESTS = (
    ("区民政局", "村务公开和民主管理", ListKind.DUTIES_BY_LAW, "2", D(2026, 10, 9)),
    ("区统计局", "协助开展人口普查", ListKind.ASSISTED_DUTIES, "3", D(2026, 10, 15)),
    ("区公安分局", "出具家庭成员关系证明", ListKind.NEGATIVE, "1", D(2026, 10, 20)),
    ("区水务局", "代收自来水费", None, None, D(2026, 10, 28)),
    ("狮山镇应急办", "汛期河道巡查值守", None, None, D(2026, 11, 2)),
)
EXCEPTED_MATTER = "汛期河道巡查值守"
EXCEPTION_REASON = "汛期应急需要，由村协助巡查至2027年1月31日，镇应急办提供经费和培训。"
EXCEPTED_ON = D(2026, 11, 4)
OTHER_BIDDERS = 5  # the eligible bidders of the three transactions


def load_demo_transactions() -> str:
    """Write this part of the demo; returns its one-line summary."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[CLERK, TOWN_OFFICIAL])}
    village = Division.objects.filter(code=DEMO_VILLAGE_CODE).first()
    town = Division.objects.filter(code=TOWN_CODE).first()
    if village is None or town is None or CLERK not in users or TOWN_OFFICIAL not in users:
        return "村级事项准入和集体资产交易 / admission and asset transactions: skipped."
    negative = _write_negative_list(town)
    requests = _write_requests(village, users[CLERK], users[TOWN_OFFICIAL])
    filed = _write_transactions(village, users[CLERK], negative)
    return (
        f"村级事项准入 / admission: {len(requests)} 项申请 requests; "
        f"集体资产交易 / asset transactions: {len(filed)} 项待镇级审核 awaiting review in {DEMO_VILLAGE_CODE}; "
        f"{TOWN_CODE} 镇域项目负面清单 {len(NEGATIVE_PROJECTS)} 项."
    )


def _write_negative_list(town: Division) -> list[ListItem]:
    with acting_as(None, source="load_demo"):
        rights_list = RightsList.objects.create(
            owner=town,
            kind=ListKind.TOWN_NEGATIVE_PROJECTS,
            title=f"{town.name}{ListKind.TOWN_NEGATIVE_PROJECTS.label}",
            status=ListStatus.PUBLISHED,
            valid_from=NEGATIVE_LIST_VALID_FROM,
        )
        return ListItem.objects.bulk_create(
            ListItem(
                list=rights_list,
                number=str(number),
                title=title,
                category="项目准入",
                basis="《狮山镇产业发展规划》",
                responsible_body="狮山镇经济促进局",
                procedure=Procedure.TOWN_REVIEW,
            )
            for number, title in enumerate(NEGATIVE_PROJECTS, 1)
        )


def _write_requests(village: Division, clerk, official) -> list:
    items = {
        (item.list.kind, item.number): item
        for item in ListItem.objects.in_force_for(village.code, D(2026, 10, 1)).select_related("list")
    }
    rows = []
    for requester, matter, kind, number, requested_on in DEMO_REQUESTS:
        row = admission.file_request(
            acting_user=clerk,
            division=village,
            requester=requester,
            matter=matter,
            requested_on=requested_on,
            item=items.get((kind, number)) if kind else None,
        )
        if matter == EXCEPTED_MATTER:
            row = admission.grant_exception(row, acting_user=official, reason=EXCEPTION_REASON, excepted_on=EXCEPTED_ON)
        rows.append(row)
    return rows


def demo_bidders(village: Division) -> tuple[Person, list[Person]]:
    """The villager the covenants demo bars from asset bidding, and others it leaves alone: adults
    holding no post, one per household, in ID-number order, as covenants.demo chooses them."""
    from covenants.demo import BARRED_VIOLATION, BORN_BY, DEMO_VIOLATIONS

    people, households = [], set()
    adults = Person.objects.filter(
        division__code__startswith=village.code, positions__isnull=True, birth_date__lte=BORN_BY
    ).order_by("id_number")
    for person in adults[:50]:
        if person.household_id not in households:
            households.add(person.household_id)
            people.append(person)
    violators = people[: len(DEMO_VIOLATIONS)]
    others = Person.objects.filter(division__code__startswith=village.code, birth_date__lte=BORN_BY).exclude(
        pk__in=[person.pk for person in violators]
    )
    return people[BARRED_VIOLATION], list(others.order_by("-id_number")[:OTHER_BIDDERS])


def _write_transactions(village: Division, clerk, negative: list[ListItem]) -> list:
    barred, others = demo_bidders(village)
    specs = (
        {
            "asset": "唐边村五号鱼塘（12亩）",
            "kind": TransactionKind.LEASE,
            "purpose": "水产养殖",
            "term_months": 60,
            "reserve_price_fen": 3_600_000,
            "bidding_on": D(2026, 12, 15),
            "bidders": [(others[0], 3_800_000), (others[1], 4_050_000)],
        },
        {
            "asset": "唐边村第三经济社二号鱼塘（8亩）",
            "kind": TransactionKind.BIDDING,
            "purpose": "水产养殖",
            "term_months": 36,
            "reserve_price_fen": 2_400_000,
            "bidding_on": D(2026, 12, 18),
            "bidders": [(barred, 2_900_000), (others[2], 2_650_000), (others[3], 2_500_000)],
        },
        {
            "asset": "唐边村工业区三号厂房",
            "kind": TransactionKind.LEASE,
            "purpose": f"电镀加工（{negative[0].title}）",
            "term_months": 120,
            "reserve_price_fen": 18_000_000,
            "bidding_on": D(2026, 12, 22),
            "bidders": [(others[4], 18_500_000)],
        },
    )
    return [transactions.file_transaction(acting_user=clerk, division=village, **spec) for spec in specs]
