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
        """The code of the division this record lies in (follows scope_field).

        The last hop reads the foreign key's own column ("division__code" reads division_id,
        the code being Division's key), so a record's scope costs no query for its division.
        """
        target = self
        parts = self.scope_field.split("__")
        for index, part in enumerate(parts):
            field = target._meta.get_field(part)
            next_part = parts[index + 1] if index + 1 < len(parts) else None
            if field.is_relation and next_part == field.target_field.name:
                return getattr(target, field.attname)
            target = getattr(target, part)
        return target
