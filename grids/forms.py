"""Forms of the grids pages. They only read and check what the visitor gives; every write is a
service of grids.services (which re-checks rights and order inside its transaction), whose field
errors come back onto the form (a service error on a field the form lacks shows form-wide)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.departments import STANDARD_DEPARTMENT_NAMES, Department
from governance.people_names import display_name
from governance.uploads import EvidenceFilesField, PhotosOrFilesForm
from grids.choices import Route, Satisfaction
from grids.models import EventCategory, Grid, GridEvent
from villages.forms import BootstrapFormMixin

# How a moment is typed: the browser's date-and-time picker, to the minute, in local time.
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class GridsFormMixin(BootstrapFormMixin):
    """Bootstrap's classes on every field, large on a phone's screen (touch targets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"


def moment_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT)


def worker_label(user) -> str:
    name = display_name(user)
    return name if name == user.get_username() else f"{name}（{user.get_username()}）"


class GridForm(GridsFormMixin, forms.Form):
    """A grid of a village (新建网格, 修改网格): its name, its worker (定人), the area it covers and
    how many households live there. The worker is chosen among the users assigned in the village
    (its grid workers and clerks): the service checks it again."""

    name = forms.CharField(label=_("网格名称"), max_length=60)
    worker = forms.ModelChoiceField(get_user_model().objects.none(), label=_("网格员"), empty_label=_("请选择网格员"))
    area = forms.CharField(
        label=_("范围"), max_length=200, required=False, help_text=_("网格包含的村民小组、楼栋或街巷。")
    )
    households = forms.IntegerField(label=_("户数"), min_value=0, required=False)

    def __init__(self, *args, village_code: str, current_worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = (
            get_user_model()
            .objects.filter(is_active=True, assignments__division__code__startswith=village_code)
            .order_by("last_name", "first_name", "username")
        )
        if current_worker is not None:
            users = users | get_user_model().objects.filter(pk=current_worker.pk)
        self.fields["worker"].queryset = users.distinct()
        self.fields["worker"].label_from_instance = worker_label


class EventReportForm(GridsFormMixin, forms.Form):
    """上报事件, on a phone: the grid (the worker's own preselected), the category, what happened and
    where, and photos taken with the rear camera straight away."""

    grid = forms.ModelChoiceField(Grid.objects.none(), label=_("网格"), empty_label=_("请选择网格"))
    category = forms.ModelChoiceField(EventCategory.objects.none(), label=_("事件类别"), empty_label=_("请选择类别"))
    description = forms.CharField(
        label=_("事件描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("发生了什么")})
    )
    location = forms.CharField(
        label=_("地点"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("门牌、路段或地标")}),
    )
    photos = EvidenceFilesField(label=_("拍照"), camera=True, required=False)

    def __init__(self, *args, grids, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["grid"].label_from_instance = lambda grid: f"{grid.name}（{grid.division.name}）"
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda category: (
            _("%(name)s（%(hours)s 小时内办结）") % {"name": category.name, "hours": category.time_limit_hours}
        )


def department_names(district_code: str) -> list[str]:
    """The names of the district's departments, or the standard ones where it keeps none yet (the
    service creates them when it whistles): one query."""
    names = list(Department.objects.filter(district_id=district_code).order_by("code").values_list("name", flat=True))
    return names or list(STANDARD_DEPARTMENT_NAMES.values())


class AssessForm(GridsFormMixin, forms.Form):
    """研判: handled in the village, or whistled to departments of the district (吹哨报到)."""

    route = forms.ChoiceField(label=_("研判结果"), choices=Route.choices, widget=forms.RadioSelect)
    departments = forms.MultipleChoiceField(
        label=_("吹哨部门"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("吹哨报到时勾选须到场的职能部门。"),
    )
    note = forms.CharField(
        label=_("研判意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, departments: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(name, name) for name in departments]


class ArrivalForm(GridsFormMixin, forms.Form):
    """报到: which of the departments whistled to the event reported to the scene."""

    departments = forms.MultipleChoiceField(label=_("到场部门"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, event: GridEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(name, name) for name in event.departments]


class HandleForm(GridsFormMixin, forms.Form):
    """办结: when and how the event was handled, with photos of the result."""

    handled_at = forms.DateTimeField(label=_("办结时间"), widget=moment_widget(), input_formats=[MOMENT_FORMAT])
    summary = forms.CharField(label=_("处置情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = EvidenceFilesField(label=_("处置照片"), camera=True, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("handled_at", next_minute().strftime(MOMENT_FORMAT))
        super().__init__(*args, **kwargs)


def next_minute() -> datetime.datetime:
    """Now in local time, rounded up to the minute the picker shows: never before an event reported
    a few seconds ago (the service allows a moment a little ahead of its clock)."""
    now = timezone.localtime()
    floor = now.replace(second=0, microsecond=0)
    return floor if floor == now else floor + datetime.timedelta(minutes=1)


class EvaluateForm(GridsFormMixin, forms.Form):
    """评价 (回访): the reporter's evaluation; dissatisfied sends the event back to be handled again."""

    satisfaction = forms.ChoiceField(label=_("评价"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("回访记录"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(GridsFormMixin, forms.Form):
    """关闭: checked by someone other than whoever recorded the handling (查办分离)."""

    note = forms.CharField(
        label=_("核查意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EventPhotosForm(GridsFormMixin, PhotosOrFilesForm):
    """添加照片: photos taken now with the rear camera, and/or photos already on the phone."""

    files_help = _("照片（JPEG、PNG、WebP、HEIC），可多选。")
    none_chosen_message = _("请拍照或选择要上传的照片。")
