"""factory_boy factories for tests: divisions with their ancestors, people with valid ID numbers,
users with role assignments."""

import datetime

import factory
from django.contrib.auth import get_user_model

from governance.access.models import Assignment, Role
from villages.identity import make_id_number
from villages.models import Division, Household, Membership, PartyMembership, Person, Position, PositionKind, level_for_code, parent_code_of

TEST_PASSWORD = "correct-horse-battery-staple"


def division(code: str, name: str | None = None, **extra) -> Division:
    """The division with this code, created with all its missing ancestors."""
    parent_code = parent_code_of(code)
    parent = division(parent_code) if parent_code else None
    obj, _created = Division.objects.get_or_create(
        code=code,
        defaults={"name": name or f"区划{code}", "level": level_for_code(code), "parent": parent, **extra},
    )
    return obj


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
    """Give `user` the role over the division (and its subtree)."""
    from governance.access.querysets import forget_jurisdiction

    assignment, _created = Assignment.objects.get_or_create(
        user=user, division=division(division_code), role=Role.objects.get(slug=role_slug)
    )
    forget_jurisdiction(user)
    return assignment


_birth = datetime.date(1970, 1, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"村民{n}")
    division = factory.LazyFunction(lambda: division("440605124001"))
    id_number = factory.Sequence(
        lambda n: make_id_number("440605", _birth + datetime.timedelta(days=n // 1000), n % 1000)
    )
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    division = factory.LazyFunction(lambda: division("440605124001"))
    number = factory.Sequence(lambda n: f"H{n:05d}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory, division=factory.SelfAttribute("..division"))
    division = factory.LazyFunction(lambda: division("440605124001"))
    kind = PositionKind.VILLAGER_REPRESENTATIVE
    started_on = datetime.date(2021, 3, 1)
    term_ends_on = datetime.date(2026, 2, 28)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory, division=factory.SelfAttribute("..cooperative"))
    cooperative = factory.LazyFunction(lambda: division("440605124001001"))
    shares = 1
    joined_on = datetime.date(2020, 1, 1)


class PartyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMembership

    person = factory.SubFactory(PersonFactory, division=factory.SelfAttribute("..branch"))
    branch = factory.LazyFunction(lambda: division("440605124001"))
    joined_on = datetime.date(2000, 7, 1)
