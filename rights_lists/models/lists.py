"""Matters-power lists (事权清单): the versions of a division's lists, their items, and the
adoptions of a district's templates.

A list belongs to an owner division: a district's list is a template, which its towns' villages
adopt (Adoption: one row per village, written for a whole town at once) and extend with lists of
their own. Lists are versioned: a new version copies the items of the one before, and a decision
keeps the item, and so the version, it was made under. The items in force for a division are
those of its own published lists valid that day and of the templates it adopted
(ListItemQuerySet.in_force_for).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from rights_lists.choices import DISTRICT_CODE_LENGTH, ListKind, ListStatus, Procedure
from rights_lists.querysets import ListItemQuerySet, RightsListQuerySet


@track_history
class RightsList(ScopedModel):
    """One version of a list of a division: a district's template, or a town's or village's own."""

    scope_field = "owner__code"

    owner = models.ForeignKey(
        "villages.Division", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="rights_lists"
    )
    kind = models.CharField(_("清单类别"), max_length=32, choices=ListKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    status = models.CharField(_("状态"), max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    valid_from = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RightsListQuerySet.as_manager()

    class Meta:
        verbose_name = _("事权清单")
        verbose_name_plural = _("事权清单")
        ordering = ["owner_id", "kind", "version"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "version"], name="rights_list_unique_version"),
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=Q(status="published"),
                name="rights_list_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=False, valid_until__gte=F("valid_from")),
                name="rights_list_valid_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(valid_from__isnull=False),
                name="rights_list_published_has_start",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="rights_list_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · v{self.version}"

    @property
    def is_template(self) -> bool:
        """A district's list: the template its villages adopt."""
        return len(self.owner_id or "") == DISTRICT_CODE_LENGTH

    @property
    def is_editable(self) -> bool:
        return self.status == ListStatus.DRAFT


@track_history
class ListItem(ScopedModel):
    """A numbered item of a list version: the matter, its basis, who is responsible, the procedure
    it is decided by, and what raises that procedure to the full one."""

    scope_field = "list__owner__code"

    list = models.ForeignKey(RightsList, verbose_name=_("清单"), on_delete=models.PROTECT, related_name="items")
    number = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    basis = models.TextField(_("法律政策依据"), blank=True)
    responsible_body = models.CharField(_("责任主体"), max_length=100, blank=True)
    procedure = models.CharField(_("决策程序"), max_length=20, choices=Procedure.choices)
    full_procedure_above_fen = models.PositiveBigIntegerField(
        _("适用四议两公开的金额标准（分）"),
        null=True,
        blank=True,
        help_text=_("决策涉及金额超过此数时，须按“四议两公开”程序决策。"),
    )
    publicity_days = models.PositiveSmallIntegerField(_("公示期（天）"), default=0)

    objects = ListItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["list_id", "id"]
        constraints = [models.UniqueConstraint(fields=["list", "number"], name="list_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def procedure_for(self, amount_fen: int | None) -> str:
        """The procedure a decision of this amount follows: the full one above the threshold."""
        threshold = self.full_procedure_above_fen
        if threshold is not None and amount_fen is not None and amount_fen > threshold:
            return Procedure.FOUR_DELIBERATIONS
        return self.procedure


@track_history
class Adoption(ScopedModel):
    """A village (or town) adopts a district template: the template's items are in force there.
    When a new version of the template is published, its adoptions move to it (services)."""

    template = models.ForeignKey(
        RightsList, verbose_name=_("清单模板"), on_delete=models.PROTECT, related_name="adoptions"
    )
    division = models.ForeignKey(
        "villages.Division", verbose_name=_("采用单位"), on_delete=models.PROTECT, related_name="adopted_lists"
    )
    adopted_on = models.DateField(_("采用日期"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("清单采用")
        verbose_name_plural = _("清单采用")
        ordering = ["division_id", "template_id"]
        constraints = [models.UniqueConstraint(fields=["template", "division"], name="adoption_once_per_division")]

    def __str__(self) -> str:
        return f"{self.division_id} · {self.template_id}"
