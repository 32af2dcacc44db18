"""Roles and assignments: who may do what, in which subtree of the division hierarchy."""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel


class Role(models.Model):
    """A named set of permissions (view, add, change, approve per model), defined in roles.py."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("权限"), blank=True, related_name="portal_roles")

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["slug"]

    def __str__(self) -> str:
        return str(self.name)


@track_history
class Assignment(ScopedModel):
    """A user holds a role over one division and its whole subtree.

    Several assignments combine per action: the user may do an action wherever one of the
    assignments whose role grants that action covers the object's division.
    """

    scope_field = "division__code"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="assignments"
    )
    division = models.ForeignKey(
        settings.DIVISION_MODEL, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.ForeignKey(Role, verbose_name=_("角色"), on_delete=models.PROTECT, related_name="assignments")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("岗位授权")
        verbose_name_plural = _("岗位授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "division", "role"], name="assignment_unique_user_division_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} @ {self.division_id}"
