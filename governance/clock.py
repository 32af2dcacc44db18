"""The portal's local day.

Dates in the portal (a violation's day, a meeting, a deadline) are days in the district's time zone
(settings.TIME_ZONE, Asia/Shanghai), not the server's: a server kept in UTC would otherwise put the
first eight hours of every Chinese day on the day before. Every "today" in the apps is this one.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today in the portal's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()
