from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.access.models import Assignment
from governance.access.querysets import holds_in
from governance.testing import world as w

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("assign_role", *args, stdout=out)
    return out.getvalue()


def test_assign_role_gives_a_new_user_a_town(world):
    run("new_official", w.OTHER_TOWN, "town_official", "--create-user")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="new_official")
    assert holds_in(user, "villages.view_person", w.OTHER_TOWN_VILLAGE)
    assert not holds_in(user, "villages.view_person", w.VILLAGE)
    assert not user.has_usable_password()


def test_assigning_twice_keeps_one_assignment(world):
    run("inspector", w.TOWN, "town_official")
    run("inspector", w.TOWN, "town_official")
    assert Assignment.objects.filter(user__username="inspector", division_id=w.TOWN).count() == 1


def test_an_assignment_can_be_removed(world):
    run("town_official", w.TOWN, "town_official", "--remove")
    assert not Assignment.objects.filter(user__username="town_official").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("nobody", w.TOWN, "town_official"), "nobody"),
        (("town_official", "999999", "town_official"), "999999"),
        (("town_official", w.TOWN, "mayor"), "mayor"),
    ],
)
def test_a_bad_argument_names_what_is_wrong(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
