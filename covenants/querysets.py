"""Querysets of the covenants app; all of them start from the one scoping mechanism.

What the pages, the API, the reports and the home page ask of the records (totals, the version in
force, what waits for whom) is written here once, as queryset methods.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from covenants.choices import NominationStatus, VersionStatus
from governance.access.querysets import RestrictedQuerySet

# The statuses in which a version waits for its reviewer.
AWAITING_REVIEW = (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW)


class CovenantQuerySet(RestrictedQuerySet):
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
    def awaiting_review_by(self, user) -> CovenantVersionQuerySet:
        """Versions submitted or under review that `user` may review (granted one by one, or in
        their subtree), never their own submissions: the reviewers' queue and the home count."""
        return self.restrict(user, "review").filter(status__in=AWAITING_REVIEW).exclude(submitted_by=user)


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
