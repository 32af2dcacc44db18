"""What the engagement demo holds, and the draw of it: 狮山镇 (440605124) with every theme of the
engagement app filled in over the year up to the load, and some villages short of each target, so
that every report, dashboard panel and home count has both met and missed rows to show. Plain
data: `build_plan` touches no database (engagement/demo/loading.py reads what it draws from and
writes the plan).

The rules the draw follows, and why (the targets: DESIGN.md section 3, engagement/choices.py):

- Direct contact (五挂钩): every village has its five links (a district leader, a district-organ
  party branch, a town leader, a town-organ party branch, one to three deputies or members),
  except the villages of LINK_SHORTFALL, which miss one or two (in 谭边社区 the town leader's link
  ended without a successor). Some single links changed hands at the 2026 elections: the earlier
  holder's link ended the day before. The town leader holding a village's link is the town leader
  who visits it (VisitingCadre.villages). Villages hold a contact day (组织直联日) about once a
  month on a Tuesday (DIRECT_CONTACT_WEEKDAY); two were moved to another day by a holiday.
- Visits (Guangxi §16, VISIT_QUOTAS): the county party secretary of 南海区 visits 狮山镇's villages
  only (his term's quota is every village of the district: short); the town's two heads the
  town's cooperatives (one all, one most); eight town leaders the cooperatives and households of
  the villages they are linked to (some all, some not); one town cadre per four villages their
  households (some all, some not). The demo sign-in `town_official` (陈嘉慧) is one of the town
  cadres, a few households short, so that recording a visit in the browser picks her and adds to
  her coverage. Quotas are met or missed in the reference year (`reference_year`: the current
  year from October, the year before until then, so that every window holds at least three
  months of the last year's visits), which the tests and the reports of that year read.
- Kept contacts (Guangxi §10): each current member of the two committees keeps 1 entrepreneur and
  5 households of their village, each other party member 3 households; CADRE_SHORT_SHARE and
  MEMBER_SHORT_SHARE of them keep fewer.
- Deliberation: a body (议事会) in every village but those of NO_BODY (coverage below 100%), with
  7 to 11 members of the village; the bodies of IDLE_BODY met no time in the year. The district's
  guiding catalogue (CATALOGUE, one entry no longer in use). Topics proposed by the village's
  clerk (in the demo village `village_clerk`, elsewhere a generated clerk, CLERK_USERNAME) and
  pre-reviewed by the town official (another user: four eyes), in each status; deliberated ones
  with their outcome. In the demo village the topics that led to the rights lists demo's decisions
  (DECISION_ENTRIES) name them, deliberated a week or two before their procedure began.
- Party members: four to six service posts per village (POSTS), none yet in NO_POSTS; every party
  member claims one or two, except a share of those of UNCLAIMED_VILLAGES and all of NO_POSTS
  (PARTY_MEMBER_MIN_POSTS); a few left a post for another. The district's point rules, one per
  PointActivity (POINT_RULES), and a year of point entries by them.
- Service centres and funds (Jiangsu 六, 十一): a centre per village, SMALL_CENTRES below 30 m² per
  100 households, LOW_SERVICE_SHARE below 70% service space; operating funds of this year and last,
  LOW_FUNDS below 380,000 yuan in the years named (the county tops them up).
- Emergency (Jiangsu 九): one to three plans per village (none in NO_PLAN) with drills in the year,
  except the plans of STALE_DRILLS, whose last drill (or adoption, when never drilled) lies more
  than a year back (DRILL_REMINDER_DAYS), and a plan adopted lately not drilled yet.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from engagement.choices import (
    CENTRE_M2_PER_100_HOUSEHOLDS,
    CENTRE_MIN_SERVICE_SHARE_PERCENT,
    DIRECT_CONTACT_WEEKDAY,
    DRILL_REMINDER_DAYS,
    ContactKind,
    LinkKind,
    Outcome,
    PointActivity,
    TopicStatus,
    VisitorLevel,
)
from villages.demo.generation import FEMALE_GIVEN, MALE_GIVEN, SURNAMES
from villages.demo.plan import DEFAULT_SEED, DEMO_VILLAGE_CODE, DISTRICT_CODE, TOWN_CODE

SEED = DEFAULT_SEED
# Whether the load adds the engagement app's computed indicators to 狮山镇's village assessment
# scheme and scores it (engagement/demo/scheme.py): on once the five indicators are registered
# (engagement/indicators/*.py, issue 18).
SCORE_IN_TOWN_SCHEME = True
DAY = datetime.timedelta(days=1)
YEAR_DAYS = 365  # "the year": the 365 days up to the load

# The demo sign-ins that take part (villages.demo.plan.DEMO_USERS).
TOWN_OFFICIAL = "town_official"  # 陈嘉慧: a visiting town cadre, records visits, pre-reviews topics
VILLAGE_CLERK = "village_clerk"  # proposes the demo village's topics
# The generated clerks of the other villages (topics' proposers): vc_<village code>.
CLERK_USERNAME = "vc_{village}"

# --- direct contact ---------------------------------------------------------------------------------

# Villages missing links (fixed codes, so that they can be named): code → the kinds missing.
LINK_SHORTFALL: dict[str, tuple[str, ...]] = {
    "440605124213": (LinkKind.TOWN_BRANCH,),  # 狮西村委会
    "440605124031": (LinkKind.DISTRICT_BRANCH, LinkKind.DEPUTIES),  # 白沙桥社区居委会
    "440605124405": (LinkKind.DISTRICT_LEADER, LinkKind.DISTRICT_BRANCH),  # 南海科技工业园核心区社区
    "440605124229": (LinkKind.DEPUTIES,),  # 黎岗村委会
    "440605124063": (LinkKind.TOWN_LEADER,),  # 谭边社区居委会: the link ended, no successor yet
}
ENDED_WITHOUT_SUCCESSOR = "440605124063"
# District leaders (区领导) linked to 狮山镇's villages: (name, title).
DISTRICT_LEADERS = (
    ("郭永康", "区委书记"),
    ("邓志远", "区委副书记、区长"),
    ("梁国华", "区委常委、组织部部长"),
    ("何慧珊", "区委常委、宣传部部长"),
    ("霍建明", "区委常委、政法委书记"),
    ("麦丽贞", "区人大常委会副主任"),
    ("关伟强", "副区长"),
    ("潘文杰", "区政协副主席"),
)
DISTRICT_BRANCHES = (
    "区委组织部机关党支部",
    "区农业农村局机关党支部",
    "区民政局机关党支部",
    "区自然资源局机关党支部",
    "区住房城乡建设局机关党支部",
    "区城市管理和综合执法局机关党支部",
    "区人力资源社会保障局机关党支部",
    "区卫生健康局机关党支部",
    "区教育局机关党支部",
    "区财政局机关党支部",
    "区司法局机关党支部",
    "区市场监督管理局机关党支部",
)
TOWN_BRANCHES = (
    "狮山镇党建工作办公室党支部",
    "狮山镇农业农村办公室党支部",
    "狮山镇社会事务局党支部",
    "狮山镇经济促进局党支部",
    "狮山镇综合行政执法办公室党支部",
    "狮山镇财政局党支部",
    "狮山镇国土城建和水利局党支部",
)
DEPUTY_TITLES = ("区人大代表", "区政协委员", "镇人大代表", "市人大代表", "区党代表")
ELECTIONS_2026 = datetime.date(2026, 4, 8)  # single links that changed hands took effect then
LINKS_SINCE = (datetime.date(2021, 5, 1), datetime.date(2024, 6, 30))
CONTACT_DAYS_PER_YEAR = (8, 12)
MATTERS = (
    "村道路灯损坏",
    "河涌垃圾清理",
    "出租屋消防隐患",
    "停车位不足",
    "老人饭堂就餐",
    "鱼塘承包续期",
    "排水管道堵塞",
    "厂房租金拖欠",
    "学位申请咨询",
    "医保缴费咨询",
    "宅基地审批进度",
    "公交站点设置",
    "垃圾分类投放点",
    "工业园噪声扰民",
)

# --- visits -----------------------------------------------------------------------------------------

# The county party secretary (区委书记): visits every village of 狮山镇, a quarter of the district's;
# linked to the villages whose district leader's link he holds.
COUNTY_SECRETARY = DISTRICT_LEADERS[0][0]
# (name, share of the quota met: 1.0 meets it).
TOWN_HEADS = (("冯志刚", 1.0), ("邝伟文", 0.7))  # 镇党委书记, 镇长
# Town leaders: (name, share of groups each half-year, share of households within the term).
TOWN_LEADERS = (
    ("陆振华", 1.0, 1.0),
    ("吴美玲", 1.0, 1.0),
    ("谭家辉", 1.0, 1.0),
    ("招志明", 1.0, 1.0),
    ("罗少芬", 1.0, 0.75),
    ("杜卓权", 1.0, 0.8),
    ("余国威", 0.6, 0.5),
    ("岑慧仪", 0.7, 0.55),
)
TOWN_LEADER_TITLES = (
    "镇党委副书记",
    "镇党委副书记",
    "镇人大主席",
    "镇纪委书记",
    "镇党委委员、组织委员",
    "副镇长",
    "副镇长",
    "镇党委委员、宣传委员",
)
VILLAGES_PER_TOWN_CADRE = 4
TOWN_OFFICIAL_NAME = "陈嘉慧"
TOWN_OFFICIAL_SHARE = 0.9  # of her villages' households visited: a few left to visit
TOWN_CADRE_SHORT_SHARE = (0.5, 0.9)  # the coverage of a town cadre short of the quota
TOWN_CADRE_MEETING = 0.6  # the share of town cadres who meet it
TERM_STARTED_YEARS_AGO = 2  # the county's and the town's leadership took office two years back
VILLAGE_VISITS = (1, 3)  # besides the quota: visits to the village itself (座谈) by a leader or cadre
RAISED = {
    "household": (
        "反映家中老人行动不便，希望协助申请居家养老服务",
        "咨询城乡居民医保缴费和报销政策",
        "反映门前排水沟淤塞，雨天积水",
        "希望了解子女入学积分办理流程",
        "反映邻居搭建铁皮棚影响通行",
        "咨询宅基地建房报建手续",
        "无特别诉求，对村里环境整治表示满意",
        "反映出租屋租客电动车楼道充电",
    ),
    "group": (
        "经济社反映鱼塘租金收缴困难",
        "社员希望公开经济社年度收支",
        "反映村民小组道路破损需修复",
        "经济社物业出租合同即将到期，咨询续租程序",
        "社员对分红方案有意见，希望召开成员代表会议",
    ),
    "village": (
        "座谈了解村集体经济发展和工业园改造情况",
        "检查人居环境整治和垃圾分类工作",
        "了解防汛防台风准备情况",
        "听取村“两委”关于民生实事项目的汇报",
    ),
}
OUTCOMES = (
    "已现场解答政策",
    "已转镇相关部门办理，已回复群众",
    "已协调村委会跟进处理，群众满意",
    "已记录，纳入下次村民代表会议议题",
    "",
)

# --- kept contacts ----------------------------------------------------------------------------------

CADRE_SHORT_SHARE = 0.12  # of the village cadres keeping fewer than 1 entrepreneur and 5 households
MEMBER_SHORT_SHARE = 0.08  # of the other party members keeping fewer than 3 households
ENTREPRENEUR_TRADES = (
    "花卉苗木种植",
    "淡水鱼养殖",
    "家具制造",
    "五金加工",
    "农产品电商",
    "铝型材加工",
    "食品加工",
    "物流运输",
)

# --- deliberation -----------------------------------------------------------------------------------

NO_BODY: dict[str, str] = {
    "440605124403": "南海科技工业园南区社区",
    "440605124406": "三环西汽配园区社区",
    "440605124410": "长虹岭工业园社区",
    "440605124111": "光明新城社区居委会",
    "440605124095": "驿园社区居委会",
}
IDLE_BODY: dict[str, str] = {"440605124072": "下柏社区居委会", "440605124231": "吴屋村委会"}
# The district's guiding catalogue (议事协商指导目录): (title, description, active).
CATALOGUE = (
    ("集体资产资源发包出租", "集体土地、鱼塘、厂房、商铺等资产资源的发包、出租、续租方案。", True),
    ("集体资产处置", "集体资产的拍卖、转让、报废等处置事项。", True),
    ("集体经济收益分配", "集体经济组织年度收益分配和分红方案。", True),
    ("征地补偿款分配使用", "征地补偿款的分配方案和使用计划。", True),
    ("村内道路路灯等公共设施建设", "村道硬底化、路灯、排水等公共设施的建设和维护。", True),
    ("人居环境整治", "村容村貌、河涌治理、垃圾分类等人居环境整治事项。", True),
    ("村规民约和居民公约修订", "村规民约、居民公约及专项公约的制定和修订。", True),
    ("宅基地申请和分配", "宅基地分配方案、申请审核和公示。", True),
    ("村级工业园改造提升", "村级工业园区升级改造和“三旧”改造项目。", True),
    ("停车和交通秩序管理", "停车场建设、车位分配和交通秩序管理。", True),
    ("出租屋和流动人口服务管理", "出租屋安全管理和来穗（来佛）人员服务。", True),
    ("养老托幼等公共服务", "长者饭堂、居家养老、托育等公共服务项目。", True),
    ("困难群众帮扶", "困难家庭、独居老人等群体的帮扶救助。", True),
    ("文化体育场所建设", "文化楼、篮球场、健身路径等场所建设。（已并入公共设施建设类，停用）", False),
)
# Topics of each catalogue entry: a title to fill with the village's short name.
TOPICS = {
    "集体资产资源发包出租": ("{v}第{n}经济社鱼塘续包方案", "{v}集体物业商铺出租方案", "{v}集体厂房续租方案"),
    "集体资产处置": ("{v}旧仓库拆除处置", "{v}闲置旧办公楼处置方案"),
    "集体经济收益分配": ("{v}{y}年度集体经济收益分配方案",),
    "征地补偿款分配使用": ("{v}征地补偿款分配方案",),
    "村内道路路灯等公共设施建设": ("{v}村道路灯改造", "{v}主干道排水管网改造", "{v}村口道路硬底化"),
    "人居环境整治": ("{v}河涌清淤整治", "{v}垃圾分类投放点设置", "{v}“三清三拆”整治方案"),
    "村规民约和居民公约修订": ("{v}村规民约修订", "{v}出租屋管理专项公约"),
    "宅基地申请和分配": ("{v}{y}年宅基地分配方案",),
    "村级工业园改造提升": ("{v}村级工业园升级改造方案",),
    "停车和交通秩序管理": ("{v}公共停车场收费和车位分配", "{v}电动自行车停放管理"),
    "出租屋和流动人口服务管理": ("{v}出租屋消防安全整治",),
    "养老托幼等公共服务": ("{v}长者饭堂运营方案", "{v}四点半课堂开办方案"),
    "困难群众帮扶": ("{v}困难家庭节日慰问方案",),
}
# The rights lists demo's decisions that a deliberated topic led to (四议两公开), by a word of their
# title: the catalogue entry they come from.
DECISION_ENTRIES = (
    ("鱼塘发包", "集体资产资源发包出租"),
    ("路灯", "村内道路路灯等公共设施建设"),
    ("出租", "集体资产资源发包出租"),
    ("补偿款", "征地补偿款分配使用"),
    ("拍卖", "集体资产处置"),
    ("停车场", "停车和交通秩序管理"),
)
BODY_MEMBERS = (7, 11)
MEMBER_ROLES = ("党员代表", "村民代表", "经济社代表", "乡贤", "妇女代表", "青年代表")
COMMUNITY_ROLES = ("党员代表", "居民代表", "业主代表", "辖区单位代表", "乡贤", "妇女代表")
COUNSEL_ROLE = "驻村律师"
MEETINGS_PER_YEAR = (3, 6)
TOPICS_PER_MEETING = (1, 3)
OUTCOME_WEIGHTS = {Outcome.AGREED: 70, Outcome.NEEDS_DECISION: 20, Outcome.NOT_AGREED: 10}
REJECT_NOTES = (
    "不属于议事协商指导目录范围，建议由村“两委”按职责办理。",
    "涉及集体资产处置，应按“四议两公开”程序决策，不宜作为一般协商议题。",
    "材料不全，请补充方案和测算后重新提出。",
)
RULES = (
    "一、议事会在村党组织领导下开展协商，议题须出自区议事协商指导目录并经镇预审。\n"
    "二、会议须有三分之二以上成员到会方可召开，协商结果须经到会成员过半数同意。\n"
    "三、涉及“四议两公开”事项的，协商意见提交村“两委”联席会议按程序决策。\n"
    "四、协商过程和结果在村务公开栏公开。"
)

# --- party members ----------------------------------------------------------------------------------

POSTS = (
    ("政策宣传岗", "宣传党的方针政策和惠民政策，入户讲解。"),
    ("环境卫生监督岗", "监督人居环境整治和垃圾分类，发现问题及时上报。"),
    ("矛盾调解岗", "参与邻里纠纷调解，化解矛盾于萌芽。"),
    ("关爱帮扶岗", "结对帮扶困难群众、独居老人和留守儿童。"),
    ("治安巡逻岗", "参与夜间治安巡逻和防火防盗宣传。"),
    ("文明新风岗", "倡导移风易俗，推动村规民约落实。"),
)
COMMUNITY_POSTS = (
    ("楼栋服务岗", "联系楼栋住户，收集居民诉求。"),
    ("出租屋服务岗", "协助出租屋安全检查和流动人口登记。"),
)
POSTS_PER_VILLAGE = (4, 6)
NO_POSTS: dict[str, str] = {"440605124411": "沙堤机场社区"}
UNCLAIMED_VILLAGES: dict[str, str] = {
    "440605124249": "石泉村委会",
    "440605124204": "狮北村委会",
    "440605124055": "红星社区居委会",
}
UNCLAIMED_SHARE = (0.25, 0.4)
SECOND_POST_SHARE = 0.2
LEFT_POST_SHARE = 0.05  # of the claims: left for another post during the year
# The district's point rules: activity → (points, description).
POINT_RULES = {
    PointActivity.ACTIVITY: (2, "参加“三会一课”、主题党日等组织生活，每次2分。"),
    PointActivity.CONTACT: (2, "联系群众并记录诉求，每次2分。"),
    PointActivity.SERVICE_POST: (5, "按岗位职责履岗，每半年考核一次，合格得5分。"),
    PointActivity.VISIT: (2, "参加入户走访、政策宣讲，每次2分。"),
    PointActivity.VOLUNTEER: (3, "参加志愿服务（点单、派单、接单、评单），每次3分。"),
}
POINT_NOTES = {
    PointActivity.ACTIVITY: ("参加{m}月主题党日", "参加{m}月党员大会", "参加{m}月党课学习"),
    PointActivity.CONTACT: ("联系群众，收集诉求{k}条",),
    PointActivity.SERVICE_POST: ("{h}履岗考核合格",),
    PointActivity.VISIT: ("参加入户走访", "参加政策宣讲"),
    PointActivity.VOLUNTEER: (
        "参加河涌清洁志愿服务",
        "参加长者饭堂志愿服务",
        "参加文明交通劝导",
        "参加义诊志愿服务",
    ),
}
ACTIVITY_ATTENDANCE = (0.2, 0.6)  # of the twelve monthly meetings, the share a member earns points for

# --- service centres, funds, emergency ---------------------------------------------------------------

SMALL_CENTRES: dict[str, str] = {
    "440605124203": "狮中村委会",
    "440605124015": "石碣社区居委会",
    "440605124099": "龙塘社区居委会",
    "440605124245": "万石村委会",
}
LOW_SERVICE_SHARE: dict[str, str] = {
    "440605124030": "塘头社区居委会",
    "440605124226": "象岭村委会",
    "440605124015": "石碣社区居委会",
}
HOUSEHOLDS_SERVED_PER_DEMO_HOUSEHOLD = (45, 80)  # a real village's households, from the demo's sample
# Villages whose own operating fund falls below 380,000 yuan: code → the years short (0 this
# year, 1 last year).
LOW_FUNDS: dict[str, tuple[int, ...]] = {
    "440605124401": (0, 1),  # 南海科技工业园松夏一区社区
    "440605124402": (0, 1),  # 南海科技工业园松夏三区社区
    "440605124404": (0, 1),  # 南海科技工业园北区社区
    "440605124410": (0, 1),  # 长虹岭工业园社区
    "440605124072": (0,),  # 下柏社区居委会
    "440605124229": (1,),  # 黎岗村委会
}
FUND_YUAN = (420_000, 2_600_000)
LOW_FUND_YUAN = (150_000, 350_000)
PLANS = (
    "防汛防台风应急预案",
    "消防安全应急预案",
    "地质灾害应急预案",
    "突发公共卫生事件应急预案",
    "危险化学品事故应急预案",
)
PLANS_PER_VILLAGE = (1, 3)
NO_PLAN: dict[str, str] = {"440605124404": "南海科技工业园北区社区"}
# Plans whose last drill lies more than a year back: code → (days since the last drill, or None
# for a plan never drilled since its adoption that long ago).
STALE_DRILLS: dict[str, int | None] = {
    DEMO_VILLAGE_CODE: 420,  # 唐边村委会: the village clerk has a plan to drill
    "440605124219": None,  # 莲塘村委会
    "440605124057": 520,  # 沙头社区居委会
    "440605124092": 400,  # 乐安社区居委会
}
NEW_PLAN_VILLAGES = ("440605124206",)  # 塱下村委会: a plan adopted lately, not drilled yet
DRILL_NOTES = (
    "模拟村内河涌水位上涨，组织转移低洼地带群众，演练有序。",
    "模拟出租屋火情，开展疏散逃生和初起火灾扑救演练。",
    "检验应急物资储备和队伍集结速度，发现对讲机不足，已补充。",
    "联合镇应急办开展桌面推演和实战演练。",
)


# --- what the plan draws from, and what it holds ---------------------------------------------------


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    cooperatives: tuple[str, ...]

    @property
    def is_community(self) -> bool:
        return self.code[9] in "014"

    @property
    def short_name(self) -> str:
        for suffix, replacement in (("村委会", "村"), ("社区居委会", "社区"), ("居委会", "社区")):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)] + replacement
        return self.name


@dataclass(frozen=True)
class Person:
    id: int
    village: str
    household: int | None
    adult: bool
    membership: int | None = None  # the PartyMembership's id of a party member
    cadre: bool = False  # holds a post of the two committees now


@dataclass(frozen=True)
class Decision:
    id: int
    village: str
    title: str
    first_step: datetime.date | None  # None: no step recorded yet


@dataclass(frozen=True)
class World:
    """What the plan draws from (loading.py reads it: a few queries)."""

    villages: list[Village]
    households: dict[str, list[tuple[int, str]]]  # village → (household id, its division code)
    people: list[Person]
    decisions: list[Decision] = field(default_factory=list)


@dataclass(frozen=True)
class Link:
    village: str
    kind: str
    holder: str
    title: str
    since: datetime.date
    until: datetime.date | None = None


@dataclass(frozen=True)
class ContactDayRow:
    division: str
    held_on: datetime.date
    attendees: int
    matters_raised: str
    matters_settled: int


@dataclass(frozen=True)
class Cadre:
    division: str
    name: str
    level: str
    term_started_on: datetime.date
    villages: tuple[str, ...]
    user: str | None = None


@dataclass(frozen=True)
class VisitRow:
    cadre: int  # index into Plan.cadres
    division: str
    household: int | None
    visited_on: datetime.date
    raised: str
    outcome: str


@dataclass(frozen=True)
class KeptContactRow:
    person: int
    kind: str
    household: int | None
    contact_name: str
    since: datetime.date


@dataclass(frozen=True)
class Body:
    village: str
    name: str
    formed_on: datetime.date
    members: tuple[tuple[int, str], ...]  # (person id, role)


@dataclass(frozen=True)
class MeetingRow:
    body: int  # index into Plan.bodies
    held_on: datetime.date
    attendance: int
    minutes: str


@dataclass(frozen=True)
class TopicRow:
    body: int
    entry: str  # a catalogue title
    title: str
    proposed_on: datetime.date
    proposed_by: str  # a username
    status: str
    reviewed_on: datetime.date | None = None
    reviewed_by: str | None = None
    review_note: str = ""
    meeting: int | None = None  # index into Plan.meetings
    outcome: str = ""
    decision: int | None = None


@dataclass(frozen=True)
class Post:
    village: str
    name: str
    duty: str


@dataclass(frozen=True)
class Claim:
    post: int  # index into Plan.posts
    membership: int
    claimed_on: datetime.date
    left_on: datetime.date | None = None


@dataclass(frozen=True)
class PointRow:
    membership: int
    activity: str
    points: int
    earned_on: datetime.date
    note: str


@dataclass(frozen=True)
class Centre:
    village: str
    area_m2: Decimal
    service_area_m2: Decimal
    households_served: int


@dataclass(frozen=True)
class Fund:
    village: str
    year: int
    amount_fen: int


@dataclass(frozen=True)
class Plan_:
    village: str
    title: str
    adopted_on: datetime.date
    people_trained: int


@dataclass(frozen=True)
class DrillRow:
    plan: int  # index into EngagementPlan.emergency_plans
    held_on: datetime.date
    participants: int
    note: str


@dataclass
class EngagementPlan:
    today: datetime.date
    clerks: dict[str, tuple[str, str]] = field(default_factory=dict)  # username → (last, first), generated
    links: list[Link] = field(default_factory=list)
    contact_days: list[ContactDayRow] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    visits: list[VisitRow] = field(default_factory=list)
    kept_contacts: list[KeptContactRow] = field(default_factory=list)
    catalogue: tuple = CATALOGUE
    bodies: list[Body] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    topics: list[TopicRow] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    point_rules: dict = field(default_factory=lambda: dict(POINT_RULES))
    points: list[PointRow] = field(default_factory=list)
    centres: list[Centre] = field(default_factory=list)
    funds: list[Fund] = field(default_factory=list)
    emergency_plans: list[Plan_] = field(default_factory=list)
    drills: list[DrillRow] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(
            {
                name: len(getattr(self, name))
                for name in (
                    "links",
                    "contact_days",
                    "cadres",
                    "visits",
                    "kept_contacts",
                    "bodies",
                    "meetings",
                    "topics",
                    "posts",
                    "claims",
                    "points",
                    "centres",
                    "funds",
                    "emergency_plans",
                    "drills",
                )
            }
        )


# --- the dates the quotas are shown for --------------------------------------------------------------


def reference_year(today: datetime.date) -> int:
    """The year whose quotas the demo meets or misses: this year from October (its second half
    then holds three months and more), last year until then (at least its last quarter lies
    within the year up to `today`)."""
    return today.year if today.month >= 10 else today.year - 1


def year_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days of the reference year within the last YEAR_DAYS days: where yearly and term quotas
    are visited."""
    year = reference_year(today)
    return max(datetime.date(year, 1, 1), today - (YEAR_DAYS - 1) * DAY), min(datetime.date(year, 12, 31), today)


