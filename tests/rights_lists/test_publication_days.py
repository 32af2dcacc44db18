"""The days of a decision's two publications and of its implementation (四议两公开, docs/domain.md
R1, R9 and R24), each at its boundaries:

- the resolution may be published on the day of the meeting that adopted it, not the day before;
- implementation may be recorded from the day its item's publicity period (公示期) has run, read as
  choices.first_implementation_day: published on 1 May with 7 days, from 8 May (7 May is refused
  with a 400 on `done_on` naming 8 May); with no period, on the day of publication itself;
- the outcome may be published on the day the implementation was completed, not the day before;
- "at once" is one reading everywhere: governance.disclosure.AT_ONCE_DAYS (5), read by
  rights_lists.choices.PUBLICATION_DUE_DAYS and by supervision's disclosures alike; a decision's
  publication is in time on the 5th day after its event and overdue on the 6th."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import disclosure
from governance.testing import world as w
from governance.testing.api import client_as
from rights_lists import services
from rights_lists.choices import (
    PUBLICATION_DUE_DAYS,
    DecisionState,
    Procedure,
    PublicationKind,
    Step,
    first_implementation_day,
)
from rights_lists.models import Decision, ListItem
from rights_lists.testing.factories import decision_on
from supervision.choices import DISCLOSURE_GRACE_DAYS, Cadence
from supervision.models.disclosures import deadline_of

pytestmark = pytest.mark.django_db
D = datetime.date
MAY_1 = D(2025, 5, 1)
MEETING = {"expected": 9, "present": 8, "votes_for": 7, "votes_against": 1}


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


def adopted(clerk, *, held_on: datetime.date = MAY_1, publicity_days: int = 7) -> Decision:
    """A committee decision of the village adopted on `held_on`, on an item whose publicity period
    is `publicity_days` days."""
    decision = decision_on(w.VILLAGE, Procedure.COMMITTEE)
    ListItem.objects.filter(pk=decision.item_id).update(publicity_days=publicity_days)
    services.record_step(decision, acting_user=clerk, step=Step.CONSULTATION, held_on=held_on, **MEETING)
    return Decision.objects.get(pk=decision.pk)


def published(clerk, *, on: datetime.date = MAY_1, publicity_days: int = 7) -> Decision:
    """Adopted and its resolution published on the day `on`."""
    decision = adopted(clerk, held_on=on, publicity_days=publicity_days)
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=on)
    return decision


def implement(decision, clerk, done_on):
    return services.record_implementation(decision, acting_user=clerk, done_on=done_on, summary="已实施。")


def done_on_errors(decision, clerk, done_on) -> str:
    with pytest.raises(ValidationError) as caught:
        implement(decision, clerk, done_on)
    return " ".join(caught.value.message_dict["done_on"])


# --- the publicity period: its reading ------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_on", "days", "first"),
    [
        (MAY_1, 7, D(2025, 5, 8)),  # publicised 1-7 May, implemented from 8 May
        (MAY_1, 1, D(2025, 5, 2)),
        (MAY_1, 0, MAY_1),  # no period: on the day of publication
        (D(2025, 12, 29), 5, D(2026, 1, 3)),  # across the year's end
    ],
)
def test_the_first_day_of_implementation_is_the_publication_plus_the_period(published_on, days, first):
    assert first_implementation_day(published_on, days) == first


# --- the publicity period: recorded implementation --------------------------------------------------


def test_implementation_on_the_last_day_of_the_publicity_period_is_a_400_on_done_on_naming_the_first_day(clerk):
    decision = published(clerk, publicity_days=7)

    message = done_on_errors(decision, clerk, D(2025, 5, 7))

    assert "2025-05-08" in message and "公示期 7 天" in message and "2025-05-01" in message
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.RESOLUTION_PUBLISHED


def test_implementation_on_the_first_day_after_the_publicity_period_is_recorded(clerk):
    decision = published(clerk, publicity_days=7)

    implement(decision, clerk, D(2025, 5, 8))

    assert Decision.objects.get(pk=decision.pk).state == DecisionState.IMPLEMENTED


def test_implementation_on_the_day_of_publication_is_refused_while_a_period_runs(clerk):
    decision = published(clerk, publicity_days=1)

    assert "2025-05-02" in done_on_errors(decision, clerk, MAY_1)
    implement(decision, clerk, D(2025, 5, 2))


def test_without_a_publicity_period_implementation_may_be_recorded_on_the_day_of_publication(clerk):
    decision = published(clerk, publicity_days=0)

    implement(decision, clerk, MAY_1)

    assert Decision.objects.get(pk=decision.pk).state == DecisionState.IMPLEMENTED


def test_without_a_publicity_period_implementation_is_still_not_before_the_publication(clerk):
    decision = published(clerk, publicity_days=0)

    assert "决议公开日期（2025-05-01）" in done_on_errors(decision, clerk, D(2025, 4, 30))


def test_the_period_is_the_items_own_figure_when_implementation_is_recorded(clerk):
    decision = published(clerk, publicity_days=3)
    ListItem.objects.filter(pk=decision.item_id).update(publicity_days=10)

    assert "2025-05-11" in done_on_errors(decision, clerk, D(2025, 5, 10))


def test_the_api_answers_implementation_within_the_publicity_period_with_a_400_on_done_on(clerk):
    decision = published(clerk, publicity_days=7)
    url = reverse("api:decision-implementation", kwargs={"pk": decision.pk})

    early = client_as("village_clerk").post(url, {"done_on": "2025-05-07", "summary": "已实施。"}, format="json")
    in_time = client_as("village_clerk").post(url, {"done_on": "2025-05-08", "summary": "已实施。"}, format="json")

    assert early.status_code == 400, early.content
    assert "2025-05-08" in early.json()["done_on"][0]
    assert in_time.status_code in (200, 201), in_time.content
    assert in_time.json()["state"] == "implemented"


# --- the publications' own days: on the day of what they follow, not before -----------------------


def test_the_resolution_may_be_published_on_the_day_of_the_meeting_that_adopted_it(clerk):
    decision = adopted(clerk, held_on=MAY_1)

    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=MAY_1)

    assert Decision.objects.get(pk=decision.pk).state == DecisionState.RESOLUTION_PUBLISHED


def test_the_resolution_is_not_published_the_day_before_the_meeting_that_adopted_it(clerk):
    decision = adopted(clerk, held_on=MAY_1)

    with pytest.raises(ValidationError) as caught:
        services.publish_decision(
            decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 4, 30)
        )

    assert "2025-05-01" in " ".join(caught.value.message_dict["published_on"])


def test_the_outcome_may_be_published_on_the_day_the_implementation_was_completed(clerk):
    decision = published(clerk, publicity_days=7)
    implement(decision, clerk, D(2025, 5, 8))

    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=D(2025, 5, 8))

    assert Decision.objects.get(pk=decision.pk).state == DecisionState.CLOSED


def test_the_outcome_is_not_published_the_day_before_the_implementation_was_completed(clerk):
    decision = published(clerk, publicity_days=7)
    implement(decision, clerk, D(2025, 5, 8))

    with pytest.raises(ValidationError) as caught:
        services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=D(2025, 5, 7))

    assert "2025-05-08" in " ".join(caught.value.message_dict["published_on"])


def test_with_no_period_every_event_may_share_one_day(clerk):
    decision = published(clerk, on=MAY_1, publicity_days=0)
    implement(decision, clerk, MAY_1)
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.OUTCOME, published_on=MAY_1)

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.state == DecisionState.CLOSED
    assert {row.published_on for row in decision.publications.all()} == {MAY_1}


# --- "at once": one reading, 5 days, for disclosures and decision publications alike ------------------


def test_at_once_is_one_constant_of_5_days_read_by_decisions_and_disclosures_alike():
    assert disclosure.AT_ONCE_DAYS == 5
    assert PUBLICATION_DUE_DAYS == disclosure.AT_ONCE_DAYS
    assert DISCLOSURE_GRACE_DAYS[Cadence.AT_ONCE] == disclosure.AT_ONCE_DAYS


def test_a_major_matters_disclosure_and_a_decisions_resolution_fall_due_on_the_same_day():
    decided = MAY_1
    due_day = decided + datetime.timedelta(days=PUBLICATION_DUE_DAYS)

    assert deadline_of(Cadence.AT_ONCE, decided) == due_day == D(2025, 5, 6)


def overdue_on(decision, on):
    return Decision.objects.filter(pk=decision.pk).publications_overdue_on(on).first()


def test_a_resolution_missing_on_the_5th_day_after_adoption_is_not_overdue_and_on_the_6th_is(clerk):
    decision = adopted(clerk, held_on=MAY_1)

    assert overdue_on(decision, D(2025, 5, 5)) is None
    assert overdue_on(decision, D(2025, 5, 6)) is None  # its last day
    late = overdue_on(decision, D(2025, 5, 7))
    assert late is not None and late.resolution_overdue and not late.outcome_overdue


def test_a_resolution_published_on_the_5th_day_was_in_time_and_is_never_overdue(clerk):
    decision = adopted(clerk, held_on=MAY_1)
    services.publish_decision(decision, acting_user=clerk, kind=PublicationKind.RESOLUTION, published_on=D(2025, 5, 6))

    assert overdue_on(decision, D(2025, 5, 7)) is None


def test_an_outcome_missing_on_the_5th_day_after_completion_is_not_overdue_and_on_the_6th_is(clerk):
    decision = published(clerk, publicity_days=0)
    implement(decision, clerk, D(2025, 5, 10))

    assert overdue_on(decision, D(2025, 5, 15)) is None
    late = overdue_on(decision, D(2025, 5, 16))
    assert late is not None and late.outcome_overdue and not late.resolution_overdue


def test_the_overdue_publications_report_counts_a_resolution_overdue_from_the_6th_day_after_adoption(clerk):
    late = adopted(clerk, held_on=D(2025, 12, 25))  # due on 30 December: overdue by 1 on the 31st
    adopted(clerk, held_on=D(2025, 12, 26))  # due on 31 December, the day it is judged: not yet overdue

    response = client_as("town_official").get(
        reverse("api:report-overdue-publications"), {"division": w.TOWN, "period": "2025"}
    )

    assert response.status_code == 200, response.content[:300]
    rows = [
        (row["decision"], row["kind"], row["event_on"], row["due_on"], row["days_overdue"])
        for row in response.json()["results"]
    ]
    assert rows == [(late.pk, "resolution", "2025-12-25", "2025-12-30", 1)]
