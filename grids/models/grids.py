"""Grids (网格) and the categories of events reported in them.

One merged grid layer covers every village and community (Guangxi §17: 全覆盖, 一张网): a grid is
an area of one village or community with its named grid worker (定人、定岗、定责). Event
categories and their time limits are data of the district, created from the defaults
(choices.DEFAULT_CATEGORIES) and kept by the district administrator.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from grids.choices import MAX_TIME_LIMIT_HOURS, MIN_TIME_LIMIT_HOURS
from grids.querysets import EventCategoryQuerySet, GridQuerySet


# Its history table is GridHistory: GridEvent, pghistory's default name, is the model of events.
@track_history(model_name="GridHistory")
class Grid(ScopedModel):
    """An area of one village or community with its grid worker (网格员)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="grids"
    )
    name = models.CharField(_("网格名称"), max_length=60)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), on_delete=models.PROTECT, related_name="grids"
    )
    area = models.CharField(_("范围"), max_length=200, blank=True, help_text=_("网格包含的村民小组、楼栋或街巷。"))
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["division_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["division", "name"], name="grid_unique_name_in_village")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from villages.choices import Level

        if self.division_id and self.division.level != Level.VILLAGE:
            raise ValidationError({"division": _("网格只能划在村（社区）。")})


@track_history
class EventCategory(ScopedModel):
    """A category of events of one district, with its time limit in hours (办理时限)."""

    scope_field = "district__code"

    district = models.ForeignKey(
        "villages.Division", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="grid_event_categories"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    time_limit_hours = models.PositiveIntegerField(
        _("办理时限（小时）"),
        validators=[MinValueValidator(MIN_TIME_LIMIT_HOURS), MaxValueValidator(MAX_TIME_LIMIT_HOURS)],
    )
    active = models.BooleanField(_("启用"), default=True)

    objects = EventCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")
        ordering = ["district_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="event_category_unique_code"),
            models.CheckConstraint(
                condition=models.Q(time_limit_hours__gte=MIN_TIME_LIMIT_HOURS)
                & models.Q(time_limit_hours__lte=MAX_TIME_LIMIT_HOURS),
                name="event_category_time_limit_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.name
