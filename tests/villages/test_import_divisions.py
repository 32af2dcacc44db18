"""The NBS division importer (villages/importing.py) and `manage.py import_divisions`.

Fixtures are small CSV files written per test, in the shapes of the national data shipped in
villages/data/divisions/ (header first, names quoted, columns of streets and villages in their
different orders), gzip'd or plain. The last tests read the shipped data itself.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

import villages
from villages.importing import NATIONAL_DIVISIONS_DIR, DivisionImportError, import_division_files
from villages.models import Division, Level

DivisionEvent = Division.pgh_event_model

# The headers exactly as in villages/data/divisions (streets and villages differ in order).
PROVINCES = "code,name"
CITIES = "code,name,provinceCode"
AREAS = "code,name,cityCode,provinceCode"
STREETS = "code,name,areaCode,provinceCode,cityCode"
VILLAGES = "code,name,streetCode,provinceCode,cityCode,areaCode"


def write(path: Path, header: str, rows: list[str], *, gzipped: bool | None = None) -> Path:
    """Write a CSV file (gzip'd when the name ends in .gz, unless told otherwise)."""
    text = "\n".join([header, *rows]) + "\n"
    if gzipped is None:
        gzipped = path.name.endswith(".gz")
    if gzipped:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def province(code: str, name: str) -> str:
    return f'{code},"{name}"'


def city(code: str, name: str) -> str:
    return f'{code},"{name}",{code[:2]}'


def area(code: str, name: str) -> str:
    return f'{code},"{name}",{code[:4]},{code[:2]}'


def street(code: str, name: str) -> str:
    return f'{code},"{name}",{code[:6]},{code[:2]},{code[:4]}'


def village(code: str, name: str) -> str:
    return f'{code},"{name}",{code[:9]},{code[:2]},{code[:4]},{code[:6]}'


@pytest.fixture
def tree(tmp_path: Path) -> list[Path]:
    """Two provinces; Nanhai with two towns and three villages; a Guangxi branch. Mixed gzip."""
    return [
        write(tmp_path / "provinces.csv.gz", PROVINCES, [province("44", "广东省"), province("45", "广西壮族自治区")]),
        write(tmp_path / "cities.csv", CITIES, [city("4406", "佛山市"), city("4501", "南宁市")]),
        write(
            tmp_path / "areas.csv.gz",
            AREAS,
            [area("440605", "南海区"), area("440604", "禅城区"), area("450102", "兴宁区")],
        ),
        write(
            tmp_path / "streets.csv",
            STREETS,
            [street("440605124", "狮山镇"), street("440605121", "西樵镇"), street("440604011", "祖庙街道")],
        ),
        write(
            tmp_path / "villages.csv.gz",
            VILLAGES,
            [
                village("440605124001", "狮山社区居委会"),
                village("440605124201", "塘头村委会"),
                village("440605121201", "简村村委会"),
                village("440604011001", "祖庙社区居委会"),
            ],
        ),
    ]


TREE_SIZE = 2 + 2 + 3 + 3 + 4


def names() -> dict[str, str]:
    return dict(Division.objects.values_list("code", "name"))


# --- importing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_small_tree_is_imported_with_level_and_parent_taken_from_the_code(tree):
    result = import_division_files(list(reversed(tree)))  # any order: processed top down

    assert Division.objects.count() == TREE_SIZE
    assert result.inserted == TREE_SIZE and result.updated == 0 and result.unchanged == 0
    assert result.by_level[Level.VILLAGE].inserted == 4
    assert [path.name for path in result.files] == [
        "provinces.csv.gz",
        "cities.csv",
        "areas.csv.gz",
        "streets.csv",
        "villages.csv.gz",
    ]
    rows = {d.code: (d.name, d.level, d.parent_id) for d in Division.objects.all()}
    assert rows["44"] == ("广东省", Level.PROVINCE, None)
    assert rows["4406"] == ("佛山市", Level.CITY, "44")
    assert rows["440605"] == ("南海区", Level.DISTRICT, "4406")
    assert rows["440605124"] == ("狮山镇", Level.TOWN, "440605")
    assert rows["440605124201"] == ("塘头村委会", Level.VILLAGE, "440605124")
    new = Division.objects.get(code="440605124201")
    assert new.has_collective_economy is False and new.retired_on is None and new.merged_into_id is None


@pytest.mark.django_db
def test_a_rerun_updates_names_and_adds_nothing_twice(tree, tmp_path):
    import_division_files(tree)
    Division.objects.filter(code="440605124201").update(has_collective_economy=True)
    tree[-1] = write(
        tmp_path / "villages.csv.gz",
        VILLAGES,
        [
            village("440605124001", "狮山社区居委会"),
            village("440605124201", "塘头村民委员会"),  # renamed
            village("440605121201", "简村村委会"),
            village("440604011001", "祖庙社区居委会"),
            village("440605121202", "百西村委会"),  # new
        ],
    )

    result = import_division_files(tree)

    assert (result.inserted, result.updated, result.unchanged) == (1, 1, TREE_SIZE - 1)
    assert Division.objects.count() == TREE_SIZE + 1
    renamed = Division.objects.get(code="440605124201")
    assert renamed.name == "塘头村民委员会"
    assert renamed.has_collective_economy is True  # an update touches the name only
    again = import_division_files(tree)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, TREE_SIZE + 1)
    assert Division.objects.count() == TREE_SIZE + 1


