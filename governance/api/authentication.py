"""The API's token authentication: DRF's, reading the grants stamp in the same statement.

The token, its user and the version of the grants (governance.access.grants_cache) come in one
statement, so a request whose user's grants the worker already keeps asks nothing more before
its own query.
"""

from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from governance.access.grants_cache import STAMP_SQL
from governance.access.querysets import GRANTS_STAMP_ATTRIBUTE


class PortalTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, answering an unknown key or an inactive user as DRF does
    (its messages, translated by its catalogue)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        token = (
            model.objects.select_related("user").annotate(grants_stamp=RawSQL(STAMP_SQL, ())).filter(key=key).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        setattr(token.user, GRANTS_STAMP_ATTRIBUTE, token.grants_stamp)
        return token.user, token
