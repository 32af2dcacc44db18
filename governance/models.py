"""Models of the governance app: the access models live in governance/access/."""

from governance.access.models import Assignment, Role

__all__ = ["Assignment", "Role"]
