"""What the portal's searchable pickers offer of the villages app (governance/pages/pickers.py,
governance/pages/widgets.py): divisions by name or code, people by name, households by number.

Governance restricts every queryset to what the visitor may view and caps the results; this
module says only what a term matches and how a choice is named: as the pages name it (a person
with what tells namesakes apart, governance.privacy's mask on the ID number), a
division below the town with its parent (Division.qualified_name), whose row comes in the same
query (select_related), so a page of choices costs one query.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from governance.privacy import mask_id_number
from governance.registry import registry
from villages.models import QUALIFIED_NAME_SEPARATOR


def register() -> None:
    from villages.models import Division, Household, Person

    registry.add_picker(
        Division,
        search=search_divisions,
        label=division_label,
        queryset=lambda: Division.objects.select_related("parent").order_by("code"),
    )
    registry.add_picker(
        Person,
        search=search_people,
        label=person_label,
        queryset=lambda: Person.objects.select_related("division__parent", "household").order_by("name", "id"),
    )
    registry.add_picker(
        Household,
        search=search_households,
        label=household_label,
        queryset=lambda: Household.objects.select_related("division__parent").order_by("division_id", "number", "id"),
    )


def search_divisions(divisions, term: str):
    """Every word of the term matches the division's name or its parent's ("罗村 第一" finds 罗村
    村委会 · 第一经济社, a village's name its cooperatives too), or starts its code when it is a
    number. A qualified name typed or pasted whole finds its division."""
    for word in term.replace(QUALIFIED_NAME_SEPARATOR.strip(), " ").split():
        if word.isascii() and word.isdigit():
            divisions = divisions.filter(code__startswith=word)
        else:
            divisions = divisions.filter(Q(name__icontains=word) | Q(parent__name__icontains=word))
    return divisions


def division_label(division) -> str:
    return division.qualified_name


def search_people(people, term: str):
    return people.filter(name__icontains=term)


def person_label(person) -> str:
    """Enough to tell twenty 潘… apart, and nothing the visitor may not see: the gender, the birth
    year, the ID number masked as for a visitor without the personal-data permission (the
    address code and the last 4), the household number and the division. The phone never."""
    details = [
        person.get_gender_display(),
        _("%(year)s年生") % {"year": person.birth_date.year},
        mask_id_number(person.id_number),
    ]
    if person.household is not None:
        details.append(_("户号 %(number)s") % {"number": person.household.number})
    details.append(person.division.qualified_name)
    return f"{person.name}（{QUALIFIED_NAME_SEPARATOR.join(details)}）"


def search_households(households, term: str):
    return households.filter(number__icontains=term)


def household_label(household) -> str:
    return f"{household.number}（{household.division.qualified_name}）"
