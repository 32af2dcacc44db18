"""The cell values of a workbook's first worksheet, read straight from the XLSX's XML.

openpyxl (read-only, values only) takes some 70 µs a row of seven cells (bench/roll_import):
10 s for a roll of 50,000 people on a busy machine, the slowest step of an import. This reads
the same values with the standard library's expat parser (the sheet with expat's own handlers,
no element objects), a few times faster, for uploads of
tens of thousands of rows: the parts of an XLSX file it needs are few (ECMA-376 Part 1, §18):

- `xl/workbook.xml` names the sheets in order and whether dates count from 1904; its
  relationships (`xl/_rels/workbook.xml.rels`) give the first sheet's part;
- `xl/sharedStrings.xml` holds the text of cells of type `s` (by index), each string its `<t>`
  or the `<t>` of its rich-text runs;
- `xl/styles.xml`'s `cellXfs` give each cell style's number format: a date format (built in or
  custom, as openpyxl.styles.numbers.is_date_format judges it) makes a number a date;
- the sheet: `<row r>` of `<c r="B2" t s><v>` or `<is><t>` (inline strings).

Values are what openpyxl's `iter_rows(values_only=True)` gives: str, int (a number written
without a fraction or exponent), float, bool, datetime.datetime for date-formatted numbers, None
for an empty cell. A test compares both readers cell by cell (tests/governance/test_xlsx_rows.py).
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse, parse
from xml.parsers.expat import ExpatError, ParserCreate

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_INTEGER = re.compile(r"^-?\d+$")
_COLUMN = re.compile(r"^([A-Z]+)")


class NotAWorkbook(ValueError):
    """The file is no XLSX workbook (not a ZIP, or without the parts a workbook has)."""


def column_index(reference: str) -> int:
    """'A1' → 0, 'B7' → 1, 'AA3' → 26."""
    letters = _COLUMN.match(reference).group(1)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, datetime.datetime]:
    workbook = parse(archive.open("xl/workbook.xml")).getroot()
    properties = workbook.find(f"{MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise NotAWorkbook("no sheet")
    relation_id = sheet.get(f"{RELATIONSHIPS}id")
    relations = parse(archive.open("xl/_rels/workbook.xml.rels")).getroot()
    for relation in relations.iter(f"{PACKAGE_RELATIONSHIPS}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return path, MAC_EPOCH if date1904 else WINDOWS_EPOCH
    raise NotAWorkbook("no sheet part")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _event, element in iterparse(archive.open("xl/sharedStrings.xml")):
        if element.tag == f"{MAIN}si":
            # Plain text is one <t>; rich text is runs <r><t>; phonetic runs (<rPh>) are not text.
            strings.append("".join(t.text or "" for t in element.iter(f"{MAIN}t") if t not in _phonetic(element)))
            element.clear()
    return strings


def _phonetic(si) -> set:
    return {t for ph in si.iter(f"{MAIN}rPh") for t in ph.iter(f"{MAIN}t")}


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The indexes of the cell styles (cellXfs) whose number format is a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = parse(archive.open("xl/styles.xml")).getroot()
    formats = dict(BUILTIN_FORMATS)
    for number_format in styles.iter(f"{MAIN}numFmt"):
        formats[int(number_format.get("numFmtId"))] = number_format.get("formatCode") or ""
    cell_styles = styles.find(f"{MAIN}cellXfs")
    if cell_styles is None:
        return set()
    return {
        index
        for index, style in enumerate(cell_styles.findall(f"{MAIN}xf"))
        if is_date_format(formats.get(int(style.get("numFmtId", 0)), "General"))
    }


def first_sheet_rows(file) -> Iterator[tuple[int, list]]:
    """(row number, [values from column A]) of each row present in the first worksheet, in
    order; NotAWorkbook when the file is none."""
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise NotAWorkbook(str(error)) from None
    with archive:
        try:
            sheet_path, epoch = _first_sheet(archive)
            strings = _shared_strings(archive)
            dates = _date_styles(archive)
            stream = archive.open(sheet_path)
        except (KeyError, SyntaxError) as error:  # a missing part; ParseError is a SyntaxError
            raise NotAWorkbook(str(error)) from None
        try:
            yield from _rows(stream, strings, dates, epoch)
        except (SyntaxError, ExpatError, ValueError, IndexError) as error:
            raise NotAWorkbook(str(error)) from None


class _SheetReader:
    """expat handlers collecting a sheet's rows: no element objects, one call per tag."""

    def __init__(self, strings: list[str], dates: set[int], epoch: datetime.datetime):
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.rows: list[tuple[int, list]] = []
        self.last_row = 0
        self.values: list = []
        self.cell: tuple[int, str, int] | None = None  # (column, type, style) of the open cell
        self.text: list[str] | None = None  # the characters of an open <v> or <t>
        self.parts: list[str] = []  # an inline string's <t>s

    # Tags as expat names them with namespace_separator="}": "<namespace>}<local name>".
    C, V, T, ROW = f"{MAIN}c"[1:], f"{MAIN}v"[1:], f"{MAIN}t"[1:], f"{MAIN}row"[1:]

    def start(self, tag: str, attributes: dict) -> None:
        if tag == self.C:
            reference = attributes.get("r")
            column = column_index(reference) if reference else len(self.values)
            self.cell = (column, attributes.get("t", "n"), int(attributes.get("s", 0)))
            self.parts = []
        elif (tag == self.V or tag == self.T) and self.cell is not None:
            self.text = []
        elif tag == self.ROW:
            self.last_row = int(attributes.get("r") or self.last_row + 1)
            self.values = []

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, tag: str) -> None:
        if self.text is not None and (tag == self.V or tag == self.T):
            self.parts.append("".join(self.text))
            self.text = None
        elif tag == self.C and self.cell is not None:
            column, kind, style = self.cell
            self.cell = None
            value = self.value(kind, style)
            if value is not None:
                if column >= len(self.values):
                    self.values.extend([None] * (column + 1 - len(self.values)))
                self.values[column] = value
        elif tag == self.ROW:
            self.rows.append((self.last_row, self.values))

    def value(self, kind: str, style: int):
        if not self.parts:
            return None
        if kind == "inlineStr":
            return "".join(self.parts)
        raw = self.parts[0]
        if raw == "" and kind not in ("str", "e"):
            return None  # a formula never calculated: <v></v>
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw == "1"
        if kind == "d":
            return datetime.datetime.fromisoformat(raw)
        if style in self.dates:
            return from_excel(float(raw), self.epoch)
        if _INTEGER.match(raw):
            return int(raw)
        return float(raw)


def _rows(stream, strings: list[str], dates: set[int], epoch: datetime.datetime) -> Iterator[tuple[int, list]]:
    """The rows of a sheet part, parsed a megabyte at a time."""
    reader = _SheetReader(strings, dates, epoch)
    parser = ParserCreate(namespace_separator="}")
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    parser.buffer_text = True
    while chunk := stream.read(1 << 20):
        parser.Parse(chunk, False)
        yield from reader.rows
        reader.rows = []
    parser.Parse(b"", True)
    yield from reader.rows
