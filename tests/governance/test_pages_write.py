"""ScopedWriteMixin, the write re-check of every form page: a record saved where the user may
not add it is rolled back, 403 inside their jurisdiction and 404 outside it. The form pages only
offer allowed targets, so this probe's form offers every division to reach the re-check."""

import datetime

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import CreateView

from governance.pages.mixins import ScopedWriteMixin
from governance.testing import world as w
from villages.identity import make_id_number
from villages.models import Person


class AnyDivisionPersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "id_number", "division"]


class ProbeView(ScopedWriteMixin, CreateView):
    model = Person
    form_class = AnyDivisionPersonForm
    success_url = "/done/"


def post_as(user, code: str):
    request = RequestFactory().post(
        "/probe/",
        {"name": "探针", "id_number": make_id_number("440605", datetime.date(1990, 1, 1), 7), "division": code},
    )
    request.user = user
    return ProbeView.as_view()(request)


def test_a_save_where_the_user_may_add_is_kept(world):
    response = post_as(world.user("village_clerk"), w.VILLAGE)

    assert response.status_code == 302
    assert Person.objects.filter(division_id=w.VILLAGE).count() == 1


def test_a_save_inside_the_jurisdiction_without_the_right_is_rolled_back_with_403(world):
    with pytest.raises(PermissionDenied):
        post_as(world.user("town_official"), w.VILLAGE)  # town officials view people, add none

    assert not Person.objects.exists()


def test_a_save_outside_the_jurisdiction_is_rolled_back_with_404(world):
    with pytest.raises(Http404):
        post_as(world.user("village_clerk"), w.OTHER_VILLAGE_SAME_TOWN)

    assert not Person.objects.exists()
