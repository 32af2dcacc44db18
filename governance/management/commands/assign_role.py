"""manage.py assign_role USERNAME DIVISION_CODE ROLE: give a user a role over a subtree."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.access.models import Assignment, Role
from governance.audit import acting_as
from governance.registry import get_division_model


class Command(BaseCommand):
    help = "给用户分配某区划（含下级）上的角色。 / Assign a role over a division and its subtree to a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("division_code")
        parser.add_argument("role", help="角色代码 / role slug: " + ", ".join(sorted(_role_slugs_safe())))
        parser.add_argument(
            "--create-user",
            action="store_true",
            help="用户不存在时创建（无密码） / create the user if missing (unusable password)",
        )
        parser.add_argument("--remove", action="store_true", help="撤销该分配 / remove the assignment instead")

    def handle(self, username, division_code, role, create_user, remove, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=username)
        except user_model.DoesNotExist:
            if not create_user:
                raise CommandError(
                    f"用户 {username} 不存在（可加 --create-user） / No user {username} (use --create-user)"
                ) from None
            user = user_model(username=username)
            user.set_unusable_password()
            user.save()
        division = get_division_model().objects.filter(code=division_code).first()
        if division is None:
            raise CommandError(f"区划代码 {division_code} 不存在 / No division has the code {division_code}")
        role_obj = Role.objects.filter(slug=role).first()
        if role_obj is None:
            raise CommandError(f"角色 {role} 不存在，可用：{', '.join(_role_slugs_safe())} / No role {role}")
        with acting_as(None, source="assign_role"):
            if remove:
                deleted, _ = Assignment.objects.filter(user=user, division=division, role=role_obj).delete()
                self.stdout.write(f"已撤销 {deleted} 项分配 / removed {deleted} assignment(s)")
                return
            _assignment, created = Assignment.objects.get_or_create(user=user, division=division, role=role_obj)
        verb = "已分配" if created else "已存在"
        self.stdout.write(f"{verb}：{username} · {role_obj.name} @ {division.name}（{division.code}）")


def _role_slugs_safe() -> list[str]:
    from governance.access.roles import ROLE_DEFINITIONS

    return sorted(ROLE_DEFINITIONS)
