"""Positions held for a term (任职) and their filing (备案) with the town or county."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.registry import registry
from villages.choices import (
    CODE_LENGTH_BY_LEVEL,
    ELECTED_POSITIONS,
    ELECTION_ELIGIBILITY_ACTION,
    FILED_WITH_LEVEL,
    OPEN_FILING_STATUSES,
    POSITION_LEVEL,
    SINGLE_HOLDER_POSITIONS,
    FilingStatus,
    Level,
    PositionKind,
)
from villages.codes import level_for_code
from villages.models.divisions import Division
from villages.models.people import Person
from villages.querysets import PositionFilingQuerySet, PositionQuerySet


@track_history
class Position(ScopedModel):
    """A position held for a term (任职) in a village or cooperative.

    A position is current on a day when it started on or before it and has not ended. Ending a
    position keeps it: the record of who held what stays for lifelong accountability.
    """

    person = models.ForeignKey(Person, verbose_name=_("任职人员"), on_delete=models.PROTECT, related_name="positions")
    division = models.ForeignKey(
        Division, verbose_name=_("任职村社"), on_delete=models.PROTECT, related_name="positions"
    )
    kind = models.CharField(_("职务"), max_length=32, choices=PositionKind.choices)
    started_on = models.DateField(_("任职日期"))
    term_ends_on = models.DateField(_("任期届满"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        # The id last: positions of a kind that started on the same day would otherwise come back
        # in any order, and the pages of a list could repeat one and skip another.
        ordering = ["division_id", "kind", "started_on", "id"]
        indexes = [
            # The positions list (the API's, in this ordering) of a village, a town or a district
            # is the scope's code range walked in the list's order: a page reads its 50 entries
            # and stops (its keys from the index alone) instead of sorting the scope (7,767
            # positions of a town: a top-N heapsort of 2.7 ms). Serves the lookups by division
            # and kind as the two-column index did.
            models.Index(fields=["division", "kind", "started_on", "id"], name="position_division_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kind"],
                condition=Q(ended_on__isnull=True) & Q(kind__in=[str(kind) for kind in SINGLE_HOLDER_POSITIONS]),
                name="position_single_current_holder",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="position_ended_after_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    def filing_division_code(self) -> str | None:
        """The code of the division this position is filed with (备案), or None."""
        level = FILED_WITH_LEVEL.get(self.kind)
        if level is None:
            return None
        return self.division_id[: CODE_LENGTH_BY_LEVEL[level]]

    def clean(self) -> None:
        expected = POSITION_LEVEL.get(self.kind)
        if expected and self.division_id and level_for_code(self.division_id) != expected:
            if expected == Level.COOPERATIVE:
                raise ValidationError({"division": _("该职务只能在经济社任职。")})
            raise ValidationError({"division": _("该职务只能在村（社区）任职。")})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("离任日期不能早于任职日期。")})
        if self.repeats_a_current_position_of_the_same_person():
            raise ValidationError({"kind": _("此人已在该村社现任此职务。")})
        if self.holds_a_single_holder_post_taken_by_someone_else():
            raise ValidationError({"kind": _("该村社已有现任的此职务，请先登记原任职人员离任。")})
        if self._state.adding and (bars := self.election_bars()):
            raise ValidationError({"person": [_("此人不得当选该职务：%(reason)s") % {"reason": bar} for bar in bars]})

    def election_bars(self) -> list[str]:
        """Why the person may not take this elected post on the day it starts (covenant sanctions,
        through governance's registry); empty for a post that is not elected."""
        if self.kind not in ELECTED_POSITIONS or not (self.person_id and self.started_on):
            return []
        return registry.bars(self.person_id, ELECTION_ELIGIBILITY_ACTION, self.started_on)

    def repeats_a_current_position_of_the_same_person(self) -> bool:
        """Whether this (unended) position duplicates one the same person currently holds: the
        same kind in the same division. A second term is recorded after the first has ended."""
        if self.ended_on is not None or not (self.division_id and self.person_id and self.kind):
            return False
        return (
            Position.objects.filter(
                person_id=self.person_id, division_id=self.division_id, kind=self.kind, ended_on__isnull=True
            )
            .exclude(pk=self.pk)
            .exists()
        )

    def holds_a_single_holder_post_taken_by_someone_else(self) -> bool:
        """Whether this (unended) position is a one-holder post (SINGLE_HOLDER_POSITIONS) that
        someone else currently holds in the same division. The partial unique index
        position_single_current_holder enforces the same in the database; this says it first,
        as a field error, instead of a conflict at the write."""
        if self.kind not in SINGLE_HOLDER_POSITIONS or self.ended_on is not None or not self.division_id:
            return False
        return (
            Position.objects.filter(division_id=self.division_id, kind=self.kind, ended_on__isnull=True)
            .exclude(pk=self.pk)
            .exists()
        )


@track_history
class PositionFiling(ScopedModel):
    """Filing (备案) of a position with the town or county; reviewed by someone else (four eyes).

    Besides the tree, one filing can be granted to one reviewer (django-guardian), e.g. a county
    organisation department officer asked to review a particular secretary's filing.
    """

    scope_field = "position__division__code"
    guardian_grants = True

    position = models.ForeignKey(Position, verbose_name=_("任职"), on_delete=models.PROTECT, related_name="filings")
    filed_with = models.ForeignKey(
        Division, verbose_name=_("备案机关"), on_delete=models.PROTECT, related_name="received_filings"
    )
    status = models.CharField(_("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报备人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报备时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    note = models.TextField(_("意见"), blank=True)

    objects = PositionFilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职备案")
        verbose_name_plural = _("任职备案")
        ordering = ["-submitted_at"]
        permissions = [("approve_positionfiling", _("可审核任职备案"))]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(status__in=[str(status) for status in OPEN_FILING_STATUSES]),
                name="filing_one_open_per_position",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("submitted_by")),
                name="filing_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} → {self.filed_with_id}"
