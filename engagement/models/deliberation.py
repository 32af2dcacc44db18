"""Deliberation (议事协商): a body per village or community, the district's guiding catalogue of
topics, topics proposed and pre-reviewed (预审), and the meetings that deliberate them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from engagement.choices import Outcome, TopicStatus
from engagement.querysets import DeliberationBodyQuerySet
from engagement.querysets.deliberation import CatalogueEntryQuerySet, MeetingQuerySet, TopicQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel
from villages.choices import Level


@track_history
class DeliberationBody(ScopedModel):
    """The deliberation body (议事会) of a village or community, with its rules."""

    division = models.OneToOneField(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="deliberation_body"
    )
    name = models.CharField(_("名称"), max_length=100)
    rules = models.TextField(_("议事规则"), blank=True)
    formed_on = models.DateField(_("成立日期"))

    objects = DeliberationBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("议事协商组织")
        verbose_name_plural = _("议事协商组织")
        ordering = ["division_id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.division_id and self.division.level != Level.VILLAGE:
            raise ValidationError({"division": _("议事协商组织须设在村（社区）。")})


@track_history
class BodyMember(ScopedModel):
    scope_field = "body__division__code"

    body = models.ForeignKey(
        DeliberationBody, verbose_name=_("议事会"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey("villages.Person", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=50, blank=True, help_text=_("如：党员代表、村民代表、乡贤、驻村律师"))

    class Meta:
        verbose_name = _("议事会成员")
        verbose_name_plural = _("议事会成员")
        constraints = [models.UniqueConstraint(fields=["body", "person"], name="body_member_once")]


@track_history
class CatalogueEntry(ScopedModel):
    """A topic of the district's guiding catalogue (议事协商指导目录)."""

    scope_field = "district__code"

    district = models.ForeignKey(
        "villages.Division", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="deliberation_catalogue"
    )
    title = models.CharField(_("议题类别"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("议题指导目录")
        verbose_name_plural = _("议题指导目录")
        ordering = ["district_id", "title"]
        constraints = [models.UniqueConstraint(fields=["district", "title"], name="catalogue_entry_unique_title")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.district_id and self.district.level != Level.DISTRICT:
            raise ValidationError({"district": _("指导目录由区（县）制定。")})


@track_history
class Meeting(ScopedModel):
    """A meeting of a deliberation body (协商会议)."""

    scope_field = "body__division__code"

    body = models.ForeignKey(
        DeliberationBody, verbose_name=_("议事会"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("会议日期"))
    attendance = models.PositiveIntegerField(_("参会人数"))
    minutes = models.TextField(_("会议纪要"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("协商会议")
        verbose_name_plural = _("协商会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.body} · {self.held_on}"


@track_history
class Topic(ScopedModel):
    """A topic proposed to a body, from the catalogue; pre-reviewed (预审) before it is deliberated;
    its outcome, and the decision it led to where it needed one (四议两公开)."""

    scope_field = "body__division__code"

    body = models.ForeignKey(
        DeliberationBody, verbose_name=_("议事会"), on_delete=models.PROTECT, related_name="topics"
    )
    entry = models.ForeignKey(
        CatalogueEntry, verbose_name=_("目录类别"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("议题"), max_length=200)
    proposed_on = models.DateField(_("提出日期"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.PROPOSED)
    reviewed_on = models.DateField(_("预审日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预审人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("预审意见"), blank=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    outcome = models.CharField(_("协商结果"), max_length=16, choices=Outcome.choices, blank=True)
    decision = models.ForeignKey(
        "rights_lists.Decision",
        verbose_name=_("对应决策"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliberation_topics",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("协商议题")
        verbose_name_plural = _("协商议题")
        ordering = ["-proposed_on", "-id"]
        permissions = [("review_topic", _("可预审协商议题"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True) | ~models.Q(reviewed_by=models.F("proposed_by")),
                name="topic_review_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.entry_id and self.body_id and not self.body.division_id.startswith(self.entry.district_id):
            raise ValidationError({"entry": _("议题须出自本区的议事协商指导目录。")})
