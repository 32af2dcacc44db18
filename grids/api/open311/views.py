"""The Open311 GeoReport v2 endpoints (JSON), docs/api.md "Open311".

Reads need no key: without one they show every event of the portal as its public pages do (the
public fields, serializers.service_request); with `api_key` they show the events of the key's
user's jurisdiction in full, through restrict() as everywhere, an event out of it being 404.
A report (POST requests.json) needs a key: grids.services.report_event runs as its user, who
re-checks their right in the village. Every error is the standard's list
`[{"code", "description"}]` with its HTTP status (400, 403 for the key or the right, 404 for
what is not found), never a 500 for bad input.

The views are plain Django views: the key is a form or query parameter, not a session, so
nothing here rides on a browser's cookies and the POST needs no CSRF token.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db.models import Max, Q
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from governance.access.querysets import jurisdiction_codes
from governance.registry import get_division_model
from grids.api.open311 import params, serializers
from grids.api.open311.params import Open311Error, bad_request, text
from grids.choices import EventState
from grids.models import EventCategory, Grid, GridEvent
from grids.services import category_of_district, report_event
from villages.choices import CODE_LENGTH_BY_LEVEL, Level

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
# The service discovery's changeset when no category was ever written: the day this interface
# took its present shape.
FIRST_CHANGESET = "2026-12-07T00:00:00+08:00"
# A report's fields, as the portal's service names them → the Open311 parameter that carries them.
PARAMETER_OF_FIELD = {
    "category": "service_code",
    "grid": "address_id",
    "location": "address_string",
    "description": "description",
    "division": "jurisdiction_id",
}
# The longest division code (a cooperative's): a longer jurisdiction_id is none.
MAX_CODE_LENGTH = max(CODE_LENGTH_BY_LEVEL.values())
# Locations Open311 allows that the portal does not place (it places an event by its grid).
OTHER_LOCATIONS = ("lat", "long", "address_string")


def answer(data, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, safe=False, content_type=JSON_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def readable_events(user):
    """Every event for the public (its public fields); the key user's jurisdiction otherwise."""
    return GridEvent.objects.restrict(user, "view") if user is not None else GridEvent.objects.all()


def in_division(events, code: str):
    """The events in the division's subtree. A village's own code is matched as such: events lie
    in villages, and the equality lets the (division, reported_at) index give the newest first."""
    if len(code) == CODE_LENGTH_BY_LEVEL[Level.VILLAGE]:
        return events.filter(division_id=code)
    return events.filter(division__code__startswith=code)


def jurisdiction(user, code: str) -> str:
    """The code of an existing division; for a key, one that overlaps the user's jurisdiction
    (lies in it, or holds part of it): another town's division is 404, as in the REST API."""
    if len(code) > MAX_CODE_LENGTH or not get_division_model().objects.filter(code=code).exists():
        raise Open311Error(404, _("jurisdiction_id 未找到：须为区划代码。"))
    if user is not None and not user.is_superuser:
        codes = jurisdiction_codes(user, "grids.view_gridevent")
        if not any(code.startswith(own) or own.startswith(code) for own in codes):
            raise Open311Error(404, _("jurisdiction_id 未找到，或不在您的辖区内。"))
    return code


def described(error: ValidationError) -> list[str]:
    """A service's refusal as descriptions naming the Open311 parameter at fault."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{PARAMETER_OF_FIELD.get(field, field)}：{message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]


@method_decorator(csrf_exempt, name="dispatch")
class Open311View(View):
    """Answers in JSON, errors in the standard's form; never a 500 for bad input."""

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        try:
            params.refuse_nul_characters(request.GET, *((request.POST,) if request.method == "POST" else ()))
            return super().dispatch(request, *args, **kwargs)
        except Open311Error as error:
            return answer(error.body(), error.status)
        except (SuspiciousOperation, MultiPartParserError):
            # Too large a body, too many fields, a broken multipart body.
            return answer(bad_request(_("请求内容无法读取。")).body(), 400)

    def http_method_not_allowed(self, request, *args, **kwargs):
        allowed = [method.upper() for method in self._allowed_methods()]
        response = answer(
            Open311Error(405, _("不支持 %(method)s 方法。") % {"method": request.method}).body(), status=405
        )
        response["Allow"] = ", ".join(allowed)
        return response


class DiscoveryView(Open311View):
    """GET discovery.json: where the GeoReport v2 endpoint is, its formats, how to get a key."""

    def get(self, request):
        changed = apps.get_model("grids", "EventCategoryEvent").objects.aggregate(at=Max("pgh_created_at"))["at"]
        changeset = serializers.w3c(changed) if changed else FIRST_CHANGESET
        endpoint = request.build_absolute_uri(reverse("open311:discovery")).removesuffix("/discovery.json")
        return answer(
            {
                "changeset": changeset,
                "contact": _("村级治理门户网格事件的 Open311 接口。使用问题请联系所在区的区级管理员。"),
                "key_service": _(
                    'api_key 即门户的 API 令牌：用门户账号向 %(url)s 提交 {"username", "password"}，得到 {"token"}。'
                )
                % {"url": request.build_absolute_uri(reverse("api:token"))},
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": endpoint,
                        "changeset": changeset,
                        # "test": not live, nothing will be acted upon (a development or demo portal).
                        "type": "test" if settings.DEBUG else "production",
                        "formats": ["application/json"],
                    }
                ],
            }
        )


