"""A list item named by id in a request (the item of a decision, of an admission request, of a
collective asset transaction) resolves only among the items the caller may read: restrict()
and the district templates read from below (ListItemQuerySet.readable_by). An item of another
town's village is answered exactly as an id that does not exist, so that the answer does not
tell that it exists there."""

import pytest
from django.urls import reverse

from governance.testing.api import client_as
from governance.testing.world import OTHER_TOWN_VILLAGE, VILLAGE
from rights_lists.choices import ListKind, Procedure
from rights_lists.models import ListItem
from rights_lists.testing.factories import ListItemFactory, RightsListFactory, adopted_template
from villages.testing.factories import division

MISSING_ID = 987654321
ENDPOINTS = ["api:decision-list", "api:admissionrequest-list", "api:assettransaction-list"]


def item_error(url_name: str, item_id: int) -> str:
    response = client_as("village_clerk").post(reverse(url_name), {"division": VILLAGE, "item": item_id}, format="json")
    assert response.status_code == 400, response.content
    (message,) = response.json()["item"]
    return message.replace(str(item_id), "<id>")


@pytest.mark.parametrize("url_name", ENDPOINTS)
def test_an_item_of_another_towns_village_is_answered_as_an_id_that_does_not_exist(world, url_name):
    foreign_list = RightsListFactory(owner=division(OTHER_TOWN_VILLAGE), kind=ListKind.PETTY_POWER)
    foreign = ListItemFactory(list=foreign_list, number="1", procedure=Procedure.COMMITTEE)
    assert not ListItem.objects.filter(pk=MISSING_ID).exists()

    assert item_error(url_name, foreign.pk) == item_error(url_name, MISSING_ID)
    assert "不存在" in item_error(url_name, foreign.pk)


@pytest.mark.parametrize("url_name", ENDPOINTS)
def test_an_item_of_a_district_template_the_village_reads_is_found(world, url_name):
    template_item = adopted_template(VILLAGE).items.get(number="1")

    response = client_as("village_clerk").post(
        reverse(url_name), {"division": VILLAGE, "item": template_item.pk}, format="json"
    )

    assert "item" not in response.json()
