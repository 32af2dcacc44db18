"""Importing a village's roll (花名册) and its members and shares from XLSX (villages/rolls.py,
villages/services/rolls.py, villages/pages/rolls.py): the template round trip, every reason a
row is refused, all or nothing, the preview writing nothing, scope, and query counts that do not
grow with the number of rows."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pghistory.models
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance.testing import world as w
from governance.testing.pages import audit_events
from governance.testing.pages import signed_in_client as client_for
from villages.identity import make_id_number
from villages.models import Division, Household, Membership, Person
from villages.rolls import MEMBERS_ROLL, PEOPLE_ROLL
from villages.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, division

BIRTH = datetime.date(1988, 4, 2)


def id_number(sequence: int, birth: datetime.date = BIRTH) -> str:
    return make_id_number("440605", birth, sequence)


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person_row(sequence: int, **cells) -> tuple:
    """A row of the 花名册 template: 姓名 身份证号 电话 经济社 户号 户主 住址."""
    values = {
        "name": f"导入村民{sequence}",
        "id_number": id_number(sequence),
        "phone": "",
        "cooperative": "",
        "household": "",
        "head": "",
        "address": "",
    }
    values.update(cells)
    return tuple(values[column.key] for column in PEOPLE_ROLL.columns)


def member_row(person: Person, **cells) -> tuple:
    """A row of the 成员股份 template: 身份证号 姓名 经济社 股份 加入日期."""
    values = {
        "id_number": person.id_number,
        "name": person.name,
        "cooperative": "",
        "shares": "",
        "joined_on": "2021-03-01",
    }
    values.update(cells)
    return tuple(values[column.key] for column in MEMBERS_ROLL.columns)


def upload(client, code: str, kind: str, content: bytes, name: str = "花名册.xlsx"):
    return client.post(
        reverse("villages:roll_import", args=[code, kind]),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.text)
    assert match, response.text[:3000]
    return match.group(1)


def confirm(client, code: str, kind: str, token: str):
    return client.post(reverse("villages:roll_confirm", args=[code, kind]), {"token": token})


def errors_of(response) -> list[tuple[str, str, str]]:
    """The preview's error table as (row, column, reason) texts."""
    table = re.search(r'<table[^>]*id="roll-errors".*?</table>', response.text, re.S)
    assert table, response.text[:3000]
    cells = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>", table.group(0), re.S)
    return [tuple(cell.strip() for cell in row) for row in cells]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def clerk(world):
    return client_for(world.user("village_clerk"))


@pytest.fixture
def cooperatives(world):
    return division(w.COOPERATIVE), division(w.OTHER_COOPERATIVE_SAME_VILLAGE)


# --- the template round trip -------------------------------------------------------------------


def test_a_clerk_downloads_the_template_fills_it_in_previews_it_and_saves_every_row(clerk, cooperatives):
    first, _second = cooperatives
    response = clerk.get(reverse("villages:roll_template", args=[w.VILLAGE, "people"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(PEOPLE_ROLL.headers)
    assert sheet.max_row == 1  # no example among the data: it is on the notes sheet
    listed = [row[1] for row in workbook["经济社"].iter_rows(min_row=2, values_only=True)]
    assert first.name in listed
    assert "示例" in "".join(str(cell.value or "") for row in workbook["填写说明"].iter_rows() for cell in row)
    sheet.append(person_row(1, phone="13800138001", household="H-01", head="是", address="罗村大道1号"))
    sheet.append(person_row(2, household="H-01", address="别的地址"))
    sheet.append(person_row(3, cooperative=first.name, household="H-01", head="是"))
    sheet.append(person_row(4, cooperative=first.code))
    filled = io.BytesIO()
    workbook.save(filled)
    people_before, events_before = Person.objects.count(), audit_events()

    preview = upload(clerk, w.VILLAGE, "people", filled.getvalue())

    assert preview.status_code == 200
    assert 'id="roll-ok"' in preview.text, preview.text[:3000]
    assert "保存后将登记 4 人，新建 2 户" in preview.text
    assert (Person.objects.count(), audit_events()) == (people_before, events_before)

    saved = confirm(clerk, w.VILLAGE, "people", token_of(preview))

    assert saved.status_code == 302
    assert saved.url == f"{reverse('villages:people')}?division={w.VILLAGE}"
    one, two, three, four = (Person.objects.get(id_number=id_number(n)) for n in (1, 2, 3, 4))
    assert (one.division_id, one.phone, one.gender, one.birth_date) == (w.VILLAGE, "13800138001", "male", BIRTH)
    assert two.household_id == one.household_id
    village_household = Household.objects.get(division_id=w.VILLAGE, number="H-01")
    assert (village_household.head_id, village_household.address) == (one.pk, "罗村大道1号")
    # The same number in a cooperative is another household, the cooperative's.
    assert (three.division_id, three.household.division_id, three.household.head_id) == (
        first.code,
        first.code,
        three.pk,
    )
    assert (four.division_id, four.household_id) == (first.code, None)


def test_every_person_saved_carries_the_upload_in_its_history(clerk, world):
    preview = upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1), person_row(2)]), "村.xlsx")
    confirm(clerk, w.VILLAGE, "people", token_of(preview))

    events = pghistory.models.Events.objects.tracks(Person.objects.get(id_number=id_number(1)))
    (event,) = events
    assert event.pgh_label == "insert"
    context = event.pgh_context
    assert context["user"] == world.user("village_clerk").pk
    assert (context["action"], context["roll"], context["file"], context["rows"]) == (
        "import_roll",
        "people",
        "村.xlsx",
        2,
    )
    assert len(context["sha256"]) == 64


