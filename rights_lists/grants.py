"""What each role may do with the rights_lists app's models (registered through governance's registry).

- district_admin manages the district's list templates, its meeting rules and everything below;
- town_official reads the lists and decisions of the town, adopts templates for its villages and
  records the town's review (review_decision: the one step of a town_review decision);
- village_clerk keeps the village's own lists (extending the adopted templates) and records its
  decisions: opens them, records their meetings, publications and implementation, withdraws them;
- coop_clerk, inspector and report_reader read lists and decisions (they carry no personal data).
"""

from governance.access.roles import ALL, EDIT, VIEW, grant

LIST_MODELS = ("rights_lists.rightslist", "rights_lists.listitem")
DECISION_RECORDS = (
    "rights_lists.decisionstep",
    "rights_lists.publication",
    "rights_lists.implementation",
    "rights_lists.decisionattachment",  # minutes and other files: added by who records the decision
)
READ_ALL = {
    **grant(LIST_MODELS, VIEW),
    "rights_lists.adoption": VIEW,
    "rights_lists.quorumrule": VIEW,
    "rights_lists.decision": VIEW,
    **grant(DECISION_RECORDS, VIEW),
}

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        **grant(LIST_MODELS, ALL),
        "rights_lists.adoption": EDIT,
        "rights_lists.quorumrule": ALL,
        "rights_lists.decision": EDIT + ("review",),
        **grant(DECISION_RECORDS, EDIT),
    },
    "town_official": {
        **READ_ALL,
        **grant(LIST_MODELS, EDIT),
        "rights_lists.adoption": EDIT,
        "rights_lists.decision": VIEW + ("review",),
    },
    "village_clerk": {
        **READ_ALL,
        **grant(LIST_MODELS, EDIT),
        "rights_lists.decision": EDIT,
        **grant(DECISION_RECORDS, EDIT),
    },
    "coop_clerk": READ_ALL,
    "inspector": READ_ALL,
    "report_reader": READ_ALL,
}
