"""The supervision part of the Nanhai demo (manage.py load_demo runs it after villages' own load,
through governance.registry.demo_steps, in the same transaction):

- assessment.py: the demo village's disclosure catalogue and disclosures, and 狮山镇's 2026 village
  assessment scheme with its entries, duty report votes and a finished run;
- cooperatives.py: 狮山镇's 2026 cooperative scheme, chiefly on central work, with its entries and a
  finished run, and the demo village's cooperatives' duty reports recorded by the village clerk
  for the village party organisation;
- remuneration.py: 狮山镇's 2026 remuneration rule and the villages' collective incomes;
- records.py: the supervision records of cadres (the negative list, sanctions, talks, audits...).

Dates are fixed (the demo reads the same any day), except that nothing is filed after today.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from governance import clock
from supervision.demo.assessment import load_catalogue, load_scheme
from supervision.demo.cooperatives import load_cooperative_duty_reports, load_cooperative_scheme
from supervision.demo.records import load_demo_records
from supervision.demo.remuneration import load_demo_remuneration


def load_demo_supervision() -> str:
    """Load the supervision demo as the demo's town official, village clerk and inspector; its
    one-line summary."""
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=["town_official", "village_clerk"])
    }
    today = clock.today()
    filed = load_catalogue(users["village_clerk"], today)
    scheme, run = load_scheme(users["town_official"], today)
    summary = f"村务公开 {filed} 条；考核方案“{scheme.name}”{run.total} 个村（社区）已计算"
    cooperative_scheme, cooperative_run = load_cooperative_scheme(users["town_official"], today)
    evaluated = load_cooperative_duty_reports(users["village_clerk"])
    summary = (
        f"{summary}；考核方案“{cooperative_scheme.name}”{cooperative_run.total} 个经济社已计算，"
        f"{evaluated} 个经济社的述职评议由村党组织评议"
    )
    summary = f"{summary}；{load_demo_remuneration(users['town_official'], scheme)}"
    return f"{summary}；{load_demo_records()}"