# --- every reason a row of the roll is refused -----------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (
            person_row(9, id_number=id_number(9)[:17] + ("0" if id_number(9)[17] != "0" else "1")),
            "身份证号",
            "校验码错误",
        ),
        (person_row(9, id_number="44060519880402"), "身份证号", "应为18位"),
        (person_row(9, id_number=440605198804020123.0), "身份证号", "按文本填写"),
        (person_row(9, name=""), "姓名", "必填"),
        (person_row(9, name="长" * 51), "姓名", "不能超过 50 个字"),
        (person_row(9, phone="12345"), "电话", "电话号码应为11位手机号"),
        (person_row(9, cooperative="第九经济社"), "经济社", "本村没有名为（或代码为）“第九经济社”的经济社"),
        (person_row(9, cooperative=w.OTHER_TOWN_VILLAGE + "001"), "经济社", "本村没有"),
        (person_row(9, household="H-9", head="也许"), "户主", "应填“是”或“否”"),
        (person_row(9, head="是"), "户主", "户主须填写户号"),
    ],
)
def test_a_bad_row_is_named_with_its_column_and_reason_and_nothing_is_saved(
    clerk, cooperatives, bad_row, column, reason
):
    content = xlsx(PEOPLE_ROLL.headers, [person_row(1), bad_row, person_row(2)])
    people_before = Person.objects.count()

    response = upload(clerk, w.VILLAGE, "people", content)

    errors = errors_of(response)
    assert [(row, col) for row, col, _reason in errors] == [("3", column)], errors
    assert reason in errors[0][2]
    assert 'id="roll-confirm"' not in response.text
    assert Person.objects.count() == people_before


def test_an_id_number_twice_in_the_file_is_refused_on_its_second_row(clerk):
    content = xlsx(PEOPLE_ROLL.headers, [person_row(1), person_row(2), person_row(3, id_number=id_number(1))])

    errors = errors_of(upload(clerk, w.VILLAGE, "people", content))

    assert errors == [("4", "身份证号", "与第 2 行的身份证号重复。")]


def test_an_id_number_registered_already_anywhere_is_refused(clerk):
    PersonFactory(division=division(w.FAR_VILLAGE), id_number=id_number(2))
    content = xlsx(PEOPLE_ROLL.headers, [person_row(1), person_row(2)])

    errors = errors_of(upload(clerk, w.VILLAGE, "people", content))

    assert errors == [("3", "身份证号", "该身份证号已登记，不能重复登记。")]


def test_a_retired_cooperative_is_refused(clerk, cooperatives):
    first, _second = cooperatives
    Division.objects.filter(pk=first.pk).update(retired_on=datetime.date(2024, 1, 1))

    errors = errors_of(
        upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1, cooperative=first.name)]))
    )

    assert errors == [("2", "经济社", f"经济社“{first.name}”已撤销。")]


def test_nothing_is_imported_into_a_retired_village(clerk):
    Division.objects.filter(pk=w.VILLAGE).update(retired_on=datetime.date(2024, 1, 1))

    errors = errors_of(upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1)])))

    assert len(errors) == 1 and "已撤销，不能再导入" in errors[0][2]


def test_two_heads_of_one_household_are_refused_and_so_is_a_head_for_a_household_that_has_one(clerk):
    headed = HouseholdFactory(division=division(w.VILLAGE), number="H-OLD")
    headed.head = PersonFactory(division=division(w.VILLAGE))
    headed.save()
    content = xlsx(
        PEOPLE_ROLL.headers,
        [
            person_row(1, household="H-1", head="是"),
            person_row(2, household="H-1", head="是"),
            person_row(3, household="H-OLD", head="是"),
        ],
    )

    errors = errors_of(upload(clerk, w.VILLAGE, "people", content))

    assert errors == [
        ("3", "户主", "第 2 行已是此户的户主，一户只有一位户主。"),
        ("4", "户主", "户“H-OLD”已有户主。"),
    ]


