import datetime

import pytest

from covenants import sanctions
from covenants.choices import EligibilityAction, Severity
from covenants.testing.factories import ViolationFactory, published_covenant

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_serious_violation_bars_election_for_five_years_from_confirmation(world):
    clause = published_covenant().clauses.get(number=1)
    violation = ViolationFactory(clause=clause, severity=Severity.SERIOUS, confirmed_on=D(2024, 2, 29), occurred_on=D(2024, 2, 1))

    answer = sanctions.eligibility(violation.person_id, EligibilityAction.ELECTION, D(2029, 2, 28))

    assert not answer.eligible and answer.eligible_from == D(2029, 3, 1)
    assert sanctions.eligibility(violation.person_id, EligibilityAction.ELECTION, D(2029, 3, 1)).eligible
