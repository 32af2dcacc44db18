"""The collective income grid (集体经济收入, supervision/pages/incomes.py): the villages or
cooperatives where the visitor enters incomes, amounts typed in yuan and stored in fen by
services.remuneration.save_incomes, all or nothing with each bad amount's error in its row."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance.testing import world as w
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import ROLES, audit_events, queries_for, signed_in_client
from supervision.models import CollectiveIncome
from supervision.services.remuneration import save_incomes
from supervision.testing.factories import scheme
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

URL = reverse("supervision:incomes")
PERIOD = "2026"
ENTERERS = {"district_admin", "town_official"}
VILLAGES = (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE)


def grid_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"period": PERIOD, **params}.items())
    return f"{URL}?{query}"


def income(code: str, yuan: str) -> dict:
    return {f"income-{code}": yuan}


def stored_fen(code: str, period: str = PERIOD):
    return CollectiveIncome.objects.filter(unit_id=code, period=period).values_list("income_fen", flat=True).first()


def client_of(who: str):
    return signed_in_client(get_user_model().objects.get(username=who))


def enter(world, code: str, fen: int, period: str = PERIOD):
    save_incomes(acting_user=world.user("district_admin"), period=period, incomes=[{"unit": code, "income_fen": fen}])


# --- who gets the grid ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_each_role_gets_the_grid_of_the_villages_of_its_jurisdiction_or_a_403(world, who):
    response = client_of(who).get(grid_url())

    if who not in ENTERERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {code for code in VILLAGES if f'id="row-{code}"' in response.text}
    expected = {
        "district_admin": {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE},
        "town_official": {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN},
    }
    assert listed == expected[who]


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER])
def test_only_an_enterer_saves_incomes_and_only_for_a_village_of_its_grid(world, who):
    events_before = audit_events()
    data = {**income(w.VILLAGE, "1000"), **income(w.OTHER_TOWN_VILLAGE, "2000"), **income(w.FAR_VILLAGE, "3000")}

    response = client_of(who).post(grid_url(), data)

    if who not in ENTERERS:
        assert response.status_code == 403
        assert audit_events() == events_before
        assert not CollectiveIncome.objects.exists()
        return
    assert response.status_code == 302
    assert stored_fen(w.VILLAGE) == 100000
    assert stored_fen(w.FAR_VILLAGE) is None
    assert (stored_fen(w.OTHER_TOWN_VILLAGE) is not None) is (who == "district_admin")


def test_an_outsider_gets_a_403_and_sees_no_unit(world):
    enter(world, w.VILLAGE, 12345)

    response = client_of(OUTSIDER).get(grid_url())

    assert response.status_code == 403
    assert w.VILLAGE not in response.text and "123.45" not in response.text


def test_an_anonymous_visitor_is_sent_to_sign_in_and_saves_nothing(world, client):
    response = client.post(grid_url(), income(w.VILLAGE, "1"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not CollectiveIncome.objects.exists()


def test_the_grid_is_in_the_supervision_drop_down_for_enterers_only(world):
    assert URL in client_of("town_official").get(reverse("home")).text
    assert URL not in client_of("inspector").get(reverse("home")).text


# --- the grid ------------------------------------------------------------------------------------


def test_the_grid_shows_each_villages_stored_income_in_yuan(world):
    enter(world, w.VILLAGE, 123456789)
    enter(world, w.OTHER_VILLAGE_SAME_TOWN, 500, period="2025")

    response = client_of("town_official").get(grid_url())

    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows[w.VILLAGE].value == "1234567.89"
    assert "1,234,567.89" in response.text
    assert rows[w.OTHER_VILLAGE_SAME_TOWN].value == "" and rows[w.OTHER_VILLAGE_SAME_TOWN].stored_fen is None


def test_the_cooperative_grid_lists_the_cooperatives(world):
    response = client_of("town_official").get(grid_url(level="cooperative"))

    codes = {row.unit.code for row in response.context["rows"]}
    assert {w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE} <= codes
    assert not codes & set(VILLAGES)


def test_a_bad_period_is_a_field_error_and_no_grid(world):
    response = client_of("town_official").get(grid_url(period="2026-13"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "period" in response.context["form"].errors
    assert 'id="income-grid"' not in response.text


# Session, user, grants, the units' count and page, and their stored incomes.
PINNED_QUERIES = 6


def test_the_grid_costs_the_same_queries_for_two_villages_and_for_seven(world):
    enter(world, w.VILLAGE, 100)
    two = queries_for(client_of("town_official"), grid_url())
    for number in range(3, 8):
        code = f"{w.TOWN}{number:03d}"
        division(code)
        enter(world, code, number * 100)

    official = client_of("town_official")
    seven = queries_for(official, grid_url())

    assert len(official.get(grid_url()).context["rows"]) == 7
    assert two == seven == PINNED_QUERIES


# --- saving --------------------------------------------------------------------------------------


def test_yuan_are_stored_in_fen_and_a_blank_row_is_left_as_it_is(world):
    enter(world, w.OTHER_VILLAGE_SAME_TOWN, 777)
    official = client_of("town_official")

    response = official.post(grid_url(), {**income(w.VILLAGE, "1,234.5"), **income(w.OTHER_VILLAGE_SAME_TOWN, "")})

    assert response.status_code == 302 and response.url == grid_url()
    assert stored_fen(w.VILLAGE) == 123450
    assert stored_fen(w.OTHER_VILLAGE_SAME_TOWN) == 777
    assert CollectiveIncome.objects.get(unit_id=w.VILLAGE).entered_by.username == "town_official"
    assert "已保存 1 个单位的集体经济收入。" in official.get(response.url).text


def test_a_bad_amount_saves_nothing_and_its_error_is_shown_in_its_row(world):
    enter(world, w.OTHER_VILLAGE_SAME_TOWN, 777)

    response = client_of("town_official").post(
        grid_url(), {**income(w.VILLAGE, "12.345"), **income(w.OTHER_VILLAGE_SAME_TOWN, "900")}
    )

    assert response.status_code == 400
    assert stored_fen(w.VILLAGE) is None
    assert stored_fen(w.OTHER_VILLAGE_SAME_TOWN) == 777  # the good row is not saved either
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows[w.VILLAGE].errors == ["金额最多保留两位小数（分）。"]
    assert rows[w.VILLAGE].value == "12.345"
    assert rows[w.OTHER_VILLAGE_SAME_TOWN].errors == [] and rows[w.OTHER_VILLAGE_SAME_TOWN].value == "900"
    assert "有 1 个单位的收入有误，均未保存，请改正后再提交。" in response.text


def test_text_and_overlarge_amounts_are_row_errors_in_chinese(world):
    response = client_of("town_official").post(
        grid_url(), {**income(w.VILLAGE, "一千"), **income(w.OTHER_VILLAGE_SAME_TOWN, "1" * 14)}
    )

    assert response.status_code == 400
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows[w.VILLAGE].errors == ["金额应为以元计的数字，如 12345.67。"]
    assert rows[w.OTHER_VILLAGE_SAME_TOWN].errors == ["金额过大。"]
    assert not CollectiveIncome.objects.exists()


def test_nothing_filled_in_is_an_error_not_a_save(world):
    response = client_of("town_official").post(grid_url(), income(w.VILLAGE, " "))

    assert response.status_code == 400
    assert "请至少填写一个单位的收入。" in response.text


def test_the_remuneration_page_links_an_enterer_to_the_grid_of_its_period(world):
    made = scheme(w.TOWN, period="2025")
    url = reverse("supervision:remuneration", args=[made.pk])

    official = client_of("town_official").get(url).text
    inspector = client_of("inspector").get(url, {"division": w.TOWN}).text

    assert f"{URL}?level=village&period=2025&division={w.TOWN}" in official
    assert URL not in inspector  # nor in the navigation: inspectors read incomes, they do not enter them
