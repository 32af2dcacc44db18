import pytest
from django.contrib.auth.models import Permission

from governance.access.models import Role
from governance.access.roles import ROLE_DEFINITIONS, codename_for, grants_of_role

pytestmark = pytest.mark.django_db


def test_every_role_of_the_design_exists_after_migrate():
    assert set(Role.objects.values_list("slug", flat=True)) == set(ROLE_DEFINITIONS)


def test_every_granted_permission_exists():
    existing = {(p.content_type.app_label, p.codename) for p in Permission.objects.select_related("content_type")}
    for slug in ROLE_DEFINITIONS:
        for model_label, actions in grants_of_role(slug).items():
            for action in actions:
                assert codename_for(model_label, action) in existing, (slug, model_label, action)


def test_a_role_holds_exactly_the_permissions_it_is_defined_with():
    role = Role.objects.get(slug="village_clerk")
    held = {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.select_related("content_type")}
    assert "villages.add_person" in held
    assert "villages.view_personal_data_person" in held
    assert "villages.approve_positionfiling" not in held
    assert "villages.delete_person" not in held


def test_only_the_district_administrator_and_clerks_see_personal_data():
    seeing = {role.slug for role in Role.objects.filter(permissions__codename="view_personal_data_person")}
    assert seeing == {"district_admin", "village_clerk", "coop_clerk"}


def test_a_role_holds_what_the_apps_register_for_it_besides_governances_own_grants():
    district_admin = grants_of_role("district_admin")

    assert district_admin["governance.assignment"] == ("view", "add", "change", "delete")
    assert "approve" in district_admin["villages.positionfiling"]
    assert "villages.division" not in ROLE_DEFINITIONS["district_admin"]["grants"]


def test_registering_the_same_grants_twice_changes_nothing():
    from governance.registry import Registry

    registry = Registry()
    grants = {"inspector": {"villages.person": ("view",)}}
    registry.add_grants(grants)
    registry.add_grants(grants)
    registry.add_grants({"inspector": {"villages.person": ("change",)}})

    assert registry.role_grants == {"inspector": {"villages.person": ("view", "change")}}
