"""How a user's name is shown: Chinese names family name first, without a space."""

import re

_CJK = re.compile(r"[\u3400-\u9fff]")


def display_name(user) -> str:
    """陈嘉慧 for last_name 陈 and first_name 嘉慧; "Jane Doe" for Western names; else the username."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return user.get_full_name() or user.get_username()