def half_year_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The reference year's second half within the last YEAR_DAYS days: the half-year a yearly
    report of the reference year counts (engagement.querysets.quota_window)."""
    year = reference_year(today)
    return max(datetime.date(year, 7, 1), today - (YEAR_DAYS - 1) * DAY), min(datetime.date(year, 12, 31), today)


def _day_in(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + DAY * rng.randint(0, (end - start).days)


def _past_day(rng: random.Random, today: datetime.date, days: int = YEAR_DAYS) -> datetime.date:
    return today - DAY * rng.randrange(days)


def _name(rng: random.Random) -> tuple[str, str]:
    male = rng.random() < 0.6
    return rng.choice(SURNAMES[:30]), "".join(rng.sample(MALE_GIVEN if male else FEMALE_GIVEN, 2))


def _sample(rng: random.Random, items: list, share: float) -> list:
    """`share` of `items` (all of them at 1.0), rounded down, at least one unless none."""
    if share >= 1:
        return list(items)
    return rng.sample(items, int(len(items) * share))


# --- the draw ----------------------------------------------------------------------------------------


def build_plan(world: World, today: datetime.date, seed: int = SEED) -> EngagementPlan:
    """Every theme of the engagement app for 狮山镇's `world` up to `today`, drawn from `seed`."""
    rng = random.Random(seed)
    plan = EngagementPlan(today=today)
    villages = world.villages
    town_leaders = _links(rng, plan, villages)
    _contact_days(rng, plan, villages)
    _visits(rng, plan, world, town_leaders)
    _kept_contacts(rng, plan, world)
    _deliberation(rng, plan, world)
    _party(rng, plan, world)
    _centres(rng, plan, world)
    _emergency(rng, plan, villages)
    return plan


