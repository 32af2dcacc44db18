"""What the grids demo holds, and the draw of it: 狮山镇's grids with their workers, and a year of
events up to the moment of the load, each with the steps of its flow. Plain data: `build_plan`
touches no database (grids/demo/loading.py writes it).

The rules the draw follows, and why:

- Grids: every village and community of 狮山镇 (84) is covered (Guangxi §17: 全覆盖), 3 to 6
  grids each by its households in the demo (GRIDS_BY_HOUSEHOLDS: a bigger village has more), each
  with its own named grid worker (定人、定岗、定责), a user holding the grid_worker role over the
  village. The first grid of the village clerk's village (唐边村委会) is walked by the demo sign-in
  `grid_worker`. A grid's `households` is a plausible figure of real households (a grid is about
  150-400 households), not the demo's sample of households.
- Events: each grid reports EVENTS_PER_GRID a year, of the district's categories (CATEGORY_WEIGHTS),
  reported in office hours at any moment of the last EVENT_DAYS days. What happened to an event
  follows from the delays drawn for each step: a step whose moment is still ahead of the load has
  not happened, so the older events are closed and the recent ones stand at each state.
- Who does what (DESIGN.md section 7): the grid's worker reports (in the village clerk's village
  the clerk reports some); the town official (`town_official`) assesses, whistles departments,
  records their arrival, records the reporter's evaluation (回访) and closes; the village records
  the handling (the grid's worker; in the clerk's village mostly `village_clerk`). So whoever
  handled an event never closes it (查办分离).
- Whistled events (吹哨报到) name one or two of the district's departments fitting the category;
  the departments report to the scene before the handling.
- Time limits: most events are handled within their category's time limit, LATE_SHARE not;
  an event still unhandled after its limit is overdue (the query computes it).
- Evaluations: satisfied, basically satisfied or dissatisfied; a dissatisfied evaluation sends the
  event back to be handled again, and in some cases the village has not done it yet (STUCK_SHARE).
  The villages of LOW_SATISFACTION_VILLAGES are dissatisfied far more often and leave most sent-
  back events unhandled, so that they stay below the 90% target (SATISFACTION_TARGET_PERCENT) and
  the reports show misses; the other villages stay well above it.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from grids.choices import EventState, Route, Satisfaction, StepKind
from villages.demo.generation import FEMALE_GIVEN, MALE_GIVEN, SURNAMES, chinese_numeral
from villages.demo.plan import DEFAULT_SEED, DEMO_VILLAGE_CODE

SEED = DEFAULT_SEED
# The demo sign-ins that take part (villages.demo.plan.DEMO_USERS).
DEMO_GRID_WORKER = "grid_worker"  # the worker of the first grid of DEMO_VILLAGE_CODE
TOWN_OFFICIAL = "town_official"  # assesses, whistles, records arrivals and evaluations, closes
VILLAGE_CLERK = "village_clerk"  # reports some and handles most events of DEMO_VILLAGE_CODE
# The generated grid workers' usernames: gw_<village code>_<grid number>.
WORKER_USERNAME = "gw_{village}_{number}"

# Grids per village by its households in the demo: 3, and one more for each HOUSEHOLDS_PER_GRID
# households, at most 6.
GRIDS_BY_HOUSEHOLDS = (3, 6)
HOUSEHOLDS_PER_GRID = 15
GRID_HOUSEHOLDS = (150, 400)  # real households of a grid (demo figure)

EVENT_DAYS = 365
EVENTS_PER_GRID = (10, 18)
OFFICE_HOURS = (8, 19)  # reported between 08:00 and 19:59
# The first events drawn are reported minutes before the load, whatever its hour, so that some
# always wait for assessment: drawn in office hours only, the events still unassessed (reported
# within the last few hours) were 3 at noon and 2 at night, and the demo's "every state" depended
# on the clock. Their draws are unchanged (the rest of the plan with them): only the moment moves.
FRESH_REPORTS = 4
FRESH_REPORT_MINUTES = (5, 6)  # the k-th is reported 5 + 6k minutes before the load: before any assessment
# How often each category comes up (demo weights), and how often it is whistled to departments.
CATEGORY_WEIGHTS = {
    "environment": 25,
    "dispute": 18,
    "public_facility": 15,
    "livelihood": 14,
    "safety_hazard": 12,
    "illegal_building": 8,
    "other": 8,
}
WHISTLE_SHARE = {
    "illegal_building": 0.6,
    "safety_hazard": 0.35,
    "environment": 0.25,
    "public_facility": 0.2,
    "dispute": 0.15,
    "livelihood": 0.1,
    "other": 0.05,
}
# The district's departments called for each category (governance.departments' standard names).
DEPARTMENTS_FOR = {
    "illegal_building": ("自然资源局", "城市管理和综合执法局", "住房城乡建设局"),
    "safety_hazard": ("住房城乡建设局", "公安分局", "城市管理和综合执法局"),
    "environment": ("生态环境局", "城市管理和综合执法局"),
    "public_facility": ("交通运输局", "住房城乡建设局"),
    "dispute": ("公安分局", "民政局"),
    "livelihood": ("民政局", "农业农村局"),
    "other": ("农业农村局",),
}

# Delays between the steps, in hours (demo figures of a town's grid centre).
ASSESS_HOURS = (0.5, 6)
SLOW_ASSESS_SHARE, SLOW_ASSESS_HOURS = 0.05, (24, 72)
ARRIVE_HOURS = (0.5, 4)
ON_TIME_FRACTION = (0.15, 0.95)  # of the time limit, for an event handled in time
LATE_FRACTION = (1.05, 2.5)
EVALUATE_HOURS = (4, 48)
REHANDLE_HOURS = (24, 168)
CLOSE_HOURS = (2, 72)
BASICALLY_SATISFIED_SHARE = 0.2  # of the evaluations that are not dissatisfied

# Villages of 狮山镇 that fall short of the satisfaction target (fixed codes, not drawn, so that
# they can be named; none is the village clerk's village): code → name.
LOW_SATISFACTION_VILLAGES = {
    "440605124213": "狮西村委会",
    "440605124249": "石泉村委会",
    "440605124031": "白沙桥社区居委会",
    "440605124097": "大学城社区居委会",
}


@dataclass(frozen=True)
class Profile:
    """How a village's events go: late handling, dissatisfaction, sent-back events left waiting."""

    late_share: float
    dissatisfied_share: tuple[float, float]
    stuck_share: float