def test_a_headless_household_gets_the_head_the_file_names_and_keeps_its_address(clerk):
    household = HouseholdFactory(division=division(w.VILLAGE), number="H-7", address="旧址")
    content = xlsx(PEOPLE_ROLL.headers, [person_row(1, household="H-7", head="是", address="新址")])

    preview = upload(clerk, w.VILLAGE, "people", content)
    assert "新建 0 户，加入已有的 1 户" in preview.text
    confirm(clerk, w.VILLAGE, "people", token_of(preview))

    household.refresh_from_db()
    assert (household.head.id_number, household.address) == (id_number(1), "旧址")


def test_every_bad_row_of_a_file_is_listed_at_once(clerk):
    rows = [person_row(n, phone="12345" if n % 2 else "") for n in range(1, 41)]

    errors = errors_of(upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, rows)))

    assert [row for row, _column, _reason in errors] == [str(n + 1) for n in range(1, 41, 2)]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (xlsx(["名字", "身份证"], [("张三", id_number(1))]), "第 1 行应为模板的表头"),
        (xlsx(PEOPLE_ROLL.headers, []), "文件中没有数据行"),
        (b"PK\x03\x04 not really a workbook", "无法读取该文件"),
    ],
)
def test_a_file_that_is_not_the_template_is_refused_as_a_whole(clerk, content, reason):
    response = upload(clerk, w.VILLAGE, "people", content)

    assert reason in errors_of(response)[0][2]


def test_a_file_that_is_no_xlsx_at_all_is_a_form_error(clerk):
    response = upload(clerk, w.VILLAGE, "people", "姓名,身份证号\n".encode(), "roll.csv")

    assert response.status_code == 200
    assert "不是 .xlsx 文件" in response.text
    assert 'id="roll-preview"' not in response.text


# --- all or nothing ----------------------------------------------------------------------------


def test_a_row_registered_between_preview_and_confirm_refuses_the_whole_file(clerk):
    preview = upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(n) for n in range(1, 21)]))
    PersonFactory(division=division(w.VILLAGE), id_number=id_number(20))
    people_before, events_before = Person.objects.count(), audit_events()

    response = confirm(clerk, w.VILLAGE, "people", token_of(preview))

    assert response.status_code == 200
    assert errors_of(response) == [("21", "身份证号", "该身份证号已登记，不能重复登记。")]
    assert (Person.objects.count(), audit_events()) == (people_before, events_before)


def test_a_write_that_fails_half_way_leaves_nothing_behind(clerk, monkeypatch):
    from villages import rolls

    original = rolls.copy_rows

    def fail_after_the_people(model, fields, rows):
        original(model, fields, rows)
        if model is Person:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(rolls, "copy_rows", fail_after_the_people)
    preview = upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1, household="H-1", head="是")]))
    people_before, households_before = Person.objects.count(), Household.objects.count()

    with pytest.raises(RuntimeError):
        confirm(clerk, w.VILLAGE, "people", token_of(preview))

    assert (Person.objects.count(), Household.objects.count()) == (people_before, households_before)


def test_a_preview_token_is_spent_by_its_confirmation(clerk):
    preview = upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1)]))
    token = token_of(preview)
    assert confirm(clerk, w.VILLAGE, "people", token).status_code == 302

    again = confirm(clerk, w.VILLAGE, "people", token)

    assert again.status_code == 302
    assert again.url == reverse("villages:roll_import", args=[w.VILLAGE, "people"])
    assert Person.objects.filter(id_number=id_number(1)).count() == 1


def test_the_previewed_file_is_deleted_once_saved(clerk, private_media):
    preview = upload(clerk, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1)]))
    assert len(list((private_media / "villages" / "rolls").iterdir())) == 1

    confirm(clerk, w.VILLAGE, "people", token_of(preview))

    assert list((private_media / "villages" / "rolls").iterdir()) == []


# --- scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["villages:roll_import", "villages:roll_template"])
def test_another_village_is_not_found_and_a_role_that_only_views_people_is_refused(world, url_name):
    clerk = client_for(world.user("village_clerk"))
    official = client_for(world.user("town_official"))

    assert clerk.get(reverse(url_name, args=[w.OTHER_VILLAGE_SAME_TOWN, "people"])).status_code == 404
    assert official.get(reverse(url_name, args=[w.VILLAGE, "people"])).status_code == 403
    assert clerk.get(reverse(url_name, args=[w.VILLAGE, "nonsense"])).status_code == 404


