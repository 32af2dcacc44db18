"""The covenants workflow (covenants.services): recording, confirming with four eyes, appeals,
rectification, referral, the review and filing of a version, and the logged eligibility question.

Dates are fixed in the past, so the tests pass on any day; only the rule "not in the future" is
tested against today, with tomorrow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from covenants import services
from covenants.choices import CovenantKind, EligibilityAction, Severity, VersionStatus
from covenants.models import CovenantVersion, EligibilityQuery, Violation
from covenants.services import CovenantsAction
from covenants.testing.factories import (
    ClauseFactory,
    CovenantFactory,
    CovenantVersionFactory,
    ViolationFactory,
    published_covenant,
)
from governance.audit import history_of
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign, join_department
from villages.testing.factories import PersonFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date
OCCURRED = D(2025, 3, 1)
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


@pytest.fixture
def clause(world):
    return published_covenant(w.VILLAGE).clauses.get(number=1)


@pytest.fixture
def person(world):
    return PersonFactory(division=division(w.VILLAGE))


@pytest.fixture
def clerk(world):
    return world.user("village_clerk")


@pytest.fixture
def second_clerk(world):
    """Another clerk of the same village: the second pair of eyes inside the village."""
    user = UserFactory(username="second_clerk")
    assign(user, w.VILLAGE, "village_clerk")
    return user


@pytest.fixture
def official(world):
    return world.user("town_official")


@pytest.fixture
def recorded(clerk, person, clause):
    return services.record_violation(
        acting_user=clerk, person=person, clause=clause, occurred_on=OCCURRED, facts="侵占集体鱼塘堤岸。"
    )


@pytest.fixture
def confirmed(recorded, official):
    return services.confirm_violation(
        recorded, acting_user=official, confirmed_on=D(2025, 3, 10), severity=Severity.SERIOUS
    )


@pytest.fixture
def earlier(person, clause):
    """An earlier confirmed violation of the same clause by the person: the confirmed one repeats
    it (屡教不改) and so bars; alone, however serious, it would bar nothing."""
    return ViolationFactory(clause=clause, person=person, occurred_on=D(2024, 12, 1), confirmed_on=D(2024, 12, 10))


@pytest.fixture
def appealed(confirmed, clerk):
    return services.file_appeal(confirmed, acting_user=clerk, filed_on=D(2025, 3, 15), reason="事实有误。")


def field_of(error: ValidationError) -> list[str]:
    return list(error.value.message_dict)


# --- recording and confirming ---------------------------------------------------------------------


def test_a_clerk_records_a_violation_in_the_village_of_the_covenant(recorded, clerk, person):
    assert (recorded.division_id, recorded.person, recorded.recorded_by) == (w.VILLAGE, person, clerk)
    assert not recorded.is_confirmed


def test_a_cooperative_clerk_may_not_record_a_violation(world, person, clause):
    with pytest.raises(PermissionDenied):
        services.record_violation(
            acting_user=world.user("coop_clerk"), person=person, clause=clause, occurred_on=OCCURRED, facts="…"
        )
    assert not Violation.objects.exists()


def test_a_violation_cannot_be_recorded_as_occurring_tomorrow(clerk, person, clause):
    with pytest.raises(ValidationError) as refused:
        services.record_violation(acting_user=clerk, person=person, clause=clause, occurred_on=TOMORROW, facts="…")
    assert field_of(refused) == ["occurred_on"]


def test_the_recorder_cannot_confirm_their_own_violation(recorded, clerk):
    with pytest.raises(PermissionDenied):
        services.confirm_violation(recorded, acting_user=clerk, confirmed_on=D(2025, 3, 10))
    recorded.refresh_from_db()
    assert recorded.confirmed_on is None


def test_another_clerk_of_the_village_confirms_it(recorded, second_clerk):
    services.confirm_violation(recorded, acting_user=second_clerk, confirmed_on=D(2025, 3, 10))

    recorded.refresh_from_db()
    assert (recorded.confirmed_on, recorded.confirmed_by) == (D(2025, 3, 10), second_clerk)
    assert recorded.severity == Severity.MINOR


def test_a_town_official_confirms_it_as_serious(confirmed, official):
    confirmed.refresh_from_db()
    assert (confirmed.confirmed_by, confirmed.severity) == (official, Severity.SERIOUS)


def test_a_clerk_of_another_village_may_not_confirm(recorded, world):
    outsider = UserFactory(username="clerk_elsewhere")
    assign(outsider, w.OTHER_VILLAGE_SAME_TOWN, "village_clerk")

    with pytest.raises(PermissionDenied):
        services.confirm_violation(recorded, acting_user=outsider, confirmed_on=D(2025, 3, 10))


@pytest.mark.parametrize(
    "confirmed_on", [OCCURRED - datetime.timedelta(days=1), TOMORROW], ids=["before it occurred", "tomorrow"]
)
def test_a_confirmation_dated_before_the_violation_or_in_the_future_is_refused(recorded, official, confirmed_on):
    with pytest.raises(ValidationError) as refused:
        services.confirm_violation(recorded, acting_user=official, confirmed_on=confirmed_on)
    assert field_of(refused) == ["confirmed_on"]


def test_a_confirmation_on_the_day_it_occurred_is_accepted(recorded, official):
    services.confirm_violation(recorded, acting_user=official, confirmed_on=OCCURRED)

    recorded.refresh_from_db()
    assert recorded.confirmed_on == OCCURRED


def test_a_violation_cannot_be_confirmed_twice(confirmed, second_clerk):
    with pytest.raises(ValidationError) as refused:
        services.confirm_violation(confirmed, acting_user=second_clerk, confirmed_on=D(2025, 4, 1))
    assert field_of(refused) == ["confirmed_on"]
    confirmed.refresh_from_db()
    assert confirmed.confirmed_on == D(2025, 3, 10)


def test_a_confirmation_with_an_unknown_severity_is_a_field_error(recorded, official):
    with pytest.raises(ValidationError) as refused:
        services.confirm_violation(recorded, acting_user=official, confirmed_on=D(2025, 3, 10), severity="grave")
    assert field_of(refused) == ["severity"]
    recorded.refresh_from_db()
    assert recorded.confirmed_on is None


# --- appeals ----------------------------------------------------------------------------------------


def test_an_appeal_before_confirmation_is_refused(recorded, clerk):
    with pytest.raises(ValidationError) as refused:
        services.file_appeal(recorded, acting_user=clerk, filed_on=D(2025, 3, 15), reason="…")
    assert field_of(refused) == ["filed_on"]


def test_an_appeal_cannot_be_filed_twice(appealed, clerk):
    with pytest.raises(ValidationError):
        services.file_appeal(appealed, acting_user=clerk, filed_on=D(2025, 3, 16), reason="…")


def test_a_village_clerk_may_not_decide_an_appeal(appealed, clerk, second_clerk):
    for user in (clerk, second_clerk):
        with pytest.raises(PermissionDenied):
            services.decide_appeal(appealed, acting_user=user, upheld=True, decided_on=D(2025, 4, 1))
    appealed.refresh_from_db()
    assert appealed.appeal_upheld is None


def test_the_town_official_upholds_an_appeal_and_the_bars_are_lifted(earlier, appealed, official, person):
    ELECTION = EligibilityAction.ELECTION
    from covenants.services import sanctions

    assert not sanctions.eligibility(person.pk, ELECTION, D(2025, 6, 1)).eligible

    services.decide_appeal(appealed, acting_user=official, upheld=True, decided_on=D(2025, 4, 1))

    appealed.refresh_from_db()
    assert (appealed.appeal_upheld, appealed.appeal_decided_by) == (True, official)
    assert sanctions.eligibility(person.pk, ELECTION, D(2025, 6, 1)).eligible


def test_a_rejected_appeal_leaves_the_bars(earlier, appealed, official, person):
    from covenants.services import sanctions

    services.decide_appeal(appealed, acting_user=official, upheld=False, decided_on=D(2025, 4, 1))

    assert not sanctions.eligibility(person.pk, EligibilityAction.ELECTION, D(2025, 6, 1)).eligible


def test_an_appeal_cannot_be_decided_twice_nor_before_it_was_filed(appealed, official):
    with pytest.raises(ValidationError) as early:
        services.decide_appeal(appealed, acting_user=official, upheld=True, decided_on=D(2025, 3, 14))
    services.decide_appeal(appealed, acting_user=official, upheld=False, decided_on=D(2025, 4, 1))
    with pytest.raises(ValidationError) as twice:
        services.decide_appeal(appealed, acting_user=official, upheld=True, decided_on=D(2025, 4, 2))

    assert field_of(early) == ["decided_on"]
    assert field_of(twice) == ["upheld"]


# --- rectification and referral ----------------------------------------------------------------------


def test_rectification_is_recorded_once_and_not_before_the_violation(confirmed, clerk):
    with pytest.raises(ValidationError) as early:
        services.mark_rectified(confirmed, acting_user=clerk, rectified_on=OCCURRED - datetime.timedelta(days=1))
    services.mark_rectified(confirmed, acting_user=clerk, rectified_on=D(2025, 4, 1))
    with pytest.raises(ValidationError) as twice:
        services.mark_rectified(confirmed, acting_user=clerk, rectified_on=D(2025, 4, 2))

    confirmed.refresh_from_db()
    assert confirmed.rectified_on == D(2025, 4, 1)
    assert field_of(early) == field_of(twice) == ["rectified_on"]


def test_only_a_confirmed_serious_violation_is_referred(recorded, official, clerk, second_clerk):
    with pytest.raises(ValidationError):  # not confirmed
        services.refer_violation(recorded, acting_user=clerk, department="区城管局", referred_on=D(2025, 3, 20))
    services.confirm_violation(recorded, acting_user=second_clerk, confirmed_on=D(2025, 3, 10))
    with pytest.raises(ValidationError) as minor:  # confirmed, but minor
        services.refer_violation(recorded, acting_user=clerk, department="区城管局", referred_on=D(2025, 3, 20))

    assert field_of(minor) == ["department"]


def test_a_confirmed_serious_violation_is_referred_to_a_department(confirmed, clerk):
    services.refer_violation(confirmed, acting_user=clerk, department="区城管局", referred_on=D(2025, 3, 20))

    confirmed.refresh_from_db()
    assert (confirmed.referred_to, confirmed.referred_on) == ("区城管局", D(2025, 3, 20))


@pytest.mark.parametrize("referred_on", [D(2025, 3, 9), TOMORROW], ids=["before confirmation", "tomorrow"])
def test_a_referral_dated_before_confirmation_or_in_the_future_is_refused(confirmed, clerk, referred_on):
    with pytest.raises(ValidationError) as refused:
        services.refer_violation(confirmed, acting_user=clerk, department="区城管局", referred_on=referred_on)
    assert field_of(refused) == ["referred_on"]


# --- the version's review, filing and publication -------------------------------------------------


@pytest.fixture
def in_force(world):
    return published_covenant(w.VILLAGE)


@pytest.fixture
def draft(in_force):
    version = CovenantVersionFactory(
        covenant=in_force.covenant, number=2, status=VersionStatus.DRAFT, adopted_on=D(2025, 4, 1), published_on=None
    )
    ClauseFactory(version=version, number=1, text="不得侵占集体资产。")
    return version


MOVED_ON = D(2025, 5, 1)


def move(version, user, to, on=MOVED_ON):
    return services.move_version(version, acting_user=user, to=to, on=on)


def test_a_version_goes_from_draft_to_published_and_supersedes_the_one_in_force(world, draft, in_force, clerk):
    admin = world.user("district_admin")

    move(draft, clerk, VersionStatus.SUBMITTED)
    move(draft, admin, VersionStatus.UNDER_REVIEW)
    move(draft, admin, VersionStatus.FILED, on=D(2025, 5, 10))
    move(draft, clerk, VersionStatus.PUBLISHED, on=D(2025, 5, 20))

    draft.refresh_from_db()
    in_force.refresh_from_db()
    assert (draft.status, draft.submitted_by, draft.reviewed_by) == (VersionStatus.PUBLISHED, clerk, admin)
    assert (draft.filed_on, draft.published_on) == (D(2025, 5, 10), D(2025, 5, 20))
    assert (in_force.status, in_force.superseded_on) == (VersionStatus.SUPERSEDED, D(2025, 5, 20))
    assert list(
        CovenantVersion.objects.filter(covenant=draft.covenant, status=VersionStatus.PUBLISHED).values_list(
            "number", flat=True
        )
    ) == [2]


def test_a_returned_version_is_submitted_again(world, draft, clerk):
    admin = world.user("district_admin")
    move(draft, clerk, VersionStatus.SUBMITTED)
    services.move_version(
        draft, acting_user=admin, to=VersionStatus.RETURNED, on=D(2025, 5, 2), comment="第1条照搬法律。"
    )
    move(draft, clerk, VersionStatus.SUBMITTED)

    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED and draft.review_comment == "第1条照搬法律。"


def test_the_submitter_cannot_review_their_own_version(world, draft):
    admin = world.user("district_admin")  # may both change and review
    move(draft, admin, VersionStatus.SUBMITTED)

    with pytest.raises(PermissionDenied):
        move(draft, admin, VersionStatus.UNDER_REVIEW)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED


def test_a_town_official_without_the_review_right_cannot_review(draft, clerk, official):
    move(draft, clerk, VersionStatus.SUBMITTED)

    with pytest.raises(PermissionDenied):
        move(draft, official, VersionStatus.UNDER_REVIEW)


def test_the_civil_affairs_bureaus_member_reviews_a_general_covenant_without_any_assignment(world, draft, clerk):
    reviewer = UserFactory(username="civil_affairs_reviewer")
    join_department(reviewer, w.DISTRICT, "civil_affairs")
    move(draft, clerk, VersionStatus.SUBMITTED)

    move(draft, reviewer, VersionStatus.UNDER_REVIEW)
    move(draft, reviewer, VersionStatus.FILED)

    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by) == (VersionStatus.FILED, reviewer)


def test_the_civil_affairs_bureaus_member_cannot_review_a_special_covenant_of_another_department(world, draft, clerk):
    other = CovenantVersionFactory(
        covenant=CovenantFactory(division=division(w.VILLAGE), kind=CovenantKind.PARKING, title="停车管理专项公约"),
        number=1,
        status=VersionStatus.DRAFT,
    )
    ClauseFactory(version=other, number=1)
    reviewer = UserFactory(username="civil_affairs_reviewer")
    join_department(reviewer, w.DISTRICT, "civil_affairs")
    move(other, clerk, VersionStatus.SUBMITTED)

    with pytest.raises(PermissionDenied):
        move(other, reviewer, VersionStatus.UNDER_REVIEW)


@pytest.mark.parametrize(
    "to", [VersionStatus.FILED, VersionStatus.PUBLISHED, VersionStatus.UNDER_REVIEW, "emperor"], ids=str
)
def test_an_out_of_order_transition_is_a_field_error_on_status(world, draft, to):
    with pytest.raises(ValidationError) as refused:
        move(draft, world.user("district_admin"), to)
    assert field_of(refused) == ["status"]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_version_without_clauses_cannot_be_submitted(in_force, clerk):
    empty = CovenantVersionFactory(covenant=in_force.covenant, number=2, status=VersionStatus.DRAFT)

    with pytest.raises(ValidationError) as refused:
        move(empty, clerk, VersionStatus.SUBMITTED)
    assert field_of(refused) == ["status"]


def test_only_one_version_of_a_covenant_is_ever_in_force(world, draft, clerk):
    admin = world.user("district_admin")
    for to in (VersionStatus.SUBMITTED, VersionStatus.UNDER_REVIEW, VersionStatus.FILED, VersionStatus.PUBLISHED):
        move(draft, clerk if to in (VersionStatus.SUBMITTED, VersionStatus.PUBLISHED) else admin, to)

    assert CovenantVersion.objects.filter(covenant=draft.covenant, status=VersionStatus.PUBLISHED).count() == 1


# --- the eligibility question ----------------------------------------------------------------------


def test_a_confirmed_serious_single_violation_bars_nothing(confirmed, person):
    from covenants.services import sanctions

    for action in (EligibilityAction.ELECTION, EligibilityAction.ASSET_BIDDING, EligibilityAction.NOMINATION):
        assert sanctions.eligibility(person.pk, action, D(2025, 6, 1)).eligible


def test_asking_for_eligibility_logs_the_question_with_its_answer(earlier, confirmed, person, official):
    answer = services.ask_eligibility(
        person, acting_user=official, action=EligibilityAction.ASSET_BIDDING, on=D(2025, 6, 1)
    )

    (logged,) = EligibilityQuery.objects.all()
    assert not answer.eligible and answer.eligible_from == D(2028, 3, 10)
    assert (logged.asked_by, logged.person, logged.action, logged.on) == (
        official,
        person,
        EligibilityAction.ASSET_BIDDING,
        D(2025, 6, 1),
    )
    assert (logged.eligible, logged.eligible_from) == (False, D(2028, 3, 10))


def test_an_eligible_answer_is_logged_too(person, official):
    services.ask_eligibility(person, acting_user=official, action=EligibilityAction.ELECTION, on=D(2025, 6, 1))

    assert EligibilityQuery.objects.get().eligible is True


# --- the audit trail -------------------------------------------------------------------------------


def contexts_of(obj) -> list[tuple[str, int, str]]:
    events = [(e.pgh_label, e.pgh_context or {}) for e in history_of(obj)]
    return [(label, context.get("user"), context.get("action")) for label, context in events]


def test_each_workflow_action_is_named_in_the_audit_trail_with_its_acting_user(appealed, clerk, official, person):
    services.decide_appeal(appealed, acting_user=official, upheld=False, decided_on=D(2025, 4, 1))
    services.mark_rectified(appealed, acting_user=clerk, rectified_on=D(2025, 4, 5))
    services.refer_violation(appealed, acting_user=clerk, department="区城管局", referred_on=D(2025, 4, 6))
    services.ask_eligibility(person, acting_user=official, action=EligibilityAction.ELECTION, on=D(2025, 6, 1))

    trail = contexts_of(appealed)

    assert ("insert", clerk.pk, CovenantsAction.RECORD_VIOLATION) in trail
    for user, action in [
        (official, CovenantsAction.CONFIRM_VIOLATION),
        (clerk, CovenantsAction.FILE_APPEAL),
        (official, CovenantsAction.DECIDE_APPEAL),
        (clerk, CovenantsAction.RECTIFY_VIOLATION),
        (clerk, CovenantsAction.REFER_VIOLATION),
    ]:
        assert ("update", user.pk, action.value) in trail
    assert ("insert", official.pk, CovenantsAction.ASK_ELIGIBILITY.value) in contexts_of(EligibilityQuery.objects.get())


def test_moving_a_version_is_named_in_the_audit_trail(draft, clerk):
    move(draft, clerk, VersionStatus.SUBMITTED)

    assert ("update", clerk.pk, CovenantsAction.MOVE_VERSION.value) in contexts_of(draft)


def test_a_refused_action_writes_nothing_to_the_audit_trail(recorded, clerk):
    before = len(contexts_of(recorded))
    with pytest.raises(PermissionDenied):
        services.confirm_violation(recorded, acting_user=clerk, confirmed_on=D(2025, 3, 10))

    assert len(contexts_of(recorded)) == before


def test_the_factorys_violation_is_confirmed_by_someone_else_than_its_recorder(clause):
    violation = ViolationFactory(clause=clause)

    assert violation.confirmed_by_id != violation.recorded_by_id


@pytest.mark.parametrize("role", ["district_admin", "town_official", "village_clerk", "coop_clerk", "inspector"])
def test_the_list_of_violations_awaiting_a_users_confirmation_agrees_with_may_confirm(world, role, clause, clerk):
    people = [PersonFactory(division=division(w.VILLAGE)) for _ in range(3)]
    by_clerk = services.record_violation(
        acting_user=clerk, person=people[0], clause=clause, occurred_on=OCCURRED, facts="甲"
    )
    by_admin = services.record_violation(
        acting_user=world.user("district_admin"), person=people[1], clause=clause, occurred_on=OCCURRED, facts="乙"
    )
    confirmed = services.record_violation(
        acting_user=clerk, person=people[2], clause=clause, occurred_on=OCCURRED, facts="丙"
    )
    services.confirm_violation(confirmed, acting_user=world.user("town_official"), confirmed_on=OCCURRED)
    user = world.user(role)
    violations = Violation.objects.filter(pk__in=[by_clerk.pk, by_admin.pk, confirmed.pk])

    listed = set(Violation.objects.awaiting_confirmation_by(user).values_list("pk", flat=True))

    assert listed == {v.pk for v in violations if services.may_confirm(user, v)}
    assert confirmed.pk not in listed