def _links(rng: random.Random, plan: EngagementPlan, villages: list[Village]) -> dict[str, str]:
    """The five links of each village; returns village → the town leader holding its link (for
    the visits)."""
    today = plan.today
    leaders = {}
    for index, village in enumerate(villages):
        missing = LINK_SHORTFALL.get(village.code, ())
        district_leader = DISTRICT_LEADERS[index * len(DISTRICT_LEADERS) // len(villages)]
        town_leader = index * len(TOWN_LEADERS) // len(villages)
        leaders[village.code] = TOWN_LEADERS[town_leader][0]
        singles = {
            LinkKind.DISTRICT_LEADER: district_leader,
            LinkKind.DISTRICT_BRANCH: (rng.choice(DISTRICT_BRANCHES), ""),
            LinkKind.TOWN_LEADER: (TOWN_LEADERS[town_leader][0], TOWN_LEADER_TITLES[town_leader]),
            LinkKind.TOWN_BRANCH: (rng.choice(TOWN_BRANCHES), ""),
        }
        for kind, (holder, title) in singles.items():
            since = _day_in(rng, *LINKS_SINCE)
            changed = rng.random() < 0.15 and ELECTIONS_2026 <= today and kind != LinkKind.DISTRICT_LEADER
            if village.code == ENDED_WITHOUT_SUCCESSOR and kind == LinkKind.TOWN_LEADER:
                plan.links.append(Link(village.code, kind, holder, title, since, today - 40 * DAY))
                continue
            if kind in missing:
                continue
            if changed:
                earlier = rng.choice(TOWN_BRANCHES if kind == LinkKind.TOWN_BRANCH else DISTRICT_BRANCHES)
                if kind == LinkKind.TOWN_LEADER:
                    earlier, title_before = "".join(_name(rng)), "原镇党委委员"
                else:
                    title_before = ""
                if earlier != holder:
                    plan.links.append(Link(village.code, kind, earlier, title_before, since, ELECTIONS_2026 - DAY))
                    since = ELECTIONS_2026
            plan.links.append(Link(village.code, kind, holder, title, since))
        if LinkKind.DEPUTIES not in missing:
            for _ in range(rng.randint(1, 3)):
                plan.links.append(
                    Link(
                        village.code,
                        LinkKind.DEPUTIES,
                        "".join(_name(rng)),
                        rng.choice(DEPUTY_TITLES),
                        _day_in(rng, *LINKS_SINCE),
                    )
                )
    return leaders


def _tuesdays(today: datetime.date) -> list[datetime.date]:
    first = today - (YEAR_DAYS - 1) * DAY
    first += DAY * ((DIRECT_CONTACT_WEEKDAY - first.weekday()) % 7)
    return [first + 7 * DAY * week for week in range((today - first).days // 7 + 1)]


def _contact_days(rng: random.Random, plan: EngagementPlan, villages: list[Village]) -> None:
    """About one Tuesday a month in each village and in the town; two villages' days moved by a
    holiday to the Wednesday."""
    tuesdays = _tuesdays(plan.today)
    moved = {villages[3].code, villages[-5].code}
    for code in [TOWN_CODE, *(village.code for village in villages)]:
        days = sorted(rng.sample(tuesdays, rng.randint(*CONTACT_DAYS_PER_YEAR)))
        if code in moved:
            days[len(days) // 2] += DAY  # never two days on the same date: the days are a week apart
        for day in days:
            raised = rng.sample(MATTERS, rng.randint(1, 4))
            plan.contact_days.append(
                ContactDayRow(
                    division=code,
                    held_on=day,
                    attendees=rng.randint(8, 45) if code != TOWN_CODE else rng.randint(30, 80),
                    matters_raised="；".join(raised) + "。",
                    matters_settled=rng.randint(0, len(raised)),
                )
            )


def _visit(rng: random.Random, plan: EngagementPlan, cadre: int, target: str, division: str, household, day) -> None:
    plan.visits.append(VisitRow(cadre, division, household, day, rng.choice(RAISED[target]), rng.choice(OUTCOMES)))


def _visits(rng: random.Random, plan: EngagementPlan, world: World, town_leaders: dict[str, str]) -> None:
    today = plan.today
    year = year_window(today)
    half = half_year_window(today)
    term = today.replace(year=today.year - TERM_STARTED_YEARS_AGO, day=1)
    villages = world.villages
    coops = [coop for village in villages for coop in village.cooperatives]

    # The county party secretary: every village of the town, once or twice.
    linked = tuple(link.village for link in plan.links if link.holder == COUNTY_SECRETARY)
    plan.cadres.append(Cadre(DISTRICT_CODE, COUNTY_SECRETARY, VisitorLevel.COUNTY_SECRETARY, term, linked))
    for village in villages:
        _visit(rng, plan, len(plan.cadres) - 1, "village", village.code, None, _day_in(rng, *year))

    # The town's heads: the town's cooperatives (natural villages) each year.
    for name, share in TOWN_HEADS:
        plan.cadres.append(Cadre(TOWN_CODE, name, VisitorLevel.TOWN_HEAD, term, ()))
        for coop in _sample(rng, coops, share):
            _visit(rng, plan, len(plan.cadres) - 1, "group", coop, None, _day_in(rng, *year))

    # Town leaders: their villages' cooperatives each half-year, households within the term.
    for name, group_share, household_share in TOWN_LEADERS:
        mine = [village for village in villages if town_leaders[village.code] == name]
        plan.cadres.append(Cadre(TOWN_CODE, name, VisitorLevel.TOWN_LEADER, term, tuple(v.code for v in mine)))
        index = len(plan.cadres) - 1
        groups = [coop for village in mine for coop in village.cooperatives]
        for coop in _sample(rng, groups, group_share):
            _visit(rng, plan, index, "group", coop, None, _day_in(rng, *half))
        households = [row for village in mine for row in world.households.get(village.code, [])]
        for household, division in _sample(rng, households, household_share):
            _visit(rng, plan, index, "household", division, household, _day_in(rng, *year))
        for village in rng.sample(mine, min(len(mine), rng.randint(*VILLAGE_VISITS))):
            _visit(rng, plan, index, "village", village.code, None, _past_day(rng, today))

    # Town cadres: every household of their four villages each year; the town official is one.
    for first in range(0, len(villages), VILLAGES_PER_TOWN_CADRE):
        mine = villages[first : first + VILLAGES_PER_TOWN_CADRE]
        official = any(village.code == DEMO_VILLAGE_CODE for village in mine)
        if official:
            name, user, share = TOWN_OFFICIAL_NAME, TOWN_OFFICIAL, TOWN_OFFICIAL_SHARE
        else:
            name, user = "".join(_name(rng)), None
            share = 1.0 if rng.random() < TOWN_CADRE_MEETING else rng.uniform(*TOWN_CADRE_SHORT_SHARE)
        plan.cadres.append(
            Cadre(TOWN_CODE, name, VisitorLevel.TOWN_CADRE, term, tuple(v.code for v in mine), user=user)
        )
        index = len(plan.cadres) - 1
        households = [row for village in mine for row in world.households.get(village.code, [])]
        for household, division in _sample(rng, households, share):
            _visit(rng, plan, index, "household", division, household, _day_in(rng, *year))
        for village in rng.sample(mine, rng.randint(*VILLAGE_VISITS)):
            _visit(rng, plan, index, "village", village.code, None, _past_day(rng, today))
    plan.visits.sort(key=lambda visit: (visit.visited_on, visit.cadre))


def _kept_contacts(rng: random.Random, plan: EngagementPlan, world: World) -> None:
    today = plan.today
    for person in world.people:
        if not (person.cadre or person.membership):
            continue
        others = [row[0] for row in world.households.get(person.village, []) if row[0] != person.household]
        short = rng.random() < (CADRE_SHORT_SHARE if person.cadre else MEMBER_SHORT_SHARE)
        wanted = 5 if person.cadre else 3
        entrepreneur = person.cadre
        if short:
            if person.cadre and rng.random() < 0.4:
                entrepreneur = False
            else:
                wanted = rng.randint(1, wanted - 1)
        since = today - DAY * rng.randint(60, 700)
        if entrepreneur:
            last, first = _name(rng)
            name = f"{last}{first}（{rng.choice(ENTREPRENEUR_TRADES)}）"
            plan.kept_contacts.append(KeptContactRow(person.id, ContactKind.ENTREPRENEUR, None, name, since))
        for household in rng.sample(others, min(wanted, len(others))):
            plan.kept_contacts.append(KeptContactRow(person.id, ContactKind.HOUSEHOLD, household, "", since))


def _clerk(plan: EngagementPlan, rng: random.Random, village: str) -> str:
    if village == DEMO_VILLAGE_CODE:
        return VILLAGE_CLERK
    username = CLERK_USERNAME.format(village=village)
    plan.clerks.setdefault(username, _name(rng))
    return username


def _meeting(rng: random.Random, plan: EngagementPlan, body: int, held_on: datetime.date, size: int) -> int:
    """A meeting of the body with two thirds of its members and more; its index."""
    village = plan.bodies[body].name.removesuffix("村民议事会").removesuffix("居民议事会")
    plan.meetings.append(
        MeetingRow(
            body,
            held_on,
            rng.randint(size * 2 // 3 + 1, size),
            f"{village}议事会协商会议：到会成员过三分之二，会议有效；逐项协商议题并表决。",
        )
    )
    return len(plan.meetings) - 1


def _topic_title(rng: random.Random, village: Village, entry: str, year: int) -> str:
    return rng.choice(TOPICS[entry]).format(v=village.short_name, n=rng.randint(1, 9), y=year)


def _deliberation(rng: random.Random, plan: EngagementPlan, world: World) -> None:
    today = plan.today
    adults: dict[str, list[Person]] = {}
    for person in world.people:
        if person.adult:
            adults.setdefault(person.village, []).append(person)
    active_entries = [title for title, _description, active in CATALOGUE if active]
    decisions: dict[str, list[Decision]] = {}
    for decision in world.decisions:
        decisions.setdefault(decision.village, []).append(decision)
    for village in world.villages:
        if village.code in NO_BODY:
            continue
        people = adults.get(village.code, [])
        chosen = rng.sample(people, min(len(people), rng.randint(*BODY_MEMBERS)))
        roles = COMMUNITY_ROLES if village.is_community else MEMBER_ROLES
        members = tuple(
            (person.id, "党员代表" if person.membership and rng.random() < 0.6 else rng.choice(roles))
            for person in chosen
        )
        if members:
            members = (*members[:-1], (members[-1][0], COUNSEL_ROLE))
        body_name = f"{village.short_name}{'居民议事会' if village.is_community else '村民议事会'}"
        formed_on = datetime.date(rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28))
        plan.bodies.append(Body(village.code, body_name, formed_on, members))
        body = len(plan.bodies) - 1
        clerk = _clerk(plan, rng, village.code)
        if village.code in IDLE_BODY:
            continue
        size = max(len(members), 3)
        # Meetings of the year, each deliberating one to three topics.
        days = sorted({_past_day(rng, today, YEAR_DAYS - 40) for _ in range(rng.randint(*MEETINGS_PER_YEAR))})
        for held_on in days:
            index = _meeting(rng, plan, body, held_on, size)
            for _ in range(rng.randint(*TOPICS_PER_MEETING)):
                entry = rng.choice(active_entries)
                proposed = held_on - DAY * rng.randint(10, 30)
                outcome = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
                plan.topics.append(
                    TopicRow(
                        body,
                        entry,
                        _topic_title(rng, village, entry, today.year),
                        proposed,
                        clerk,
                        TopicStatus.DELIBERATED,
                        reviewed_on=proposed + DAY * rng.randint(2, 7),
                        reviewed_by=TOWN_OFFICIAL,
                        review_note="符合指导目录，同意提交议事会协商。",
                        meeting=index,
                        outcome=outcome,
                    )
                )
        # The topics that led to decisions of the rights lists demo, deliberated before them.
        for decision in decisions.get(village.code, []):
            entry = next((entry for word, entry in DECISION_ENTRIES if word in decision.title), None)
            if entry is None or decision.first_step is None:
                continue
            held_on = min(decision.first_step - DAY * rng.randint(7, 14), today)
            index = _meeting(rng, plan, body, held_on, size)
            proposed = held_on - DAY * rng.randint(10, 20)
            plan.topics.append(
                TopicRow(
                    body,
                    entry,
                    decision.title,
                    proposed,
                    clerk,
                    TopicStatus.DELIBERATED,
                    reviewed_on=proposed + DAY * rng.randint(2, 5),
                    reviewed_by=TOWN_OFFICIAL,
                    review_note="涉及集体重大事项，协商后按“四议两公开”程序决策。",
                    meeting=index,
                    outcome=Outcome.NEEDS_DECISION,
                    decision=decision.id,
                )
            )
        # Topics waiting: approved for the next meeting, proposed and not reviewed yet, rejected.
        for _ in range(rng.randint(0, 2)):
            entry = rng.choice(active_entries)
            proposed = today - DAY * rng.randint(8, 30)
            plan.topics.append(
                TopicRow(
                    body,
                    entry,
                    _topic_title(rng, village, entry, today.year),
                    proposed,
                    clerk,
                    TopicStatus.APPROVED,
                    reviewed_on=proposed + DAY * rng.randint(1, 6),
                    reviewed_by=TOWN_OFFICIAL,
                    review_note="同意提交议事会协商。",
                )
            )
        if rng.random() < 0.5 or village.code == DEMO_VILLAGE_CODE:
            entry = rng.choice(active_entries)
            title, proposed = _topic_title(rng, village, entry, today.year), today - DAY * rng.randint(0, 10)
            plan.topics.append(TopicRow(body, entry, title, proposed, clerk, TopicStatus.PROPOSED))
        if rng.random() < 0.2 or village.code == DEMO_VILLAGE_CODE:
            entry = rng.choice(active_entries)
            proposed = today - DAY * rng.randint(7, YEAR_DAYS - 30)
            plan.topics.append(
                TopicRow(
                    body,
                    entry,
                    _topic_title(rng, village, entry, today.year),
                    proposed,
                    clerk,
                    TopicStatus.REJECTED,
                    reviewed_on=proposed + DAY * rng.randint(1, 6),
                    reviewed_by=TOWN_OFFICIAL,
                    review_note=rng.choice(REJECT_NOTES),
                )
            )


def _party(rng: random.Random, plan: EngagementPlan, world: World) -> None:
    today = plan.today
    posts_of: dict[str, list[int]] = {}
    for village in world.villages:
        if village.code in NO_POSTS:
            continue
        pool = POSTS + (COMMUNITY_POSTS if village.is_community else ())
        for name, duty in rng.sample(pool, rng.randint(*POSTS_PER_VILLAGE)):
            plan.posts.append(Post(village.code, name, duty))
            posts_of.setdefault(village.code, []).append(len(plan.posts) - 1)
    # In UNCLAIMED_VILLAGES a share of the members (at least one) claims no post.
    unclaimed: set[int] = set()
    for code in UNCLAIMED_VILLAGES:
        members = [person.membership for person in world.people if person.village == code and person.membership]
        unclaimed.update(rng.sample(members, max(1, int(len(members) * rng.uniform(*UNCLAIMED_SHARE)))))
    months = _months(today)
    for person in world.people:
        if person.membership is None:
            continue
        member = person.membership
        posts = posts_of.get(person.village, [])
        held_since = None  # the day the member first held a post
        if posts and member not in unclaimed:
            count = 2 if rng.random() < SECOND_POST_SHARE and len(posts) > 1 else 1
            left = rng.random() < LEFT_POST_SHARE and len(posts) > count
            chosen = rng.sample(posts, count + left)
            if left:  # the first post was left for another during the year
                old, *chosen = chosen
                held_since = today - DAY * rng.randint(300, 900)
                left_on = today - DAY * rng.randint(20, 200)
                plan.claims.append(Claim(old, member, held_since, left_on))
                since = left_on + DAY
            else:
                since = held_since = today - DAY * rng.randint(30, 900)
            for post in chosen:
                plan.claims.append(Claim(post, member, since))
        # Points of the year by the district's rules.
        attendance = rng.uniform(*ACTIVITY_ATTENDANCE)
        for month in months:
            if rng.random() < attendance:
                day = min(month + DAY * rng.randint(0, 27), today)
                note = rng.choice(POINT_NOTES[PointActivity.ACTIVITY]).format(m=day.month)
                points = POINT_RULES[PointActivity.ACTIVITY][0]
                plan.points.append(PointRow(member, PointActivity.ACTIVITY, points, day, note))
            if held_since is not None and month.month % 6 == 0:
                day = min(month + DAY * rng.randint(20, 27), today)
                if held_since <= day:
                    half = f"{day.year}年{'上' if day.month <= 6 else '下'}半年"
                    note = POINT_NOTES[PointActivity.SERVICE_POST][0].format(h=half)
                    points = POINT_RULES[PointActivity.SERVICE_POST][0]
                    plan.points.append(PointRow(member, PointActivity.SERVICE_POST, points, day, note))
        for activity, times in (
            (PointActivity.CONTACT, (0, 2)),
            (PointActivity.VISIT, (0, 1)),
            (PointActivity.VOLUNTEER, (0, 2)),
        ):
            for _ in range(rng.randint(*times)):
                note = rng.choice(POINT_NOTES[activity]).format(k=rng.randint(1, 3))
                plan.points.append(PointRow(member, activity, POINT_RULES[activity][0], _past_day(rng, today), note))


def _months(today: datetime.date) -> list[datetime.date]:
    """The first days of the twelve months up to today's."""
    months = []
    for back in range(12):
        index = today.year * 12 + today.month - 1 - back
        months.append(datetime.date(index // 12, index % 12 + 1, 1))
    return months


def _round_m2(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


def _centres(rng: random.Random, plan: EngagementPlan, world: World) -> None:
    demo_households = {village: len(rows) for village, rows in world.households.items()}
    this_year = plan.today.year
    for village in world.villages:
        served = max(300, demo_households.get(village.code, 0) * rng.randint(*HOUSEHOLDS_SERVED_PER_DEMO_HOUSEHOLD))
        served += rng.randrange(100)
        required = served * CENTRE_M2_PER_100_HOUSEHOLDS / 100
        area = required * (rng.uniform(0.6, 0.9) if village.code in SMALL_CENTRES else rng.uniform(1.05, 1.8))
        area = _round_m2(max(area, 120.0) if village.code not in SMALL_CENTRES else area)
        low = CENTRE_MIN_SERVICE_SHARE_PERCENT / 100
        if village.code in LOW_SERVICE_SHARE:
            share = rng.uniform(low - 0.2, low - 0.04)
        else:
            share = rng.uniform(low + 0.02, 0.88)
        plan.centres.append(Centre(village.code, area, _round_m2(float(area) * share), served))
        for back in (1, 0):
            low = back in LOW_FUNDS.get(village.code, ())
            yuan = rng.randint(*(LOW_FUND_YUAN if low else FUND_YUAN)) // 100 * 100
            plan.funds.append(Fund(village.code, this_year - back, yuan * 100))


def _emergency(rng: random.Random, plan: EngagementPlan, villages: list[Village]) -> None:
    today = plan.today
    for village in villages:
        if village.code in NO_PLAN:
            continue
        titles = rng.sample(PLANS, rng.randint(*PLANS_PER_VILLAGE))
        stale = village.code in STALE_DRILLS
        for number, title in enumerate(titles):
            adopted_on = today - DAY * rng.randint(400, 1400)
            new = village.code in NEW_PLAN_VILLAGES and number == 0
            if new:
                adopted_on = today - DAY * rng.randint(20, 90)
            plan.emergency_plans.append(
                Plan_(village.code, f"{village.short_name}{title}", adopted_on, rng.randint(12, 60))
            )
            index = len(plan.emergency_plans) - 1
            if new:
                continue
            if stale and number == 0:
                days = STALE_DRILLS[village.code]
                if days is not None:
                    for back in (days, days + 200):
                        plan.drills.append(
                            DrillRow(index, today - DAY * back, rng.randint(20, 120), rng.choice(DRILL_NOTES))
                        )
                continue
            for _ in range(rng.randint(1, 2)):
                held_on = _past_day(rng, today, DRILL_REMINDER_DAYS - 30)
                plan.drills.append(DrillRow(index, held_on, rng.randint(20, 150), rng.choice(DRILL_NOTES)))
