"""factory_boy factories of the grids app's records, for this app's tests and any other app's.

Events are built in a state directly (`GridEventFactory(state=..., handled_at=...)`) where a test
needs data, and through the services where a test is about the flow.
"""

import datetime

import factory
from django.utils import timezone

from governance.testing.factories import UserFactory, assign
from grids.choices import EventState
from grids.models import EventCategory, Grid, GridEvent
from villages.testing.factories import division

VILLAGE = "440605124001"


def grid_worker(code: str = VILLAGE, **user_fields):
    """A user with the grid worker role over the village with this code."""
    user = UserFactory(**user_fields)
    assign(user, code, "grid_worker")
    return user


def category(code: str = "dispute", district_code: str = "440605", **fields) -> EventCategory:
    """The district's category with this code (created with a 72-hour limit unless given)."""
    division(district_code)
    defaults = {"name": fields.pop("name", code), "time_limit_hours": fields.pop("time_limit_hours", 72), **fields}
    obj, _created = EventCategory.objects.get_or_create(district_id=district_code, code=code, defaults=defaults)
    return obj


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    division = factory.LazyFunction(lambda: division(VILLAGE))
    name = factory.Sequence(lambda n: f"第{n + 1}网格")
    worker = factory.LazyAttribute(lambda grid: grid_worker(grid.division.code))


class GridEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridEvent

    grid = factory.SubFactory(GridFactory)
    division = factory.LazyAttribute(lambda event: event.grid.division)
    category = factory.LazyAttribute(lambda event: category(district_code=event.grid.division_id[:6]))
    description = factory.Sequence(lambda n: f"第{n + 1}号事件：路灯不亮")
    state = EventState.REPORTED
    reported_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    reported_by = factory.LazyAttribute(lambda event: event.grid.worker)
    due_at = factory.LazyAttribute(
        lambda event: event.reported_at + datetime.timedelta(hours=event.category.time_limit_hours)
    )
