"""The roles of the portal, as named permission sets (docs/domain.md and docs/access.md).

Each role is named here; each app says, per model ("app_label.model"), which actions a role
grants on its models (governance.registry.role_grants). `sync_roles()` writes them to the Role
table after every migration, so a role's permissions are data kept in one place per app.
"""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

VIEW = ("view",)
EDIT = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")


def grant(models: tuple[str, ...], actions: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The same actions on several models: {model: actions}."""
    return {model: actions for model in models}


# The roles: who they are. What each grants on a domain app's models is that app's to say (its
# grants.py, registered in its AppConfig.ready()); governance grants only on its own models.
ROLE_DEFINITIONS: dict[str, dict] = {
    "district_admin": {
        "name": _("区级管理员"),
        "description": _("配置本区清单、方案和用户，可查看和管理全区数据。"),
        "grants": {"governance.assignment": ALL},
    },
    "town_official": {
        "name": _("镇（街道）干部"),
        "description": _("监督本镇村（社区）和经济社，审核备案、录入考核、查看统计。"),
        "grants": {},
    },
    "village_clerk": {
        "name": _("村（社区）文书"),
        "description": _("为本村及其经济社登记人员、任职、决策和公开等记录。"),
        "grants": {},
    },
    "coop_clerk": {
        "name": _("经济社文书"),
        "description": _("为本经济社登记户、人员和成员。"),
        "grants": {},
    },
    "grid_worker": {
        "name": _("网格员"),
        "description": _("在本村（社区）的网格上报事件、跟进办理（定人、定岗、定责）。"),
        "grants": {},
    },
    "inspector": {
        "name": _("纪检监察"),
        "description": _("在辖区内登记和查阅监督记录。"),
        "grants": {},
    },
    "report_reader": {
        "name": _("报表查阅"),
        "description": _("查阅辖区统计报表，不接触个人记录。"),
        "grants": {},
    },
}


def grants_of_role(slug: str) -> dict[str, tuple[str, ...]]:
    """Everything the role grants: governance's own grants and every app's registered ones."""
    from governance.registry import registry

    combined = dict(ROLE_DEFINITIONS[slug]["grants"])
    for model_label, actions in registry.role_grants.get(slug, {}).items():
        combined[model_label] = tuple(dict.fromkeys((*combined.get(model_label, ()), *actions)))
    return combined


def codename_for(model_label: str, action: str) -> tuple[str, str]:
    """("villages.person", "view") → ("villages", "view_person"); custom codenames end in the model name."""
    app_label, model_name = model_label.split(".")
    if action.endswith(f"_{model_name}"):
        return app_label, action
    return app_label, f"{action}_{model_name}"


def sync_roles(**_kwargs) -> None:
    """Create or update every Role from ROLE_DEFINITIONS; idempotent, run after migrate."""
    from governance.access.models import Role

    permissions = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for slug, definition in ROLE_DEFINITIONS.items():
        role, _created = Role.objects.update_or_create(
            slug=slug, defaults={"name": str(definition["name"]), "description": str(definition["description"])}
        )
        wanted = {
            permissions[key]
            for model_label, actions in grants_of_role(slug).items()
            for action in actions
            if (key := codename_for(model_label, action)) in permissions
        }
        role.permissions.set(wanted)
