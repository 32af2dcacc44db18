"""factory_boy factories of villages' records: divisions with their ancestors, people with valid
ID numbers, households, positions, memberships and party memberships. Users and role
assignments are governance's (governance.testing.factories)."""

import datetime

import factory

from villages.identity import make_id_number
from villages.models import (
    Division,
    Household,
    Membership,
    PartyMembership,
    Person,
    Position,
    PositionKind,
    level_for_code,
    parent_code_of,
)


def division(code: str, name: str | None = None, **extra) -> Division:
    """The division with this code, created with all its missing ancestors."""
    parent_code = parent_code_of(code)
    parent = division(parent_code) if parent_code else None
    obj, _created = Division.objects.get_or_create(
        code=code,
        defaults={"name": name or f"区划{code}", "level": level_for_code(code), "parent": parent, **extra},
    )
    return obj


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
