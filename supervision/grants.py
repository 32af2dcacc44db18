"""What each role may do with the supervision app's models (registered through governance's registry).

Schemes are created, scored and frozen by the division that assesses: a town official for their
town, the district administrator for the district. Scores are entered by unit (a town official
for the units of their town, in the district's schemes too); results are read in jurisdiction,
by the unit's code, so a village clerk reads their village's results. Village clerks keep their
village's disclosure catalogue and file its disclosures, and record the duty report evaluations
of its cooperatives for the village party organisation (a village's own stays with the town).
"""

from governance.access.roles import EDIT, VIEW, grant

SCHEME_PARTS = ("supervision.schemeindicator", "supervision.scoringrun", "supervision.scoringchunk")
DISCLOSURES = ("supervision.disclosureitem", "supervision.disclosure")

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {
        "supervision.scheme": EDIT + ("score", "freeze"),
        **grant(SCHEME_PARTS, VIEW),
        "supervision.scoreentry": EDIT,
        "supervision.dutyreportevaluation": EDIT,
        "supervision.result": VIEW,
        **grant(DISCLOSURES, EDIT),
    },
    "town_official": {
        "supervision.scheme": EDIT + ("score", "freeze"),
        **grant(SCHEME_PARTS, VIEW),
        "supervision.scoreentry": EDIT,
        "supervision.dutyreportevaluation": EDIT,
        "supervision.result": VIEW,
        **grant(DISCLOSURES, VIEW),
    },
    # Viewing schemes lets them open the schemes above them whose results they read
    # (SchemeQuerySet.readable_by); no scheme lies in a village.
    "village_clerk": {
        **grant(("supervision.scheme", "supervision.result"), VIEW),
        **grant(DISCLOSURES, EDIT),
        # A cooperative's duty report is evaluated by its village party organisation, which the
        # village clerk records it for (Nanhai task 09; COOPERATIVE_DUTY_REPORT_PERMISSION).
        "supervision.dutyreportevaluation": ("view", "add", "evaluate"),
    },
    "coop_clerk": grant(("supervision.scheme", "supervision.result"), VIEW),
    "inspector": {
        **grant(
            ("supervision.scheme", *SCHEME_PARTS, "supervision.scoreentry", "supervision.dutyreportevaluation"), VIEW
        ),
        "supervision.result": VIEW,
        **grant(DISCLOSURES, VIEW),
    },
    "report_reader": grant(("supervision.scheme", "supervision.schemeindicator", "supervision.result"), VIEW),
}

# Supervision records of cadres (supervision/models/records.py): the inspector (纪检监察) files and reads
# them in their jurisdiction, as the district administrator does; a town official reads sanctions,
# integrity talks and audits of the town's cadres and files integrity talks (the town holds them
# before an appointment), but not major matter reports, which are the inspectors' alone. Clerks and
# report readers see none: they are records about people, kept by those who supervise them.
# Records are never deleted (no "delete" anywhere, and a trigger refuses it); an audit's follow-up
# is the one change, granted with "change".
RECORD_MODELS = (
    "supervision.conductnegativeitem",
    "supervision.disciplinarysanction",
    "supervision.integritytalk",
    "supervision.majormatterreport",
    "supervision.economicaudit",
)
FILE_RECORDS = ("view", "add")
RECORD_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": {**grant(RECORD_MODELS, FILE_RECORDS), "supervision.economicaudit": FILE_RECORDS + ("change",)},
    "inspector": {**grant(RECORD_MODELS, FILE_RECORDS), "supervision.economicaudit": FILE_RECORDS + ("change",)},
    "town_official": {
        **grant(
            ("supervision.conductnegativeitem", "supervision.disciplinarysanction", "supervision.economicaudit"), VIEW
        ),
        "supervision.integritytalk": FILE_RECORDS,
    },
}
for _role, _record_grants in RECORD_GRANTS.items():
    GRANTS[_role].update(_record_grants)

# Remuneration (supervision/models/remuneration.py): the town and the district set their rules and enter
# the units' collective incomes; remuneration is read by those who also read the sanctions behind
# its deductions (the district, town officials, inspectors), never by clerks or report readers.
REMUNERATION_MODELS = (
    "supervision.remunerationrule",
    "supervision.remunerationbase",
    "supervision.remunerationperformance",
    "supervision.collectiveincome",
)
REMUNERATION_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_admin": grant(REMUNERATION_MODELS, EDIT),
    "town_official": grant(REMUNERATION_MODELS, EDIT),
    "inspector": grant(REMUNERATION_MODELS, VIEW),
}
for _role, _remuneration_grants in REMUNERATION_GRANTS.items():
    GRANTS[_role].update(_remuneration_grants)
