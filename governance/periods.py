"""Reporting and assessment periods, written as docs/api.md writes them: a year (`2026`),
a half (`2026-H1`), a quarter (`2026-Q3`) or a month (`2026-05`).

Every report that takes `period=` and every assessment scheme reads it through `Period.parse`, so
one spelling means the same days everywhere. Days are inclusive at both ends.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")
# Years a period may name: the portal's records start with the 2023 NBS edition; nothing is
# planned beyond a decade's assessments.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period `text` names; a ValidationError (in the user's language) when it names none."""
        match = _PERIOD.match((text or "").strip().upper())
        if match is None:
            raise ValidationError(_("期间格式应为 2026、2026-H1、2026-Q3 或 2026-05。"), code="period_format")
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                _("期间的年份应在 %(first)d 至 %(last)d 之间。"),
                code="period_year",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        if match["half"]:
            first_month, months = (int(match["half"]) - 1) * 6 + 1, 6
        elif match["quarter"]:
            first_month, months = (int(match["quarter"]) - 1) * 3 + 1, 3
        elif match["month"]:
            first_month, months = int(match["month"]), 1
        else:
            first_month, months = 1, 12
        last_month = first_month + months - 1
        return cls(
            label=match.group(0),
            start=datetime.date(year, first_month, 1),
            end=datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def counting_day(self, today: datetime.date) -> datetime.date:
        """The day counts are taken on: the period's last day, or `today` while the period runs
        (docs/api.md, assessment: indicators)."""
        return min(self.end, today)

    def __str__(self) -> str:
        return self.label


def same_day_later(day: datetime.date, *, years: int = 0, months: int = 0) -> datetime.date:
    """The same calendar day `years` and `months` later; a day the later month lacks (29 February
    in a common year, 31 April) becomes the first day of the month after.

    Every span in the portal counted in years or months ends by this rule: a covenant bar of N
    years confirmed on D ends the day before same_day_later(D, years=N), so the person is eligible
    again on that date (confirmed 29 February: eligible again on 1 March; docs/domain.md).
    """
    month_index = day.month - 1 + months
    year = day.year + years + month_index // 12
    month = month_index % 12 + 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, day.day)
    return datetime.date(year, month, calendar.monthrange(year, month)[1]) + datetime.timedelta(days=1)