PROFILE = Profile(late_share=0.03, dissatisfied_share=(0.01, 0.05), stuck_share=0.1)
LOW_PROFILE = Profile(late_share=0.2, dissatisfied_share=(0.2, 0.26), stuck_share=0.7)

DESCRIPTIONS = {
    "safety_hazard": ("电线老化裸露，存在触电隐患", "出租屋楼道堆放杂物，堵塞消防通道", "危旧房外墙开裂，有倒塌风险"),
    "dispute": ("两户村民因宅基地边界发生争执", "邻里因排水问题发生纠纷", "租客与房东因押金退还发生纠纷"),
    "environment": ("垃圾收集点满溢，未及时清运", "河涌水面漂浮垃圾，有异味", "路边乱堆建筑垃圾"),
    "illegal_building": ("农田旁新建砖混结构房屋，未见报建手续", "楼顶加建铁皮房", "占用村道搭建棚架"),
    "public_facility": ("路灯不亮", "村道路面破损积水", "文化楼健身器材损坏"),
    "livelihood": ("独居老人反映生活困难，需要上门帮扶", "低保户申请材料咨询", "村民反映自来水水压不足"),
    "other": ("流浪犬在村口聚集", "村民咨询社保缴费事宜", "广告牌松动"),
}
SUMMARIES = {
    "safety_hazard": "已联系供电所和业主整改，隐患已消除。",
    "dispute": "经村调委会调解，双方达成一致，签订调解协议。",
    "environment": "已安排保洁人员清理，并加密清运频次。",
    "illegal_building": "已责令停工并自行拆除，现场已复原。",
    "public_facility": "已报修并完成维修，恢复正常使用。",
    "livelihood": "已上门了解情况，协助办理相关手续。",
    "other": "已现场处理完毕。",
}
LANDMARKS = ("祠堂旁", "村口", "文化楼前", "鱼塘边", "市场旁", "篮球场", "公交站旁", "小学门口")
STREETS = ("兴业", "东风", "建设", "幸福", "和平", "人民", "文明", "朝阳", "龙湖", "新村", "工业", "环村")