def test_a_preview_of_one_village_cannot_be_confirmed_into_another(world):
    district = client_for(world.user("district_admin"))
    preview = upload(district, w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1)]))

    response = confirm(district, w.OTHER_VILLAGE_SAME_TOWN, "people", token_of(preview))

    assert response.status_code == 302
    assert not Person.objects.filter(id_number=id_number(1)).exists()


def test_a_preview_cannot_be_confirmed_from_another_session(world):
    preview = upload(
        client_for(world.user("village_clerk")), w.VILLAGE, "people", xlsx(PEOPLE_ROLL.headers, [person_row(1)])
    )

    response = confirm(client_for(world.user("village_clerk")), w.VILLAGE, "people", token_of(preview))

    assert response.status_code == 302
    assert not Person.objects.filter(id_number=id_number(1)).exists()


def test_a_cooperative_clerk_imports_into_their_cooperative_only(world, cooperatives):
    first, second = cooperatives
    coop_clerk = client_for(world.user("coop_clerk"))
    content = xlsx(PEOPLE_ROLL.headers, [person_row(1), person_row(2, cooperative=second.name)])

    errors = errors_of(upload(coop_clerk, first.code, "people", content))

    assert errors == [("3", "经济社", f"只能填写本经济社“{first.name}”。")]
    assert upload(coop_clerk, w.VILLAGE, "people", content).status_code == 404


def test_the_division_page_offers_the_imports_to_those_who_may_import(world):
    url = reverse("villages:division", args=[w.VILLAGE])

    page = client_for(world.user("village_clerk")).get(url).text
    assert reverse("villages:roll_import", args=[w.VILLAGE, "people"]) in page
    assert reverse("villages:roll_import", args=[w.VILLAGE, "members"]) in page
    assert "roll_import" not in client_for(world.user("town_official")).get(url).text
    assert 'id="import-roll"' not in client_for(world.user("town_official")).get(url).text


# --- members and shares -----------------------------------------------------------------------


@pytest.fixture
def villagers(cooperatives):
    first, second = cooperatives
    return {
        "in_village": PersonFactory(division=division(w.VILLAGE), name="村里人", id_number=id_number(501)),
        "in_first": PersonFactory(division=first, name="一社人", id_number=id_number(502)),
        "in_second": PersonFactory(division=second, name="二社人", id_number=id_number(503)),
        "elsewhere": PersonFactory(
            division=division(w.OTHER_VILLAGE_SAME_TOWN), name="外村人", id_number=id_number(504)
        ),
    }


def test_members_and_shares_are_imported_from_the_template(clerk, cooperatives, villagers):
    first, second = cooperatives
    template = load_workbook(
        io.BytesIO(clerk.get(reverse("villages:roll_template", args=[w.VILLAGE, "members"])).content)
    )
    sheet = template.worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(MEMBERS_ROLL.headers)
    sheet.append(member_row(villagers["in_village"], cooperative=first.name, shares=2.5))
    sheet.append(member_row(villagers["in_village"], cooperative=second.code, joined_on=datetime.datetime(2019, 5, 1)))
    sheet.append(member_row(villagers["in_first"], cooperative=first.name, shares="0"))
    filled = io.BytesIO()
    template.save(filled)

    preview = upload(clerk, w.VILLAGE, "members", filled.getvalue())
    assert "保存后将登记 3 名集体经济组织成员，共 3.50 股" in preview.text, preview.text[:3000]
    response = confirm(clerk, w.VILLAGE, "members", token_of(preview))

    assert response.status_code == 302
    saved = {
        (m.person_id, m.cooperative_id): (m.shares, m.joined_on, m.left_on)
        for m in Membership.objects.filter(person__in=villagers.values())
    }
    assert saved == {
        (villagers["in_village"].pk, first.code): (Decimal("2.50"), datetime.date(2021, 3, 1), None),
        (villagers["in_village"].pk, second.code): (Decimal("1.00"), datetime.date(2019, 5, 1), None),
        (villagers["in_first"].pk, first.code): (Decimal("0.00"), datetime.date(2021, 3, 1), None),
    }


