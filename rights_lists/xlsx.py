"""XLSX import and export of a list's items, in one documented template (docs/api.md, "Lists").

The template is one worksheet. Row 1 holds the headers, exactly these, in this order; every row
after it is one item (rows left wholly empty are skipped):

| column | header | content | required |
|---|---|---|---|
| A | 编号 | the item's number within the list, e.g. "1" or "2.3" (text, unique in the list) | yes |
| B | 事项名称 | the matter, at most 200 characters | yes |
| C | 类别 | a category, at most 50 characters | no |
| D | 法律政策依据 | the law or policy it rests on | no |
| E | 责任主体 | who is responsible (村党组织, 村委会, 经济社...), at most 100 characters | no |
| F | 决策程序 | `four_deliberations` / 四议两公开, `committee` / 两委会议决策, `town_review` / 镇级审核 | yes |
| G | 金额标准（元） | above this amount the full 四议两公开 applies; yuan, at most 2 decimals | no |
| H | 公示期（天） | the publicity period in days, a whole number (empty: 0) | no |

An import is all or nothing: any bad row (or a bad header row) refuses the whole file with a
report of every error, each naming its row number and column ("第 3 行“决策程序”：..."), and
nothing is written. The export writes the same template, so an exported list imports again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from governance.money import FEN_PER_YUAN, fen_to_yuan
from rights_lists.choices import Procedure
from rights_lists.models import ListItem, RightsList


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("编号", "number", required=True, max_length=20),
    Column("事项名称", "title", required=True, max_length=200),
    Column("类别", "category", max_length=50),
    Column("法律政策依据", "basis"),
    Column("责任主体", "responsible_body", max_length=100),
    Column("决策程序", "procedure", required=True),
    Column("金额标准（元）", "full_procedure_above_fen"),
    Column("公示期（天）", "publicity_days"),
)
HEADERS = tuple(column.header for column in COLUMNS)
SHEET_TITLE = "清单事项"
MAX_ROWS = 5000
MAX_PUBLICITY_DAYS = 365
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The procedure column takes the code or its Chinese name.
PROCEDURE_BY_TEXT: dict[str, str] = {
    **{value: value for value in Procedure.values},
    **{str(label): value for value, label in Procedure.choices},
}


def export_items(rights_list: RightsList) -> bytes:
    """The list's items in the template (one query for the items)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADERS)
    for item in rights_list.items.order_by("id"):
        threshold = None if item.full_procedure_above_fen is None else fen_to_yuan(item.full_procedure_above_fen)
        sheet.append(
            [
                item.number,
                item.title,
                item.category,
                item.basis,
                item.responsible_body,
                str(Procedure(item.procedure).label),
                threshold,
                item.publicity_days,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell_error(row: int, column: Column, message: str) -> str:
    return _("第 %(row)s 行“%(column)s”：%(message)s") % {"row": row, "column": column.header, "message": message}


def _fen(text: str) -> int:
    try:
        yuan = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("应为金额（元），最多两位小数。")) from None
    fen = yuan * FEN_PER_YUAN
    if not yuan.is_finite() or yuan < 0 or fen != fen.to_integral_value():
        raise ValueError(_("应为不小于零的金额（元），最多两位小数。"))
    return int(fen)


def _days(text: str) -> int:
    if not text:
        return 0
    try:
        days = int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise ValueError(_("应为整数天数。")) from None
    if Decimal(text) != days or not 0 <= days <= MAX_PUBLICITY_DAYS:
        raise ValueError(_("应为 0 至 %(max)s 的整数天数。") % {"max": MAX_PUBLICITY_DAYS})
    return days


def read_items(file, *, taken_numbers: set[str] = frozenset()) -> list[ListItem]:
    """The items of an XLSX file in the template, unsaved; ValidationError({"file": [...]}) with
    every row's errors when any row is bad (numbers in `taken_numbers` are already in the list)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise ValidationError({"file": [_("无法读取该文件，请上传 .xlsx 格式的清单模板。")]}) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = tuple(_text(value) for value in next(rows, ()))[: len(HEADERS)]
    if header != HEADERS:
        raise ValidationError({"file": [_("第 1 行应为模板表头：%(headers)s。") % {"headers": "、".join(HEADERS)}]})
    errors: list[str] = []
    items: list[ListItem] = []
    seen: dict[str, int] = {}
    for row_number, values in enumerate(rows, start=2):
        if row_number - 1 > MAX_ROWS:
            errors.append(_("一次最多导入 %(max)s 行。") % {"max": MAX_ROWS})
            break
        cells = [_text(value) for value in (*values, *([None] * len(COLUMNS)))[: len(COLUMNS)]]
        if not any(cells):
            continue
        fields: dict = {}
        for column, text in zip(COLUMNS, cells, strict=True):
            if column.required and not text:
                errors.append(_cell_error(row_number, column, _("必填。")))
                continue
            if column.max_length is not None and len(text) > column.max_length:
                too_long = _("不能超过 %(max)s 个字。") % {"max": column.max_length}
                errors.append(_cell_error(row_number, column, too_long))
                continue
            try:
                if column.field == "procedure":
                    if text not in PROCEDURE_BY_TEXT:
                        choices = "、".join(str(label) for label in Procedure.labels)
                        raise ValueError(_("应为 %(choices)s 之一。") % {"choices": choices})
                    fields["procedure"] = PROCEDURE_BY_TEXT[text]
                elif column.field == "full_procedure_above_fen":
                    fields[column.field] = _fen(text) if text else None
                elif column.field == "publicity_days":
                    fields[column.field] = _days(text)
                else:
                    fields[column.field] = text
            except ValueError as error:
                errors.append(_cell_error(row_number, column, str(error)))
        number = fields.get("number")
        if number:
            if number in taken_numbers:
                taken = _("清单中已有编号为 %(number)s 的事项。") % {"number": number}
                errors.append(_cell_error(row_number, COLUMNS[0], taken))
            elif number in seen:
                errors.append(
                    _cell_error(row_number, COLUMNS[0], _("与第 %(row)s 行的编号重复。") % {"row": seen[number]})
                )
            else:
                seen[number] = row_number
        items.append(ListItem(**fields))
    workbook.close()
    if errors:
        raise ValidationError({"file": errors})
    if not items:
        raise ValidationError({"file": [_("文件中没有事项。")]})
    return items
