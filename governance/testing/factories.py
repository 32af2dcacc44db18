"""factory_boy factories for tests of any app: users, and their role assignments.

Only governance's own models and the hierarchy's model named by the DIVISION_MODEL setting
(governance.registry.get_division_model()); the domain apps' factories live in their own
`testing` packages (villages.testing.factories: divisions with their ancestors, people...).
"""

import factory
from django.contrib.auth import get_user_model

from governance.access.models import Assignment, Role
from governance.registry import get_division_model

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def assign(user, division_code: str, role_slug: str) -> Assignment:
    """Give `user` the role over the division (and its subtree); the division must exist."""
    from governance.access.querysets import forget_jurisdiction

    assignment, _created = Assignment.objects.get_or_create(
        user=user, division=get_division_model().objects.get(pk=division_code), role=Role.objects.get(slug=role_slug)
    )
    forget_jurisdiction(user)
    return assignment


def join_department(user, district_code: str, department_code: str):
    """Make `user` a member of the district's department `department_code` (the district's
    standard departments are created first, governance.departments.ensure_departments)."""
    from governance.access.querysets import forget_jurisdiction
    from governance.departments import DepartmentMember, ensure_departments

    department = next(d for d in ensure_departments(district_code) if d.code == department_code)
    member, _created = DepartmentMember.objects.get_or_create(department=department, user=user)
    forget_jurisdiction(user)
    return member
