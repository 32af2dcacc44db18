"""Django admin: for superusers only, over roles, assignments and the districts' departments.

The portal's own pages are where officials work; the admin is the superuser's tool for fixing
data and configuring users. Django lets any is_staff user into the admin with whatever model
permissions they hold, which would bypass jurisdiction scoping; so the site admits superusers
only, whatever is_staff says.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.access.models import Assignment, Role
from governance.departments import Department, DepartmentMember

admin.site.site_header = _("村级治理门户 后台管理")
admin.site.site_title = _("村级治理门户")
admin.site.index_title = _("后台管理")


def _superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


class ScopedModelAdmin(admin.ModelAdmin):
    """Lists go through restrict() like every other queryset (a no-op for superusers, the only
    admin users, but it keeps the rule without exceptions)."""

    # Counting a whole table of 600,000 villages on every list page is not worth it.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]
    filter_horizontal = ["permissions"]
    # Roles are written from governance/access/roles.py after every migration; edits here
    # would be overwritten, so the admin only shows them.
    readonly_fields = ["slug", "name", "description", "permissions"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = ["user", "role", "division", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "role", "division"]
    search_fields = ["user__username", "division__name", "=division__code"]
    autocomplete_fields = ["user", "role"]
    raw_id_fields = ["division"]


class DepartmentMemberInline(admin.TabularInline):
    model = DepartmentMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(ScopedModelAdmin):
    """A district's departments (created with their standard names: ensure_departments) and the
    users who work for them (a reviewing department's members review its covenant kinds)."""

    list_display = ["name", "code", "district"]
    list_filter = ["code"]
    list_select_related = ["district"]
    search_fields = ["name", "code", "=district__code"]
    raw_id_fields = ["district"]
    inlines = [DepartmentMemberInline]
