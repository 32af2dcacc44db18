"""Django admin of the villages app, for superusers (see governance/admin.py).

Divisions and people are large tables (600,000 villages; millions of people), so references to
them are raw id inputs rather than drop-downs or autocompletes that would search them by name.
"""

from django.contrib import admin

from governance.admin import ScopedModelAdmin
from villages.models import Division, Household, Membership, PartyMembership, Person, Position, PositionFiling


@admin.register(Division)
class DivisionAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "level", "parent", "has_collective_economy", "retired_on"]
    list_filter = ["level", "has_collective_economy", ("retired_on", admin.EmptyFieldListFilter)]
    list_select_related = ["parent"]
    # "^code" is a prefix match on the code: a subtree.
    search_fields = ["^code", "name"]
    raw_id_fields = ["parent", "merged_into"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """A division is retired, never deleted (the database refuses it: Division.Meta.triggers)."""
        return False


@admin.register(Household)
class HouseholdAdmin(ScopedModelAdmin):
    list_display = ["number", "division", "address", "head"]
    list_select_related = ["division", "head"]
    search_fields = ["number", "^division__code", "address"]
    raw_id_fields = ["division", "head"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ["division"]
    fields = ["kind", "division", "started_on", "term_ends_on", "ended_on"]


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    list_display = ["name", "gender", "birth_date", "division", "household"]
    list_filter = ["gender"]
    list_select_related = ["division", "household"]
    # An exact ID number (the normalised form is upper case), a name, or a division subtree.
    search_fields = ["=id_number", "name", "^division__code"]
    raw_id_fields = ["division", "household"]
    readonly_fields = ["gender", "birth_date", "created_at", "updated_at"]
    inlines = [PositionInline]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = ["person", "cooperative", "shares", "joined_on", "left_on"]
    list_filter = [("left_on", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "cooperative"]
    search_fields = ["person__name", "^cooperative__code"]
    raw_id_fields = ["person", "cooperative"]


@admin.register(PartyMembership)
class PartyMembershipAdmin(ScopedModelAdmin):
    list_display = ["person", "branch", "joined_on"]
    list_select_related = ["person", "branch"]
    search_fields = ["person__name", "^branch__code"]
    raw_id_fields = ["person", "branch"]


@admin.register(Position)
class PositionAdmin(ScopedModelAdmin):
    list_display = ["person", "kind", "division", "started_on", "term_ends_on", "ended_on"]
    list_filter = ["kind", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "division"]
    search_fields = ["person__name", "^division__code"]
    raw_id_fields = ["person", "division"]
    date_hierarchy = "started_on"


@admin.register(PositionFiling)
class PositionFilingAdmin(ScopedModelAdmin):
    list_display = ["position", "filed_with", "status", "submitted_by", "submitted_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["position__person", "filed_with", "submitted_by", "decided_by"]
    search_fields = ["position__person__name", "^filed_with__code"]
    raw_id_fields = ["position", "filed_with"]
    autocomplete_fields = ["submitted_by", "decided_by"]
    readonly_fields = ["submitted_at"]
