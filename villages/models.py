"""The division hierarchy and the people in it: households, members, party members, cadres."""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.registry import registry
from villages import identity

# The choices and named rules live in villages/choices.py; imported here for the models and
# re-exported, so that `from villages.models import Level` keeps working.
from villages.choices import (  # noqa: F401
    CADRE_POSITIONS,
    CODE_LENGTH_BY_LEVEL,
    COOPERATIVE_SUFFIX_LENGTH,
    ELECTED_POSITIONS,
    ELECTION_ELIGIBILITY_ACTION,
    FILED_WITH_LEVEL,
    LEVEL_BY_CODE_LENGTH,
    LEVEL_ORDER,
    MIN_PARTY_JOINING_AGE,
    MIN_RESERVE_CADRES_PER_VILLAGE,
    OPEN_FILING_STATUSES,
    PERSON_LEVELS,
    POSITION_LEVEL,
    SINGLE_HOLDER_POSITIONS,
    VILLAGE_KIND_BY_TENTH_DIGIT,
    FilingStatus,
    Gender,
    Level,
    PositionKind,
)
from villages.querysets import DivisionQuerySet, PersonQuerySet, PositionFilingQuerySet, PositionQuerySet


def level_for_code(code: str) -> str | None:
    """The level a code of this length belongs to, or None for a malformed code."""
    if not (code.isascii() and code.isdigit()):  # full-width digits such as "４４" are not codes
        return None
    return LEVEL_BY_CODE_LENGTH.get(len(code))


def parent_code_of(code: str) -> str | None:
    """The code of the parent division: the code cut to the length of the level above."""
    level = level_for_code(code)
    if level is None or level == Level.PROVINCE:
        return None
    return code[: CODE_LENGTH_BY_LEVEL[LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]]]


def ancestor_codes_of(code: str) -> list[str]:
    """Codes of every ancestor, from the province down to the parent."""
    level = level_for_code(code)
    if level is None:
        return []
    return [code[: CODE_LENGTH_BY_LEVEL[upper]] for upper in LEVEL_ORDER[: LEVEL_ORDER.index(level)]]


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
        db_index=False,  # few divisions are ever merged; nothing looks divisions up by successor
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="division_parent_code")]
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


