"""Supervision records (supervision/models/records.py, supervision/services/records.py): the deduction a
sanction carries and when it is in force, corrections instead of changes, records the database
never lets go, who files them, the leadership posts flagged without an integrity talk, and an
audit's follow-up.

Dates are fixed in the past, so the tests pass on any day; only "not in the future" is tested
against today, with tomorrow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InternalError, transaction

from governance import clock
from governance.audit import history_of
from governance.testing import world as w
from supervision.choices import (
    DEFAULT_DEDUCTION_PERCENT,
    INTEGRITY_TALK_WINDOW_DAYS,
    SANCTION_MONTHS,
    DisciplinaryKind,
)
from supervision.models import DisciplinarySanction, IntegrityTalk
from supervision.services import records as services
from supervision.services.actions import SupervisionAction
from supervision.testing.record_factories import (
    DisciplinarySanctionFactory,
    EconomicAuditFactory,
    IntegrityTalkFactory,
)
from villages.choices import PositionKind
from villages.models import Position
from villages.testing.factories import PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = clock.today() + datetime.timedelta(days=1)


@pytest.fixture
def inspector(world):
    return world.user("inspector")


@pytest.fixture
def cadre(world):
    return PersonFactory(division=division(w.VILLAGE))


def file_warning(inspector, cadre, **extra):
    fields = {
        "kind": DisciplinaryKind.WARNING,
        "decided_on": D(2025, 1, 31),
        "decided_by": "区纪委",
        "basis": "《中国共产党纪律处分条例》第一百一十四条",
        "facts": "违规过问集体物业出租。",
        **extra,
    }
    return services.file_sanction(acting_user=inspector, person=cadre, **fields)


# --- the deduction and when it is in force -------------------------------------------------------------


def test_a_sanction_carries_its_kinds_deduction_when_the_decision_names_none(inspector, cadre):
    sanction = file_warning(inspector, cadre)

    assert sanction.deduction_percent == DEFAULT_DEDUCTION_PERCENT[DisciplinaryKind.WARNING] == 10
    assert sanction.deduction_months == SANCTION_MONTHS[DisciplinaryKind.WARNING] == 6


def test_a_sanction_keeps_the_deduction_its_decision_names(inspector, cadre):
    sanction = file_warning(inspector, cadre, deduction_percent=25, deduction_months=3)

    assert (sanction.deduction_percent, sanction.deduction_months) == (25, 3)


def test_a_sanction_is_in_force_from_its_decision_until_the_day_before_its_end(inspector, cadre):
    # Decided 31 January for 6 months: 31 July exists, so the deduction ends on 30 July inclusive.
    sanction = file_warning(inspector, cadre)

    assert sanction.ends_on == D(2025, 7, 31)
    in_force = DisciplinarySanction.objects.in_force_on
    assert not in_force(D(2025, 1, 30)).filter(pk=sanction.pk).exists()
    assert in_force(D(2025, 1, 31)).filter(pk=sanction.pk).exists()
    assert in_force(D(2025, 7, 30)).filter(pk=sanction.pk).exists()
    assert not in_force(D(2025, 7, 31)).filter(pk=sanction.pk).exists()


def test_a_months_end_the_later_month_lacks_ends_the_deduction_on_the_first_of_the_next(inspector, cadre):
    sanction = file_warning(inspector, cadre, decided_on=D(2024, 8, 31))

    assert sanction.ends_on == D(2025, 3, 1)  # 31 February does not exist
    assert sanction.in_force_on(D(2025, 2, 28))
    assert not sanction.in_force_on(D(2025, 3, 1))


def test_the_largest_deduction_in_force_applies_when_several_sanctions_are(inspector, cadre):
    other = PersonFactory(division=division(w.VILLAGE))
    file_warning(inspector, cadre, deduction_percent=10)
    file_warning(inspector, cadre, kind=DisciplinaryKind.MAJOR_DEMERIT)
    file_warning(inspector, cadre, decided_on=D(2020, 1, 1), deduction_percent=90)  # long over

    assert DisciplinarySanction.objects.deduction_percent_by_person([cadre.pk, other.pk], D(2025, 3, 1)) == {
        cadre.pk: 30
    }


# --- corrections, never changes ---------------------------------------------------------------------


def test_a_correction_is_a_new_record_and_only_the_correction_is_in_force(inspector, cadre):
    wrong = file_warning(inspector, cadre, deduction_percent=50)

    right = file_warning(inspector, cadre, deduction_percent=20, corrects=wrong, correction_reason="决定书载明 20%。")

    wrong.refresh_from_db()
    assert wrong.deduction_percent == 50, "the corrected record stays as it was"
    assert not wrong.is_standing and right.is_standing
    assert list(DisciplinarySanction.objects.in_force_on(D(2025, 3, 1))) == [right]
    assert DisciplinarySanction.objects.deduction_percent_by_person([cadre.pk], D(2025, 3, 1)) == {cadre.pk: 20}


def test_a_correction_says_why(inspector, cadre):
    wrong = file_warning(inspector, cadre)

    with pytest.raises(ValidationError) as refused:
        file_warning(inspector, cadre, corrects=wrong, correction_reason=" ")

    assert "correction_reason" in refused.value.message_dict


def test_a_record_already_corrected_is_not_corrected_again_the_latest_is(inspector, cadre):
    wrong = file_warning(inspector, cadre)
    file_warning(inspector, cadre, corrects=wrong, correction_reason="更正比例。")

    with pytest.raises(ValidationError) as refused:
        file_warning(inspector, cadre, corrects=wrong, correction_reason="再次更正。")

    assert "corrects" in refused.value.message_dict


def test_a_correction_corrects_a_record_of_its_own_kind(inspector, cadre):
    talk = IntegrityTalkFactory(person=cadre, division=cadre.division)

    with pytest.raises(ValidationError) as refused:
        file_warning(inspector, cadre, corrects=talk, correction_reason="更正。")

    assert "corrects" in refused.value.message_dict


@pytest.mark.parametrize(
    "make",
    [DisciplinarySanctionFactory, IntegrityTalkFactory, EconomicAuditFactory],
    ids=["sanction", "talk", "audit"],
)
def test_the_database_refuses_to_delete_a_record(world, make):
    record = make()

    with pytest.raises(InternalError), transaction.atomic():
        type(record).objects.filter(pk=record.pk).delete()

    assert type(record).objects.filter(pk=record.pk).exists()


# --- who files --------------------------------------------------------------------------------------


def test_an_inspector_files_a_sanction_in_their_jurisdiction_under_the_audit_context(inspector, cadre):
    sanction = file_warning(inspector, cadre)

    assert sanction.division_id == w.VILLAGE and sanction.recorded_by == inspector
    event = history_of(sanction).get(pgh_label="insert")
    assert event.pgh_context["action"] == SupervisionAction.FILE_SANCTION
    assert event.pgh_context["user"] == inspector.pk


def test_nobody_files_a_sanction_outside_their_jurisdiction(inspector):
    far = PersonFactory(division=division(w.FAR_VILLAGE))

    with pytest.raises(PermissionDenied):
        file_warning(inspector, far)

    assert not DisciplinarySanction.objects.exists()


@pytest.mark.parametrize("role", ["town_official", "village_clerk", "coop_clerk", "report_reader"])
def test_only_inspectors_and_the_district_file_sanctions(world, cadre, role):
    with pytest.raises(PermissionDenied):
        file_warning(world.user(role), cadre)


def test_a_town_official_files_an_integrity_talk_in_their_town(world, cadre):
    talk = services.file_integrity_talk(
        acting_user=world.user("town_official"),
        person=cadre,
        held_on=D(2021, 2, 1),
        talked_by="镇纪委书记",
        summary="谈话。",
    )

    assert talk.division_id == w.VILLAGE


def test_a_record_lies_in_the_position_it_is_about(inspector):
    head = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)

    sanction = file_warning(inspector, head.person, position=head)

    assert sanction.division_id == w.COOPERATIVE


def test_a_position_of_someone_else_is_refused(inspector, cadre):
    head = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)

    with pytest.raises(ValidationError) as refused:
        file_warning(inspector, cadre, position=head)

    assert "position" in refused.value.message_dict


def test_a_sanction_decided_tomorrow_is_refused(inspector, cadre):
    with pytest.raises(ValidationError) as refused:
        file_warning(inspector, cadre, decided_on=TOMORROW)

    assert "decided_on" in refused.value.message_dict


def test_a_negative_list_item_is_issued_by_a_district_or_town_with_its_basis(inspector):
    item = services.add_negative_item(
        acting_user=inspector,
        division=division(w.DISTRICT),
        number=1,
        text="不得违规插手工程招投标。",
        basis="《中国共产党纪律处分条例》",
        valid_from=D(2023, 1, 1),
    )
    assert item.division_id == w.DISTRICT

    with pytest.raises(ValidationError) as refused:
        services.add_negative_item(
            acting_user=inspector, division=division(w.VILLAGE), number=1, text="x", basis="y", valid_from=D(2023, 1, 1)
        )
    assert "division" in refused.value.message_dict


# --- leadership posts without an integrity talk ---------------------------------------------------------


STARTED = D(2021, 3, 1)


def secretary(started_on=STARTED):
    return PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY, started_on=started_on)


def flagged() -> set[int]:
    return set(IntegrityTalk.objects.posts_without_talk(Position.objects.all()).values_list("pk", flat=True))


def test_a_leadership_post_recorded_without_a_talk_is_flagged(world):
    post = secretary()

    assert flagged() == {post.pk}


def test_a_talk_held_before_the_post_started_clears_the_flag(world):
    post = secretary()
    IntegrityTalkFactory(person=post.person, division=post.division, held_on=D(2021, 2, 20))

    assert flagged() == set()
    assert IntegrityTalk.objects.flag_positions(Position.objects.filter(pk=post.pk)).get().has_integrity_talk


def test_a_talk_on_the_day_the_post_starts_counts_and_one_a_day_later_does_not(world):
    on_the_day = secretary(D(2021, 3, 1))
    IntegrityTalkFactory(person=on_the_day.person, division=on_the_day.division, held_on=D(2021, 3, 1))
    late = PositionFactory(division=division(w.COOPERATIVE), kind=PositionKind.COOPERATIVE_HEAD)
    IntegrityTalkFactory(
        person=late.person, division=late.division, held_on=late.started_on + datetime.timedelta(days=1)
    )

    assert flagged() == {late.pk}


def test_a_talk_from_before_the_window_does_not_count(world):
    post = secretary()
    too_early = post.started_on - datetime.timedelta(days=INTEGRITY_TALK_WINDOW_DAYS + 1)
    IntegrityTalkFactory(person=post.person, division=post.division, held_on=too_early)

    assert flagged() == {post.pk}


def test_a_corrected_talk_counts_by_its_correction(world):
    post = secretary()
    wrong = IntegrityTalkFactory(person=post.person, division=post.division, held_on=D(2021, 2, 20))
    IntegrityTalkFactory(
        person=post.person,
        division=post.division,
        held_on=D(2021, 3, 5),
        corrects=wrong,
        correction_reason="日期有误。",
    )

    assert flagged() == {post.pk}


def test_posts_that_are_not_leadership_posts_are_never_flagged(world):
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)

    assert flagged() == set()


# --- an audit's follow-up ---------------------------------------------------------------------------


def test_an_audits_follow_up_is_recorded_once(inspector):
    audit = EconomicAuditFactory()

    services.record_audit_follow_up(audit, acting_user=inspector, done_on=D(2024, 6, 1), result="已追缴。")

    audit.refresh_from_db()
    assert audit.follow_up_done_on == D(2024, 6, 1) and not audit.follow_up_open
    with pytest.raises(ValidationError):
        services.record_audit_follow_up(audit, acting_user=inspector, done_on=D(2024, 7, 1), result="再次。")


def test_a_follow_up_before_the_audit_reported_is_refused(inspector):
    audit = EconomicAuditFactory()

    with pytest.raises(ValidationError) as refused:
        services.record_audit_follow_up(audit, acting_user=inspector, done_on=D(2024, 2, 1), result="已追缴。")

    assert "done_on" in refused.value.message_dict


def test_a_town_official_does_not_record_an_audits_follow_up(world):
    audit = EconomicAuditFactory()

    with pytest.raises(PermissionDenied):
        services.record_audit_follow_up(
            audit, acting_user=world.user("town_official"), done_on=D(2024, 6, 1), result="已追缴。"
        )


def test_an_audit_reported_before_its_period_ends_is_refused(inspector, cadre):
    with pytest.raises(ValidationError) as refused:
        services.file_economic_audit(
            acting_user=inspector,
            person=cadre,
            kind="in_office",
            period_from=D(2023, 1, 1),
            period_to=D(2024, 12, 31),
            reported_on=D(2024, 6, 1),
            auditor="审计中心",
            findings="无。",
        )

    assert "reported_on" in refused.value.message_dict


# --- the demo ---------------------------------------------------------------------------------------


def test_the_demo_flags_one_member_keeps_a_corrected_sanction_and_leaves_one_follow_up_open(world):
    from supervision.demo.records import DEMO_NEGATIVE_ITEMS, load_demo_records
    from supervision.models import ConductNegativeItem, EconomicAudit
    from villages.demo.plan import DEMO_VILLAGE_CODE

    village = division(DEMO_VILLAGE_CODE)
    # The demo takes the village's leadership posts by kind: the director's comes first.
    first = PositionFactory(division=village, kind=PositionKind.COMMITTEE_DIRECTOR, started_on=D(2021, 3, 1))
    last = PositionFactory(division=village, kind=PositionKind.PARTY_SECRETARY, started_on=D(2021, 3, 1))
    # Every new post gets its talk but the first member of the two committees.
    members = [
        PositionFactory(division=village, kind=PositionKind.COMMITTEE_MEMBER, started_on=D(2021, 3, 1))
        for _ in range(2)
    ]

    summary = load_demo_records()

    assert "负面清单 5 项" in summary
    assert ConductNegativeItem.objects.count() == len(DEMO_NEGATIVE_ITEMS)
    assert flagged() == {members[0].pk}
    assert first.pk not in flagged()
    corrected = DisciplinarySanction.objects.filter(corrected_by__isnull=False).get()
    assert corrected.person == last.person and corrected.deduction_percent == 50
    assert DisciplinarySanction.objects.deduction_percent_by_person([last.person_id], D(2026, 6, 1)) == {
        last.person_id: 20
    }
    assert [audit.follow_up_open for audit in EconomicAudit.objects.order_by("reported_on")] == [False, True]
