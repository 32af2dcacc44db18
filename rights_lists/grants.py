"""What each role may do with the rights_lists app's models (registered through governance's registry).

- district_admin manages the district's list templates, its meeting rules and everything below;
- town_official reads the lists and decisions of the town, adopts templates for its villages and
  records the town's review (review_decision: the one step of a town_review decision);
- village_clerk keeps the village's own lists (extending the adopted templates) and records its
  decisions: opens them, records their meetings, publications and implementation, withdraws them;
- coop_clerk, inspector and report_reader read lists and decisions (they carry no personal data).

Village matter admission and collective asset transactions (rights_lists.services.admission, .transactions):
- town_official and the village clerk file admission requests (the town's or a department's, or
  one the village received); a town official who did not file one grants its exception
  (change_admissionrequest); the district administrator as well;
- the village and cooperative clerks file asset transactions with their bidders and files and
  conclude them (change); town officials review them (review_assettransaction, never the filer);
- report_reader reads admission requests (no personal data) but not transactions: their bidders
  are people, with their eligibility.
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

TRANSACTION_RECORDS = ("rights_lists.bidder", "rights_lists.assettransactionfile")
READ_TRANSACTIONS = {
    "rights_lists.admissionrequest": VIEW,
    "rights_lists.assettransaction": VIEW,
    **grant(TRANSACTION_RECORDS, VIEW),
}
FILE_TRANSACTIONS = {
    "rights_lists.assettransaction": EDIT,
    **grant(TRANSACTION_RECORDS, EDIT),
}

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        **grant(LIST_MODELS, ALL),
        "rights_lists.adoption": EDIT,
        "rights_lists.quorumrule": ALL,
        "rights_lists.decision": EDIT + ("review",),
        **grant(DECISION_RECORDS, EDIT),
        "rights_lists.admissionrequest": EDIT,
        **FILE_TRANSACTIONS,
        "rights_lists.assettransaction": EDIT + ("review",),
    },
    "town_official": {
        **READ_ALL,
        **grant(LIST_MODELS, EDIT),
        "rights_lists.adoption": EDIT,
        "rights_lists.decision": VIEW + ("review",),
        **READ_TRANSACTIONS,
        "rights_lists.admissionrequest": EDIT,
        "rights_lists.assettransaction": VIEW + ("review",),
    },
    "village_clerk": {
        **READ_ALL,
        **grant(LIST_MODELS, EDIT),
        "rights_lists.decision": EDIT,
        **grant(DECISION_RECORDS, EDIT),
        **READ_TRANSACTIONS,
        "rights_lists.admissionrequest": VIEW + ("add",),
        **FILE_TRANSACTIONS,
    },
    "coop_clerk": {**READ_ALL, **READ_TRANSACTIONS, **FILE_TRANSACTIONS},
    "inspector": {**READ_ALL, **READ_TRANSACTIONS},
    "report_reader": {**READ_ALL, "rights_lists.admissionrequest": VIEW},
}
