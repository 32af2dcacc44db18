"""The workflows of the engagement app, one function per action (README "Services"):

- contact.py: the five links of a village, contact days;
- visits.py: visits by visiting cadres;
- deliberation.py: topics proposed, pre-reviewed (four eyes) and deliberated.
"""

from engagement.services.contact import end_link, fill_link, record_contact_day
from engagement.services.deliberation import deliberate, propose_topic, review_topic
from engagement.services.visits import record_visit

__all__ = ["deliberate", "end_link", "fill_link", "propose_topic", "record_contact_day", "record_visit", "review_topic"]
