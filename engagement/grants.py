"""What each role may do with the engagement app's models (registered through governance's registry).

The district keeps the guiding catalogue of topics and the point rules; the town records its
cadres' visits, the five links, contact days, pre-reviews topics; the village's clerk keeps its
deliberation body, topics, meetings, service posts, points, centre, fund and emergency plans.
"""

from governance.access.roles import ALL, EDIT, VIEW, grant

DISTRICT_DATA = ("engagement.catalogueentry", "engagement.pointrule")
TOWN_RECORDS = ("engagement.contactlink", "engagement.contactday", "engagement.visitingcadre", "engagement.visit")
VILLAGE_RECORDS = (
    "engagement.keptcontact",
    "engagement.deliberationbody",
    "engagement.bodymember",
    "engagement.meeting",
    "engagement.topic",
    "engagement.servicepost",
    "engagement.postclaim",
    "engagement.pointentry",
    "engagement.servicecentre",
    "engagement.operatingfund",
    "engagement.emergencyplan",
    "engagement.drill",
)
EVERYTHING = DISTRICT_DATA + TOWN_RECORDS + VILLAGE_RECORDS

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {**grant(EVERYTHING, ALL), "engagement.topic": ALL + ("review",)},
    "town_official": {
        **grant(DISTRICT_DATA, VIEW),
        **grant(TOWN_RECORDS, EDIT),
        **grant(VILLAGE_RECORDS, VIEW),
        "engagement.topic": VIEW + ("review",),
        "engagement.contactday": EDIT,
    },
    "village_clerk": {
        **grant(DISTRICT_DATA, VIEW),
        **grant(TOWN_RECORDS, VIEW),
        **grant(VILLAGE_RECORDS, EDIT),
        "engagement.contactday": EDIT,
    },
    "inspector": grant(EVERYTHING, VIEW),
    "report_reader": grant(DISTRICT_DATA, VIEW),
}

# --- party ---
# Villagers' points (村民积分), where the village keeps them: a village record like the others.
for _role, _actions in {
    "district_admin": ALL,
    "town_official": VIEW,
    "village_clerk": EDIT,
    "inspector": VIEW,
}.items():
    GRANTS[_role]["engagement.villagerpointentry"] = _actions
