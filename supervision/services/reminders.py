"""What supervision's daily beat tasks do (supervision/tasks.py, issue 9): remind the village
clerks of disclosures falling due, and start the scoring of the schemes whose period has just closed.

Both take the day they run for, so that a test, or an operator catching up, names it; both may run
twice for a day without doing anything twice (a reminder's key is its item and period; a scheme
scored after its period's last day is not scored again).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from governance.access.models import Assignment
from governance.notifications import Notice, send_notices
from supervision.models import DisclosureItem, Scheme, ScoringRun
from supervision.services.scoring import SchemeFrozen, request_run

logger = logging.getLogger(__name__)

# Our choice, not a rule of the sources: the clerks are reminded of a disclosure once, when its
# deadline is this many days away or fewer (and not yet passed), so a clerk who works on the
# village's records twice a week still sees it in time. The overdue ones have their own watchdog
# (supervision.pages.disclosures, the home page's count).
REMINDER_DAYS_BEFORE = 3

# Who is reminded: the users assigned to the village itself with this role.
CLERK_ROLE = "village_clerk"


def reminder_key(item_id: int, period_start: datetime.date) -> str:
    """The notification's key: one reminder per recipient, item and period (or major matter)."""
    return f"supervision.disclosure_due:{item_id}:{period_start.isoformat()}"


@dataclass(frozen=True)
class Reminder:
    item_id: int
    village: str
    period_start: datetime.date
    due_on: datetime.date


def due_unfiled(day: datetime.date) -> list[Reminder]:
    """The disclosures of every village due from `day` to REMINDER_DAYS_BEFORE days later and not
    filed, in one query (supervision.querysets.due_between)."""
    try:
        due = DisclosureItem.objects.all().due_between(day, day + datetime.timedelta(days=REMINDER_DAYS_BEFORE))
    except EmptyResultSet:  # a queryset that can match nothing compiles to no SQL at all
        return []
    return [Reminder(row.item_id, row.division_id, row.period_start, row.due_on) for row in due if row.filed_on is None]


def send_disclosure_reminders(day: datetime.date) -> int:
    """Notify the clerks of each village of its disclosures falling due and not filed, with a link
    to the village's disclosure calendar. Answers how many notifications were written (0 on a re-run)."""
    reminders = due_unfiled(day)
    if not reminders:
        return 0
    villages = {reminder.village for reminder in reminders}
    clerks: dict[str, list[int]] = {}
    for village, user_id in (
        Assignment.objects.filter(division_id__in=villages, role__slug=CLERK_ROLE, user__is_active=True)
        .values_list("division_id", "user_id")
        .order_by("division_id", "user_id")
        .distinct()
    ):
        clerks.setdefault(village, []).append(user_id)
    items = {
        row["pk"]: row
        for row in DisclosureItem.objects.filter(pk__in={reminder.item_id for reminder in reminders}).values(
            "pk", "title", "division__name"
        )
    }
    calendar = reverse("supervision:disclosure_calendar")
    notices = []
    # Stored text: in the portal's language, whatever the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in reminders:
            item = items[reminder.item_id]
            message = _("%(village)s的公开事项“%(title)s”（%(period)s）应在 %(due_on)s 前公开，目前尚未公开。") % {
                "village": item["division__name"],
                "title": item["title"],
                "period": reminder.period_start.isoformat(),
                "due_on": reminder.due_on.isoformat(),
            }
            url = f"{calendar}?division={reminder.village}&year={reminder.period_start.year}"
            key = reminder_key(reminder.item_id, reminder.period_start)
            notices.extend(Notice(user_id, key, message, url) for user_id in clerks.get(reminder.village, ()))
    return len(send_notices(notices))


# --- scoring of closing periods -----------------------------------------------------------------


def periods_ending_on(day: datetime.date) -> list[str]:
    """The labels of the periods (governance.periods: year, half, quarter, month) whose last day is `day`."""
    if (day + datetime.timedelta(days=1)).day != 1:
        return []
    labels = [f"{day.year}-{day.month:02d}"]
    if day.month % 3 == 0:
        labels.append(f"{day.year}-Q{day.month // 3}")
    if day.month % 6 == 0:
        labels.append(f"{day.year}-H{day.month // 6}")
    if day.month == 12:
        labels.append(f"{day.year}")
    return labels


def closing_schemes(day: datetime.date):
    """The schemes to score on `day`: unfrozen, the latest version of their division, level and
    period, their period's last day the day before, and no run asked for after that day."""
    last_day = day - datetime.timedelta(days=1)
    newer = Scheme.objects.filter(
        division=OuterRef("division"),
        level=OuterRef("level"),
        period=OuterRef("period"),
        version__gt=OuterRef("version"),
    )
    scored_since = ScoringRun.objects.filter(scheme=OuterRef("pk"), requested_at__date__gt=last_day)
    return (
        Scheme.objects.filter(period__in=periods_ending_on(last_day), frozen_at__isnull=True)
        .exclude(Exists(newer))
        .exclude(Exists(scored_since))
        .select_related("created_by")
        .order_by("division_id", "level", "pk")
    )


def score_closing_periods(day: datetime.date) -> list[ScoringRun]:
    """Start a run (services.scoring.request_run) of every scheme whose period closed the day before `day`,
    asked for by the scheme's author, who set it up and so holds the right to score it; a scheme
    whose author no longer does (or that was frozen meanwhile) is left to be scored by hand."""
    runs = []
    for scheme in closing_schemes(day):
        try:
            runs.append(request_run(scheme, acting_user=scheme.created_by, today=day))
        except (PermissionDenied, ValidationError, SchemeFrozen) as error:
            logger.warning("scheme %s of %s not scored automatically: %s", scheme.pk, scheme.division_id, error)
    return runs
