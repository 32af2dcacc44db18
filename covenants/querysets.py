"""Querysets of the covenants app; all of them start from the one scoping mechanism.

What the pages, the API, the reports and the home page ask of the records (totals, the version in
force, what waits for whom) is written here once, as queryset methods.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from covenants.choices import REVIEWING_DEPARTMENT, NominationStatus, VersionStatus
from governance.access.querysets import RestrictedQuerySet, departments_of

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


def _beyond_tree(queryset: RestrictedQuerySet, user, perm: str, covenant_path: str, granted: tuple[str, ...]):
    """The subtree-free grants of a reviewing department's members (`granted`: the permissions
    they hold over the covenants of their kinds), besides guardian's (the default)."""
    condition = RestrictedQuerySet.granted_beyond_tree(queryset, user, perm)
    if perm in granted:
        department = reviewing_department_condition(user, covenant_path)
        if department is not None:
            condition = department if condition is None else condition | department
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
