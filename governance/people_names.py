"""How a user's name is shown: Chinese names family name first, without a space."""

import re

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Func

_CJK = re.compile(r"[\u3400-\u9fff]")


def display_name(user) -> str:
    """陈嘉慧 for last_name 陈 and first_name 嘉慧; "Jane Doe" for Western names; else the username."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return user.get_full_name() or user.get_username()


class DisplayNameOf(Func):
    """display_name of the user whose id the row's column `user_id_field` holds, computed by
    PostgreSQL: a list names its users without building a user each (three per grid event, 150
    a page) nor reading their password hashes. NULL without a user. One scalar subquery written
    out, not composed of ORM expressions: their compilation cost more than the users it saved.
    Python strips every kind of white space where btrim strips spaces: names with tabs or line
    breaks in them, which the portal's forms do not let in, could differ."""

    output_field = CharField()

    def __init__(self, user_id_field: str):
        super().__init__(F(user_id_field))

    def as_sql(self, compiler, connection, **extra_context):
        users = connection.ops.quote_name(get_user_model()._meta.db_table)
        # The pattern is this module's constant (no quote in it), written into the statement.
        template = (
            "(SELECT CASE WHEN btrim(u.first_name) || btrim(u.last_name) ~ '" + _CJK.pattern + "'"
            " THEN btrim(u.last_name) || btrim(u.first_name)"
            " WHEN btrim(u.first_name || ' ' || u.last_name) <> '' THEN btrim(u.first_name || ' ' || u.last_name)"
            f" ELSE u.username END FROM {users} u WHERE u.id = %(expressions)s)"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


def display_name_of(user_id_field: str) -> DisplayNameOf:
    return DisplayNameOf(user_id_field)


def named(record, user_field: str) -> str | None:
    """The display name of the record's user `user_field`: its `<user_field>_name` annotation
    (display_name_of) when the record was read with it, else the user's own (None without one)."""
    annotated = f"{user_field}_name"
    if annotated in record.__dict__:
        return record.__dict__[annotated]
    user = getattr(record, user_field)
    return display_name(user) if user is not None else None
