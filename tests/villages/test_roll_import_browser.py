"""A real browser on a phone (390 px): a village clerk opens the village's page, follows 从 Excel
导入花名册, uploads a roll with a bad row and sees it named, uploads it mended, saves it, and finds
the people in the list."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from villages.identity import make_id_number
from villages.models import Person
from villages.rolls import PEOPLE_ROLL
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 390, "height": 844}


def roll_file(tmp_path, phone: str) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(PEOPLE_ROLL.headers))
    sheet.append(
        ["李大", make_id_number("440605", datetime.date(1975, 2, 3), 11), "13800138000", "", "H-1", "是", "罗村1号"]
    )
    sheet.append(["李二", make_id_number("440605", datetime.date(1978, 6, 9), 12), phone, "", "H-1", "", ""])
    path = tmp_path / "花名册.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def world_with_private_media(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    build_world()


def test_a_clerk_imports_a_roll_on_a_phone_after_mending_the_row_it_names(
    live_server, page, world_with_private_media, tmp_path
):
    page.set_viewport_size(PHONE_VIEWPORT)
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, "village_clerk")
    page.goto(live_server.url + reverse("villages:division", args=[w.VILLAGE]))

    page.locator("#import-roll").click()
    page.wait_for_url(f"**{reverse('villages:roll_import', args=[w.VILLAGE, 'people'])}")
    page.set_input_files("input[name=file]", roll_file(tmp_path, phone="12345"))
    page.locator("#roll-upload").click()
    expect(page.locator("#roll-refused")).to_be_visible()
    expect(page.locator("#roll-errors tbody tr")).to_have_count(1)
    expect(page.locator("#roll-errors tbody tr")).to_contain_text("电话")
    page.screenshot(path=str(ARTIFACTS / "roll-import-errors-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    assert not Person.objects.filter(name__in=["李大", "李二"]).exists()

    page.set_input_files("input[name=file]", roll_file(tmp_path, phone="13900139000"))
    page.locator("#roll-upload").click()
    expect(page.locator("#roll-ok")).to_contain_text("保存后将登记 2 人，新建 1 户")
    page.locator("#roll-confirm").click()

    page.wait_for_url(f"**{reverse('villages:people')}?division={w.VILLAGE}")
    expect(page.get_by_text("已导入 2 人，新建 1 户")).to_be_visible()
    assert set(Person.objects.filter(division_id=w.VILLAGE).values_list("name", flat=True)) >= {"李大", "李二"}
