"""Models of the governance app: the access models live in governance/access/, notifications in
governance/notifications.py."""

from governance.access.models import Assignment, Role
from governance.notifications import Notification

__all__ = ["Assignment", "Notification", "Role"]
