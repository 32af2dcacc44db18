"""What each role may do with the supervision app's models (registered through governance's registry).

Schemes are created, scored and frozen by the division that assesses: a town official for their
town, the district administrator for the district. Scores are entered by unit (a town official
for the units of their town, in the district's schemes too); results are read in jurisdiction,
by the unit's code, so a village clerk reads their village's results. Village clerks keep their
village's disclosure catalogue and file its disclosures.
"""

from governance.access.roles import EDIT, VIEW, grant

SCHEME_PARTS = ("supervision.schemeindicator", "supervision.scoringrun", "supervision.scoringchunk")
DISCLOSURES = ("supervision.disclosureitem", "supervision.disclosure")

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        "supervision.scheme": EDIT + ("score", "freeze"),
        **grant(SCHEME_PARTS, VIEW),
        "supervision.scoreentry": EDIT,
        "supervision.result": VIEW,
        **grant(DISCLOSURES, EDIT),
    },
    "town_official": {
        "supervision.scheme": EDIT + ("score", "freeze"),
        **grant(SCHEME_PARTS, VIEW),
        "supervision.scoreentry": EDIT,
        "supervision.result": VIEW,
        **grant(DISCLOSURES, VIEW),
    },
    # Viewing schemes lets them open the schemes above them whose results they read
    # (SchemeQuerySet.readable_by); no scheme lies in a village.
    "village_clerk": {**grant(("supervision.scheme", "supervision.result"), VIEW), **grant(DISCLOSURES, EDIT)},
    "coop_clerk": grant(("supervision.scheme", "supervision.result"), VIEW),
    "inspector": {
        **grant(("supervision.scheme", *SCHEME_PARTS, "supervision.scoreentry", "supervision.result"), VIEW),
        **grant(DISCLOSURES, VIEW),
    },
    "report_reader": grant(("supervision.scheme", "supervision.schemeindicator", "supervision.result"), VIEW),
}