@pytest.mark.parametrize(
    ("who", "cells", "column", "reason"),
    [
        ("elsewhere", {}, "身份证号", "本村（社区）没有登记此身份证号的人员"),
        ("in_village", {"name": "别人"}, "姓名", "与登记的姓名“村里人”不符"),
        ("in_second", {}, "经济社", "此人登记在其他经济社"),
        ("in_village", {"cooperative": ""}, "经济社", "必填"),
        ("in_village", {"shares": "-1"}, "股份", "应为 0 至"),
        ("in_village", {"shares": "1.234"}, "股份", "最多两位小数"),
        ("in_village", {"shares": "很多"}, "股份", "应为数字"),
        ("in_village", {"joined_on": "2099-01-01"}, "加入日期", "不能晚于今天"),
        ("in_village", {"joined_on": "去年"}, "加入日期", "应为日期"),
        ("in_village", {"joined_on": ""}, "加入日期", "必填"),
        ("in_village", {"cooperative": "第九经济社"}, "经济社", "本村没有"),
    ],
)
def test_a_bad_member_row_is_named_with_its_column_and_reason(
    clerk, cooperatives, villagers, who, cells, column, reason
):
    first, _second = cooperatives
    values = {"cooperative": first.name, **cells}
    content = xlsx(
        MEMBERS_ROLL.headers,
        [member_row(villagers["in_first"], cooperative=first.name), member_row(villagers[who], **values)],
    )

    errors = errors_of(upload(clerk, w.VILLAGE, "members", content))

    assert [(row, col) for row, col, _reason in errors] == [("3", column)], errors
    assert reason in errors[0][2]


def test_a_current_member_and_a_member_twice_in_the_file_are_refused(clerk, cooperatives, villagers):
    first, _second = cooperatives
    MembershipFactory(person=villagers["in_first"], cooperative=first)
    content = xlsx(
        MEMBERS_ROLL.headers,
        [
            member_row(villagers["in_first"], cooperative=first.name),
            member_row(villagers["in_village"], cooperative=first.name),
            member_row(villagers["in_village"], cooperative=first.code),
        ],
    )

    errors = errors_of(upload(clerk, w.VILLAGE, "members", content))

    assert errors == [
        ("2", "身份证号", "此人已是该经济社的现任成员。"),
        ("4", "身份证号", "与第 3 行重复：同一人在同一经济社只登记一次。"),
    ]
    assert Membership.objects.filter(person=villagers["in_village"]).count() == 0


def test_a_cooperative_clerk_imports_members_without_naming_the_cooperative(world, cooperatives, villagers):
    first, _second = cooperatives
    coop_clerk = client_for(world.user("coop_clerk"))
    preview = upload(coop_clerk, first.code, "members", xlsx(MEMBERS_ROLL.headers, [member_row(villagers["in_first"])]))

    assert confirm(coop_clerk, first.code, "members", token_of(preview)).status_code == 302

    assert Membership.objects.get(person=villagers["in_first"]).cooperative_id == first.code


# --- query counts --------------------------------------------------------------------------------


# (preview, confirmation): the session, the user and their grants, the division, then a fixed
# number of questions about the rows (cooperatives, ID numbers, households or people and
# memberships); the confirmation adds the lock, the audit context, the ids and the COPYs.
PINNED_QUERIES = {"people": (10, 19), "members": (10, 15)}


def costs_of_import(client, kind: str, content: bytes) -> tuple[int, int]:
    """The queries of the preview of `content` and of its confirmation (both must succeed)."""
    from django.db import connection

    with CaptureQueriesContext(connection) as previewing:
        preview = upload(client, w.VILLAGE, kind, content)
    assert 'id="roll-ok"' in preview.text, errors_of(preview)
    with CaptureQueriesContext(connection) as confirming:
        saved = confirm(client, w.VILLAGE, kind, token_of(preview))
    assert saved.status_code == 302
    return len(previewing.captured_queries), len(confirming.captured_queries)


@pytest.mark.parametrize("kind", ["people", "members"])
def test_the_preview_and_the_confirmation_cost_the_same_queries_for_10_rows_and_for_40(world, cooperatives, kind):
    first, _second = cooperatives

    def rows(start: int, count: int) -> bytes:
        numbers = range(start, start + count)
        if kind == "people":
            return xlsx(
                PEOPLE_ROLL.headers,
                [
                    person_row(n, household=f"H{n // 3}", head="是" if n % 3 == 0 else "", cooperative=first.name)
                    for n in numbers
                ],
            )
        people = [PersonFactory(division=first, id_number=id_number(n)) for n in numbers]
        return xlsx(MEMBERS_ROLL.headers, [member_row(person, cooperative=first.name) for person in people])

    few = costs_of_import(client_for(world.user("village_clerk")), kind, rows(100, 10))
    many = costs_of_import(client_for(world.user("village_clerk")), kind, rows(300, 40))

    assert few == many == PINNED_QUERIES[kind]
