"""The covenants part of the Nanhai demo (manage.py load_demo runs it after villages' own load,
through governance.registry.demo_steps, in the same transaction).

What it holds, and why (docs/api.md, "Demo content"):

- every village-level unit of the district with a collective economy (222) has a general
  covenant (村规民约, or 居民公约 for a community) whose version 1 was adopted by the villagers'
  (representative) assembly, filed with the town and published on fixed dates, with the six
  clauses of DEMO_CLAUSES: on the collective economy, homesteads, the living environment,
  parking, illegal land use and construction (两违) and customs; the first, second and fifth
  bar repeat violators (屡教不改) from asset bidding (3 years), election and nomination (5 years),
  most withhold the compliance award, the first withholds the year's share dividends and the
  second suspends homestead allocation until rectified, the parking clause restricts vehicle
  access and the 两违 clause owes compensation, both until rectified;
- in the village clerk's village (唐边村委会, villages.demo.plan.DEMO_VILLAGE_CODE), its compliance
  award runs (DEMO_AWARD_RUNS): 2025 approved, everyone paid in full; 2026-H1 approved, the
  members of the period's confirmed violations withheld and their entitlement kept in the fund;
  2026-H2 a preview withholding the members of that half-year's confirmed violations;
- in the village clerk's village, its red list
  (红榜) of the current year: three nominations proposed by the village clerk and approved by the
  town official, and one waiting for approval; its black list is derived from the violations;
- in the village clerk's village (狮山镇), six violations by five villagers, recorded by the
  village clerk and confirmed by the town official (four eyes), one of each tier: one recorded
  and waiting for confirmation; one confirmed minor (the year's award withheld); a repeat
  violator (屡教不改: a minor violation in March, a serious one in August of the same covenant),
  barred from bidding until 2029-09-09 and from election and nomination until 2031-09-09; a
  single serious violation of a barring clause (情节较为严重), which brings compensation and a
  referral to the department until rectified and bars nothing; and one serious whose appeal the
  town upheld (lifting everything).

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
    DEMO_VIOLATORS,
    FILED_ON,
    PUBLISHED_ON,
    SERIOUS_SINGLE_VIOLATOR,
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
    "DEMO_VIOLATORS",
    "FILED_ON",
    "PUBLISHED_ON",
    "SERIOUS_SINGLE_VIOLATOR",
    "covenant_title",
    "load_demo_covenants",
]
