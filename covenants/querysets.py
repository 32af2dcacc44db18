"""Querysets of the covenants app; all of them start from the one scoping mechanism.

What the pages, the API, the reports and the home page ask of the records (totals, the version in
force, what waits for whom) is written here once, as queryset methods.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from covenants.choices import REVIEWING_DEPARTMENT, NominationStatus, VersionStatus
from governance.access.querysets import RestrictedQuerySet, departments_of, jurisdiction_codes
from villages.choices import CODE_LENGTH_BY_LEVEL, Level

# The statuses in which a version waits for its reviewer.
AWAITING_REVIEW = (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW)


def kinds_reviewed_by(department_code: str) -> list[str]:
    """The covenant kinds the department `department_code` reviews (REVIEWING_DEPARTMENT)."""
    return [kind for kind, code in REVIEWING_DEPARTMENT.items() if code == department_code]


def reviewing_department_condition(user, covenant_path: str) -> Q | None:
    """The covenants (at `covenant_path`: "" for a Covenant, "covenant__" for a version) that
    `user` reviews as a member of a district's department: those of the department's kinds in
    the district's villages (REVIEWING_DEPARTMENT); None for a member of no reviewing department.
    No query beyond the user's departments (read once, cached on the user)."""
    condition = Q()
    for district_code, department_code in departments_of(user):
        kinds = kinds_reviewed_by(department_code)
        if kinds:
            condition |= Q(
                **{f"{covenant_path}division__code__startswith": district_code, f"{covenant_path}kind__in": kinds}
            )
    return condition or None


def reviews_as_department_member(user, covenant) -> bool:
    """reviewing_department_condition for one covenant, without a query: `user` works for the
    department of its kind in a district containing its village."""
    wanted = REVIEWING_DEPARTMENT.get(covenant.kind)
    return any(code == wanted and covenant.division_id.startswith(district) for district, code in departments_of(user))


def villages_bound_for(user, perm: str) -> tuple[str, ...]:
    """The villages above a division (a cooperative) where `user` holds `perm` but which lie
    outside their subtree: the villages whose covenants bind the people of the user's
    cooperatives (a covenant is the village's, and binds its cooperatives' members). No query:
    the grants are cached on the user."""
    village_length = CODE_LENGTH_BY_LEVEL[Level.VILLAGE]
    codes = jurisdiction_codes(user, perm)
    return tuple(sorted({code[:village_length] for code in codes if len(code) > village_length}))


def binding_covenants_condition(user, perm: str, covenant_path: str) -> Q | None:
    """The published covenants of the villages above the user's cooperatives (villages_bound_for),
    for a reader of covenants there: a Covenant with a version in force, a CovenantVersion
    published, a Clause of one (`covenant_path` "" / "covenant__" / "version__covenant__").
    Drafts, versions under review and superseded ones stay the village's; another village's
    covenants stay out. None when the user holds `perm` in no cooperative."""
    if perm not in BINDING_COVENANT_GRANTS:
        return None
    villages = villages_bound_for(user, perm)
    if not villages:
        return None
    in_village = Q(**{f"{covenant_path}division_id__in": villages})
    if covenant_path == "":
        published = apps.get_model("covenants", "CovenantVersion").objects.filter(
            covenant_id=OuterRef("pk"), status=VersionStatus.PUBLISHED
        )
        return in_village & Q(Exists(published))
    status_path = "status" if covenant_path == "covenant__" else "version__status"
    return in_village & Q(**{status_path: VersionStatus.PUBLISHED})


# What a reader of covenants at a cooperative reads of its village's covenants (the ones in force,
# which bind the cooperative's members; DESIGN.md section 3 leaves a cooperative's clerk the
# cooperative's subtree only): the covenant, its published version and that version's clauses.
BINDING_COVENANT_GRANTS = ("covenants.view_covenant", "covenants.view_covenantversion", "covenants.view_clause")


def _beyond_tree(queryset: RestrictedQuerySet, user, perm: str, covenant_path: str, granted: tuple[str, ...]):
    """The subtree-free grants of a reviewing department's members (`granted`: the permissions
    they hold over the covenants of their kinds) and of a cooperative's readers over their
    village's covenants in force (binding_covenants_condition), besides guardian's (the default)."""
    condition = RestrictedQuerySet.granted_beyond_tree(queryset, user, perm)
    extra = [binding_covenants_condition(user, perm, covenant_path)]
    if perm in granted:
        extra.append(reviewing_department_condition(user, covenant_path))
    for more in extra:
        if more is not None:
            condition = more if condition is None else condition | more
    return condition


