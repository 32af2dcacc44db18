"""The grids section of a village's public page (/public/<code>/): the events handled this year,
counted by category; never a description, a place or a name."""

import datetime

import pytest

from governance.testing import world as w
from grids.choices import EventState, Route
from grids.testing.factories import GridEventFactory, GridFactory, category, grid_worker
from villages.testing.factories import division

pytestmark = pytest.mark.django_db
SOME_DAY = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def this_year_is_2026(monkeypatch):
    monkeypatch.setattr("grids.pages.public.today", lambda: datetime.date(2026, 6, 15))


def handled(grid, *, late=False, **fields):
    reported_at = fields.pop("reported_at", SOME_DAY)
    return GridEventFactory(
        grid=grid,
        reported_at=reported_at,
        state=fields.pop("state", EventState.HANDLED),
        route=Route.VILLAGE,
        handled_at=reported_at + datetime.timedelta(hours=80 if late else 5),
        summary="已处置",
        **fields,
    )


def test_the_public_page_counts_the_handled_events_by_category_without_any_detail(client, world):
    worker = grid_worker(w.VILLAGE, first_name="嘉慧", last_name="陈")
    grid = GridFactory(division=division(w.VILLAGE), worker=worker)
    safety = category("safety_hazard", name="安全隐患", time_limit_hours=24)
    handled(grid, description="王家门前排水沟堵塞", location="三巷12号")
    handled(grid, late=True, state=EventState.CLOSED)
    handled(grid, category=safety, state=EventState.EVALUATED)
    GridEventFactory(grid=grid, description="尚未处置的事件", reported_at=SOME_DAY)  # reported only: not shown
    handled(grid, reported_at=SOME_DAY.replace(year=2025))  # last year: not counted

    page = client.get(f"/public/{w.VILLAGE}/").content.decode()

    section = page[page.index('id="public-grid_events"') :]
    assert "网格事件办理情况" in section
    assert "已办结网格事件 3 件，其中按期办结 2 件" in section
    assert '<td>dispute</td><td class="text-end">2</td><td class="text-end">1</td>' in section
    assert '<td>安全隐患</td><td class="text-end">1</td><td class="text-end">1</td>' in section
    for detail in ("王家门前排水沟堵塞", "三巷12号", "尚未处置的事件", "陈嘉慧", "已处置"):
        assert detail not in page


def test_a_village_without_handled_events_shows_no_grids_section(client, world):
    GridEventFactory(grid=GridFactory(division=division(w.VILLAGE)), reported_at=SOME_DAY)

    page = client.get(f"/public/{w.VILLAGE}/").content.decode()

    assert 'id="public-grid_events"' not in page


def test_the_section_costs_one_query_whatever_the_events(client, world, django_assert_num_queries):
    from grids.pages.public import public_handled_events

    grid = GridFactory(division=division(w.VILLAGE))
    for _ in range(5):
        handled(grid)
    village = division(w.VILLAGE)

    with django_assert_num_queries(1):
        section = public_handled_events(village)

    assert section["handled"] == 5
