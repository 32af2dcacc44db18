"""A village's roll (花名册) and its cooperatives' members and shares (成员股份) from XLSX.

A clerk downloads a template for their village or cooperative (`template_workbook`), fills it
in, and uploads it. The file is read (`read_rows`) and checked (`check_roll`) without writing
anything: every bad row is reported with its row number, its column and the reason, in Chinese.
Only a file without a single bad row is saved, by `villages.services.rolls.import_roll`, all or
nothing, in one transaction, checked again there against the database as it is then.

Two kinds of file, one machinery (ROLL_KINDS):

- 花名册 (`people`): one person a row, with their household. A household number (户号) that the
  person's village or cooperative does not have yet creates the household (with the address of
  its head's row, else of its first row that gives one); an existing one is joined.
- 成员股份 (`members`): one current membership of a cooperative's collective economic
  organisation a row, with its shares, for people already registered.

The checks are set-based: the rows are read once, checked in Python, and the database is asked a
fixed number of questions whatever the number of rows (the cooperatives of the village, the ID
numbers already registered, the households, the people, the current memberships), so that tens
of thousands of rows are checked in seconds (bench/roll_import). The rules are in docs/domain.md
("Rolls from Excel").

The templates' headers and the data they hold are Chinese, as the paper rolls are: they are a
data format, like rights_lists/xlsx.py's, and not translated; the messages are.
"""

from __future__ import annotations

import datetime
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.bulk_load import AnyOf, copy_rows, next_ids
from governance.clock import today
from governance.guards import NOT_IN_THE_FUTURE
from governance.xlsx_rows import NotAWorkbook, first_sheet_rows
from villages import identity
from villages.choices import Level
from villages.models import Division, Household, Membership, Person

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX file is a ZIP archive (ECMA-376 Part 2, Open Packaging Conventions): "PK\x03\x04".
XLSX_MAGIC = b"PK\x03\x04"
# At most this many rows in one file: the largest villages of Nanhai register some 20,000
# people; twice that and more fits, and a file of a whole town is refused rather than half read.
ROLL_MAX_ROWS = 100_000
# The data validations and text formats of the template reach this row.
TEMPLATE_ROWS = 20_000
# What a 户主 cell may say.
YES = ("是", "Y", "y", "1")
NO = ("否", "N", "n", "0", "")
# Shares (股份): Membership.shares is DECIMAL(10, 2).
SHARES_MAX = Decimal("99999999.99")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's header (a data format: not translated)
    required: bool
    example: str
    hint: Any  # a lazy translation: what the column holds, on the template's notes sheet
    max_length: int | None = None
    width: int = 14


@dataclass(frozen=True)
class RowError:
    """One reason a file is refused: the row (1 is the header row, 0 the file as a whole), the
    column's header ("" for the whole row) and the reason."""

    row: int
    column: str
    message: str


@dataclass
class RollCheck:
    """What checking a file found: the rows read, every error, and what saving would write
    (`counts` for the page, `plan` for the writer)."""

    kind: RollKind
    division: Division
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    plan: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda error: error.row)


@dataclass(frozen=True)
class RollKind:
    """One kind of roll file: its template, its checks and its writer."""

    slug: str
    title: Any
    sheet_title: str
    columns: tuple[Column, ...]
    models: tuple[type, ...]  # the user needs "add" on each, at the division
    check: Callable[[RollCheck, list[tuple[int, dict]], Any], None]
    write: Callable[[RollCheck], None]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


# --- reading -----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).strip()


