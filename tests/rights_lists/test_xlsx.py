"""XLSX import and export of a list's items (rights_lists.xlsx's template): a good file imports
every row, a file with any bad row imports nothing and reports each error with its row number and
column, and an exported list imports again."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from governance.testing import world as w
from rights_lists import services, xlsx
from rights_lists.choices import ListKind, ListStatus, Procedure
from rights_lists.models import ListItem
from rights_lists.testing.factories import RightsListFactory, district_template
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    ["1", "集体土地发包", "集体资产", "村民委员会组织法第二十四条", "村委会", "四议两公开", 100000, 7],
    ["2", "小额工程", "工程", "", "两委", "committee", "50000.50", None],
    ["3", "资产处置", "", "", "", "town_review", None, 5],
]


def workbook_of(rows, headers=xlsx.HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def draft(world):
    return RightsListFactory(
        owner=division(w.VILLAGE), kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None
    )


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


def test_a_good_file_imports_every_row(draft, clerk):
    items = services.import_items(draft, acting_user=clerk, file=workbook_of(GOOD_ROWS))

    assert len(items) == 3
    first, second, third = draft.items.order_by("id")
    assert (first.procedure, first.full_procedure_above_fen, first.publicity_days) == (
        Procedure.FOUR_DELIBERATIONS,
        10_000_000,
        7,
    )
    assert (second.procedure, second.full_procedure_above_fen, second.publicity_days) == (
        Procedure.COMMITTEE,
        5_000_050,
        0,
    )
    assert third.procedure == Procedure.TOWN_REVIEW and third.full_procedure_above_fen is None


def test_a_file_with_one_bad_row_imports_nothing_and_names_each_error_by_row_and_column(draft, clerk):
    rows = [
        GOOD_ROWS[0],
        ["2", "", "", "", "", "随便", "12.345", "三天"],
        GOOD_ROWS[2],
        ["1", "重复编号", "", "", "", "committee", None, None],
    ]

    with pytest.raises(ValidationError) as caught:
        services.import_items(draft, acting_user=clerk, file=workbook_of(rows))

    errors = caught.value.message_dict["file"]
    assert "第 3 行“事项名称”：必填。" in errors
    assert any(error.startswith("第 3 行“决策程序”：应为") for error in errors)
    assert any(error.startswith("第 3 行“金额标准（元）”") for error in errors)
    assert any(error.startswith("第 3 行“公示期（天）”") for error in errors)
    assert "第 5 行“编号”：与第 2 行的编号重复。" in errors
    assert not ListItem.objects.filter(list=draft).exists()


def test_a_number_already_in_the_list_is_a_row_error(draft, clerk):
    services.import_items(draft, acting_user=clerk, file=workbook_of(GOOD_ROWS[:1]))

    with pytest.raises(ValidationError) as caught:
        services.import_items(draft, acting_user=clerk, file=workbook_of(GOOD_ROWS))

    assert caught.value.message_dict["file"] == ["第 2 行“编号”：清单中已有编号为 1 的事项。"]
    assert draft.items.count() == 1


def test_a_file_with_other_headers_is_refused_whole(draft, clerk):
    with pytest.raises(ValidationError) as caught:
        services.import_items(draft, acting_user=clerk, file=workbook_of(GOOD_ROWS, headers=("编号", "名称")))
    assert caught.value.message_dict["file"][0].startswith("第 1 行应为模板表头")


def test_a_file_that_is_no_workbook_is_refused(draft, clerk):
    with pytest.raises(ValidationError) as caught:
        services.import_items(draft, acting_user=clerk, file=io.BytesIO(b"not a workbook"))
    assert ".xlsx" in caught.value.message_dict["file"][0]


def test_empty_rows_are_skipped_and_an_empty_file_is_refused(draft, clerk):
    with pytest.raises(ValidationError):
        services.import_items(draft, acting_user=clerk, file=workbook_of([[None] * 8]))
    assert services.import_items(draft, acting_user=clerk, file=workbook_of([GOOD_ROWS[0], [None] * 8]))


def test_only_a_draft_takes_an_import(clerk, world):
    published = RightsListFactory(owner=division(w.VILLAGE), kind=ListKind.PETTY_POWER)
    with pytest.raises(ValidationError):
        services.import_items(published, acting_user=clerk, file=workbook_of(GOOD_ROWS))


def test_the_clerk_imports_nothing_into_the_districts_list(clerk, world):
    draft = RightsListFactory(kind=ListKind.PETTY_POWER, status=ListStatus.DRAFT, valid_from=None)
    with pytest.raises(PermissionDenied):
        services.import_items(draft, acting_user=clerk, file=workbook_of(GOOD_ROWS))


def test_an_exported_list_has_the_template_headers_and_imports_again(draft, clerk, world):
    template = district_template()

    exported = xlsx.export_items(template)

    sheet = load_workbook(io.BytesIO(exported)).active
    assert tuple(cell.value for cell in sheet[1]) == xlsx.HEADERS
    assert sheet.max_row == 4
    services.import_items(draft, acting_user=clerk, file=io.BytesIO(exported))
    fields = ("number", "title", "procedure", "full_procedure_above_fen", "publicity_days")
    assert list(draft.items.order_by("id").values_list(*fields)) == list(
        template.items.order_by("id").values_list(*fields)
    )
