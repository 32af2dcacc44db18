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

The module also writes rows with COPY under the audit context (`copy_rows`, with ids drawn first
from the tables' own sequences by `next_ids`): the demo load and the roll import
(villages/rolls.py) write their thousands of rows that way.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Lookup

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


# --- COPY under the audit context ----------------------------------------------------------------


def prepare_for_audited_copy(cursor) -> None:
    """Before a COPY: attach the audit context and keep the audit triggers linear.

    Run through Django's cursor, this statement gets pghistory's context variables prefixed
    (`governance.audit.acting_as` adds them to every statement but SELECTs and DDL), and they
    hold for the rest of the transaction, so the COPY that follows (which Django's cursor does
    not wrap) is recorded with the acting user and the context's keys. The statement itself
    defines pgtrigger.ignore, for the reason governance.audit.keep_audit_triggers_linear gives
    (45 s instead of 2 s for the demo's positions); that helper cannot serve here, because
    pghistory does not prefix its SELECTs with the context, and this must be a SET. (With a
    context set, `_pgh_attach_context()` raises nothing either.)
    """
    cursor.execute("SET LOCAL pgtrigger.ignore = '{}'")


def next_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys from the model's own identity sequence (one query)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_text(value) -> str:
    """One value in COPY's text format: \\N for NULL, t/f, ISO dates, special characters escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # dates and aware datetimes
        return value.isoformat()
    text = str(value)
    if any(char in text for char in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_rows(model, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """COPY `rows` (tuples in the order of `fields`, model field names) into the model's table,
    recorded by its audit triggers with the context of the caller's `acting_as` (the COPY fires
    row triggers as an INSERT does). Nothing of the model's save() runs: derived fields are the
    caller's to fill."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(copy_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        prepare_for_audited_copy(cursor)
        cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", buffer)


# --- asking about many values at once -----------------------------------------------------------


class AnyOf(Lookup):
    """`field = ANY(%s)`, the values as one array parameter: `Model.objects.filter(AnyOf(F("code"),
    codes))`. Django's `__in` writes one parameter per value, `IN (%s, %s, …)`: for the 50,000
    ID numbers of a roll, PostgreSQL parses and plans a 50,000-item list, four to five times
    slower than the array (bench/README.md, "Roll import").

    The values may also be an array expression (`ArraySubquery`): `field = ANY(ARRAY(SELECT …))`,
    which PostgreSQL computes once, as the API's pagination reads a page's rows by their keys
    (governance.api.pagination.rows_between)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return self.rhs if hasattr(self.rhs, "resolve_expression") else list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "as_sql"):
            rhs, rhs_params = compiler.compile(self.rhs)
            return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
