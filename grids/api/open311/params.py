"""The inputs of the Open311 endpoints, read and checked: a bad one is an Open311Error (400, or 403
for the key, 404 for what is not found), never a 500.

GeoReport v2 (wiki.open311.org/GeoReport_v2) fixes the names: `jurisdiction_id`,
`service_request_id`, `service_code`, `start_date`, `end_date`, `status`, and for a report
`api_key`, `address_id`, `address_string`, `description`. `page` and `page_size` are the paging
extension most servers implement (wiki.open311.org/GeoReport_v2/Extensions, "Pagination").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed

from governance.api.authentication import PortalTokenAuthentication

# GET Service Requests: start_date and end_date "may not span more than 90 days"; "when not
# specified, the range defaults to most recent 90 days" (GeoReport v2, GET Service Requests).
MAX_SPAN = datetime.timedelta(days=90)
# "Default query limit is ... first 1000 requests returned" (GeoReport v2, Response Volume): an
# answer holds at most this many; `page` and `page_size` page through more.
MAX_PAGE_SIZE = 1000
# service_request_id may list several ids, comma delimited: at most one answer's worth.
MAX_IDS = MAX_PAGE_SIZE
# A description is "free form text limited to 4,000 characters" (GeoReport v2, POST Service Request).
MAX_DESCRIPTION_LENGTH = 4000
STATUSES = ("open", "closed")
# A W3C date-time whose "+" of the offset arrived as a space (a query string left unencoded:
# "2026-03-02T17:00:00 08:00"): read as the "+" it was.
_PLUS_AS_SPACE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")
_DIGITS = re.compile(r"^[0-9]{1,18}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Open311Error(Exception):
    """An answer in the standard's error form, `[{"code", "description"}, ...]`, with its status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions or (_("请求无效。"),)

    def body(self) -> list[dict]:
        return [{"code": self.status, "description": str(description)} for description in self.descriptions]


def bad_request(*descriptions: str) -> Open311Error:
    return Open311Error(400, *descriptions)


def refuse_nul_characters(*sources: Mapping) -> None:
    """A NUL character cannot reach PostgreSQL (it refuses it in text): a 400 here, not a 500 there."""
    for source in sources:
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise bad_request(_("参数 %(name)s 含有无效字符。") % {"name": name.replace("\x00", "")})


def text(source: Mapping, name: str) -> str:
    """The parameter's value, stripped; "" when absent ("optional" means empty = not declared)."""
    return (source.get(name) or "").strip()


def key_user(request):
    """The user of the `api_key` (a token of POST /api/v1/auth/token/, read by the project's token
    authentication), or of an `Authorization: Token <key>` header; None without a key. A key that
    is unknown, or whose user is inactive, is a 403 (GeoReport v2, Errors)."""
    key = text(request.POST, "api_key") if request.method == "POST" else ""
    key = key or text(request.GET, "api_key")
    if not key:
        keyword, _space, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        key = value.strip() if keyword == PortalTokenAuthentication.keyword else ""
    if not key:
        return None
    try:
        user, _token = PortalTokenAuthentication().authenticate_credentials(key)
    except AuthenticationFailed:
        raise Open311Error(403, _("api_key 无效，或其用户已停用。")) from None
    return user


def moment(name: str, value: str, *, end: bool = False) -> datetime.datetime | None:
    """A W3C date-time (2026-03-02T17:00:00+08:00, ...Z), or a day (2026-03-02: its start, or for
    `end` its last moment); without an offset, the portal's local time (Asia/Shanghai)."""
    if not value:
        return None
    value = _PLUS_AS_SPACE.sub(r"\1+\2", value)
    try:
        day = parse_date(value) if _DAY.match(value) else None
        if day is not None:
            parsed = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
        else:
            parsed = parse_datetime(value)
            if parsed is None:
                raise ValueError(value)
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        parsed.astimezone(datetime.UTC)  # an instant beyond the calendar's ends overflows here
    except (ValueError, OverflowError):
        raise bad_request(
            _("%(name)s 须为 W3C 日期时间，如 2026-03-02T17:00:00+08:00 或 2026-03-02。") % {"name": name}
        ) from None
    return parsed


def window(start: datetime.datetime | None, end: datetime.datetime | None, now: datetime.datetime):
    """(since, until) of requested_datetime: as given, at most 90 days apart; a missing end is 90
    days after the start, a missing start 90 days before the end (or now)."""
    try:
        if start is None and end is None:
            end = now
        if start is None:
            start = end - MAX_SPAN
        elif end is None:
            end = start + MAX_SPAN
    except OverflowError:
        raise bad_request(_("start_date 或 end_date 超出可用的日期范围。")) from None
    if end < start:
        raise bad_request(_("end_date 不能早于 start_date。"))
    if end - start > MAX_SPAN:
        raise bad_request(_("start_date 与 end_date 相隔不能超过 90 天。"))
    return start, end


def listed(value: str) -> list[str]:
    """A comma-delimited list ("a,b"), empty items dropped, in order, without repeats."""
    return list(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))


def request_ids(value: str) -> list[int]:
    ids = listed(value)
    if any(not _DIGITS.match(item) for item in ids):
        raise bad_request(_("service_request_id 须为事件编号（数字），多个以逗号分隔。"))
    if len(ids) > MAX_IDS:
        raise bad_request(_("service_request_id 一次最多 %(count)s 个。") % {"count": MAX_IDS})
    return [int(item) for item in ids]


def statuses(value: str) -> set[str]:
    asked = set(listed(value))
    if asked - set(STATUSES):
        raise bad_request(_("status 须为 open 或 closed（多个以逗号分隔）。"))
    return asked


def positive(source: Mapping, name: str, default: int, maximum: int | None = None) -> int:
    value = text(source, name)
    if not value:
        return default
    if not _DIGITS.match(value) or int(value) < 1 or (maximum is not None and int(value) > maximum):
        if maximum is None:
            raise bad_request(_("%(name)s 须为正整数。") % {"name": name})
        raise bad_request(_("%(name)s 须为 1 到 %(maximum)s 之间的整数。") % {"name": name, "maximum": maximum})
    return int(value)


def object_id(value: str) -> int | None:
    """An id as the URL or a form gives it; None when it cannot be one."""
    return int(value) if _DIGITS.match(value) else None
