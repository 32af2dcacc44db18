"""Workflow actions of the supervision app, one module per workflow; each action is one function,
atomic, with a keyword-only `acting_user`, its right re-checked inside its transaction
(governance.guards) and the audit context naming it (actions.SupervisionAction):

- scoring.py: assessment schemes, entered scores, scoring runs and freezing;
- indicators.py: the indicators the portal computes, as the SQL scoring runs;
- disclosures.py: the disclosure catalogue and filing disclosures;
- duty_reports.py: the duty report evaluations;
- records.py: supervision records of cadres;
- remuneration.py: remuneration rules, collective incomes and the remuneration they compute;
- reminders.py: what the daily beat tasks do (reminders, scoring of closing periods).
"""