@pytest.mark.django_db
def test_every_insert_and_rename_is_in_the_audit_trail_under_the_import_context(tree, tmp_path):
    first_digest = hashlib.sha256(tree[-1].read_bytes()).hexdigest()
    import_division_files(tree)
    write(tmp_path / "villages.csv.gz", VILLAGES, [village("440605124201", "塘头村民委员会")])
    import_division_files([tmp_path / "villages.csv.gz"])

    inserts = DivisionEvent.objects.filter(pgh_label="insert")
    assert sorted(inserts.values_list("pgh_obj_id", flat=True)) == sorted(names())
    assert inserts.values("pgh_context_id").distinct().count() == 1
    context = inserts.first().pgh_context
    assert context.metadata["import_divisions"] == [path.name for path in tree]
    assert context.metadata["counts"]["village"] == {"read": 4, "inserted": 4, "updated": 0}
    assert context.metadata["sha256"]["villages.csv.gz"] == first_digest
    one = inserts.get(pgh_obj_id="440605124201")
    assert (one.name, one.level, one.parent_id, one.has_collective_economy) == (
        "塘头村委会",
        "village",
        "440605124",
        False,
    )
    update = DivisionEvent.objects.get(pgh_label="update")  # written by the update trigger
    assert (update.pgh_obj_id, update.name) == ("440605124201", "塘头村民委员会")
    assert update.pgh_context.metadata["import_divisions"] == ["villages.csv.gz"]


@pytest.mark.django_db
def test_bulk_insert_events_are_the_rows_the_trigger_would_have_written(tree):
    fields = ["pgh_label", "pgh_obj_id", "code", "name", "level", "parent_id", "has_collective_economy", "retired_on"]
    with transaction.atomic():
        import_division_files(tree, insert_events_by_trigger=True)
        by_trigger = sorted(DivisionEvent.objects.values_list(*fields))
        transaction.set_rollback(True)

    import_division_files(tree)

    assert sorted(DivisionEvent.objects.values_list(*fields)) == by_trigger
    assert len(by_trigger) == TREE_SIZE


def executed_statements(function, *args) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_the_first_import_into_an_empty_table_rebuilds_indexes_and_foreign_keys_once(tree):
    statements = executed_statements(import_division_files, tree)

    assert any(statement.startswith("DROP INDEX division_parent_code") for statement in statements)
    assert any("ADD CONSTRAINT" in statement and "FOREIGN KEY (parent_id)" in statement for statement in statements)
    assert Division.objects.filter(parent_id="440605").count() == 2


@pytest.mark.django_db
def test_an_import_into_a_populated_table_keeps_its_indexes_and_never_locks_out_readers(tree, tmp_path):
    import_division_files(tree)
    new_village = write(tmp_path / "more.csv", VILLAGES, [village("440605121202", "百西村委会")])

    statements = executed_statements(import_division_files, [new_village])

    assert not any(
        statement.startswith(("DROP INDEX", "ALTER TABLE villages_division DROP")) for statement in statements
    )
    assert not any("ACCESS EXCLUSIVE" in statement for statement in statements)
    assert Division.objects.get(code="440605121202").parent_id == "440605121"


