"""Base model of every domain model: its manager carries restrict(user, action)."""

from django.db import models

from governance.access.querysets import RestrictedQuerySet


class ScopedModel(models.Model):
    """A record that lies in one division of the hierarchy.

    `scope_field` is the lookup path from the model to the code of the division that decides who
    may see or change the record (for example "division__code" or "position__division__code"). Jurisdiction
    scoping matches that code against the users' assigned subtrees by prefix.
    """

    scope_field: str = "division__code"

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def scope_code(self) -> str:
        """The code of the division this record lies in (follows scope_field)."""
        target = self
        for part in self.scope_field.split("__"):
            target = getattr(target, part)
        return target
