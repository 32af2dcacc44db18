"""Dropping a table's indexes and foreign keys for a bulk load, and re-creating them after
(governance/bulk_load.py), tried on the Division table."""

import re

import pytest
from django.db import IntegrityError, connection, transaction

from governance.bulk_load import indexes_and_foreign_keys_rebuilt_after, is_empty
from villages.models import Division, Level

DIVISION = Division._meta.db_table


def schema_of(table: str) -> dict[str, list[str]]:
    """The table's index and constraint definitions, by name, as the catalog gives them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        constraints = cursor.fetchall()
    return {"indexes": indexes, "constraints": constraints}


def definitions_during_the_block(table: str) -> tuple[list[str], dict[str, list[str]]]:
    with connection.cursor() as cursor, indexes_and_foreign_keys_rebuilt_after(cursor, table) as creates:
        return creates, schema_of(table)


@pytest.mark.django_db
def test_inside_the_block_only_the_primary_key_and_check_constraints_remain():
    creates, during = definitions_during_the_block(DIVISION)

    assert [name for name, _ in during["indexes"]] == [f"{DIVISION}_pkey"]
    assert all(not definition.startswith("FOREIGN KEY") for _, definition in during["constraints"])
    assert {"division_code_matches_level", "division_code_nests_in_parent"} <= {
        name for name, _ in during["constraints"]
    }
    assert any(create.startswith("CREATE INDEX division_parent_code") for create in creates)
    assert sum("FOREIGN KEY" in create for create in creates) == 2  # parent and merged_into


@pytest.mark.django_db
def test_after_the_block_the_schema_is_exactly_what_the_migrations_made():
    before = schema_of(DIVISION)

    definitions_during_the_block(DIVISION)

    assert schema_of(DIVISION) == before


def plan_nodes(node: dict):
    """Every node of a JSON plan, top down."""
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


@pytest.mark.django_db
def test_rows_loaded_inside_the_block_are_in_the_index_built_after_it():
    """3,000 rows are loaded without the indexes; the one child of 44 is then found through an
    index condition on parent_id, which only a rebuilt index can serve (the primary key is on
    code alone) and without which the plan would scan the whole table. The table is ANALYZEd
    first, in the test's transaction, so that no statistics left by earlier tests decide."""
    with connection.cursor() as cursor, indexes_and_foreign_keys_rebuilt_after(cursor, DIVISION) as creates:
        Division.objects.create(code="44", name="广东省", level=Level.PROVINCE)
        Division.objects.create(code="4406", name="佛山市", level=Level.CITY, parent_id="44")
        districts = [f"4406{number:02d}" for number in range(1, 100)]
        Division.objects.bulk_create(
            Division(code=code, name="区", level=Level.DISTRICT, parent_id="4406") for code in districts
        )
        Division.objects.bulk_create(
            Division(code=f"{district}{number:03d}", name="镇", level=Level.TOWN, parent_id=district)
            for district in districts
            for number in range(1, 31)
        )
    rebuilt = {match[1] for match in map(re.compile(r"CREATE (?:UNIQUE )?INDEX (\S+) ").match, creates) if match}

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DIVISION}")
        cursor.execute(f"EXPLAIN SELECT code FROM {DIVISION} WHERE parent_id = '44'")
        plan = "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT code FROM {DIVISION} WHERE parent_id = '44'")
        nodes = list(plan_nodes(cursor.fetchone()[0][0]["Plan"]))
        cursor.execute(f"SELECT code FROM {DIVISION} WHERE parent_id = '44'")
        found = cursor.fetchall()

    assert not any(node["Node Type"] == "Seq Scan" for node in nodes), plan
    assert any(node.get("Index Name") in rebuilt and "parent_id" in node.get("Index Cond", "") for node in nodes), plan
    assert found == [("4406",)]  # the rebuilt index answers, and holds the rows


@pytest.mark.django_db
def test_a_row_whose_parent_is_missing_fails_when_the_foreign_key_comes_back():
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor, indexes_and_foreign_keys_rebuilt_after(cursor, DIVISION):
            Division.objects.create(code="4406", name="佛山市", level=Level.CITY, parent_id="44")

    assert not Division.objects.exists()
    assert sum(definition.startswith("FOREIGN KEY") for _, definition in schema_of(DIVISION)["constraints"]) == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_helper_refuses_to_drop_anything():
    before = schema_of(DIVISION)

    with pytest.raises(RuntimeError, match="needs a transaction"):
        definitions_during_the_block(DIVISION)

    assert schema_of(DIVISION) == before


@pytest.mark.django_db
def test_is_empty_tells_an_empty_table_from_one_with_a_row():
    with connection.cursor() as cursor:
        assert is_empty(cursor, DIVISION)
        Division.objects.create(code="44", name="广东省", level=Level.PROVINCE)
        assert not is_empty(cursor, DIVISION)