@track_history
class Household(ScopedModel):
    """A registered household (户) of a village or cooperative."""

    division = models.ForeignKey(
        Division, verbose_name=_("所属村社"), on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("户号"), max_length=30)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Person", verbose_name=_("户主"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["division_id", "number"]
        constraints = [models.UniqueConstraint(fields=["division", "number"], name="household_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}"

    def clean(self) -> None:
        if self.division_id and level_for_code(self.division_id) not in PERSON_LEVELS:
            raise ValidationError({"division": _("户只能登记在村（社区）或经济社。")})
        if self.number_is_taken():
            raise ValidationError({"number": _("本村社已有此户号。")})

    def number_is_taken(self) -> bool:
        """Whether another household of the division has this number: household_unique_number
        says the same at the write; this says it first, as a field error, also to forms that
        leave the division out (Django checks a constraint only when all its fields are shown)."""
        if not (self.division_id and self.number):
            return False
        return Household.objects.filter(division_id=self.division_id, number=self.number).exclude(pk=self.pk).exists()


@track_history
class Person(ScopedModel):
    """A person registered in a village or cooperative.

    Gender and birth date are derived from the ID number (GB 11643) whenever it is saved; the
    ID number and the phone are personal data, masked for anyone without the permission to see
    them.
    """

    division = models.ForeignKey(Division, verbose_name=_("登记村社"), on_delete=models.PROTECT, related_name="people")
    household = models.ForeignKey(
        Household, verbose_name=_("户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, validators=[identity.validate_id_number])
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    phone = models.CharField(
        _("电话"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9+\-]{5,20}$", _("电话号码只能包含数字、+ 和 -。"))],
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["division_id", "name", "id"]
        permissions = [("view_personal_data_person", _("可查看身份证号和电话"))]
        indexes = [models.Index(fields=["division", "name"], name="person_division_name")]

    def __str__(self) -> str:
        return str(self.name)

    def save(self, *args, **kwargs) -> None:
        self.id_number = identity.normalise_id_number(self.id_number)
        self.gender = identity.gender_from_id(self.id_number)
        self.birth_date = identity.birth_date_from_id(self.id_number)
        super().save(*args, **kwargs)

    def village_code(self) -> str:
        """The code of the village (村/社区) the person belongs to: their own division, or the
        village of their cooperative (a cooperative's code starts with its village's)."""
        return self.division_id[: CODE_LENGTH_BY_LEVEL[Level.VILLAGE]]

    def cooperative_codes_open_to(self) -> list[str]:
        """The cooperatives this person can join or serve in: their own, or, for someone
        registered in a village, the village's active cooperatives (one query then)."""
        if level_for_code(self.division_id) == Level.COOPERATIVE:
            return [self.division_id]
        return list(
            Division.objects.filter(parent_id=self.division_id, level=Level.COOPERATIVE, retired_on__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )

    def position_division_codes(self) -> list[str]:
        """Where this person can hold a position: their village and the cooperatives open to them."""
        return [self.village_code(), *self.cooperative_codes_open_to()]

    def age_on(self, day: datetime.date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    def clean(self) -> None:
        if self.division_id and level_for_code(self.division_id) not in PERSON_LEVELS:
            raise ValidationError({"division": _("人员只能登记在村（社区）或经济社。")})
        if self.household_id and self.division_id and self.household.division_id != self.division_id:
            raise ValidationError({"household": _("户必须属于同一村社。")})


@track_history
class Membership(ScopedModel):
    """Membership of a cooperative's collective economic organisation (股东/成员), with shares."""

    scope_field = "cooperative__code"

    person = models.ForeignKey(Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="memberships")
    cooperative = models.ForeignKey(
        Division, verbose_name=_("经济社"), on_delete=models.PROTECT, related_name="memberships"
    )
    shares = models.DecimalField(
        _("股份"),
        max_digits=10,
        decimal_places=2,
        default=1,
        # The same as membership_shares_not_negative, but said on the field (the check
        # constraint alone would come back as a form-wide "constraint violated").
        validators=[MinValueValidator(0, _("股份不能为负数。"))],
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("集体经济组织成员")
        verbose_name_plural = _("集体经济组织成员")
        ordering = ["cooperative_id", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cooperative"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_cooperative",
            ),
            models.CheckConstraint(condition=Q(shares__gte=0), name="membership_shares_not_negative"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="membership_left_after_joined"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.cooperative_id}"

    def clean(self) -> None:
        if self.cooperative_id and level_for_code(self.cooperative_id) != Level.COOPERATIVE:
            raise ValidationError({"cooperative": _("成员资格只能属于经济社。")})
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("退出日期不能早于加入日期。")})
        if self.repeats_a_current_membership():
            raise ValidationError({"cooperative": _("此人已是该经济社的现任成员。")})

    def repeats_a_current_membership(self) -> bool:
        """Whether this (current) membership duplicates one the person holds in the same
        cooperative; the partial unique index membership_one_current_per_cooperative says the
        same at the write, this says it first, as a field error."""
        if self.left_on is not None or not (self.person_id and self.cooperative_id):
            return False
        return (
            Membership.objects.filter(
                person_id=self.person_id, cooperative_id=self.cooperative_id, left_on__isnull=True
            )
            .exclude(pk=self.pk)
            .exists()
        )


@track_history
class PartyMembership(ScopedModel):
    """Membership of the Communist Party, attached to the village party organisation (党组织)."""

    scope_field = "branch__code"

    person = models.OneToOneField(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="party_membership"
    )
    branch = models.ForeignKey(
        Division, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="party_members"
    )
    joined_on = models.DateField(_("入党日期"))

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["branch_id", "person_id"]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        if self.branch_id and level_for_code(self.branch_id) != Level.VILLAGE:
            raise ValidationError({"branch": _("党员组织关系在村（社区）党组织。")})
        if self.joined_on and self.person_id and self.person.age_on(self.joined_on) < MIN_PARTY_JOINING_AGE:
            raise ValidationError({"joined_on": _("入党时应年满十八岁。")})


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
        ordering = ["division_id", "kind", "started_on"]
        indexes = [models.Index(fields=["division", "kind"], name="position_division_kind")]
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
