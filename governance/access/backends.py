"""The sign-in backend: Django's ModelBackend, reading the grants stamp with the session's user.

A page's request reads its session and then its user; the version of the grants
(governance.access.grants_cache) comes in that user's statement, so a user whose grants the
worker keeps costs no query more for them (the API's token does the same:
governance.api.authentication).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from governance.access.grants_cache import STAMP_SQL
from governance.access.querysets import GRANTS_STAMP_ATTRIBUTE


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.annotate(grants_stamp=RawSQL(STAMP_SQL, ())).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, GRANTS_STAMP_ATTRIBUTE, user.grants_stamp)
        return user
