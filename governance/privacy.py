"""Personal data (ID numbers, phones) is masked unless the user may see it where the person lives.

One place for the rule (docs/access.md), used by every app's serializers, pages and exports
and by the audit trail. Which permission unlocks personal data is the `PERSONAL_DATA_PERMISSION`
setting ("app_label.codename"), held like any other through an assignment over a subtree.
"""

from collections.abc import Callable

from django.conf import settings

from governance.access.querysets import holds_in


def mask_id_number(id_number: str) -> str:
    """Keep the 6-digit address code and the last 4 characters: 440605********1234."""
    if not id_number:
        return ""
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number: 138****5678."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def name_as_seen(name: str, *, visible: bool) -> str:
    """A person's name as a reader sees it: whole for one who may see personal data, masked
    (mask_name) for everyone else."""
    return name if visible else mask_name(name)


def mask_name(name: str) -> str:
    """What the public sees of a person's name: the family name and one `*` (张*, 欧阳*).

    Two-character compound family names are kept whole when the name is long enough to hold a
    given name after them (欧阳修 → 欧阳*); otherwise the first character is the family name.
    """
    name = (name or "").strip()
    if not name:
        return ""
    family = name[:2] if name[:2] in COMPOUND_FAMILY_NAMES and len(name) > 2 else name[:1]
    return family + "*"


# The compound family names common enough to matter on a village's public page (复姓).
COMPOUND_FAMILY_NAMES = frozenset(
    {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "西门",
    }
)

# Field names that hold personal data in records and in audit-event snapshots.
PERSONAL_DATA_MASKS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
}


def may_see_personal_data(user, division_code: str) -> bool:
    """True when `user` holds the explicit personal-data permission over this division."""
    return holds_in(user, settings.PERSONAL_DATA_PERMISSION, division_code)


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