def read_rows(file, kind: RollKind) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The non-empty rows of the file's first worksheet, as (row number, {column key: value}),
    and the errors that refuse the file as a whole (not a workbook, wrong headers, too many
    rows). Values are as openpyxl would read them (text, numbers, dates), read faster
    (governance.xlsx_rows)."""
    width = len(kind.columns)
    keys = [column.key for column in kind.columns]
    rows: list[tuple[int, dict]] = []
    try:
        values = first_sheet_rows(file)
        first = next(values, None)
        header = tuple(_text(value) for value in (first[1] if first else ()))[:width]
        if first is None or first[0] != 1 or header != kind.headers:
            message = _("第 1 行应为模板的表头：%(headers)s。") % {"headers": "、".join(kind.headers)}
            return [], [RowError(1, "", message)]
        for number, cells in values:
            cells = cells[:width]
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            if len(rows) == ROLL_MAX_ROWS:
                too_many = _("一个文件最多 %(max)s 行，请分成几个文件导入。") % {"max": ROLL_MAX_ROWS}
                return [], [RowError(0, "", too_many)]
            rows.append((number, dict(zip(keys, (*cells, *([None] * (width - len(cells)))), strict=True))))
    except NotAWorkbook:
        return [], [RowError(0, "", _("无法读取该文件，请上传由本系统模板填写的 .xlsx 文件。"))]
    return rows, []


def rows_to_json(rows: list[tuple[int, dict]]) -> bytes:
    """The rows read from a file, kept between the preview and its confirmation (JSON: text,
    numbers and None as they are, dates tagged), so that the file is read only once."""

    def encode(value):
        if isinstance(value, datetime.datetime | datetime.date):
            return {"date": value.isoformat()}
        raise TypeError(type(value))

    return json.dumps(rows, default=encode, ensure_ascii=False).encode()


def rows_from_json(content: bytes) -> list[tuple[int, dict]]:
    def decode(value: dict):
        if set(value) == {"date"}:
            return datetime.datetime.fromisoformat(value["date"])
        return value

    return [(number, values) for number, values in json.loads(content, object_hook=decode)]


def check_roll(kind: RollKind, division: Division, rows: list[tuple[int, dict]], user) -> RollCheck:
    """Check the rows read from a file for `division`, as `user` would save them; writes nothing.
    A fixed number of queries, whatever the number of rows."""
    check = RollCheck(kind=kind, division=division, rows=len(rows))
    if division.retired_on is not None:
        check.errors.append(RowError(0, "", _("“%(name)s”已撤销，不能再导入。") % {"name": division.name}))
        return check
    if not rows:
        check.errors.append(RowError(0, "", _("文件中没有数据行。")))
        return check
    kind.check(check, rows, user)
    return check


class _Rows:
    """Collects one file's errors, naming each by row and column header."""

    def __init__(self, check: RollCheck):
        self.check = check
        self.columns = {column.key: column for column in check.kind.columns}
        self.today = today()

    def error(self, row: int, key: str, message: str) -> None:
        self.check.errors.append(RowError(row, self.columns[key].header, message))

    def text(self, row: int, values: dict, key: str) -> str | None:
        """The column's text, or None (with the error) when required and empty or too long."""
        column = self.columns[key]
        text = _text(values[key])
        if column.required and not text:
            self.error(row, key, _("必填。"))
            return None
        if column.max_length is not None and len(text) > column.max_length:
            self.error(row, key, _("不能超过 %(max)s 个字。") % {"max": column.max_length})
            return None
        return text

    def id_number(self, row: int, values: dict) -> str | None:
        """A valid ID number (GB 11643, villages.identity), or None with the error."""
        raw = values["id_number"]
        if isinstance(raw, float):
            self.error(row, "id_number", _("身份证号须按文本填写：按数字填写时，表格软件会丢掉末尾几位。"))
            return None
        text = self.text(row, values, "id_number")
        if not text:
            return None
        number = identity.normalise_id_number(text)
        try:
            identity.validate_id_number(number, on=self.today)
        except ValidationError as error:
            self.error(row, "id_number", " ".join(error.messages))
            return None
        return number


