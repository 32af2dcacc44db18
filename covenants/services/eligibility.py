"""The eligibility question (资格审查): may this person do X on day D? Answered by the sanctions
engine (covenants.services.sanctions) and logged, since who asked about whom is personal data."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from covenants.models import EligibilityQuery
from covenants.services import sanctions
from covenants.services.actions import CovenantsAction
from governance.audit import acting_as

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Person


def ask_eligibility(
    person: Person, *, acting_user: AbstractBaseUser, action: str, on: datetime.date
) -> sanctions.Eligibility:
    """Answer "may this person do X on day D?" and log the question (who, about whom, when, the
    answer), which is personal data read where the person is registered."""
    answer = sanctions.eligibility(person.pk, action, on)
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.ASK_ELIGIBILITY):
        EligibilityQuery.objects.create(
            asked_by=acting_user,
            person=person,
            action=action,
            on=on,
            eligible=answer.eligible,
            eligible_from=answer.eligible_from,
        )
    return answer
