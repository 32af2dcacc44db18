"""manage.py department_member USERNAME DISTRICT_CODE DEPARTMENT_CODE: a user works for a department
of a district (governance.departments); the district's standard departments are created first."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.audit import acting_as
from governance.departments import STANDARD_DEPARTMENT_NAMES, DepartmentMember, ensure_departments
from governance.registry import get_division_model


class Command(BaseCommand):
    help = "让用户加入某区县的职能部门（如民政局审查人员）。 / Make a user a member of a district's department."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("district_code")
        parser.add_argument("department", help="部门代码 / department code: " + ", ".join(STANDARD_DEPARTMENT_NAMES))
        parser.add_argument("--remove", action="store_true", help="退出该部门 / remove the membership instead")

    def handle(self, username, district_code, department, remove, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在 / No user {username}")
        if not get_division_model().objects.filter(code=district_code).exists():
            raise CommandError(f"区划代码 {district_code} 不存在 / No division has the code {district_code}")
        with acting_as(None, source="department_member"):
            departments = {d.code: d for d in ensure_departments(district_code)}
            if department not in departments:
                raise CommandError(f"部门 {department} 不存在 / No department {department} in {district_code}")
            if remove:
                deleted, _ = DepartmentMember.objects.filter(user=user, department=departments[department]).delete()
                self.stdout.write(f"已退出 {deleted} 个部门 / removed {deleted} membership(s)")
                return
            _member, created = DepartmentMember.objects.get_or_create(user=user, department=departments[department])
        verb = "已加入" if created else "已在"
        self.stdout.write(f"{verb}：{username} · {departments[department].name}（{district_code}）")
