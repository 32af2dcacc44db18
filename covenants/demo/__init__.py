"""The covenants part of the Nanhai demo (manage.py load_demo runs it after villages' own load,
through governance.registry.demo_steps, in the same transaction).

What it holds, and why (docs/api.md, "Demo content"):

- every village-level unit of the district with a collective economy (222) has a general
  covenant (村规民约, or 居民公约 for a community) whose version 1 was adopted by the villagers'
  (representative) assembly, filed with the town and published on fixed dates, with the six
  clauses of DEMO_CLAUSES: on the collective economy, homesteads, the living environment,
  parking, illegal land use and construction (两违) and customs; the first, second and fifth
  bar repeat or serious violators from asset bidding (3 years) and election (5 years), most
  withhold the compliance award, the parking clause restricts vehicle access and the 两违 clause
  owes compensation, both until rectified;
- in the village clerk's village (唐边村委会, villages.demo.plan.DEMO_VILLAGE_CODE), its compliance
  award runs (DEMO_AWARD_RUNS): 2025 approved, everyone paid in full; 2026-H1 approved, the
  member of the confirmed May violation withheld and their entitlement kept in the fund; 2026-H2
  a preview withholding the member of the confirmed August violation;
- in the village clerk's village, its red list
  (红榜) of the current year: three nominations proposed by the village clerk and approved by the
  town official, and one waiting for approval; its black list is derived from the violations;
- in the village clerk's village, four
  violations, recorded by the village clerk and confirmed by the town official (four eyes): one
  recorded and waiting for confirmation, one confirmed minor, one confirmed serious (its person
  is barred from election until 2031 and from bidding until 2029), and one serious whose appeal
  the town upheld (lifting everything).

The plan is covenants.demo.plan; covenants.demo.loading writes it (set-based).
"""

from covenants.demo.loading import load_demo_covenants
from covenants.demo.plan import (
    ADOPTED_ON,
    BARRED_VIOLATION,
    BORN_BY,
    DEMO_AWARD_FUND_FEN,
    DEMO_AWARD_RUNS,
    DEMO_CLAUSES,
    DEMO_VIOLATIONS,
    FILED_ON,
    PUBLISHED_ON,
    covenant_title,
)

__all__ = [
    "ADOPTED_ON",
    "BARRED_VIOLATION",
    "BORN_BY",
    "DEMO_AWARD_FUND_FEN",
    "DEMO_AWARD_RUNS",
    "DEMO_CLAUSES",
    "DEMO_VIOLATIONS",
    "FILED_ON",
    "PUBLISHED_ON",
    "covenant_title",
    "load_demo_covenants",
]
