"""What "at once" (随时公开) means, written once for every app that publishes.

Organic Law of Villagers' Committees art. 30: ordinary matters are disclosed at least quarterly,
finances monthly where transactions are many, and "major matters affecting villagers at once"
(涉及村民利益的重大事项应当随时公开). The law gives no number of days. DESIGN.md section 3 (R9):
"'At once' is one reading everywhere (disclosures and decision publications alike): within 5
days" — 5 days is the portal's reading, this one constant.

It is read by supervision (a major matter's disclosure falls due AT_ONCE_DAYS after the day it
was decided: supervision.choices.DISCLOSURE_GRACE_DAYS[Cadence.AT_ONCE]) and by rights_lists (a
decision's resolution is due AT_ONCE_DAYS after its adoption, its outcome AT_ONCE_DAYS after the
implementation's completion: rights_lists.choices.PUBLICATION_DUE_DAYS).
"""

# 随时公开: within this many days of the event (Organic Law art. 30; 5 days is our reading). A
# publication due "at once" after an event on 1 May is in time up to 6 May and overdue from 7 May.
AT_ONCE_DAYS = 5
