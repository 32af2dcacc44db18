"""governance.xlsx_rows reads the first worksheet of an XLSX file as openpyxl does, faster: the
same values, cell by cell, for every kind of cell a filled-in template holds."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from governance.xlsx_rows import NotAWorkbook, column_index, first_sheet_rows


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_openpyxl_reads(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [row[: max((i + 1 for i, value in enumerate(row) if value is not None), default=0)] for row in rows]


def as_read_here(content: bytes) -> list[list]:
    return [values for _number, values in first_sheet_rows(io.BytesIO(content))]


def a_workbook_of_every_kind_of_cell() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["姓名", "身份证号", "股份", "加入日期", "是否", "公式"])
    sheet.append(["张三", "44060519800512031X", 1.5, datetime.date(2020, 1, 15), True, "=1+1"])
    sheet.append(["李四", 440605198005120312, 2, datetime.datetime(2021, 3, 1, 8, 30), False, None])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["  空格  ", "", -3.25, None, None, None])
    sheet["C6"] = 12345678901234  # a large integer
    sheet["A7"] = CellRichText("富", TextBlock(InlineFont(b=True), "文本"))
    sheet["H8"] = "远处的格"
    cell = sheet["D9"]
    cell.value = 44000
    cell.number_format = "yyyy/mm/dd"
    sheet["E9"] = 0.1
    workbook.create_sheet("第二页").append(["不读"])
    return saved(workbook)


def test_every_kind_of_cell_reads_as_openpyxl_reads_it():
    content = a_workbook_of_every_kind_of_cell()

    assert as_read_here(content) == as_openpyxl_reads(content)


def test_a_write_only_workbook_with_inline_strings_reads_as_openpyxl_reads_it():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(["户号", "住址"])
    for n in range(200):
        sheet.append([f"H{n:04d}", f"罗村大道{n}号" if n % 3 else None])
    content = saved(workbook)

    assert as_read_here(content) == as_openpyxl_reads(content)


def test_rows_come_with_their_numbers_and_empty_rows_are_skipped_as_the_file_skips_them():
    workbook = Workbook()
    workbook.active["A1"] = "表头"
    workbook.active["B4"] = "第四行"

    assert list(first_sheet_rows(io.BytesIO(saved(workbook)))) == [(1, ["表头"]), (4, [None, "第四行"])]


def test_dates_follow_the_1904_system_when_the_workbook_says_so():
    workbook = Workbook()
    workbook.epoch = datetime.datetime(1904, 1, 1)  # openpyxl's CALENDAR_MAC_1904
    workbook.active["A1"] = datetime.date(2020, 1, 15)
    content = saved(workbook)

    assert as_read_here(content) == as_openpyxl_reads(content) == [[datetime.datetime(2020, 1, 15)]]


@pytest.mark.parametrize("content", [b"not a zip file", b"PK\x03\x04 broken", b""])
def test_a_file_that_is_no_zip_is_not_a_workbook(content):
    with pytest.raises(NotAWorkbook):
        list(first_sheet_rows(io.BytesIO(content)))


def test_a_zip_without_a_workbook_in_it_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(NotAWorkbook):
        list(first_sheet_rows(buffer))


@pytest.mark.parametrize(("reference", "index"), [("A1", 0), ("B7", 1), ("Z2", 25), ("AA3", 26), ("AZ1", 51)])
def test_a_cell_reference_gives_its_column(reference, index):
    assert column_index(reference) == index
