"""Models of the governance app: the access models live in governance/access/, the departments
in governance/departments.py, notifications in governance/notifications.py."""

from governance.access.models import Assignment, Role
from governance.departments import Department, DepartmentMember
from governance.notifications import Notification

__all__ = ["Assignment", "Department", "DepartmentMember", "Notification", "Role"]
