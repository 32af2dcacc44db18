"""Personal data (ID numbers, phones) is masked unless the user may see it where the person lives.

One place for the rule, used by the API serializers, the pages, exports and the audit trail.
"""

from governance.access.querysets import holds_in
from villages import identity

PERSONAL_DATA_PERMISSION = "villages.view_personal_data_person"

# Field names that hold personal data in records and in audit-event snapshots.
PERSONAL_DATA_MASKS = {
    "id_number": identity.mask_id_number,
    "phone": identity.mask_phone,
}


def may_see_personal_data(user, division_code: str) -> bool:
    """True when `user` holds the explicit personal-data permission over this division."""
    return holds_in(user, PERSONAL_DATA_PERMISSION, division_code)


def masked(data: dict, visible: bool) -> dict:
    """A copy of `data` with its personal-data fields masked unless `visible`."""
    if visible:
        return data
    copy = dict(data)
    for field_name, mask in PERSONAL_DATA_MASKS.items():
        if copy.get(field_name):
            copy[field_name] = mask(copy[field_name])
    return copy


def masked_diff(diff: dict, visible: bool) -> dict:
    """A copy of an audit diff ({field: [before, after]}) with personal-data values masked."""
    if visible:
        return diff
    copy = dict(diff)
    for field_name, mask in PERSONAL_DATA_MASKS.items():
        if isinstance(copy.get(field_name), (list, tuple)):
            copy[field_name] = [mask(value) if value else value for value in copy[field_name]]
    return copy