class _Cooperatives:
    """The cooperatives a file's rows may name (by name or code): those of the village, or the
    cooperative itself. One query."""

    def __init__(self, division: Division):
        self.division = division
        if division.level == Level.COOPERATIVE:
            found = [division]
        else:
            found = list(Division.objects.filter(parent_id=division.code, level=Level.COOPERATIVE).order_by("code"))
        self.by_code = {cooperative.code: cooperative for cooperative in found}
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        for cooperative in found:
            self.by_name[cooperative.name].append(cooperative)

    def find(self, text: str) -> tuple[Division | None, str | None]:
        """The cooperative `text` names, or None and the reason."""
        found = self.by_code.get(text)
        if found is None:
            named = self.by_name.get(text, [])
            if len(named) > 1:
                return None, _("本村有多个经济社名为“%(name)s”，请填写经济社代码。") % {"name": text}
            found = named[0] if named else None
        if found is None:
            if self.division.level == Level.COOPERATIVE:
                return None, _("只能填写本经济社“%(name)s”。") % {"name": self.division.name}
            return None, _("本村没有名为（或代码为）“%(name)s”的经济社。") % {"name": text}
        if found.retired_on is not None:
            return None, _("经济社“%(name)s”已撤销。") % {"name": found.name}
        return found, None


# --- 花名册: people and households ---------------------------------------------------------------


@dataclass
class _PersonRow:
    row: int
    division_code: str
    name: str
    id_number: str
    phone: str
    household: str
    head: bool
    address: str


@dataclass
class _PeoplePlan:
    people: list[_PersonRow]
    # (division code, number) → address, for the households to create.
    new_households: dict[tuple[str, str], str]
    # (division code, number) → id of the existing households joined.
    existing_households: dict[tuple[str, str], int]
    # (division code, number) → the row number of its head in the file.
    heads: dict[tuple[str, str], int]


def _check_people(check: RollCheck, rows: list[tuple[int, dict]], user) -> None:
    found = _Rows(check)
    cooperatives = _Cooperatives(check.division)
    people: list[_PersonRow] = []
    first_row_of: dict[str, int] = {}
    for row, values in rows:
        errors_before = len(check.errors)
        name = found.text(row, values, "name")
        id_number = found.id_number(row, values)
        phone = found.text(row, values, "phone")
        if phone:
            phone = phone.replace(" ", "")
            try:
                identity.validate_phone(phone)
            except ValidationError as error:
                found.error(row, "phone", " ".join(error.messages))
        place = check.division
        cooperative = found.text(row, values, "cooperative")
        if cooperative:
            place, reason = cooperatives.find(cooperative)
            if reason:
                found.error(row, "cooperative", reason)
        household = found.text(row, values, "household")
        head_text = found.text(row, values, "head")
        head = head_text in YES
        if head_text is not None and head_text not in YES + NO:
            found.error(row, "head", _("应填“是”或“否”，或留空。"))
        if head and not household:
            found.error(row, "head", _("户主须填写户号。"))
        address = found.text(row, values, "address")
        if id_number:
            if id_number in first_row_of:
                found.error(row, "id_number", _("与第 %(row)s 行的身份证号重复。") % {"row": first_row_of[id_number]})
            else:
                first_row_of[id_number] = row
        if len(check.errors) == errors_before:
            people.append(
                _PersonRow(row, place.code, name, id_number, phone or "", household or "", head, address or "")
            )

    # Already registered: the ID number is unique over the whole portal (Person.id_number).
    registered = set(
        Person.objects.filter(AnyOf(F("id_number"), [person.id_number for person in people])).values_list(
            "id_number", flat=True
        )
    )
    for person in people:
        if person.id_number in registered:
            found.error(person.row, "id_number", _("该身份证号已登记，不能重复登记。"))

    keys = {(person.division_code, person.household) for person in people if person.household}
    existing: dict[tuple[str, str], tuple[int, int | None]] = {}
    if keys:
        for pk, code, number, head_id in Household.objects.filter(
            AnyOf(F("number"), {number for _code, number in keys}), division_id__in={code for code, _number in keys}
        ).values_list("id", "division_id", "number", "head_id"):
            if (code, number) in keys:
                existing[(code, number)] = (pk, head_id)
    heads: dict[tuple[str, str], int] = {}
    addresses: dict[tuple[str, str], str] = {}
    for person in people:
        if not person.household:
            continue
        key = (person.division_code, person.household)
        if person.head:
            if key in heads:
                found.error(
                    person.row, "head", _("第 %(row)s 行已是此户的户主，一户只有一位户主。") % {"row": heads[key]}
                )
            elif key in existing and existing[key][1] is not None:
                found.error(person.row, "head", _("户“%(number)s”已有户主。") % {"number": person.household})
            else:
                heads[key] = person.row
                if person.address:
                    addresses[key] = person.address
        if person.address:
            addresses.setdefault(key, person.address)
    new_households = {key: addresses.get(key, "") for key in keys if key not in existing}
    check.plan = _PeoplePlan(
        people=people,
        new_households=new_households,
        existing_households={key: pk for key, (pk, _head) in existing.items()},
        heads=heads,
    )
    check.counts = {"people": len(people), "new_households": len(new_households), "joined_households": len(existing)}


