"""The API's token authentication: DRF's, reading the token, its user and the grants stamp in one
written-out statement.

Every API request authenticates, so its statement is written once and the ORM's compilation of
a select_related query with an annotation (a third of a detail's time, bench/api_load) is not
paid per request. With the stamp read here, a request whose user's grants the worker keeps
(governance.access.grants_cache) asks nothing more before its own query.
"""

import functools

from django.db import connections, router
from rest_framework.authentication import TokenAuthentication

from governance.access.grants_cache import STAMP_SQL
from governance.access.querysets import GRANTS_STAMP_ATTRIBUTE


class PortalTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an unknown key or an inactive user is refused by DRF's own
    code (one query more, on a refusal only), with its messages and their translations."""

    def authenticate_credentials(self, key):
        token_model = self.get_model()
        user_model = token_model._meta.get_field("user").related_model
        database = router.db_for_read(token_model)
        with connections[database].cursor() as cursor:
            cursor.execute(_token_sql(token_model), [key])
            row = cursor.fetchone()
        if row is None:
            return super().authenticate_credentials(key)  # DRF's refusal, in its words
        token_fields, user_fields = _columns(token_model), _columns(user_model)
        token_values, user_values = row[: len(token_fields)], row[len(token_fields) : -1]
        user = user_model.from_db(database, [field.attname for field in user_fields], user_values)
        if not user.is_active:
            return super().authenticate_credentials(key)  # DRF's refusal, in its words
        token = token_model.from_db(database, [field.attname for field in token_fields], token_values)
        token.user = user
        setattr(user, GRANTS_STAMP_ATTRIBUTE, row[-1])
        return user, token


def _columns(model) -> list:
    return list(model._meta.concrete_fields)


@functools.cache
def _token_sql(token_model) -> str:
    """The token's columns, its user's, then the grants stamp, for one key."""
    user_field = token_model._meta.get_field("user")
    user_model = user_field.related_model
    joined = f'person."{user_model._meta.pk.column}" = token."{user_field.column}"'

    def columns(model, alias):
        return ", ".join(f'{alias}."{field.column}"' for field in _columns(model))

    return (
        f"SELECT {columns(token_model, 'token')}, {columns(user_model, 'person')}, ({STAMP_SQL}) "
        f'FROM "{token_model._meta.db_table}" token '
        f'JOIN "{user_model._meta.db_table}" person ON {joined} '
        f'WHERE token."{token_model._meta.pk.column}" = %s'
    )
