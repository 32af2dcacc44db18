"""Direct contact (直联): the five links of each village (五挂钩) and the contact days held (组织直联日)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from engagement.choices import DIRECT_CONTACT_WEEKDAY, SINGLE_LINKS, LinkKind
from engagement.querysets import ContactLinkQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel


@track_history
class ContactLink(ScopedModel):
    """One of the five links of a village (五挂钩): who holds it, since when, until when.

    A link is filled on a day when it began on or before it and has not ended; one holder at a
    time for each single link (SINGLE_LINKS), several deputies and members (两代表一委员)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="contact_links"
    )
    kind = models.CharField(_("挂钩类别"), max_length=20, choices=LinkKind.choices)
    holder = models.CharField(_("挂钩领导或单位"), max_length=100)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    since = models.DateField(_("挂钩日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ContactLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("挂钩联系")
        verbose_name_plural = _("挂钩联系")
        ordering = ["division_id", "kind", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kind"],
                condition=Q(until__isnull=True, kind__in=SINGLE_LINKS),
                name="contact_link_one_current_holder",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="contact_link_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.holder}"


@track_history
class ContactDay(ScopedModel):
    """A direct-contact day held (组织直联日) in a town or village: who came, what was raised."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("镇村"), on_delete=models.PROTECT, related_name="contact_days"
    )
    held_on = models.DateField(_("直联日期"))
    attendees = models.PositiveIntegerField(_("参加人数"), default=0)
    matters_raised = models.TextField(_("收集的问题"), blank=True)
    matters_settled = models.PositiveIntegerField(_("当场解决问题数"), default=0)

    class Meta:
        verbose_name = _("组织直联日")
        verbose_name_plural = _("组织直联日")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["division", "held_on"], name="contact_day_once_a_day")]

    def __str__(self) -> str:
        return f"{self.division_id} · {self.held_on}"

    @property
    def on_contact_weekday(self) -> bool:
        """Held on the organisation's direct-contact day, Tuesday (a holiday may move it)."""
        return self.held_on.weekday() == DIRECT_CONTACT_WEEKDAY