def _write_people(check: RollCheck) -> None:
    plan: _PeoplePlan = check.plan
    person_ids = next_ids(Person, len(plan.people))
    id_of_row = {person.row: pk for person, pk in zip(plan.people, person_ids, strict=True)}
    new_keys = sorted(plan.new_households)
    household_ids = dict(zip(new_keys, next_ids(Household, len(new_keys)), strict=True))
    # The foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED): households may name
    # their heads before the people are written.
    copy_rows(
        Household,
        ("id", "division", "number", "address", "head"),
        (
            (household_ids[key], key[0], key[1], plan.new_households[key], id_of_row.get(plan.heads.get(key)))
            for key in new_keys
        ),
    )
    household_ids.update(plan.existing_households)
    now = timezone.now()
    copy_rows(
        Person,
        (
            "id",
            "division",
            "household",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "created_at",
            "updated_at",
        ),
        (
            (
                id_of_row[person.row],
                person.division_code,
                household_ids[(person.division_code, person.household)] if person.household else None,
                person.name,
                person.id_number,
                # Person.save() derives these from the ID number; COPY does not call it.
                identity.gender_from_id(person.id_number),
                identity.birth_date_from_id(person.id_number),
                person.phone,
                now,
                now,
            )
            for person in plan.people
        ),
    )
    # Existing households without a head that the file gives one: one UPDATE.
    new_heads = {
        plan.existing_households[key]: id_of_row[row]
        for key, row in plan.heads.items()
        if key in plan.existing_households
    }
    if new_heads:
        Household.objects.filter(pk__in=new_heads).update(
            head_id=Case(*(When(pk=pk, then=Value(person_id)) for pk, person_id in new_heads.items()))
        )


# --- 成员股份: members of cooperatives and their shares -----------------------------------------


@dataclass
class _MemberRow:
    row: int
    person_id: int
    cooperative_code: str
    shares: Decimal
    joined_on: datetime.date


def _shares(text: str) -> Decimal:
    if not text:
        return Decimal(1)  # Membership.shares' default
    try:
        shares = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("应为数字，最多两位小数。")) from None
    if not shares.is_finite() or shares < 0 or shares > SHARES_MAX or shares != shares.quantize(Decimal("0.01")):
        raise ValueError(_("应为 0 至 %(max)s 的数字，最多两位小数。") % {"max": SHARES_MAX})
    return shares.quantize(Decimal("0.01"))


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else datetime.date(*map(int, text.split("-")))
    except (TypeError, ValueError):
        raise ValueError(_("应为日期，如 2020-01-15。")) from None