@pytest.mark.django_db
def test_the_insert_trigger_is_enabled_again_when_the_import_ends(tree):
    import_division_files(tree)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'villages_division'::regclass AND tgname LIKE %s",
            ["pgtrigger_insert_insert_%"],
        )
        assert cursor.fetchall() == [("O",)]  # O: fires on origin (normal) sessions


@pytest.mark.django_db
def test_a_database_user_who_does_not_own_the_tables_is_told_so_before_anything_is_read(tree):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE importer_without_ownership")
        cursor.execute(
            "GRANT SELECT, INSERT, UPDATE ON villages_division, villages_divisionevent TO importer_without_ownership"
        )
        cursor.execute("SET LOCAL ROLE importer_without_ownership")

        with pytest.raises(DivisionImportError, match="does not own villages_division, villages_divisionevent"):
            import_division_files(tree)
        transaction.set_rollback(True)

    assert not Division.objects.exists()


@pytest.mark.django_db
def test_writes_after_the_import_in_the_same_transaction_are_still_audited(tree):
    with transaction.atomic():
        import_division_files(tree)
        Division.objects.create(code="440605124999", name="新村", level=Level.VILLAGE, parent_id="440605124")
        Division.objects.filter(code="440605121201").update(name="简村村民委员会")

    assert DivisionEvent.objects.filter(pgh_obj_id="440605124999", pgh_label="insert").exists()
    assert DivisionEvent.objects.filter(pgh_obj_id="440605121201", pgh_label="update").exists()


@pytest.mark.django_db
def test_within_imports_the_subtree_of_the_prefix_and_its_ancestors_only(tree):
    result = import_division_files(tree, within="440605")

    assert sorted(names()) == [
        "44",
        "4406",
        "440605",
        "440605121",
        "440605121201",
        "440605124",
        "440605124001",
        "440605124201",
    ]
    assert result.inserted == 8 and result.read == TREE_SIZE and result.skipped == TREE_SIZE - 8


@pytest.mark.django_db
def test_within_does_not_ask_for_the_parents_of_rows_outside_the_prefix(tree):
    import_division_files(tree, within="440605")

    # The national villages file again, alone: Chancheng's and Guangxi's towns are not in the
    # database, but nothing outside 440605 is imported, so nothing is missing.
    result = import_division_files([tree[-1]], within="440605")

    assert (result.inserted, result.unchanged, result.skipped) == (0, 3, 1)


@pytest.mark.django_db
def test_a_code_repeated_outside_the_prefix_still_makes_the_file_bad(tree, tmp_path):
    bad = write(tmp_path / "villages.csv", VILLAGES, [village("440604011001", "甲"), village("440604011001", "乙")])

    with pytest.raises(DivisionImportError, match="duplicate code 440604011001"):
        import_division_files([*tree[:4], bad], within="440605")


@pytest.mark.django_db
def test_a_parent_already_in_the_database_is_enough(tree, tmp_path):
    import_division_files(tree[:4])

    result = import_division_files([write(tmp_path / "more.csv", VILLAGES, [village("440605121203", "松岗村委会")])])

    assert result.inserted == 1
    assert Division.objects.get(code="440605121203").parent_id == "440605121"


# --- bad files: file, line and reason; nothing written ---------------------------------------


def rename_and_break(tmp_path: Path, bad_rows: list[str]) -> Path:
    """A villages file that renames a village (line 2) and then goes wrong."""
    return write(tmp_path / "villages.csv.gz", VILLAGES, [village("440605124001", "改名社区"), *bad_rows])


