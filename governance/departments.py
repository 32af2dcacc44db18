"""The departments of a district (区职能部门) and the users who work for them.

A district's departments are data of the district: the civil affairs bureau reviews and files
general village covenants, the department of a special covenant's kind reviews that covenant
(DESIGN.md section 3), and the grids app will whistle departments to an event (吹哨报到). Each
domain app says which of its matters fall to which department code; governance only keeps the
departments and their members.

A department's member holds no role by membership: what a member may see and do is what the
domain apps grant to the members of a department over the matters of its remit (e.g.
covenants.querysets: a reviewing department's members view and review the covenant versions of
its kinds in their district). The tree of assignments stays what it is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel


class DepartmentCode(models.TextChoices):
    """The standard departments of a district government, by code (the code is what the domain
    apps' rules name; the name of a district's department is its row's, e.g. Nanhai's
    经济促进局 for industry_information)."""

    CIVIL_AFFAIRS = "civil_affairs", _("民政局")
    NATURAL_RESOURCES = "natural_resources", _("自然资源局")
    AGRICULTURE_RURAL = "agriculture_rural", _("农业农村局")
    HOUSING_CONSTRUCTION = "housing_construction", _("住房城乡建设局")
    URBAN_MANAGEMENT = "urban_management", _("城市管理和综合执法局")
    TRANSPORT = "transport", _("交通运输局")
    PUBLIC_SECURITY = "public_security", _("公安分局")
    ECOLOGY_ENVIRONMENT = "ecology_environment", _("生态环境局")
    INDUSTRY_INFORMATION = "industry_information", _("工业和信息化局")
    FINANCE = "finance", _("财政局")


# The names a district's departments are created with (data in Chinese, the source language:
# a department's name is what its district calls it, not a translated label).
STANDARD_DEPARTMENT_NAMES: dict[str, str] = {
    DepartmentCode.CIVIL_AFFAIRS: "民政局",
    DepartmentCode.NATURAL_RESOURCES: "自然资源局",
    DepartmentCode.AGRICULTURE_RURAL: "农业农村局",
    DepartmentCode.HOUSING_CONSTRUCTION: "住房城乡建设局",
    DepartmentCode.URBAN_MANAGEMENT: "城市管理和综合执法局",
    DepartmentCode.TRANSPORT: "交通运输局",
    DepartmentCode.PUBLIC_SECURITY: "公安分局",
    DepartmentCode.ECOLOGY_ENVIRONMENT: "生态环境局",
    DepartmentCode.INDUSTRY_INFORMATION: "工业和信息化局",
    DepartmentCode.FINANCE: "财政局",
}


@track_history
class Department(ScopedModel):
    """A department of one district (its government's bureau), known by its code."""

    scope_field = "district__code"

    district = models.ForeignKey(
        settings.DIVISION_MODEL, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("代码"), max_length=40)  # a DepartmentCode, or the district's own
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["district_id", "code"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="department_unique_district_code")]

    def __str__(self) -> str:
        return str(self.name)


@track_history
class DepartmentMember(ScopedModel):
    """A user who works for a department of a district (e.g. its reviewer of village covenants)."""

    scope_field = "department__district__code"

    department = models.ForeignKey(
        Department, verbose_name=_("职能部门"), on_delete=models.PROTECT, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="department_memberships",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("部门人员")
        verbose_name_plural = _("部门人员")
        constraints = [models.UniqueConstraint(fields=["department", "user"], name="department_member_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.department_id}"


def ensure_departments(district_code: str) -> list[Department]:
    """The district's standard departments, created where missing (names kept where they exist):
    on demand, by the demo, by `manage.py department_member`. Two queries."""
    Department.objects.bulk_create(
        (
            Department(district_id=district_code, code=code, name=name)
            for code, name in STANDARD_DEPARTMENT_NAMES.items()
        ),
        ignore_conflicts=True,
    )
    return list(Department.objects.filter(district_id=district_code))


def department_name(district_code: str, code: str) -> str:
    """What the district calls its department `code` (its row's name, else the standard name)."""
    name = Department.objects.filter(district_id=district_code, code=code).values_list("name", flat=True).first()
    return name or STANDARD_DEPARTMENT_NAMES.get(code, code)


def has_members(district_code: str, code: str) -> bool:
    """Whether some active user works for the district's department `code`."""
    return DepartmentMember.objects.filter(
        department__district_id=district_code, department__code=code, user__is_active=True
    ).exists()
