"""Models of the supervision app, one module per aggregate, all re-exported here so that
`from supervision.models import X` and the migrations keep working:

- disclosures.py: a village's disclosure catalogue (村务公开目录) and its filed disclosures;
- schemes.py: assessment schemes (绩效考核方案), indicators, entered scores, runs, chunks, results;
- records.py: supervision records of cadres (sanctions, integrity talks, major matters, audits);
- remuneration.py: remuneration rules and collective incomes;
- duty_reports.py: duty report evaluations (述职评议).
"""

from supervision.models.disclosures import Disclosure, DisclosureItem, deadline_of, period_of
from supervision.models.duty_reports import DutyReportEvaluation, duty_report_score
from supervision.models.records import (
    RECORD_MODELS,
    ConductNegativeItem,
    DisciplinarySanction,
    EconomicAudit,
    IntegrityTalk,
    MajorMatterReport,
    SupervisionRecord,
)
from supervision.models.remuneration import (
    CollectiveIncome,
    RemunerationBase,
    RemunerationPerformance,
    RemunerationRule,
)
from supervision.models.schemes import SCORE, Result, Scheme, SchemeIndicator, ScoreEntry, ScoringChunk, ScoringRun

__all__ = [
    "RECORD_MODELS",
    "SCORE",
    "CollectiveIncome",
    "ConductNegativeItem",
    "DisciplinarySanction",
    "Disclosure",
    "DisclosureItem",
    "DutyReportEvaluation",
    "EconomicAudit",
    "IntegrityTalk",
    "MajorMatterReport",
    "RemunerationBase",
    "RemunerationPerformance",
    "RemunerationRule",
    "Result",
    "Scheme",
    "SchemeIndicator",
    "ScoreEntry",
    "ScoringChunk",
    "ScoringRun",
    "SupervisionRecord",
    "deadline_of",
    "duty_report_score",
    "period_of",
]
