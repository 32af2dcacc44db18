"""What each role may do with the covenants app's models (registered through governance's registry).

Reviewing a covenant version falls to the district department of its covenant's kind
(REVIEWING_DEPARTMENT in covenants/choices.py: the civil affairs bureau the general covenant, the
department of its field a special one): the department's members (governance.departments) view
and review the versions of its kinds in their district without any role (covenants.querysets,
DEPARTMENT_REVIEWER_GRANTS). The district administrator's subtree grant reviews any kind. The
village chooses nobody.
"""

from governance.access.roles import ALL, EDIT, VIEW, grant

TEXT_MODELS = ("covenants.covenant", "covenants.covenantversion", "covenants.clause")

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        **grant(TEXT_MODELS, ALL),
        "covenants.covenantversion": ALL + ("review",),
        "covenants.violation": ALL + ("confirm", "decide_appeal"),
        "covenants.eligibilityquery": VIEW,
    },
    "town_official": {
        **grant(TEXT_MODELS, VIEW),
        "covenants.violation": EDIT + ("confirm", "decide_appeal"),
        "covenants.eligibilityquery": VIEW,
    },
    "village_clerk": {
        **grant(TEXT_MODELS, EDIT),
        "covenants.clause": ALL,  # clauses of a draft are removed while it is written
        "covenants.violation": EDIT + ("confirm",),  # another clerk of the village confirms
        "covenants.eligibilityquery": VIEW,
    },
    "coop_clerk": {**grant(TEXT_MODELS, VIEW), "covenants.violation": VIEW},
    "inspector": {**grant(TEXT_MODELS, VIEW), "covenants.violation": VIEW, "covenants.eligibilityquery": VIEW},
    "report_reader": grant(TEXT_MODELS, VIEW),
}

# Compliance award runs (公约遵守奖): the village's clerk previews them (its cooperatives' too), a
# town official or the district approves them (four eyes, covenants.services.awards); payouts are
# read with their run. A cooperative's clerk views the runs of their cooperative (its members are
# theirs to keep and to answer), not the village's runs, which lie above their subtree. The report
# reader sees the runs' totals (the award-totals report), not who was paid.
AWARD_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {"covenants.awardrun": ALL + ("approve",), "covenants.awardpayout": VIEW},
    "town_official": {"covenants.awardrun": VIEW + ("approve",), "covenants.awardpayout": VIEW},
    "village_clerk": {"covenants.awardrun": EDIT, "covenants.awardpayout": VIEW},
    "coop_clerk": {"covenants.awardrun": VIEW, "covenants.awardpayout": VIEW},
    "inspector": {"covenants.awardrun": VIEW, "covenants.awardpayout": VIEW},
    "report_reader": {"covenants.awardrun": VIEW},
}
for _role, _award_grants in AWARD_GRANTS.items():
    GRANTS[_role].update(_award_grants)

# A violation's evidence files are seen by exactly those who see the violation (the download view
# serves them after restrict(user, "view")). Adding evidence is the service's to judge (the right
# to change the violation, or its recorder's right to record); evidence is never deleted.
for _role_grants in GRANTS.values():
    if "covenants.violation" in _role_grants:
        _role_grants["covenants.violationevidence"] = VIEW

# Red list nominations (红榜, covenants.services.honour_lists): a village's clerk nominates, another
# clerk of the village, a town official or the district approves (four eyes); withdrawing needs
# the right to change. Those who view violations view the lists (the black list is derived from
# them); the report reader does not.
RED_LIST_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {"covenants.redlistnomination": ALL + ("approve",)},
    "town_official": {"covenants.redlistnomination": VIEW + ("approve",)},
    "village_clerk": {"covenants.redlistnomination": EDIT + ("approve",)},
    "coop_clerk": {"covenants.redlistnomination": VIEW},
    "inspector": {"covenants.redlistnomination": VIEW},
}
for _role, _red_list_grants in RED_LIST_GRANTS.items():
    GRANTS[_role].update(_red_list_grants)