def _check_members(check: RollCheck, rows: list[tuple[int, dict]], user) -> None:
    found = _Rows(check)
    cooperatives = _Cooperatives(check.division)
    this_day = found.today
    wanted: list[tuple[int, str, str, Division, Decimal, datetime.date]] = []
    first_row_of: dict[tuple[str, str], int] = {}
    for row, values in rows:
        errors_before = len(check.errors)
        id_number = found.id_number(row, values)
        name = found.text(row, values, "name")
        cooperative_text = found.text(row, values, "cooperative")
        cooperative = check.division if check.division.level == Level.COOPERATIVE else None
        if cooperative_text:
            cooperative, reason = cooperatives.find(cooperative_text)
            if reason:
                found.error(row, "cooperative", reason)
        elif cooperative is None and cooperative_text is not None:
            found.error(row, "cooperative", _("必填。"))
        shares = None
        shares_text = found.text(row, values, "shares")
        if shares_text is not None:
            try:
                shares = _shares(shares_text)
            except ValueError as error:
                found.error(row, "shares", str(error))
        joined_on = None
        if found.text(row, values, "joined_on"):
            try:
                joined_on = _day(values["joined_on"])
            except ValueError as error:
                found.error(row, "joined_on", str(error))
            else:
                if joined_on > this_day:
                    found.error(row, "joined_on", str(NOT_IN_THE_FUTURE))
        if id_number and cooperative is not None:
            key = (id_number, cooperative.code)
            if key in first_row_of:
                message = _("与第 %(row)s 行重复：同一人在同一经济社只登记一次。") % {"row": first_row_of[key]}
                found.error(row, "id_number", message)
            else:
                first_row_of[key] = row
        if len(check.errors) == errors_before:
            wanted.append((row, id_number, name, cooperative, shares, joined_on))

    # The people: registered in the village or one of its cooperatives, and visible to the user.
    village_code = check.division.code if check.division.level == Level.VILLAGE else check.division.parent_id
    places = [village_code, *cooperatives.by_code]
    people = {
        id_number: (pk, name, code)
        for pk, id_number, name, code in Person.objects.restrict(user, "view")
        .filter(AnyOf(F("id_number"), {row[1] for row in wanted}), division_id__in=places)
        .values_list("id", "id_number", "name", "division_id")
    }
    current = set(
        Membership.objects.filter(
            AnyOf(F("person_id"), [person[0] for person in people.values()]),
            cooperative_id__in=list(cooperatives.by_code),
            left_on__isnull=True,
        ).values_list("person_id", "cooperative_id")
    )
    members: list[_MemberRow] = []
    for row, id_number, name, cooperative, shares, joined_on in wanted:
        person = people.get(id_number)
        if person is None:
            found.error(row, "id_number", _("本村（社区）没有登记此身份证号的人员，请先导入花名册。"))
            continue
        person_id, registered_name, code = person
        if registered_name != name:
            found.error(row, "name", _("与登记的姓名“%(name)s”不符。") % {"name": registered_name})
        elif code not in (village_code, cooperative.code):
            # Person.cooperative_codes_open_to: someone registered in a cooperative joins only it.
            found.error(row, "cooperative", _("此人登记在其他经济社，不能加入该经济社。"))
        elif (person_id, cooperative.code) in current:
            found.error(row, "id_number", _("此人已是该经济社的现任成员。"))
        else:
            members.append(_MemberRow(row, person_id, cooperative.code, shares, joined_on))
    check.plan = members
    check.counts = {"memberships": len(members), "shares": sum((member.shares for member in members), Decimal(0))}


def _write_members(check: RollCheck) -> None:
    copy_rows(
        Membership,
        ("person", "cooperative", "shares", "joined_on"),
        ((m.person_id, m.cooperative_code, m.shares, m.joined_on) for m in check.plan),
    )


# --- the kinds ----------------------------------------------------------------------------------

_EXAMPLE_ID = identity.make_id_number("440605", datetime.date(1980, 5, 12), 31)

PEOPLE_ROLL = RollKind(
    slug="people",
    title=gettext_lazy("花名册"),
    sheet_title="花名册",
    columns=(
        Column("name", "姓名", True, "张三", gettext_lazy("必填，最多 50 个字。"), max_length=50, width=10),
        Column(
            "id_number",
            "身份证号",
            True,
            _EXAMPLE_ID,
            gettext_lazy("必填，18 位，按文本填写；校验码须正确，全系统不能重复。性别和出生日期由身份证号得出。"),
            max_length=18,
            width=22,
        ),
        Column("phone", "电话", False, "13800138000", gettext_lazy("可空；手机号或带区号的固定电话。"), max_length=20),
        Column(
            "cooperative",
            "经济社",
            False,
            "第一经济社",
            gettext_lazy("可空（登记在村）；填本村经济社的名称或代码，见“经济社”工作表。"),
        ),
        Column(
            "household",
            "户号",
            False,
            "H0001",
            gettext_lazy("可空；本村社没有此户号时新建此户，已有时加入此户。"),
            max_length=30,
            width=10,
        ),
        Column("head", "户主", False, "是", gettext_lazy("可空；“是”表示此人为户主，一户一位。"), width=8),
        Column("address", "住址", False, "罗村大道1号", gettext_lazy("可空；新建户的住址。"), max_length=200, width=24),
    ),
    models=(Person, Household),
    check=_check_people,
    write=_write_people,
)