@dataclass(frozen=True)
class PlannedGrid:
    village_code: str
    number: int
    name: str
    area: str
    households: int
    worker: str  # a username
    worker_name: tuple[str, str] | None  # (last, first) of a generated worker; None: a demo sign-in


@dataclass(frozen=True)
class PlannedStep:
    kind: str
    at: datetime.datetime
    by: str  # a username
    route: str = ""
    departments: tuple[str, ...] = ()
    satisfaction: str = ""
    note: str = ""


@dataclass
class PlannedEvent:
    grid: int  # index into GridPlan.grids
    category: str
    description: str
    location: str
    reported_at: datetime.datetime
    reported_by: str
    due_at: datetime.datetime
    state: str = EventState.REPORTED
    route: str = ""
    departments: tuple[str, ...] = ()
    assessed_at: datetime.datetime | None = None
    handled_at: datetime.datetime | None = None
    handled_by: str | None = None
    summary: str = ""
    satisfaction: str = ""
    evaluated_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    closed_by: str | None = None
    steps: list[PlannedStep] = field(default_factory=list)

    def record(self, step: PlannedStep) -> None:
        self.steps.append(step)

    @property
    def updated_at(self) -> datetime.datetime:
        return self.steps[-1].at


@dataclass
class GridPlan:
    grids: list[PlannedGrid] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)

    def states(self) -> Counter:
        return Counter(event.state for event in self.events)


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    households: int  # in the demo

    @property
    def is_community(self) -> bool:
        return self.code[9] in "01"

    @property
    def short_name(self) -> str:
        for suffix, replacement in (("村委会", "村"), ("社区居委会", "社区"), ("居委会", "社区")):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)] + replacement
        return self.name


