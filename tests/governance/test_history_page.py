"""The history page reads as the record's own page does (governance.audit.HistoryRenderer): fields
by their names, choices by their labels, the records pointed to by their names (users by their
full name, family name first), days and moments in Chinese in local time, booleans 是/否."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from covenants.choices import Severity
from covenants.testing.factories import ViolationFactory
from governance.audit import acting_as, date_text, datetime_text
from governance.pages.views import HistoryView
from governance.testing import world as w
from governance.testing.factories import UserFactory
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.models import PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db


def history_url(obj) -> str:
    return reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def rows(event) -> dict:
    return {label: (before, after) for label, before, after in event["changes"]}


@pytest.fixture
def confirmer():
    return UserFactory(username="chen", last_name="陈", first_name="嘉慧")


@pytest.fixture
def confirmed_violation(world, confirmer):
    """A recorded violation of clause 1 that 陈嘉慧 then confirmed as serious on 2025-03-20."""
    violation = ViolationFactory(confirmed_on=None, recorded_by=UserFactory(last_name="李", first_name="四"))
    with acting_as(confirmer):
        violation.confirmed_by = confirmer
        violation.confirmed_on = datetime.date(2025, 3, 20)
        violation.severity = Severity.SERIOUS
        violation.save()
    return violation


def test_a_violations_change_names_the_confirmer_the_severity_and_the_day_as_its_page_does(world, confirmed_violation):
    response = client_for(world.user("town_official")).get(history_url(confirmed_violation))

    assert response.status_code == 200
    update, insert = response.context["events"]
    assert update["label"] == "修改"
    assert update["user"] == "陈嘉慧"
    assert rows(update) == {
        "情节": (Severity.MINOR.label, Severity.SERIOUS.label),
        "认定日期": (None, "2025年3月20日"),
        "认定人": (None, "陈嘉慧"),
    }
    assert insert["user"] is None  # written by the test, outside any request
    snapshot = {label: after for label, _, after in insert["changes"]}
    assert snapshot["违反条款"] == "第1条"
    assert snapshot["违约人"] == confirmed_violation.person.name
    assert snapshot["村（社区）"] == str(confirmed_violation.division)
    assert snapshot["登记人"] == "李四"
    assert snapshot["发生日期"] == "2025年3月10日"
    assert snapshot["情节"] == Severity.MINOR.label
    recorded = timezone.localtime(confirmed_violation.recorded_at, datetime.timezone(datetime.timedelta(hours=8)))
    assert snapshot["登记时间"] == f"{recorded.year}年{recorded.month}月{recorded.day}日 {recorded:%H:%M}"
    for raw in ("minor", "serious", confirmed_violation.recorded_at.isoformat()[:16]):
        assert raw not in response.text
    assert "陈嘉慧" in response.text and "第1条" in response.text


def test_an_appeal_decision_reads_as_yes_or_no(world, confirmed_violation):
    with acting_as(UserFactory()):
        confirmed_violation.appeal_filed_on = datetime.date(2025, 3, 25)
        confirmed_violation.appeal_reason = "不服。"
        confirmed_violation.save()
        confirmed_violation.appeal_upheld = False
        confirmed_violation.appeal_decided_on = datetime.date(2025, 3, 30)
        confirmed_violation.appeal_decided_by = UserFactory(last_name="王", first_name="五")
        confirmed_violation.save()

    decided = client_for(world.user("town_official")).get(history_url(confirmed_violation)).context["events"][0]

    assert rows(decided)["申诉成立"] == (None, "否")
    assert rows(decided)["申诉处理人"] == (None, "王五")


def test_a_positions_history_names_its_holder_its_kind_and_its_village(world):
    holder = PersonFactory(division=division(w.VILLAGE), name="张三")
    position = PositionFactory(person=holder, kind=PositionKind.VILLAGER_REPRESENTATIVE)
    with acting_as(UserFactory(last_name="Doe", first_name="Jane")):
        position.ended_on = datetime.date(2024, 12, 31)
        position.save()

    response = client_for(world.user("town_official")).get(history_url(position))

    update, insert = response.context["events"]
    assert update["user"] == "Jane Doe"
    assert rows(update) == {"离任日期": (None, "2024年12月31日")}
    snapshot = {label: after for label, _, after in insert["changes"]}
    assert "张三" in snapshot.values()
    assert PositionKind.VILLAGER_REPRESENTATIVE.label in snapshot.values()
    assert str(division(w.VILLAGE)) in snapshot.values()
    assert snapshot["任职日期"] == "2021年3月1日"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", update["created_at"])


def test_the_moments_are_written_in_local_time():
    moment = datetime.datetime(2026, 5, 12, 6, 30, tzinfo=datetime.UTC)  # 14:30 in Shanghai

    assert datetime_text(moment) == "2026年5月12日 14:30"
    assert date_text(datetime.date(2026, 5, 2)) == "2026年5月2日"


def test_the_records_pointed_to_cost_one_query_per_model_whatever_the_number_of_events(world):
    """Two sizes of history, each change by another user to another holder: 3 events and a full
    page of 50 (both with the first event, whose snapshot points to every related model) cost the
    same queries, so no query is paid per row."""
    position = PositionFactory(person=PersonFactory(division=division(w.VILLAGE)))
    client = client_for(world.user("town_official"))

    def change(n):
        for _ in range(n):
            with acting_as(UserFactory()):
                position.person = PersonFactory(division=division(w.VILLAGE))
                position.save()

    def history():
        response = client.get(history_url(position))
        queries = queries_for(client, history_url(position))
        return len(response.context["events"]), queries

    change(2)
    few_rows, few_queries = history()
    change(HistoryView.paginate_by - 3)
    many_rows, many_queries = history()

    assert (few_rows, many_rows) == (3, HistoryView.paginate_by)
    assert {event["user"] for event in client.get(history_url(position)).context["events"][:-1]} != {None}
    assert many_queries == few_queries
