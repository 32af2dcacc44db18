"""How a sanction is named to people: the bar, the covenant clause and violation behind it, the dates."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from covenants.choices import SanctionKind

if TYPE_CHECKING:
    from covenants.services.sanctions import Sanction

# The bars that only repeat or serious violations bring (the others follow any violation).
BARS_OF_REPEAT_OR_SERIOUS = (SanctionKind.ASSET_BIDDING_BAR, SanctionKind.ELECTION_BAR)


def describe_bar(sanction: Sanction) -> str:
    """不得当选领导职务或代表（违反《罗村村规民约》第3条，严重违约，违约记录12），至2031-02-28止，2031-03-01起恢复."""
    values = {
        "sanction": SanctionKind(sanction.kind).label,
        "covenant": sanction.covenant_title,
        "clause": sanction.clause_number,
        "violation": sanction.violation_id,
    }
    if sanction.kind in BARS_OF_REPEAT_OR_SERIOUS:
        values["why"] = _("严重违约") if sanction.serious else _("屡次违约")
        text = _("%(sanction)s（违反《%(covenant)s》第%(clause)s条，%(why)s，违约记录%(violation)s）") % values
    else:
        text = _("%(sanction)s（违反《%(covenant)s》第%(clause)s条，违约记录%(violation)s）") % values
    if sanction.ends_on is not None:
        last_day = sanction.ends_on - datetime.timedelta(days=1)
        text += _("，至%(last)s止，%(free)s起恢复") % {
            "last": last_day.isoformat(),
            "free": sanction.ends_on.isoformat(),
        }
    return text