def grid_count(households: int) -> int:
    low, high = GRIDS_BY_HOUSEHOLDS
    return max(low, min(high, low + households // HOUSEHOLDS_PER_GRID))


def build_plan(villages: list[Village], limits: dict[str, int], now: datetime.datetime, seed: int = SEED) -> GridPlan:
    """The grids of `villages` (狮山镇's, in code order) and their events up to `now` (an aware
    moment), drawn from `seed`; `limits` are the district's time limits by category code."""
    rng = random.Random(seed)
    plan = GridPlan()
    for village in villages:
        first = len(plan.grids)
        plan.grids.extend(_grids(rng, village))
        profile = LOW_PROFILE if village.code in LOW_SATISFACTION_VILLAGES else PROFILE
        dissatisfied_share = rng.uniform(*profile.dissatisfied_share)
        for index in range(first, len(plan.grids)):
            for _ in range(rng.randint(*EVENTS_PER_GRID)):
                fresh = len(plan.events)
                fresh_minutes = (
                    FRESH_REPORT_MINUTES[0] + FRESH_REPORT_MINUTES[1] * fresh if fresh < FRESH_REPORTS else None
                )
                plan.events.append(
                    _event(
                        rng, plan.grids[index], index, village, limits, now, profile, dissatisfied_share, fresh_minutes
                    )
                )
    plan.events.sort(key=lambda event: (event.reported_at, event.grid))
    return plan


def _grids(rng: random.Random, village: Village) -> list[PlannedGrid]:
    grids = []
    for number in range(1, grid_count(village.households) + 1):
        if village.is_community:
            first, second = rng.sample(STREETS, 2)
            area = f"{first}路、{second}街一带"
        else:
            area = f"第{chinese_numeral(2 * number - 1)}、{chinese_numeral(2 * number)}村民小组"
        demo = village.code == DEMO_VILLAGE_CODE and number == 1
        male = rng.random() < 0.5
        given = "".join(rng.sample(MALE_GIVEN if male else FEMALE_GIVEN, 2))
        grids.append(
            PlannedGrid(
                village_code=village.code,
                number=number,
                name=f"{village.short_name}第{chinese_numeral(number)}网格",
                area=area,
                households=rng.randint(*GRID_HOUSEHOLDS),
                worker=DEMO_GRID_WORKER if demo else WORKER_USERNAME.format(village=village.code, number=number),
                worker_name=None if demo else (rng.choice(SURNAMES[:20]), given),
            )
        )
    return grids


def _hours(rng: random.Random, bounds: tuple[float, float]) -> datetime.timedelta:
    return datetime.timedelta(hours=rng.uniform(*bounds))


def _reported_at(rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """A moment in office hours of one of the last EVENT_DAYS days, not after `now`."""
    day = now.date() - datetime.timedelta(days=rng.randrange(EVENT_DAYS))
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(*OFFICE_HOURS), rng.randrange(60)), tzinfo=now.tzinfo
    )
    return moment - datetime.timedelta(days=1) if moment > now else moment


def _event(
    rng: random.Random,
    grid: PlannedGrid,
    index: int,
    village: Village,
    limits: dict[str, int],
    now: datetime.datetime,
    profile: Profile,
    dissatisfied_share: float,
    fresh_minutes: int | None = None,
) -> PlannedEvent:
    """One event and its steps up to `now`: each step happens if its moment is not ahead of now
    (reported `fresh_minutes` before `now` when given: see FRESH_REPORTS)."""
    category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    in_clerks_village = village.code == DEMO_VILLAGE_CODE
    reporter = VILLAGE_CLERK if in_clerks_village and rng.random() < 0.3 else grid.worker
    handler = VILLAGE_CLERK if in_clerks_village and rng.random() < 0.7 else grid.worker
    if village.is_community:
        location = f"{village.short_name}{rng.choice(STREETS)}路{rng.randint(1, 88)}号"
    else:
        location = f"{village.short_name}第{chinese_numeral(rng.randint(1, 12))}村民小组{rng.choice(LANDMARKS)}"
    reported_at = _reported_at(rng, now)
    if fresh_minutes is not None:
        reported_at = now - datetime.timedelta(minutes=fresh_minutes)
    limit = datetime.timedelta(hours=limits[category])
    event = PlannedEvent(
        grid=index,
        category=category,
        description=f"{location}：{rng.choice(DESCRIPTIONS[category])}。",
        location=location,
        reported_at=reported_at,
        reported_by=reporter,
        due_at=reported_at + limit,
    )
    event.record(PlannedStep(StepKind.REPORT, reported_at, reporter))
    # Drawn whatever happens next, so that each event takes the same number of draws.
    slow = rng.random() < SLOW_ASSESS_SHARE
    assessed_at = reported_at + _hours(rng, SLOW_ASSESS_HOURS if slow else ASSESS_HOURS)
    whistle = rng.random() < WHISTLE_SHARE[category]
    called = DEPARTMENTS_FOR[category]
    departments = tuple(rng.sample(called, min(len(called), rng.randint(1, 2)))) if whistle else ()
    arrived_at = assessed_at + _hours(rng, ARRIVE_HOURS)
    late = rng.random() < profile.late_share
    handled_at = reported_at + limit * rng.uniform(*(LATE_FRACTION if late else ON_TIME_FRACTION))
    handled_at = max(handled_at, (arrived_at if whistle else assessed_at) + datetime.timedelta(hours=1))
    evaluated_at = handled_at + _hours(rng, EVALUATE_HOURS)
    satisfaction = _satisfaction(rng, dissatisfied_share)
    stuck = rng.random() < profile.stuck_share
    rehandled_at = evaluated_at + _hours(rng, REHANDLE_HOURS)
    reevaluated_at = rehandled_at + _hours(rng, EVALUATE_HOURS)
    second = Satisfaction.BASICALLY_SATISFIED if rng.random() < 0.4 else Satisfaction.SATISFIED
    closed_at = (reevaluated_at if satisfaction == Satisfaction.DISSATISFIED else evaluated_at) + _hours(
        rng, CLOSE_HOURS
    )

    if assessed_at > now:
        return event
    route = Route.WHISTLE if whistle else Route.VILLAGE
    note = "吹哨：请" + "、".join(departments) + "到场处置。" if whistle else "由村（社区）自行处置。"
    event.state, event.route, event.departments = EventState.ASSESSED, route, departments
    event.assessed_at = assessed_at
    event.record(
        PlannedStep(StepKind.ASSESS, assessed_at, TOWN_OFFICIAL, route=route, departments=departments, note=note)
    )
    if whistle:
        if arrived_at > now:
            return event
        event.record(PlannedStep(StepKind.ARRIVE, arrived_at, TOWN_OFFICIAL, departments=departments, note="已到场。"))
    if handled_at > now:
        return event
    _handle(event, handled_at, handler, SUMMARIES[category])
    if evaluated_at > now:
        return event
    _evaluate(event, evaluated_at, satisfaction)
    if satisfaction == Satisfaction.DISSATISFIED:
        if stuck or rehandled_at > now:
            return event
        _handle(event, rehandled_at, handler, "按回访意见重新处置：" + SUMMARIES[category])
        if reevaluated_at > now:
            return event
        _evaluate(event, reevaluated_at, second)
    if closed_at > now:
        return event
    event.state, event.closed_at, event.closed_by = EventState.CLOSED, closed_at, TOWN_OFFICIAL
    event.record(PlannedStep(StepKind.CLOSE, closed_at, TOWN_OFFICIAL, note="经核查处置到位，予以关闭。"))
    return event


def _satisfaction(rng: random.Random, dissatisfied_share: float) -> str:
    draw = rng.random()
    if draw < dissatisfied_share:
        return Satisfaction.DISSATISFIED
    if draw < dissatisfied_share + (1 - dissatisfied_share) * BASICALLY_SATISFIED_SHARE:
        return Satisfaction.BASICALLY_SATISFIED
    return Satisfaction.SATISFIED


def _handle(event: PlannedEvent, at: datetime.datetime, handler: str, summary: str) -> None:
    event.state, event.handled_at, event.handled_by, event.summary = EventState.HANDLED, at, handler, summary
    event.record(PlannedStep(StepKind.HANDLE, at, handler, note=summary))


def _evaluate(event: PlannedEvent, at: datetime.datetime, satisfaction: str) -> None:
    """The reporter's evaluation, recorded by the town's call back (回访); dissatisfied sends the
    event back to be handled again (its handling cleared, kept in the steps)."""
    event.satisfaction, event.evaluated_at = satisfaction, at
    if satisfaction == Satisfaction.DISSATISFIED:
        event.state, event.handled_at, event.handled_by = EventState.ASSESSED, None, None
    else:
        event.state = EventState.EVALUATED
    note = {"satisfied": "电话回访，上报人满意。", "basically_satisfied": "电话回访，上报人基本满意。"}.get(
        satisfaction, "电话回访，上报人不满意，退回重新处置。"
    )
    event.record(PlannedStep(StepKind.EVALUATE, at, TOWN_OFFICIAL, satisfaction=satisfaction, note=note))
