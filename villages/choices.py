"""Choices and named rules of the villages app: the levels of the division hierarchy and the
shape of their codes, genders, positions and filings, each rule with its source."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    TOWN = "town", _("镇街")
    VILLAGE = "village", _("村社区")
    COOPERATIVE = "cooperative", _("经济社")


# NBS statistical division codes nest by prefix: 2 digits a province, 4 a city, 6 a district or
# county, 9 a town, 12 a village; a cooperative is its village code plus a 3-digit suffix.
CODE_LENGTH_BY_LEVEL: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.DISTRICT: 6,
    Level.TOWN: 9,
    Level.VILLAGE: 12,
    Level.COOPERATIVE: 15,
}
LEVEL_BY_CODE_LENGTH: dict[int, str] = {length: level for level, length in CODE_LENGTH_BY_LEVEL.items()}
LEVEL_ORDER: tuple[str, ...] = tuple(CODE_LENGTH_BY_LEVEL)
COOPERATIVE_SUFFIX_LENGTH = 3

# The 10th digit of a village code tells its kind (NBS urban-rural classification, checked on
# the names in villages/data/divisions/README.md).
VILLAGE_KIND_BY_TENTH_DIGIT: dict[str, str] = {
    "0": "community",
    "1": "community",
    "2": "village",
    "3": "village",
    "4": "community_like",
    "5": "village_like",
}


# Households and people are registered in villages (communities) and cooperatives only.
PERSON_LEVELS = (Level.VILLAGE, Level.COOPERATIVE)


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


# Anyone who has reached 18 may apply to join the Party (中国共产党章程, art. 1).
MIN_PARTY_JOINING_AGE = 18


class PositionKind(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("党组织书记")
    COMMITTEE_DIRECTOR = "committee_director", _("村（居）委会主任")
    SECRETARY_AND_DIRECTOR = "secretary_and_director", _("书记、主任“一肩挑”")
    PARTY_DEPUTY_SECRETARY = "party_deputy_secretary", _("党组织副书记")
    PARTY_COMMITTEE_MEMBER = "party_committee_member", _("党组织委员")
    COMMITTEE_DEPUTY_DIRECTOR = "committee_deputy_director", _("村（居）委会副主任")
    COMMITTEE_MEMBER = "committee_member", _("村（居）委会委员")
    COOPERATIVE_HEAD = "cooperative_head", _("经济社社长")
    COOPERATIVE_COMMITTEE_MEMBER = "cooperative_committee_member", _("社委委员")
    VILLAGER_REPRESENTATIVE = "villager_representative", _("村民代表")
    MEMBER_REPRESENTATIVE = "member_representative", _("成员代表")
    RESERVE_CADRE = "reserve_cadre", _("后备干部")


# Which level of division each position is held in: the two committees (两委) and villager
# representatives in the village, the cooperative's head, committee (社委) and member
# representatives in the cooperative (docs/domain.md, glossary).
POSITION_LEVEL: dict[str, str] = {
    PositionKind.PARTY_SECRETARY: Level.VILLAGE,
    PositionKind.COMMITTEE_DIRECTOR: Level.VILLAGE,
    PositionKind.SECRETARY_AND_DIRECTOR: Level.VILLAGE,
    PositionKind.PARTY_DEPUTY_SECRETARY: Level.VILLAGE,
    PositionKind.PARTY_COMMITTEE_MEMBER: Level.VILLAGE,
    PositionKind.COMMITTEE_DEPUTY_DIRECTOR: Level.VILLAGE,
    PositionKind.COMMITTEE_MEMBER: Level.VILLAGE,
    PositionKind.COOPERATIVE_HEAD: Level.COOPERATIVE,
    PositionKind.COOPERATIVE_COMMITTEE_MEMBER: Level.COOPERATIVE,
    PositionKind.VILLAGER_REPRESENTATIVE: Level.VILLAGE,
    PositionKind.MEMBER_REPRESENTATIVE: Level.COOPERATIVE,
    PositionKind.RESERVE_CADRE: Level.VILLAGE,
}

# Positions that only one person holds at a time in a division. A tuple, in this order, because
# the database constraint position_single_current_holder is written from it.
SINGLE_HOLDER_POSITIONS = (
    PositionKind.PARTY_SECRETARY,
    PositionKind.COMMITTEE_DIRECTOR,
    PositionKind.SECRETARY_AND_DIRECTOR,
    PositionKind.COOPERATIVE_HEAD,
)

# 备案: a cooperative head is filed with the town, a village party secretary with the county
# (docs/domain.md, glossary). The value is the level of the ancestor the filing goes to.
FILED_WITH_LEVEL: dict[str, str] = {
    PositionKind.COOPERATIVE_HEAD: Level.TOWN,
    PositionKind.PARTY_SECRETARY: Level.DISTRICT,
    PositionKind.SECRETARY_AND_DIRECTOR: Level.DISTRICT,
}

# Posts filled by election: village party and committee leadership, cooperative leadership, and
# villager and member representatives. A repeat covenant violator (屡教不改; a single violation,
# however serious, never bars) may not be elected to them (Nanhai covenant opinions); reserve
# cadres are chosen, not elected.
ELECTED_POSITIONS = frozenset(set(PositionKind) - {PositionKind.RESERVE_CADRE})
# The eligibility question the portal asks before recording someone into an elected post.
ELECTION_ELIGIBILITY_ACTION = "election"

# A division merged away (撤并) goes into one of the same parent: a village into a village of its
# town, a cooperative into one of its village. The town proposes the establishment, abolition and
# boundary changes of a villagers' committee and the county-level government approves them
# (《村民委员会组织法》第三条): a merger across towns changes the towns' boundaries, which is not a
# village merger. It keeps every report above the parent unchanged (both lie in its subtree).
MERGE_WITHIN_PARENT = True

# At least 2 reserve cadres per village (Guangyuan 2021 self-governance plan).
MIN_RESERVE_CADRES_PER_VILLAGE = 2

# The posts of the two committees (两委: the village party organisation's committee and the
# villagers' committee), held in the village: their secretary, deputy secretary and members, the
# committee's director, deputy director and members, and the one person who is both secretary and
# director (一肩挑). Docs/domain.md, glossary; 村民委员会组织法 art. 6 (主任、副主任和委员),
# 中国共产党农村基层组织工作条例 (书记、副书记、委员). In this order: outputs list them so.
TWO_COMMITTEE_POSITIONS = (
    PositionKind.PARTY_SECRETARY,
    PositionKind.SECRETARY_AND_DIRECTOR,
    PositionKind.PARTY_DEPUTY_SECRETARY,
    PositionKind.PARTY_COMMITTEE_MEMBER,
    PositionKind.COMMITTEE_DIRECTOR,
    PositionKind.COMMITTEE_DEPUTY_DIRECTOR,
    PositionKind.COMMITTEE_MEMBER,
)

# Cadre positions: the two committees and cooperative leadership (两委、社委; docs/domain.md, glossary).
CADRE_POSITIONS = frozenset(
    {*TWO_COMMITTEE_POSITIONS, PositionKind.COOPERATIVE_HEAD, PositionKind.COOPERATIVE_COMMITTEE_MEMBER}
)

# The two committees are elected for five years (村民委员会组织法 art. 11, as amended in 2018; the
# party organisation's committee likewise: 中国共产党农村基层组织工作条例, 2019), and
# are re-elected on time (Jiangsu opinions (十二) 按期换届). A village's committees were last elected
# on the latest day a post of TWO_COMMITTEE_POSITIONS started in it (the portal records who was
# elected, not the election: our reading; a by-election of one member counts as an election). Their
# term runs out COMMITTEE_TERM_YEARS later, the same day (governance.periods.same_day_later); from
# that day on, without a post started since, the village is flagged to its town.
COMMITTEE_TERM_YEARS = 5
# Who is told that a village's committees are out of term (the home page's count, its list): the
# town and the district, who review the filings of the village cadres (FILED_WITH_LEVEL).
TERM_WATCH_PERMISSION = "villages.approve_positionfiling"


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报备待审")
    ACCEPTED = "accepted", _("已备案")
    RETURNED = "returned", _("已退回")


# A position has at most one filing that is waiting or accepted; a returned one may be filed again.
OPEN_FILING_STATUSES = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)