BAD_FILES = {
    "non-digit code": (
        [village("440605124002", "甲"), '4406051240x3,"乙",440605124,44,4406,440605'],
        4,
        "malformed code '4406051240x3': a village code is 12 digits",
    ),
    "code too short for a village": (
        ['44060512400,"丙",440605124,44,4406,440605'],
        3,
        "malformed code '44060512400': a village code is 12 digits",
    ),
    "missing parent": (
        [village("440605124002", "甲"), village("440605999001", "无主村")],
        4,
        "parent 440605999 does not exist",
    ),
    "duplicate code": (
        [village("440605124002", "甲"), village("440605124201", "乙"), village("440605124002", "丙")],
        5,
        "duplicate code 440605124002 (already on line 3)",
    ),
    "parent column against the code": (
        ['440605124002,"甲",440605121,44,4406,440605'],
        3,
        "streetCode '440605121' does not match code 440605124002",
    ),
    "empty name": (['440605124002,"",440605124,44,4406,440605'], 3, "the name is empty"),
    "too many fields": (['440605124002,"甲",440605124,44,4406,440605,extra'], 3, "malformed CSV"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("bad_rows, line, reason", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_line_stops_the_import_with_file_line_and_reason_and_writes_nothing(
    tree, tmp_path, bad_rows, line, reason
):
    import_division_files(tree)
    before = names()
    events = DivisionEvent.objects.count()
    bad = rename_and_break(tmp_path, bad_rows)

    with pytest.raises(DivisionImportError) as raised:
        import_division_files([*tree[:4], bad])

    error = raised.value
    assert (error.path.name, error.line) == ("villages.csv.gz", line)
    assert reason in error.reason
    assert str(error).startswith(f"villages.csv.gz 第{line}行: ")
    assert f" / line {line}: " in str(error)
    assert names() == before  # the rename on line 2 was not kept either
    assert DivisionEvent.objects.count() == events


@pytest.mark.django_db
def test_the_reason_is_given_in_chinese_too(tree, tmp_path):
    bad = write(tmp_path / "villages.csv", VILLAGES, [village("440605124001", "甲"), village("440605999001", "无主村")])

    with pytest.raises(DivisionImportError) as raised:
        import_division_files([*tree[:4], bad])

    assert (
        str(raised.value) == "villages.csv 第3行: 上级区划 440605999 不存在 / line 3: parent 440605999 does not exist"
    )


@pytest.mark.django_db
def test_a_duplicate_across_two_files_names_both_places(tree, tmp_path):
    extra = write(tmp_path / "extra.csv", STREETS, [street("440605200", "新镇"), street("440605124", "又一个狮山镇")])

    with pytest.raises(DivisionImportError) as raised:
        import_division_files([*tree, extra])

    assert (raised.value.path.name, raised.value.line) == ("extra.csv", 3)
    assert "already on streets.csv line 2" in raised.value.reason
    assert Division.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["code,name,streetCode,cityCode", "id,name", "code,name,provinceCode,provinceCode", ""],
    ids=["unknown set of columns", "no code column", "repeated column", "empty file"],
)
def test_a_wrong_or_missing_header_names_line_1(tmp_path, header):
    path = tmp_path / "odd.csv"
    path.write_text(header + ("\n44,广东省\n" if header else ""), encoding="utf-8")

    with pytest.raises(DivisionImportError) as raised:
        import_division_files([path])

    assert (raised.value.path.name, raised.value.line) == ("odd.csv", 1)
    assert "unrecognised header" in raised.value.reason
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_a_file_of_provinces_with_a_city_code_is_malformed(tmp_path):
    path = write(tmp_path / "p.csv", PROVINCES, [province("44", "广东省"), province("4406", "佛山市")])

    with pytest.raises(DivisionImportError) as raised:
        import_division_files([path])

    assert raised.value.line == 3 and "a province code is 2 digits" in raised.value.reason


@pytest.mark.django_db
def test_a_damaged_gzip_file_is_refused_by_name(tree, tmp_path):
    whole = tree[-1].read_bytes()
    damaged = tmp_path / "damaged.csv.gz"
    damaged.write_bytes(whole[: len(whole) - 12])  # the end of the stream is cut off

    with pytest.raises(DivisionImportError) as raised:
        import_division_files([*tree[:4], damaged])

    assert raised.value.path.name == "damaged.csv.gz"
    assert "cannot read the file" in raised.value.reason
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_a_non_digit_prefix_is_refused():
    with pytest.raises(DivisionImportError, match="must be digits"):
        import_division_files([], within="44%")


# --- the database's own guard ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_a_code_that_does_not_nest_in_its_parent(tree):
    import_division_files(tree[:4])

    with pytest.raises(IntegrityError, match="division_code_nests_in_parent"), transaction.atomic():
        Division.objects.create(code="440605124301", name="错位村", level=Level.VILLAGE, parent_id="440605121")


@pytest.mark.django_db
def test_the_import_leaves_the_foreign_keys_deferred_for_the_rest_of_the_transaction(tree):
    with transaction.atomic():
        import_division_files(tree[:4])
        # A child before its parent is fine while the check waits for the commit.
        Division.objects.create(code="440605300001", name="先建村", level=Level.VILLAGE, parent_id="440605300")
        Division.objects.create(code="440605300", name="后建镇", level=Level.TOWN, parent_id="440605")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('work_mem')")
            assert cursor.fetchone()[0] != "128MB"

    assert Division.objects.get(code="440605300001").parent_id == "440605300"


# --- the command -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_reports_each_file_and_the_counts_per_level(tree, tmp_path):
    out = io.StringIO()

    call_command("import_divisions", str(tmp_path), "--within", "440605", stdout=out)

    text = out.getvalue()
    assert "provinces.csv.gz: 读取 2 行 / read 2 rows" in text
    assert "villages.csv.gz: 读取 4 行 / read 4 rows" in text
    assert "范围 440605 内 8 行 / 8 rows within 440605" in text
    assert "新增 8，更新 0，未变 0 / inserted 8, updated 0, unchanged 0" in text
    village_line = next(line for line in text.splitlines() if line.startswith("村社区 village"))
    assert village_line.split()[2:] == ["3", "3", "0", "0"]
    assert Division.objects.count() == 8


@pytest.mark.django_db
def test_the_command_takes_files_in_any_order_and_counts_a_rerun_as_unchanged(tree):
    call_command("import_divisions", *map(str, reversed(tree)), stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_divisions", *map(str, tree), stdout=out)

    assert f"inserted 0, updated 0, unchanged {TREE_SIZE}" in out.getvalue()
    assert Division.objects.count() == TREE_SIZE


@pytest.mark.django_db
def test_the_command_turns_a_bad_file_into_a_clear_error(tree, tmp_path):
    rename_and_break(tmp_path, [village("440605999001", "无主村")])

    with pytest.raises(CommandError) as raised:
        call_command("import_divisions", str(tmp_path), stdout=io.StringIO())

    assert str(raised.value) == (
        "导入失败，未写入任何数据 / import failed, nothing was written: "
        "villages.csv.gz 第3行: 上级区划 440605999 不存在 / line 3: parent 440605999 does not exist"
    )
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_a_path_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="no such file or directory"):
        call_command("import_divisions", str(tmp_path / "nowhere.csv"), stdout=io.StringIO())


# --- the national data shipped with the project ----------------------------------------------

# Row counts of villages/data/divisions/ (its README.md), file by file.
NATIONAL_ROWS = {
    "areas.csv.gz": 2978,
    "cities.csv.gz": 342,
    "provinces.csv.gz": 31,
    "streets.csv.gz": 41352,
    "villages.csv.gz": 620573,
}


def test_the_national_data_is_shipped_inside_the_villages_package():
    assert NATIONAL_DIVISIONS_DIR == Path(villages.__file__).resolve().parent / "data" / "divisions"
    rows = {}
    for path in sorted(NATIONAL_DIVISIONS_DIR.glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows[path.name] = sum(1 for _ in lines) - 1
    assert rows == NATIONAL_ROWS
    assert (NATIONAL_DIVISIONS_DIR / "README.md").is_file()


@pytest.mark.django_db
def test_the_command_without_a_path_imports_the_shipped_national_data():
    out = io.StringIO()

    call_command("import_divisions", "--within", "440605", stdout=out)

    assert "villages.csv.gz: 读取 620573 行 / read 620573 rows" in out.getvalue()
    # 广东省, 佛山市, 南海区, its 7 towns and subdistricts and 307 village-level units.
    assert Counter(Division.objects.values_list("level", flat=True)) == {
        Level.PROVINCE: 1,
        Level.CITY: 1,
        Level.DISTRICT: 1,
        Level.TOWN: 7,
        Level.VILLAGE: 307,
    }
    assert Division.objects.get(code="440605124").name == "狮山镇"


def test_the_demo_divisions_are_nanhai_cut_out_of_the_shipped_data(tmp_path):
    demo_data = Path(villages.__file__).resolve().parent / "demo_data"
    spec = importlib.util.spec_from_file_location("demo_data_extract", demo_data / "extract.py")
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    assert extract.DEFAULT_SOURCE == NATIONAL_DIVISIONS_DIR

    counts = extract.extract(target=tmp_path)

    assert counts == {"provinces.csv": 1, "cities.csv": 1, "areas.csv": 1, "streets.csv": 7, "villages.csv": 307}
    for name in counts:
        assert (tmp_path / name).read_bytes() == (demo_data / name).read_bytes(), name
