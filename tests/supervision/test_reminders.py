"""Supervision's daily beat tasks (supervision/services/reminders.py, supervision/tasks.py): the
clerks of a village are reminded once of each disclosure falling due and not filed; the scheme
whose period has just closed is scored, once, and no other; beat's schedule lists both tasks.

Every day is passed in; the periods are of 2024, long past whatever the day the tests run."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.celery import app
from governance.notifications import Notification
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from supervision.choices import Cadence
from supervision.models import DisclosureItem, ScoringRun
from supervision.services import reminders
from supervision.services.reminders import REMINDER_DAYS_BEFORE, periods_ending_on, reminder_key
from supervision.tasks import score_closing_periods, send_disclosure_reminders
from supervision.testing.factories import DisclosureFactory, scheme
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

D = datetime.date
# A monthly item's June 2024 falls due on 10 July (DISCLOSURE_GRACE_DAYS); the days before it.
JUNE = D(2024, 6, 1)
JUNE_DUE = D(2024, 7, 10)
IN_TIME = JUNE_DUE - datetime.timedelta(days=REMINDER_DAYS_BEFORE)


def monthly_item(code: str = w.VILLAGE, title: str = "财务收支") -> DisclosureItem:
    return DisclosureItem.objects.create(
        division=division(code), title=title, cadence=Cadence.MONTHLY, since=D(2024, 6, 1), until=D(2024, 6, 30)
    )


def reminded(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user))


def test_the_village_clerk_is_reminded_of_a_disclosure_falling_due_with_a_link_to_the_calendar(world):
    item = monthly_item()

    written = reminders.send_disclosure_reminders(IN_TIME)

    (notification,) = reminded(world.user("village_clerk"))
    assert written == 1
    assert notification.key == reminder_key(item.pk, JUNE)
    assert "财务收支" in notification.message
    assert "2024-07-10" in notification.message
    assert notification.url == f"{reverse('supervision:disclosure_calendar')}?division={w.VILLAGE}&year=2024"


def test_nobody_is_reminded_before_the_reminder_window_or_after_the_deadline(world):
    monthly_item()

    reminders.send_disclosure_reminders(IN_TIME - datetime.timedelta(days=1))
    reminders.send_disclosure_reminders(JUNE_DUE + datetime.timedelta(days=1))

    assert Notification.objects.count() == 0


def test_a_filed_disclosure_is_not_reminded(world):
    item = monthly_item()
    DisclosureFactory(item=item, period_start=JUNE, filed_on=D(2024, 7, 2))

    assert reminders.send_disclosure_reminders(IN_TIME) == 0
    assert Notification.objects.count() == 0


def test_a_second_run_of_the_day_or_of_the_next_day_reminds_nobody_twice(world):
    monthly_item()

    first = send_disclosure_reminders(IN_TIME.isoformat())
    again = send_disclosure_reminders(IN_TIME.isoformat())
    next_day = send_disclosure_reminders((IN_TIME + datetime.timedelta(days=1)).isoformat())

    assert (first, again, next_day) == (1, 0, 0)
    assert len(reminded(world.user("village_clerk"))) == 1


def test_only_the_clerks_of_the_village_are_reminded(world):
    monthly_item()
    other_clerk = UserFactory(username="other_clerk")
    assign(other_clerk, w.OTHER_VILLAGE_SAME_TOWN, "village_clerk")
    second_clerk = UserFactory(username="second_clerk")
    assign(second_clerk, w.VILLAGE, "village_clerk")

    reminders.send_disclosure_reminders(IN_TIME)

    assert {n.recipient.username for n in Notification.objects.select_related("recipient")} == {
        "village_clerk",
        "second_clerk",
    }
    for who in ("town_official", "coop_clerk", "district_admin", "inspector"):
        assert reminded(world.user(who)) == []
    assert reminded(world.outsider) == []


def test_the_reminders_of_many_villages_and_items_cost_the_same_queries_as_of_one(world):
    monthly_item()
    with CaptureQueriesContext(connection) as one:
        reminders.send_disclosure_reminders(IN_TIME)
    Notification.objects.all().delete()
    other_clerk = UserFactory(username="other_clerk")
    assign(other_clerk, w.OTHER_VILLAGE_SAME_TOWN, "village_clerk")
    monthly_item(title="村务事项")
    monthly_item(w.OTHER_VILLAGE_SAME_TOWN)
    monthly_item(w.OTHER_TOWN_VILLAGE)

    with CaptureQueriesContext(connection) as several:
        written = reminders.send_disclosure_reminders(IN_TIME)

    assert written == 3
    assert len(several.captured_queries) == len(one.captured_queries)


def test_without_any_catalogue_item_nothing_is_reminded(world):
    assert reminders.send_disclosure_reminders(IN_TIME) == 0


def test_beat_schedule_lists_the_reminders_and_the_scoring_of_closing_periods():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert {"supervision.send_disclosure_reminders", "supervision.score_closing_periods"} <= tasks
    assert {"supervision.send_disclosure_reminders", "supervision.score_closing_periods"} <= set(app.tasks)


@pytest.mark.parametrize(
    ("day", "labels"),
    [
        (D(2024, 6, 30), ["2024-06", "2024-Q2", "2024-H1"]),
        (D(2024, 12, 31), ["2024-12", "2024-Q4", "2024-H2", "2024"]),
        (D(2024, 2, 29), ["2024-02"]),
        (D(2024, 6, 29), []),
    ],
)
def test_the_periods_ending_on_a_day(day, labels):
    assert periods_ending_on(day) == labels


def closed_scheme(period: str = "2024-Q2", **fields):
    return scheme(w.TOWN, period=period, created_by=fields.pop("created_by", None) or _official(), **fields)


def _official():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="town_official")


def test_the_scheme_whose_period_closed_yesterday_is_scored_and_not_the_others(world):
    closed = closed_scheme("2024-Q2")
    closed_scheme("2024-Q3")  # still running on 1 July
    frozen = closed_scheme("2024-06")
    frozen.frozen_at, frozen.frozen_by = timezone.now(), frozen.created_by
    frozen.save()
    superseded = closed_scheme("2024-H1", version=1)
    latest = closed_scheme("2024-H1", version=2)

    runs = score_closing_periods("2024-07-01")

    assert {ScoringRun.objects.get(pk=pk).scheme_id for pk in runs} == {closed.pk, latest.pk}
    assert not ScoringRun.objects.filter(scheme=superseded).exists()
    assert ScoringRun.objects.get(scheme=closed).counting_day == D(2024, 6, 30)


def test_a_scheme_already_scored_after_its_period_is_not_scored_again(world):
    closed = closed_scheme("2024-Q2")
    earlier = closed_scheme("2024-05")
    run_during_period = ScoringRun.objects.create(
        scheme=earlier, counting_day=D(2024, 5, 31), requested_by=earlier.created_by
    )
    ScoringRun.objects.filter(pk=run_during_period.pk).update(
        requested_at=timezone.make_aware(datetime.datetime(2024, 5, 31, 15))
    )

    first = reminders.score_closing_periods(D(2024, 7, 1))
    again = reminders.score_closing_periods(D(2024, 7, 1))
    june = reminders.score_closing_periods(D(2024, 6, 1))

    assert [run.scheme_id for run in first] == [closed.pk]
    assert again == []
    assert [run.scheme_id for run in june] == [earlier.pk]


def test_a_scheme_whose_author_may_no_longer_score_it_is_left_to_be_scored_by_hand(world):
    closed_scheme("2024-Q2", created_by=world.user("village_clerk"))

    assert reminders.score_closing_periods(D(2024, 7, 1)) == []
    assert not ScoringRun.objects.exists()