# What a reviewing department's members hold over the covenants of their kinds in their district
# (besides nothing else: no role, no subtree): to read them and to review their versions.
DEPARTMENT_REVIEWER_GRANTS = {
    "covenant": ("covenants.view_covenant",),
    "version": ("covenants.view_covenantversion", "covenants.review_covenantversion"),
    "clause": ("covenants.view_clause",),
}


class CovenantQuerySet(RestrictedQuerySet):
    def granted_beyond_tree(self, user, perm: str) -> Q | None:
        return _beyond_tree(self, user, perm, "", DEPARTMENT_REVIEWER_GRANTS["covenant"])

    def with_version_in_force(self) -> CovenantQuerySet:
        """Each covenant with its version in force (published), null when none is: the version's
        id (`version_in_force`), number and publication day, as subqueries (one query)."""
        in_force = apps.get_model("covenants", "CovenantVersion").objects.filter(
            covenant_id=OuterRef("pk"), status=VersionStatus.PUBLISHED
        )
        return self.annotate(
            version_in_force=Subquery(in_force.values("pk")[:1]),
            version_in_force_number=Subquery(in_force.values("number")[:1]),
            version_in_force_published_on=Subquery(in_force.values("published_on")[:1]),
        )


class CovenantVersionQuerySet(RestrictedQuerySet):
    def granted_beyond_tree(self, user, perm: str) -> Q | None:
        """A reviewing department's members view and review the versions of their department's
        kinds in their district (DESIGN.md section 3), without any assignment."""
        return _beyond_tree(self, user, perm, "covenant__", DEPARTMENT_REVIEWER_GRANTS["version"])

    def awaiting_review_by(self, user) -> CovenantVersionQuerySet:
        """Versions submitted or under review that `user` may review (as a member of the
        department of the covenant's kind in its district, or in their subtree: the district
        administrator), never their own submissions: the reviewers' queue and the home count."""
        return self.restrict(user, "review").filter(status__in=AWAITING_REVIEW).exclude(submitted_by=user)


class ClauseQuerySet(RestrictedQuerySet):
    def granted_beyond_tree(self, user, perm: str) -> Q | None:
        return _beyond_tree(self, user, perm, "version__covenant__", DEPARTMENT_REVIEWER_GRANTS["clause"])


class ViolationQuerySet(RestrictedQuerySet):
    def standing(self) -> ViolationQuerySet:
        """Violations that have consequences: confirmed, and not lifted by an upheld appeal."""
        return self.filter(confirmed_on__isnull=False).exclude(appeal_upheld=True)

    def people_among(self, people: QuerySet) -> QuerySet:
        """The people of `people` (a Person queryset) who have one of these violations: one EXISTS
        subquery (those under a sanction: the sanctions list, the black list)."""
        return people.filter(Exists(self.filter(person_id=OuterRef("pk"))))

    def awaiting_confirmation_by(self, user) -> ViolationQuerySet:
        """Unconfirmed violations `user` may confirm: in their "confirm" scope and recorded by
        someone else (four eyes), the same test as services.may_confirm, as one query. The
        register's filter and the home page's count both use it."""
        return self.filter(confirmed_on__isnull=True).restrict(user, "confirm").exclude(recorded_by=user)


class RedListNominationQuerySet(RestrictedQuerySet):
    def awaiting_approval_by(self, user) -> RedListNominationQuerySet:
        """Proposed nominations `user` may approve: in their approve scope, not nominated by them
        (the same test as services.may_decide_nomination, as one query)."""
        return self.filter(status=NominationStatus.PROPOSED).restrict(user, "approve").exclude(nominated_by=user)


class AwardRunQuerySet(RestrictedQuerySet):
    def with_totals(self) -> AwardRunQuerySet:
        """Runs with their members, paid and withheld members, the total paid and the total kept
        in the fund (the withheld members' entitlements: paid + kept = fund): one GROUP BY. An
        aggregating query drops Meta.ordering: the caller says its order."""
        return self.annotate(
            members=Count("payouts"),
            paid_members=Count("payouts", filter=Q(payouts__amount_fen__gt=0)),
            withheld_members=Count("payouts", filter=Q(payouts__eligible=False)),
            paid_fen=Sum("payouts__amount_fen", default=0),
            kept_fen=Sum("payouts__entitlement_fen", filter=Q(payouts__eligible=False), default=0),
        )


class AwardPayoutQuerySet(RestrictedQuerySet):
    def lines_of(self, run) -> AwardPayoutQuerySet:
        """The run's payouts with their people, in person order (the payouts page, the API, the
        bank's sheet)."""
        return self.filter(run=run).select_related("person").order_by("person_id")
