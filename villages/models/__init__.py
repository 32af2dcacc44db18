"""The models of the villages app, one module per aggregate: the hierarchy (divisions.py), people
and their households (people.py), cooperative memberships (memberships.py), party memberships
(party_memberships.py), positions and their filings (positions.py).

Everything is re-exported here, so that `from villages.models import Division` (and migrations,
and other apps) keep one address; so are the choices and named rules (villages/choices.py) and the
functions of a division code (villages/codes.py): `from villages.models import Level` works too.
"""

from villages.choices import (
    CADRE_POSITIONS,
    CODE_LENGTH_BY_LEVEL,
    COMMITTEE_TERM_YEARS,
    COOPERATIVE_SUFFIX_LENGTH,
    ELECTED_POSITIONS,
    ELECTION_ELIGIBILITY_ACTION,
    FILED_WITH_LEVEL,
    LEVEL_BY_CODE_LENGTH,
    LEVEL_ORDER,
    MIN_PARTY_JOINING_AGE,
    MIN_RESERVE_CADRES_PER_VILLAGE,
    OPEN_FILING_STATUSES,
    PERSON_LEVELS,
    POSITION_LEVEL,
    SINGLE_HOLDER_POSITIONS,
    TERM_WATCH_PERMISSION,
    TWO_COMMITTEE_POSITIONS,
    VILLAGE_KIND_BY_TENTH_DIGIT,
    FilingStatus,
    Gender,
    Level,
    PositionKind,
)
from villages.codes import ancestor_codes_of, level_for_code, parent_code_of
from villages.models.divisions import QUALIFIED_LEVELS, QUALIFIED_NAME_SEPARATOR, Division
from villages.models.memberships import Membership
from villages.models.party_memberships import PartyMembership
from villages.models.people import Household, Person
from villages.models.positions import Position, PositionFiling

__all__ = [
    "CADRE_POSITIONS",
    "CODE_LENGTH_BY_LEVEL",
    "COMMITTEE_TERM_YEARS",
    "COOPERATIVE_SUFFIX_LENGTH",
    "ELECTED_POSITIONS",
    "ELECTION_ELIGIBILITY_ACTION",
    "FILED_WITH_LEVEL",
    "LEVEL_BY_CODE_LENGTH",
    "LEVEL_ORDER",
    "MIN_PARTY_JOINING_AGE",
    "MIN_RESERVE_CADRES_PER_VILLAGE",
    "OPEN_FILING_STATUSES",
    "PERSON_LEVELS",
    "POSITION_LEVEL",
    "QUALIFIED_LEVELS",
    "QUALIFIED_NAME_SEPARATOR",
    "SINGLE_HOLDER_POSITIONS",
    "TERM_WATCH_PERMISSION",
    "TWO_COMMITTEE_POSITIONS",
    "VILLAGE_KIND_BY_TENTH_DIGIT",
    "Division",
    "FilingStatus",
    "Gender",
    "Household",
    "Level",
    "Membership",
    "PartyMembership",
    "Person",
    "Position",
    "PositionFiling",
    "PositionKind",
    "ancestor_codes_of",
    "level_for_code",
    "parent_code_of",
]
