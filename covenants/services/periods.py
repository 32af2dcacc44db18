"""The period a workflow action is given, read as governance.periods reads it."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from governance.periods import Period


def period_field(label: str, field: str = "period") -> Period:
    """The period `label` names; a ValidationError on `field` (a form's or the API's field error)
    when it names none."""
    try:
        return Period.parse(label)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
