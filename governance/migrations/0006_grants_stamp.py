"""The grants stamp: one row whose version changes with every statement that may change what a
user's assignments grant, so that a worker may keep each user's grants between requests
(governance.access.grants_cache) and know, in the same statement that reads the user, whether
they still hold.

The tables: assignments, roles and their permissions, permissions and content types (the names
the grants are given under), department members and departments, and the divisions (a merger,
`merged_into` and `retired_on`, hands the merged division's subtree to the successor's
officials). Statement-level triggers, so a bulk insert or COPY pays once; TRUNCATE counts too.

The version is the row's `xmin` (the transaction that last wrote it) with a counter: a rolled-back
transaction's id is never seen again, so a counter value rolled back and reached again by another
transaction still gives another version; the counter tells the statements of one transaction
apart.
"""

from django.db import migrations

GRANT_TABLES = (
    "governance_assignment",
    "governance_role",
    "governance_role_permissions",
    "governance_departmentmember",
    "governance_department",
    "auth_permission",
    "django_content_type",
)

CREATE = """
CREATE TABLE governance_grants_stamp (
    id smallint PRIMARY KEY CHECK (id = 1),
    changes bigint NOT NULL
);
INSERT INTO governance_grants_stamp (id, changes) VALUES (1, 0);

CREATE FUNCTION governance_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The row comes back if a flush emptied the table (the test suite's TransactionTestCase).
    INSERT INTO governance_grants_stamp (id, changes) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET changes = governance_grants_stamp.changes + 1;
    RETURN NULL;
END
$$;
"""

TRIGGER = """
CREATE TRIGGER grants_changed_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION governance_grants_changed();
CREATE TRIGGER grants_truncated_{table} AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION governance_grants_changed();
"""

# A division's other columns (its name, its counts) change often and grant nothing.
DIVISION_TRIGGERS = """
CREATE TRIGGER grants_changed_villages_division AFTER INSERT OR DELETE OR UPDATE OF merged_into_id, retired_on
    ON villages_division FOR EACH STATEMENT EXECUTE FUNCTION governance_grants_changed();
CREATE TRIGGER grants_truncated_villages_division AFTER TRUNCATE ON villages_division
    FOR EACH STATEMENT EXECUTE FUNCTION governance_grants_changed();
"""

DROP = (
    "".join(
        f"DROP TRIGGER IF EXISTS grants_changed_{table} ON {table}; "
        f"DROP TRIGGER IF EXISTS grants_truncated_{table} ON {table};"
        for table in (*GRANT_TABLES, "villages_division")
    )
    + "DROP FUNCTION IF EXISTS governance_grants_changed(); DROP TABLE IF EXISTS governance_grants_stamp;"
)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_departments"),
        ("villages", "0009_audit_people_per_statement"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(
            CREATE + "".join(TRIGGER.format(table=table) for table in GRANT_TABLES) + DIVISION_TRIGGERS,
            DROP,
        ),
    ]
