"""A user's display name computed by PostgreSQL (display_name_of) is the one Python shows."""

import pytest
from django.contrib.auth import get_user_model

from governance.people_names import display_name, display_name_of
from governance.testing.factories import UserFactory
from grids.models import GridEvent
from grids.testing.factories import GridEventFactory

NAMES = [
    ("chen", "嘉慧", "陈"),  # family name first, no space
    ("wang", " 小明 ", " 王"),  # padded
    ("ou", "阳", "欧"),
    ("rare", "㐀", "甲"),  # the first of CJK extension A
    ("jd", "Jane", "Doe"),
    ("first_only", "Jane", ""),
    ("last_only", "", "Doe"),
    ("padded_western", "  Jane", "Doe  "),
    ("nobody", "", ""),
    ("blank", "   ", "  "),
    ("mixed", "Li", "李"),
]


@pytest.mark.django_db
def test_the_name_postgresql_computes_is_the_name_python_shows_for_every_kind_of_name():
    users = [UserFactory(username=username, first_name=first, last_name=last) for username, first, last in NAMES]

    computed = dict(
        get_user_model()
        .objects.filter(pk__in=[user.pk for user in users])
        .annotate(shown=display_name_of("pk"))
        .values_list("username", "shown")
    )

    assert computed == {user.username: display_name(user) for user in users}
    assert computed["chen"] == "陈嘉慧" and computed["jd"] == "Jane Doe" and computed["nobody"] == "nobody"


@pytest.mark.django_db
def test_an_event_not_yet_handled_has_no_handlers_name_and_its_reporters_name():
    event = GridEventFactory()

    read = GridEvent.objects.annotate(
        reporter=display_name_of("reported_by_id"), handler=display_name_of("handled_by_id")
    ).get(pk=event.pk)

    assert event.handled_by_id is None and read.handler is None
    assert read.reporter == display_name(event.reported_by)
