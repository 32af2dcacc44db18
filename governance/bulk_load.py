"""Loading many rows into an empty table the way PostgreSQL's manual advises.

"Populating a Database" (PostgreSQL manual, section 14.4, "Remove Indexes" and "Remove
Foreign Key Constraints"): to fill a table, drop its indexes and foreign keys first and create
them again afterwards. One sort builds an index faster than as many single insertions, and one
join checks a foreign key faster than a check per row. For the national division import this
halves the write into `villages_division` (bench/README.md).

The indexes and foreign keys are created again from their own catalog definitions
(`pg_get_indexdef`, `pg_get_constraintdef`), under their own names, so the schema afterwards is
exactly what the migrations made. Everything happens inside the caller's transaction: if the
load fails, PostgreSQL rolls the drops back with it, and no other session ever sees the table
without them. The price is an ACCESS EXCLUSIVE lock on the table until the transaction ends
(readers wait too), which is why callers use this for an empty table only, where no reader
can be waiting for anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# Statements that drop, and then re-create from the catalog, a table's foreign keys and the
# indexes that back no constraint (the primary key and unique constraints keep theirs: rows
# must still be checked against them as they arrive). Parameter: the table name, twice.
_REMOVABLE_SQL = """
    SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
           format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint
    WHERE conrelid = %s::regclass AND contype = 'f'
    UNION ALL
    SELECT format('DROP INDEX %%s', indexrelid::regclass), pg_get_indexdef(indexrelid)
    FROM pg_index
    WHERE indrelid = %s::regclass
      AND NOT EXISTS (
          SELECT FROM pg_constraint
          WHERE conrelid = pg_index.indrelid AND conindid = pg_index.indexrelid AND contype IN ('p', 'u', 'x')
      )
"""


def is_empty(cursor, table: str) -> bool:
    """Whether `table` has no row (one index or heap probe, whatever the table's size)."""
    cursor.execute(f"SELECT NOT EXISTS (SELECT FROM {connection.ops.quote_name(table)})")
    (empty,) = cursor.fetchone()
    return empty


@contextmanager
def indexes_and_foreign_keys_rebuilt_after(cursor, table: str) -> Iterator[list[str]]:
    """Inside the block `table` keeps only its primary key, unique and check constraints;
    after it, its other indexes are built and its foreign keys added and checked, in one pass
    each. Yields the statements that will re-create them (for the caller to log or test).

    Must run inside a transaction (see the module docstring). A foreign key that the loaded
    rows violate fails when it is added again, as IntegrityError, which rolls everything back.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_and_foreign_keys_rebuilt_after() needs a transaction")
    cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(_REMOVABLE_SQL, [table, table])
    removable = cursor.fetchall()
    for drop, _ in removable:
        cursor.execute(drop)
    creates = [create for _, create in removable]
    yield creates
    # Indexes before foreign keys: the checks of the keys may use them.
    for create in sorted(creates, key=lambda statement: statement.startswith("ALTER TABLE")):
        cursor.execute(create)
