"""The rights_lists part of the Nanhai demo (manage.py load_demo runs it after the hierarchy's,
through registry.demo_steps: rights_lists/contributions.py):

- lists.py: the district's list templates, adopted by the demo town's villages, the demo
  village's own lists, and its decisions at every state (`load_demo_lists`, which then runs
  transactions.py);
- transactions.py: the town's negative list of projects, village matter admission requests of
  each outcome and collective asset transactions under the town's review.

Everything is written through rights_lists.services, as in the browser.
"""
