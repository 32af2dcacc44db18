"""Querysets of the covenants app; all of them start from the one scoping mechanism."""

from __future__ import annotations

from governance.access.querysets import RestrictedQuerySet


class ViolationQuerySet(RestrictedQuerySet):
    def standing(self) -> ViolationQuerySet:
        """Violations that have consequences: confirmed, and not lifted by an upheld appeal."""
        return self.filter(confirmed_on__isnull=False).exclude(appeal_upheld=True)

    def awaiting_confirmation_by(self, user) -> ViolationQuerySet:
        """Unconfirmed violations `user` may confirm: in their "confirm" scope and recorded by
        someone else (four eyes), the same test as services.may_confirm, as one query. The
        register's filter and the home page's count both use it."""
        return self.filter(confirmed_on__isnull=True).restrict(user, "confirm").exclude(recorded_by=user)
