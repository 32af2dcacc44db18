"""The covenants models' rules, each as a field error from clean() and, where it can be, as a
named database constraint that no path around the forms breaks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from covenants.choices import CovenantKind, Severity, VersionStatus
from covenants.models import Covenant, Violation
from covenants.testing.factories import (
    ClauseFactory,
    CovenantFactory,
    CovenantVersionFactory,
    ViolationFactory,
    published_covenant,
)
from governance.testing import world as w
from governance.testing.factories import UserFactory
from villages.testing.factories import HouseholdFactory, PersonFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def version(world):
    return published_covenant(w.VILLAGE)


def unsaved_violation(clause, person, **fields) -> Violation:
    return Violation(
        division_id=clause.version.covenant.division_id,
        person=person,
        clause=clause,
        occurred_on=D(2025, 3, 1),
        facts="事实清楚。",
        severity=Severity.MINOR,
        recorded_by=UserFactory(),
        **fields,
    )


def violated_constraint(make) -> str:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        make()
    return refused.value.__cause__.diag.constraint_name


# --- covenants ------------------------------------------------------------------------------------


def test_a_second_general_covenant_of_a_village_is_a_field_error_on_kind(version):
    second = Covenant(division=version.covenant.division, kind=CovenantKind.GENERAL, title="又一村规民约")

    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert list(refused.value.message_dict) == ["kind"]


def test_the_database_refuses_a_second_general_covenant_of_a_village(version):
    name = violated_constraint(lambda: CovenantFactory(division=version.covenant.division, kind=CovenantKind.GENERAL))

    assert name == "covenant_one_general_per_village"


def test_a_village_has_any_number_of_special_covenants_beside_its_general_one(version):
    for kind in (CovenantKind.PARKING, CovenantKind.HOMESTEAD):
        covenant = Covenant(division=version.covenant.division, kind=kind, title=kind.label)
        covenant.full_clean()
        covenant.save()

    assert Covenant.objects.filter(division_id=w.VILLAGE).count() == 3


def test_the_general_covenant_may_be_saved_again(version):
    version.covenant.full_clean()  # not "a second one": it is the same


def test_another_village_has_its_own_general_covenant(version):
    other = Covenant(division=division(w.OTHER_VILLAGE_SAME_TOWN), kind=CovenantKind.GENERAL, title="联和村规民约")

    other.full_clean()


def test_a_repeat_window_of_zero_months_is_refused_by_the_database(world):
    name = violated_constraint(lambda: CovenantFactory(division=division(w.VILLAGE), repeat_window_months=0))

    assert name == "covenant_repeat_window_positive"


# --- versions -------------------------------------------------------------------------------------


def test_the_database_keeps_one_version_of_a_covenant_in_force(version):
    name = violated_constraint(
        lambda: CovenantVersionFactory(covenant=version.covenant, number=2, status=VersionStatus.PUBLISHED)
    )

    assert name == "covenant_one_version_in_force"


def test_the_database_refuses_a_version_reviewed_by_its_submitter(version):
    user = UserFactory()

    name = violated_constraint(
        lambda: CovenantVersionFactory(
            covenant=version.covenant, number=2, status=VersionStatus.FILED, submitted_by=user, reviewed_by=user
        )
    )

    assert name == "covenant_version_four_eyes"


@pytest.mark.parametrize(
    ("status", "editable"),
    [(VersionStatus.DRAFT, True), (VersionStatus.RETURNED, True), (VersionStatus.FILED, False)],
)
def test_only_drafts_and_returned_versions_are_editable(version, status, editable):
    assert CovenantVersionFactory(covenant=version.covenant, number=5, status=status).is_editable is editable


# --- violations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [VersionStatus.DRAFT, VersionStatus.FILED, VersionStatus.SUPERSEDED])
def test_a_violation_of_a_clause_of_a_version_not_in_force_is_a_field_error_on_clause(version, status):
    other = CovenantVersionFactory(covenant=version.covenant, number=2, status=status)
    clause = ClauseFactory(version=other, number=1)

    with pytest.raises(ValidationError) as refused:
        unsaved_violation(clause, PersonFactory(division=division(w.VILLAGE))).full_clean()
    assert list(refused.value.message_dict) == ["clause"]


def test_a_violation_of_a_clause_in_force_by_a_villager_is_valid(version):
    unsaved_violation(version.clauses.get(number=1), PersonFactory(division=division(w.VILLAGE))).full_clean()


def test_a_member_of_a_cooperative_of_the_village_may_violate_its_covenant(version):
    person = PersonFactory(division=division(w.COOPERATIVE))

    unsaved_violation(version.clauses.get(number=1), person).full_clean()


@pytest.mark.parametrize(
    "code", [w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE], ids=["same town", "other town", "far"]
)
def test_a_person_registered_outside_the_covenants_village_is_a_field_error_on_person(version, code):
    person = PersonFactory(division=division(code))

    with pytest.raises(ValidationError) as refused:
        unsaved_violation(version.clauses.get(number=1), person).full_clean()
    assert list(refused.value.message_dict) == ["person"]


def test_a_violation_cannot_occur_in_the_future(version):
    violation = unsaved_violation(version.clauses.get(number=1), PersonFactory(division=division(w.VILLAGE)))
    violation.occurred_on = datetime.date.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        violation.full_clean()
    assert list(refused.value.message_dict) == ["occurred_on"]


def test_a_violation_of_a_household_clause_is_attached_to_the_persons_household(version):
    household = HouseholdFactory(division=division(w.VILLAGE))
    person = PersonFactory(division=household.division, household=household)
    violation = unsaved_violation(version.clauses.get(number=4), person)

    violation.full_clean()

    assert violation.household_id == household.pk


def test_the_database_refuses_a_violation_confirmed_by_its_recorder(version):
    user = UserFactory()

    name = violated_constraint(
        lambda: ViolationFactory(clause=version.clauses.get(number=1), recorded_by=user, confirmed_by=user)
    )

    assert name == "violation_four_eyes"


def test_the_database_refuses_a_confirmation_before_the_violation_occurred(version):
    name = violated_constraint(
        lambda: ViolationFactory(
            clause=version.clauses.get(number=1), occurred_on=D(2025, 3, 10), confirmed_on=D(2025, 3, 9)
        )
    )

    assert name == "violation_confirmed_after_it_occurred"


def test_the_database_refuses_an_appeal_decided_that_was_never_filed(version):
    name = violated_constraint(lambda: ViolationFactory(clause=version.clauses.get(number=1), appeal_upheld=True))

    assert name == "violation_appeal_decided_after_filed"


def test_a_lifted_violation_is_one_whose_appeal_was_upheld(version):
    clause = version.clauses.get(number=1)
    upheld = ViolationFactory(clause=clause, appeal_filed_on=D(2025, 3, 25), appeal_upheld=True)
    rejected = ViolationFactory(clause=clause, appeal_filed_on=D(2025, 3, 25), appeal_upheld=False)

    assert (upheld.is_lifted, rejected.is_lifted) == (True, False)
    assert upheld.is_confirmed
