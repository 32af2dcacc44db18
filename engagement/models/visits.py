"""Visits (走访) by town and county cadres with their coverage quotas (Guangxi §16), and the contacts
village cadres and party members keep (Guangxi §10)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from engagement.choices import ContactKind, VisitorLevel
from engagement.querysets import VisitingCadreQuerySet, VisitQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.guards import not_in_the_future


@track_history
class VisitingCadre(ScopedModel):
    """A county or town cadre who visits villages, at the level whose quota applies to them, with
    the villages they are linked to (包村: a town leader's or cadre's "their villages")."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("所在区镇"), on_delete=models.PROTECT, related_name="visiting_cadres"
    )
    name = models.CharField(_("姓名"), max_length=50)
    level = models.CharField(_("走访层级"), max_length=20, choices=VisitorLevel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visiting_cadre_profiles",
    )
    term_started_on = models.DateField(_("本届任期开始"))
    villages = models.ManyToManyField(
        "villages.Division", verbose_name=_("包联村（社区）"), blank=True, related_name="linked_visitors"
    )
    active = models.BooleanField(_("在任"), default=True)

    objects = VisitingCadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访干部")
        verbose_name_plural = _("走访干部")
        ordering = ["division_id", "level", "name"]

    def __str__(self) -> str:
        return self.name


@track_history
class Visit(ScopedModel):
    """A visit to a village, a group (经济社) or a household: when, what was raised, what came of it."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("走访村社"), on_delete=models.PROTECT, related_name="visits"
    )
    visitor = models.ForeignKey(
        VisitingCadre, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="visits"
    )
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("走访户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # visit_household_day leads with it
    )
    visited_on = models.DateField(_("走访日期"))
    raised = models.TextField(_("反映的问题"), blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["visitor", "visited_on"], name="visit_visitor_day"),
            # Whether a household was visited within a period (the visit coverage indicator)
            # from this index alone. With only the household's index beside visit_visited, a
            # planner without statistics ANDed both bitmaps and read 10,170 index entries per
            # household (supervision.services.scoring._chunk_sql).
            models.Index(fields=["household", "visited_on"], name="visit_household_day"),
            # The visits list (the API's, newest first) of a town or a district, whose code range
            # the order by day cannot lead with: read backwards, the division kept or skipped from
            # the index alone, a page stops after its 50 visits instead of sorting every visit of
            # the scope (a town's 5,090: a top-N heapsort after a sequential scan, 1.6 ms). A
            # village's few are found by the division index and sorted.
            models.Index(fields=["visited_on", "id"], include=["division"], name="visit_visited"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} · {self.visited_on}"

    def clean(self) -> None:
        not_in_the_future("visited_on", self.visited_on)
        if self.household_id and self.division_id and self.household.division_id != self.division_id:
            raise ValidationError({"household": _("走访户不在所选村社登记。")})


@track_history
class KeptContact(ScopedModel):
    """A contact a village cadre or party member keeps (联系户, 致富能手): Guangxi §10."""

    scope_field = "person__division__code"

    person = models.ForeignKey(
        "villages.Person",
        verbose_name=_("联系人（干部或党员）"),
        on_delete=models.PROTECT,
        related_name="kept_contacts",
    )
    kind = models.CharField(_("联系类别"), max_length=20, choices=ContactKind.choices)
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("联系户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("致富能手姓名"), max_length=50, blank=True)
    since = models.DateField(_("联系开始"))
    until = models.DateField(_("联系结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系对象")
        verbose_name_plural = _("联系对象")
        ordering = ["person_id", "kind", "since"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=ContactKind.HOUSEHOLD, household__isnull=False)
                | models.Q(kind=ContactKind.ENTREPRENEUR, household__isnull=True) & ~models.Q(contact_name=""),
                name="kept_contact_names_its_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.get_kind_display()}"