MEMBERS_ROLL = RollKind(
    slug="members",
    title=gettext_lazy("集体经济组织成员及股份"),
    sheet_title="成员股份",
    columns=(
        Column(
            "id_number",
            "身份证号",
            True,
            _EXAMPLE_ID,
            gettext_lazy("必填，按文本填写；须为本村（社区）已登记的人员。"),
            max_length=18,
            width=22,
        ),
        Column("name", "姓名", True, "张三", gettext_lazy("必填，须与登记的姓名一致。"), max_length=50, width=10),
        Column(
            "cooperative",
            "经济社",
            False,  # required in a village's file, not in a cooperative's: _check_members says so
            "第一经济社",
            gettext_lazy("必填（在经济社页面导入时可空）；本村经济社的名称或代码。"),
        ),
        Column("shares", "股份", False, "1.5", gettext_lazy("可空（按 1 股）；不小于 0，最多两位小数。"), width=8),
        Column(
            "joined_on",
            "加入日期",
            True,
            "2020-01-15",
            gettext_lazy("必填；日期，如 2020-01-15，不能晚于今天。"),
            width=12,
        ),
    ),
    models=(Membership,),
    check=_check_members,
    write=_write_members,
)

ROLL_KINDS: dict[str, RollKind] = {kind.slug: kind for kind in (PEOPLE_ROLL, MEMBERS_ROLL)}


# --- the template --------------------------------------------------------------------------------


def template_workbook(kind: RollKind, division: Division) -> bytes:
    """The template for `division`: the data sheet first (headers only, text format for the ID
    numbers, drop-down lists for 经济社 and 户主, date and number checks), then a sheet naming
    the division's cooperatives, then notes with an example row. Two queries at most."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cooperatives = list(_cooperatives_of(division))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.sheet_title
    sheet.append(kind.headers)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        cell.comment = Comment(str(column.hint), "")
        sheet.column_dimensions[letter].width = column.width
        cells = f"{letter}2:{letter}{last}"
        if column.key in ("id_number", "phone", "household"):
            # Text, so that an 18-digit number keeps its digits and 0757 its zero.
            sheet.column_dimensions[letter].number_format = "@"
        validation = None
        if column.key == "head":
            validation = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        elif column.key == "cooperative" and cooperatives:
            validation = DataValidation(
                type="list", formula1=f"=经济社!$B$2:$B${len(cooperatives) + 1}", allow_blank=True
            )
        elif column.key == "joined_on":
            validation = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif column.key == "shares":
            validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        elif column.key == "id_number":
            validation = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True)
        if validation is not None:
            validation.error = str(column.hint)
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(cells)

    listing = workbook.create_sheet("经济社")
    listing.append(("经济社代码", "经济社名称"))
    for cooperative in cooperatives:
        listing.append((cooperative.code, cooperative.name))
    listing.column_dimensions["A"].width = 18
    listing.column_dimensions["B"].width = 18

    notes = workbook.create_sheet("填写说明")
    notes.append(
        (str(_("在第一个工作表“%(sheet)s”中每行填写一条，第 1 行表头不要改动。") % {"sheet": kind.sheet_title}),)
    )
    notes.append((str(_("导入时先检查全部行，任何一行有误都不会保存，并列出每一行的错误。")),))
    notes.append(())
    notes.append((str(_("列")), str(_("说明"))))
    for column in kind.columns:
        notes.append((column.header, str(column.hint)))
    notes.append(())
    notes.append((str(_("示例（请勿填在此工作表）：")),))
    notes.append(kind.headers)
    notes.append(tuple(column.example for column in kind.columns))
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cooperatives_of(division: Division) -> Iterable[Division]:
    if division.level == Level.COOPERATIVE:
        return [division]
    return Division.objects.filter(parent_id=division.code, level=Level.COOPERATIVE, retired_on__isnull=True).order_by(
        "code"
    )