class ServicesView(Open311View):
    """GET services.json: the active event categories of a district, each a service.

    Which district: the one `jurisdiction_id` lies in (or every district under it, for a city or
    a province); without it, those of the key's user's jurisdiction (EventCategory.readable_by),
    or, for the public, every district's. A code repeats across districts (each district keeps
    its own names and time limits): `group` names the district."""

    def get(self, request):
        user = params.key_user(request)
        categories = EventCategory.objects.filter(active=True)
        code = text(request.GET, "jurisdiction_id")
        if code:
            jurisdiction(None, code)
            ancestors = [code[:length] for length in range(1, len(code) + 1)]
            categories = categories.filter(Q(district_id__in=ancestors) | Q(district__code__startswith=code))
        elif user is not None:
            categories = categories.readable_by(user)
        rows = categories.select_related("district").order_by("district_id", "code")
        return answer([serializers.service(category) for category in rows])


class RequestsView(Open311View):
    """GET requests.json: events, newest first; POST requests.json: report an event."""

    http_method_names = ["get", "post", "head", "options"]

    def get(self, request):
        query = request.GET
        user = params.key_user(request)
        events = readable_events(user)
        ids = params.request_ids(text(query, "service_request_id"))
        if ids:
            # "This overrides all other arguments" (GeoReport v2, GET Service Requests).
            events = events.filter(pk__in=ids)
        else:
            code = text(query, "jurisdiction_id")
            if code:
                events = in_division(events, jurisdiction(user, code))
            codes = params.listed(text(query, "service_code"))
            if codes:
                # The categories' ids first (one small query): filtered through a join, the
                # planner sorted every event of the window (1.3 s for 3 million, 15 ms so).
                ids_of_codes = EventCategory.objects.filter(code__in=codes).values_list("id", flat=True)
                events = events.filter(category_id__in=list(ids_of_codes))
            statuses = params.statuses(text(query, "status"))
            if statuses == {"open"}:
                events = events.exclude(state=EventState.CLOSED)
            elif statuses == {"closed"}:
                events = events.filter(state=EventState.CLOSED)
            since, until = params.window(
                params.moment("start_date", text(query, "start_date")),
                params.moment("end_date", text(query, "end_date"), end=True),
                timezone.now(),
            )
            events = events.filter(reported_at__gte=since, reported_at__lte=until)
        page = params.positive(query, "page", 1, maximum=10**9)
        size = params.positive(query, "page_size", params.MAX_PAGE_SIZE, maximum=params.MAX_PAGE_SIZE)
        rows = events.select_related(*serializers.EVENT_RELATIONS).order_by("-reported_at", "-pk")
        return answer(serializers.service_requests(rows[(page - 1) * size : page * size], full=user is not None))

    def post(self, request):
        form = request.POST
        user = params.key_user(request)
        if user is None:
            raise Open311Error(403, _("上报事件须提供 api_key（门户的 API 令牌）。"))
        missing = [
            _("请提供 %(name)s。") % {"name": name}
            for name in ("jurisdiction_id", "service_code")
            if not text(form, name)
        ]
        if not text(form, "address_id"):
            if any(text(form, name) for name in OTHER_LOCATIONS):
                missing.append(_("本门户按网格定位事件：请提供 address_id（网格编号），经纬度和地址文字不能代替。"))
            else:
                missing.append(_("请提供 address_id（网格编号）。"))
        if missing:
            raise bad_request(*missing)
        code = text(form, "jurisdiction_id")
        village = get_division_model().objects.filter(code=code[:MAX_CODE_LENGTH], level=Level.VILLAGE).first()
        if village is None or len(code) > MAX_CODE_LENGTH:
            raise Open311Error(404, _("jurisdiction_id 未找到：须为村（社区）的区划代码。"))
        category = category_of_district(village.code, text(form, "service_code"))
        if category is None:
            raise Open311Error(404, _("service_code 未找到：该村（社区）所在区没有这一事件类别。"))
        grid_id = params.object_id(text(form, "address_id"))
        grid = None
        if grid_id is not None:
            grid = Grid.objects.restrict(user, "view").filter(pk=grid_id, division_id=village.code).first()
        if grid is None:
            raise bad_request(_("address_id 不是该村（社区）中您辖区内的网格编号。"))
        description = form.get("description", "")
        if len(description) > params.MAX_DESCRIPTION_LENGTH:
            raise bad_request(_("description 不能超过 %(count)s 个字符。") % {"count": params.MAX_DESCRIPTION_LENGTH})
        try:
            event = report_event(
                acting_user=user,
                grid=grid,
                category=category,
                description=description,
                location=text(form, "address_string"),
            )
        except PermissionDenied as refusal:
            raise Open311Error(403, str(refusal) or _("您无权在该网格上报事件。")) from None
        except ValidationError as error:
            raise bad_request(*described(error)) from None
        return answer([serializers.created(event, user)], status=201)


class RequestView(Open311View):
    """GET requests/<id>.json: one event, as a list of one."""

    def get(self, request, request_id: str):
        user = params.key_user(request)
        events = readable_events(user)
        code = text(request.GET, "jurisdiction_id")
        if code:
            events = in_division(events, code)
        pk = params.object_id(request_id)
        event = events.select_related(*serializers.EVENT_RELATIONS).filter(pk=pk).first() if pk else None
        if event is None:
            raise Open311Error(404, _("未找到该事件，或不在您的辖区内。"))
        return answer(serializers.service_requests([event], full=user is not None))


@csrf_exempt
def unknown(request, rest: str = ""):
    """Any other address under /open311/v2/: XML is not served (400), anything else is 404."""
    if rest.endswith(".xml"):
        return answer(bad_request(_("本接口只提供 JSON 格式：请把地址中的 .xml 换成 .json。")).body(), 400)
    return answer(Open311Error(404, _("没有这个 Open311 地址。")).body(), 404)
