"""The division hierarchy (行政区划): one table keyed by the NBS code, which nests by prefix."""

from __future__ import annotations

import pgtrigger
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from villages.choices import CODE_LENGTH_BY_LEVEL, LEVEL_ORDER, VILLAGE_KIND_BY_TENTH_DIGIT, Level
from villages.codes import ancestor_codes_of, level_for_code, parent_code_of
from villages.querysets import DivisionQuerySet

# Division.qualified_name: the levels named with their parent, and what joins the two names.
QUALIFIED_LEVELS = (Level.VILLAGE, Level.COOPERATIVE)
QUALIFIED_NAME_SEPARATOR = " · "

_LEVEL_CODE_SHAPES = Q()
for _level, _length in CODE_LENGTH_BY_LEVEL.items():
    # The level first: a row then runs one regex, not one per level (bench/README.md).
    _LEVEL_CODE_SHAPES |= Q(level=_level) & Q(code__regex=rf"^[0-9]{{{_length}}}$")


@track_history
class Division(ScopedModel):
    """One node of the hierarchy: province, city, district, town, village or cooperative.

    Keyed by its NBS code. A subtree is every code that starts with this one (an indexed prefix
    match: the key has the C collation, so its btree serves LIKE 'prefix%'); roll-ups group by a
    prefix of the code. A division that is merged away (撤并) is retired, not deleted: it keeps
    its records, and `merged_into` names the division that took its place.
    """

    scope_field = "code"

    code = models.CharField(
        _("区划代码"),
        max_length=15,
        primary_key=True,
        db_collation="C",
        validators=[RegexValidator(r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$", _("区划代码格式不正确。"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    # No single-column index on parent: the (parent, code) index serves lookups by parent.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,
    )
    has_collective_economy = models.BooleanField(
        _("有集体经济组织"), default=False, help_text=_("村（社区）下设经济社、有集体资产。")
    )
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed",
        db_index=False,  # few divisions are ever merged: the partial index below holds only them
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent", "code"], name="division_parent_code"),
            # The few divisions merged away, by successor: a successor's area (area_codes) and the
            # per-unit reports' successor of a retired unit (governance.reporting.unit_of) read it.
            models.Index(fields=["merged_into"], name="division_merged_into", condition=Q(merged_into__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=_LEVEL_CODE_SHAPES, name="division_code_matches_level"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(code__startswith=F("parent_id")),
                name="division_code_nests_in_parent",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(retired_on__isnull=False),
                name="division_merged_only_when_retired",
            ),
        ]
        # Retired, never deleted (DESIGN.md section 5: a merged division keeps its records): the
        # database refuses every DELETE, so a code once read from this table stays valid, which
        # the scoring results rely on instead of a foreign-key check per row (supervision.Result).
        triggers = [pgtrigger.Protect(name="division_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_active(self) -> bool:
        return self.retired_on is None

    @property
    def village_kind(self) -> str | None:
        """community, village, community_like or village_like for a village; None otherwise."""
        if self.level != Level.VILLAGE:
            return None
        return VILLAGE_KIND_BY_TENTH_DIGIT.get(self.code[9])

    @property
    def qualified_name(self) -> str:
        """The name a page gives this division: below the town, with the name of its parent.

        Names repeat below the town: every village has a 第一经济社, and village names recur
        across the towns of a district (南海区 has two 江滨社区居委会). So a cooperative is named
        with its village ("罗村村委会 · 第一经济社") and a village with its town ("狮山镇 · 罗村村委会");
        a town and anything above it by its own name. One rule for every page, whatever it
        spans, so a division reads the same in a list, a picker and a form.

        It reads `parent`: a list loads it with select_related("…division__parent") (or
        annotates `parent_name`), so naming a page of rows costs no query per row.
        """
        if self.level not in QUALIFIED_LEVELS:
            return self.name
        parent_name = getattr(self, "parent_name", None)
        if parent_name is None and self.parent_id is not None:
            parent_name = self.parent.name
        return f"{parent_name}{QUALIFIED_NAME_SEPARATOR}{self.name}" if parent_name else self.name

    def ancestor_codes(self) -> list[str]:
        return ancestor_codes_of(self.code)

    def has_public_page(self) -> bool:
        """Villages and communities publish their affairs to residents (村务公开, Organic Law
        art. 30) on a page anyone may read; towns and cooperatives have none of their own."""
        return self.level == Level.VILLAGE

    @property
    def report_unit_level(self) -> str:
        """The level of a per-unit report's rows for this division: its villages for a town or
        anything below it, its towns above (governance.unit_reports)."""
        if LEVEL_ORDER.index(self.level) >= LEVEL_ORDER.index(Level.TOWN):
            return Level.VILLAGE
        return Level.TOWN

    @property
    def report_unit_code_length(self) -> int:
        """How many leading digits of a code name the report unit it counts in."""
        return CODE_LENGTH_BY_LEVEL[self.report_unit_level]

    def contains(self, code: str) -> bool:
        """True when the division with `code` lies in this division's subtree (itself included)."""
        return code.startswith(self.code)

    def clean(self) -> None:
        expected = level_for_code(self.code or "")
        if expected is None:
            raise ValidationError({"code": _("区划代码应为2、4、6、9、12或15位数字。")})
        if self.level and self.level != expected:
            raise ValidationError({"level": _("区划代码长度与层级不符。")})
        if self.parent_id != parent_code_of(self.code):
            raise ValidationError({"parent": _("上级区划必须是代码前缀对应的区划。")})
