"""The red and black lists (红黑榜): the derivation at the period's boundaries, the nomination
services (four eyes, scope, the audit action), masking on every output (API, the clerk's page, the
printed notice, the public page), the access matrices of the endpoints and pages with the
outsider and the anonymous visitor, the home page's count, and pinned query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from covenants import services
from covenants.choices import NominationStatus, SanctionKind, Severity, Tier
from covenants.models import RedListNomination
from covenants.services import CovenantsAction
from covenants.services.honour_lists import black_list, honour_lists, honour_period_of, red_list
from covenants.testing.factories import (
    RedListNominationFactory,
    ViolationFactory,
    published_covenant,
    repeat_violations,
)
from governance.audit import history_of
from governance.periods import Period
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, APIViewTestCases, client_as, in_jurisdiction, results_of
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from tests.covenants.test_api import VILLAGE_LEVEL_CALLERS, VILLAGE_PLACES, VillageLevelRecords
from villages.testing.factories import PersonFactory, division

D = datetime.date
Y2025 = Period.parse("2025")
AFTER = D(2030, 1, 1)  # a "today" long after 2025: the period's counting day is its last day

LIST_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
NOMINATORS = {"district_admin", "village_clerk"}
APPROVERS = {"district_admin", "town_official", "village_clerk"}

# Pages: a nomination lies in a village; the cooperative clerk's places are their cooperative
# (whose village they do not see) and the next one, so they see nothing of the lists.
PAGE_PLACES = {role: (w.VILLAGE, w.JUST_OUTSIDE[role]) for role in w.ROLE_HOME}
PAGE_PLACES["coop_clerk"] = (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE)


def clause(code: str = w.VILLAGE, number: int = 1):
    from covenants.models import Clause

    found = Clause.objects.filter(version__covenant__division_id=code, number=number).first()
    return found or published_covenant(code).clauses.get(number=number)


def parking_clause():
    """Clause 3 (vehicle access restricted until rectified), made to withhold no award, so that
    the restriction is the one sanction it brings."""
    found = clause(number=3)
    found.withholds_award = False
    found.save()
    return found


def person_of(code: str = w.VILLAGE, name: str | None = None):
    return PersonFactory(division=division(code), **({"name": name} if name else {}))


CONFIRMED = D(2025, 6, 10)


def serious(person, *, confirmed_on=CONFIRMED, occurred_on=None, code=w.VILLAGE):
    """A serious violation of clause 1 by the person: on the black list (the award withheld, the
    referral until rectified), barred from nothing (a single violation never bars)."""
    return ViolationFactory(
        clause=clause(code),
        person=person,
        severity=Severity.SERIOUS,
        occurred_on=occurred_on or confirmed_on - datetime.timedelta(days=5),
        confirmed_on=confirmed_on,
    )


def nomination(code: str = w.VILLAGE, **fields):
    code = code[:12]
    return RedListNominationFactory(division=division(code), person=person_of(code), **fields)


# --- 1. The derivation -----------------------------------------------------------------------------


def test_a_violation_confirmed_on_the_periods_last_day_puts_its_person_on_the_black_list(db):
    person = person_of()
    serious(person, confirmed_on=D(2025, 12, 31))

    assert [entry.person_id for entry in black_list(w.VILLAGE, Y2025, AFTER)] == [person.pk]


def test_a_violation_confirmed_the_day_after_the_period_is_not_on_its_black_list(db):
    serious(person_of(), confirmed_on=D(2026, 1, 1), occurred_on=D(2025, 12, 20))

    assert black_list(w.VILLAGE, Y2025, AFTER) == []


def test_a_sanction_that_ends_on_the_periods_last_day_is_off_the_list_and_one_ending_a_day_later_on_it(db):
    """A vehicle restriction runs until rectified: rectified on 31 December, the person is free
    that day (the sanction's end is exclusive); rectified on 1 January, still restricted."""
    freed, held = person_of(), person_of()
    for person, rectified_on in ((freed, D(2025, 12, 31)), (held, D(2026, 1, 1))):
        ViolationFactory(
            clause=parking_clause(),
            person=person,
            occurred_on=D(2025, 11, 1),
            confirmed_on=D(2025, 11, 5),
            rectified_on=rectified_on,
        )

    entries = black_list(w.VILLAGE, Period.parse("2025-Q4"), AFTER)

    assert [entry.person_id for entry in entries] == [held.pk]
    assert [s.kind for s in entries[0].sanctions] == [SanctionKind.VEHICLE_ACCESS_RESTRICTION]


def test_a_sanction_that_ended_during_the_period_leaves_its_person_off_that_periods_list(db):
    """The last day counts, not any day: who put it right before the board is posted is not on it."""
    ViolationFactory(
        clause=parking_clause(),
        person=person_of(),
        occurred_on=D(2025, 2, 1),
        confirmed_on=D(2025, 2, 5),
        rectified_on=D(2025, 3, 1),
    )

    assert black_list(w.VILLAGE, Period.parse("2025-Q1"), AFTER) == []


def test_the_award_withheld_for_a_year_lists_its_person_that_year_and_not_the_next(db):
    person = person_of()
    ViolationFactory(clause=clause(number=2), person=person, occurred_on=D(2025, 3, 1), confirmed_on=D(2025, 3, 2))

    assert [e.person_id for e in black_list(w.VILLAGE, Y2025, AFTER)] == [person.pk]
    assert black_list(w.VILLAGE, Period.parse("2026-Q1"), AFTER) == []


def test_while_the_period_runs_the_black_list_is_counted_on_the_day_asked(db):
    person = person_of()
    serious(person, confirmed_on=D(2025, 6, 10))
    period = Period.parse("2025")

    assert black_list(w.VILLAGE, period, D(2025, 6, 9)) == []
    assert [e.person_id for e in black_list(w.VILLAGE, period, D(2025, 6, 10))] == [person.pk]
    assert honour_lists(w.VILLAGE, period, D(2025, 6, 10)).counted_on == D(2025, 6, 10)


def test_a_black_list_entry_names_each_sanction_with_its_clause_and_end(db):
    person = person_of()
    serious(person, confirmed_on=D(2025, 6, 10))

    (entry,) = black_list(w.VILLAGE, Y2025, AFTER)

    assert [(s.kind, s.clause_number, s.ends_on, s.tier) for s in entry.sanctions] == [
        (SanctionKind.AWARD_WITHHELD, 1, D(2026, 1, 1), Tier.SERIOUS),
        (SanctionKind.REFERRAL, 1, None, Tier.SERIOUS),  # a single serious violation bars nothing
    ]


def test_a_repeat_violators_black_list_entry_names_the_bars_of_the_repeat(db):
    person = person_of()
    repeat_violations(clause=clause(w.VILLAGE), person=person, confirmed_on=D(2025, 6, 10))

    (entry,) = black_list(w.VILLAGE, Y2025, AFTER)

    bars = [(s.kind, s.ends_on, s.tier) for s in entry.sanctions if s.kind != SanctionKind.AWARD_WITHHELD]
    assert bars == [
        (SanctionKind.ASSET_BIDDING_BAR, D(2028, 6, 10), Tier.REPEAT),
        (SanctionKind.ELECTION_BAR, D(2030, 6, 10), Tier.REPEAT),
        (SanctionKind.NOMINATION_BAR, D(2030, 6, 10), Tier.REPEAT),
    ]


def test_the_black_list_leaves_out_lifted_violations_and_other_villages_people(db):
    lifted = serious(person_of())
    lifted.appeal_filed_on, lifted.appeal_upheld = D(2025, 6, 12), True
    lifted.save()
    serious(person_of(w.OTHER_VILLAGE_SAME_TOWN), code=w.OTHER_VILLAGE_SAME_TOWN)
    in_cooperative = person_of(w.COOPERATIVE)
    serious(in_cooperative)

    assert [e.person_id for e in black_list(w.VILLAGE, Y2025, AFTER)] == [in_cooperative.pk]


def test_the_red_list_is_the_approved_nominations_of_the_village_for_that_period(db):
    approved = nomination(status=NominationStatus.APPROVED)
    nomination(status=NominationStatus.PROPOSED)
    nomination(status=NominationStatus.REJECTED)
    nomination(status=NominationStatus.APPROVED, period="2024")
    nomination(w.OTHER_VILLAGE_SAME_TOWN, status=NominationStatus.APPROVED)

    assert [entry.nomination_id for entry in red_list(w.VILLAGE, Y2025)] == [approved.pk]


def test_the_default_period_is_the_calendar_year_of_the_day():
    assert honour_period_of(D(2026, 12, 3)) == Period.parse("2026")


def test_the_lists_take_three_queries_whatever_the_number_of_people(db, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            serious(person_of())
            nomination(status=NominationStatus.APPROVED)

    make(1)
    with django_assert_num_queries(3):
        honour_lists(w.VILLAGE, Y2025, AFTER)
    make(3)
    with django_assert_num_queries(3):
        lists = honour_lists(w.VILLAGE, Y2025, AFTER)
    assert (len(lists.red), len(lists.black)) == (4, 4)


# --- 2. The services -------------------------------------------------------------------------------


def test_a_clerk_nominates_and_a_town_official_approves_under_the_audit_actions(world):
    person = person_of()
    clerk, official = world.user("village_clerk"), world.user("town_official")

    made = services.nominate(
        acting_user=clerk, division=division(w.VILLAGE), person=person, period="2025", reason=" 助人为乐。 "
    )
    decided = services.approve_nomination(made, acting_user=official, decided_on=D(2026, 1, 5))

    assert (decided.status, decided.decided_by, decided.reason) == (NominationStatus.APPROVED, official, "助人为乐。")
    actions = [(e.pgh_context or {}).get("action") for e in history_of(decided)]
    assert actions[:2] == [CovenantsAction.DECIDE_RED_LIST_NOMINATION, CovenantsAction.NOMINATE_TO_RED_LIST]


def test_the_nominator_may_not_approve_their_own_nomination(world):
    admin = world.user("district_admin")
    made = services.nominate(
        acting_user=admin, division=division(w.VILLAGE), person=person_of(), period="2025", reason="热心公益。"
    )

    with pytest.raises(PermissionDenied):
        services.approve_nomination(made, acting_user=admin)
    assert RedListNomination.objects.get(pk=made.pk).status == NominationStatus.PROPOSED


def test_the_database_refuses_a_nomination_decided_by_its_nominator(db):
    made = nomination()

    with pytest.raises(IntegrityError), transaction.atomic():
        RedListNomination.objects.filter(pk=made.pk).update(decided_by=made.nominated_by)


def test_a_clerk_may_not_nominate_in_another_village_nor_a_person_of_another_village(world):
    clerk = world.user("village_clerk")

    with pytest.raises(PermissionDenied):
        services.nominate(
            acting_user=clerk,
            division=division(w.OTHER_VILLAGE_SAME_TOWN),
            person=person_of(w.OTHER_VILLAGE_SAME_TOWN),
            period="2025",
            reason="热心公益。",
        )
    with pytest.raises(ValidationError) as refused:
        services.nominate(
            acting_user=clerk,
            division=division(w.VILLAGE),
            person=person_of(w.OTHER_VILLAGE_SAME_TOWN),
            period="2025",
            reason="热心公益。",
        )
    assert "person" in refused.value.message_dict
    assert not RedListNomination.objects.exists()


@pytest.mark.parametrize(("period", "reason", "field"), [("2025-13", "热心公益。", "period"), ("2025", "  ", "reason")])
def test_a_bad_period_or_an_empty_reason_is_a_field_error(world, period, reason, field):
    with pytest.raises(ValidationError) as refused:
        services.nominate(
            acting_user=world.user("village_clerk"),
            division=division(w.VILLAGE),
            person=person_of(),
            period=period,
            reason=reason,
        )
    assert field in refused.value.message_dict


def test_a_person_on_the_black_list_of_the_period_is_neither_nominated_nor_approved(world):
    barred = person_of()
    serious(barred, confirmed_on=D(2025, 6, 10))
    made = RedListNominationFactory(person=barred)

    with pytest.raises(ValidationError) as refused:
        services.nominate(
            acting_user=world.user("village_clerk"),
            division=division(w.VILLAGE),
            person=barred,
            period="2025",
            reason="热心公益。",
        )
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.approve_nomination(made, acting_user=world.user("town_official"))


def test_a_person_is_nominated_once_a_period(world):
    made = nomination()

    with pytest.raises(ValidationError) as refused:
        services.nominate(
            acting_user=world.user("village_clerk"),
            division=division(w.VILLAGE),
            person=made.person,
            period="2025",
            reason="再次提名。",
        )
    assert "person" in refused.value.message_dict


def test_a_withdrawn_nomination_is_gone_and_the_audit_trail_keeps_it(world):
    made = nomination()

    services.withdraw_nomination(made, acting_user=world.user("village_clerk"))

    assert not RedListNomination.objects.filter(pk=made.pk).exists()
    last = history_of(made)[0]
    assert (last.pgh_label, last.pgh_context["action"]) == ("delete", CovenantsAction.WITHDRAW_RED_LIST_NOMINATION)


def test_an_approved_nomination_is_withdrawn_while_its_period_runs_but_not_after(world):
    clerk = world.user("village_clerk")
    running = nomination(status=NominationStatus.APPROVED, period="2099")
    posted = nomination(status=NominationStatus.APPROVED, period="2025")

    services.withdraw_nomination(running, acting_user=clerk)
    with pytest.raises(ValidationError):
        services.withdraw_nomination(posted, acting_user=clerk)

    assert list(RedListNomination.objects.values_list("pk", flat=True)) == [posted.pk]


def test_a_town_official_may_not_withdraw_a_nomination(world):
    with pytest.raises(PermissionDenied):
        services.withdraw_nomination(nomination(), acting_user=world.user("town_official"))


# --- 3. The API ------------------------------------------------------------------------------------


class TestRedListNominationAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "redlistnomination"
    model = RedListNomination
    viewers = LIST_VIEWERS
    adders = NOMINATORS

    def make_object(self, code):
        return nomination(code)

    def create_data(self, code, scenario, who):
        return {"division": code, "person": person_of(code).pk, "period": "2025", "reason": "带头清理河涌。"}

    def test_a_step_on_a_nomination_answers_as_its_right_says(self, scenario, who, where, db):
        """approve and reject need the approve right (the nominator is another user), withdraw the
        right to change; 404 outside the jurisdiction, 401 anonymous."""
        code = self.place(who, where)
        for step, allowed, success in (
            ("approve", APPROVERS, 200),
            ("reject", APPROVERS, 200),
            ("withdraw", NOMINATORS, 204),
        ):
            made = nomination(code)

            response = client_as(who).post(self.detail_url(made, step))

            expected = self.expected_on_one_object(who, code, allowed, success)
            assert response.status_code == expected, (step, response.content[:300])
            if expected not in (200, 204):
                assert RedListNomination.objects.get(pk=made.pk).status == NominationStatus.PROPOSED


def lists_url():
    return reverse("api:honourlist-list")


@pytest.mark.parametrize("who", [*VILLAGE_LEVEL_CALLERS, "coop_clerk"])
@pytest.mark.parametrize("where", ["inside", "outside"])
def test_the_lists_answer_inside_the_jurisdiction_of_who_may_view_them(world, who, where):
    places = {**VILLAGE_PLACES, "coop_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN)}
    code = places[who][0 if where == "inside" else 1]
    nomination(code, status=NominationStatus.APPROVED)

    response = client_as(who).get(lists_url(), {"division": code, "period": "2025"})

    if who == ANONYMOUS:
        expected = 401
    elif who in (OUTSIDER, "report_reader", "grid_worker"):
        expected = 403  # their roles never grant viewing the lists
    elif not in_jurisdiction(who, code):
        expected = 404
    else:
        expected = 200
    assert response.status_code == expected, response.content[:300]
    if expected == 200:
        assert len(response.json()["red_list"]) == 1


@pytest.mark.parametrize(
    ("params", "field"), [({"period": "2025"}, "division"), ({"division": w.VILLAGE, "period": "25"}, "period")]
)
def test_a_missing_division_or_a_bad_period_is_a_400_naming_it(world, params, field):
    response = client_as("village_clerk").get(lists_url(), params)

    assert response.status_code == 400
    assert field in response.json()


def test_the_lists_of_a_town_are_a_400_on_the_division(world):
    response = client_as("town_official").get(lists_url(), {"division": w.TOWN})

    assert response.status_code == 400
    assert "division" in response.json()


def named_people():
    """A person on each list, with names whose masks are known, and their ID numbers and phones."""
    good = PersonFactory(division=division(w.VILLAGE), name="欧阳修远")
    bad = PersonFactory(division=division(w.VILLAGE), name="张三丰")
    RedListNominationFactory(person=good, status=NominationStatus.APPROVED)
    serious(bad)
    return good, bad


def assert_masked(text: str, good, bad) -> None:
    assert "欧阳*" in text and "张*" in text
    for secret in (good.name, bad.name, good.id_number, bad.id_number, good.phone, bad.phone):
        assert secret not in text


def test_the_api_masks_names_for_who_may_not_see_personal_data_and_shows_them_to_the_clerk(world):
    good, bad = named_people()
    params = {"division": w.VILLAGE, "period": "2025"}

    masked = client_as("town_official").get(lists_url(), params)
    full = client_as("village_clerk").get(lists_url(), params).json()

    assert_masked(masked.content.decode(), good, bad)
    assert (full["red_list"][0]["name"], full["black_list"][0]["name"]) == ("欧阳修远", "张三丰")
    title = clause().version.covenant.title
    assert full["black_list"][0]["sanctions"][-1] == {
        "kind": "referral",
        "kind_display": str(SanctionKind.REFERRAL.label),
        "tier": "serious",
        "covenant_title": title,
        "clause_number": 1,
        "starts_on": "2025-06-10",
        "ends_on": None,
        "text": f"情节较为严重：移送相关部门处理（违反《{title}》第1条），至整改完成",
    }
    assert good.id_number not in str(full) and good.phone not in str(full)


def test_the_nominations_in_the_api_mask_the_name_for_who_may_not_see_personal_data(world):
    good, _bad = named_people()
    url = reverse("api:redlistnomination-list")

    assert results_of(client_as("town_official").get(url))[0]["name"] == "欧阳*"
    assert results_of(client_as("village_clerk").get(url))[0]["name"] == "欧阳修远"


def test_nominating_and_approving_through_the_api(world):
    person = person_of()
    created = client_as("village_clerk").post(
        reverse("api:redlistnomination-list"),
        {"division": w.VILLAGE, "person": person.pk, "period": "2025", "reason": "带头移风易俗。"},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = reverse("api:redlistnomination-approve", args=[created.json()["id"]])

    assert client_as("village_clerk").post(url).status_code == 403  # four eyes
    approved = client_as("town_official").post(url, {"decided_on": "2026-01-05"}, format="json")

    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", "town_official")
    shown = client_as("village_clerk").get(lists_url(), {"division": w.VILLAGE, "period": "2025"}).json()
    assert [row["person"] for row in shown["red_list"]] == [person.pk]


def test_a_refused_nomination_through_the_api_is_a_400_naming_the_field(world):
    response = client_as("village_clerk").post(
        reverse("api:redlistnomination-list"),
        {"division": w.VILLAGE, "person": person_of().pk, "period": "2025-Q5", "reason": "好人好事。"},
        format="json",
    )

    assert response.status_code == 400
    assert "period" in response.json()


def api_queries(url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("town_official")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def add_rows(n):
    for _ in range(n):
        serious(person_of())
        nomination(status=NominationStatus.APPROVED)
        nomination(status=NominationStatus.PROPOSED)


@pytest.mark.parametrize("endpoint", ["lists", "nominations"])
def test_the_api_costs_the_same_queries_for_one_row_as_for_several(world, endpoint):
    url, params = (
        (lists_url(), {"division": w.VILLAGE, "period": "2025"})
        if endpoint == "lists"
        else (reverse("api:redlistnomination-list"), {})
    )
    add_rows(1)
    one = api_queries(url, params)
    add_rows(3)

    assert api_queries(url, params) == one


# --- 4. The pages ----------------------------------------------------------------------------------


class NominationPage(PageAccessTests):
    places = PAGE_PLACES

    def make_object(self, code):
        return nomination(code)


class TestHonourListsPage(NominationPage):
    viewers = LIST_VIEWERS

    def url(self, made):
        return reverse("covenants:honour_lists", args=[made.division_id]) + "?period=2025"


class TestHonourListsPrintPage(NominationPage):
    viewers = LIST_VIEWERS

    def url(self, made):
        return reverse("covenants:honour_lists_print", args=[made.division_id]) + "?period=2025"


class TestNominationPost(NominationPage):
    viewers = LIST_VIEWERS
    posters = NOMINATORS
    methods = ("post",)  # the page's GET is TestHonourListsPage's

    def make_object(self, code):
        made = nomination(code)
        made.candidate = person_of(made.division_id)  # whom the form nominates
        return made

    def url(self, made):
        return reverse("covenants:honour_lists", args=[made.division_id]) + "?period=2025"

    def post_data(self, made):
        return {"person": made.candidate.pk, "period": "2025", "reason": "带头清理河涌。"}


class TestNominationApprovePost(NominationPage):
    viewers = LIST_VIEWERS
    posters = APPROVERS
    methods = ("post",)

    def url(self, made):
        return reverse("covenants:nomination_approve", args=[made.pk])


class TestNominationRejectPost(NominationPage):
    viewers = LIST_VIEWERS
    posters = APPROVERS
    methods = ("post",)

    def url(self, made):
        return reverse("covenants:nomination_reject", args=[made.pk])


class TestNominationWithdrawPost(NominationPage):
    viewers = LIST_VIEWERS
    posters = NOMINATORS
    methods = ("post",)

    def url(self, made):
        return reverse("covenants:nomination_withdraw", args=[made.pk])


class TestNominationsToApprove(NominationPage):
    viewers = APPROVERS
    is_list = True

    def url(self, made):
        return reverse("covenants:nominations_to_approve")

    def marker(self, made):
        return f'id="nomination-{made.pk}"'


def as_(world, role):
    return signed_in_client(world.user(role))


def page_url(name="covenants:honour_lists", code=w.VILLAGE, period="2025"):
    return reverse(name, args=[code]) + f"?period={period}"


def test_the_clerks_page_masks_names_for_who_may_not_see_personal_data_and_shows_them_to_the_clerk(world):
    good, bad = named_people()

    assert_masked(as_(world, "town_official").get(page_url()).text, good, bad)
    shown = as_(world, "village_clerk").get(page_url()).text
    assert good.name in shown and bad.name in shown
    assert good.id_number not in shown and good.phone not in shown


def test_the_printed_notice_is_a4_with_masked_names_even_for_the_clerk(world):
    good, bad = named_people()

    text = as_(world, "village_clerk").get(page_url("covenants:honour_lists_print")).text

    assert_masked(text, good, bad)
    assert "@page" in text and "A4" in text and "@media print" in text
    assert division(w.VILLAGE).name in text and "2025" in text
    assert datetime.date.today().isoformat() in text  # the date printed


def test_the_clerks_page_links_to_the_printed_notice_of_the_same_period(world):
    text = as_(world, "village_clerk").get(page_url()).text

    assert reverse("covenants:honour_lists_print", args=[w.VILLAGE]) + "?period=2025" in text


def test_the_clerks_page_offers_approval_to_the_town_and_the_form_to_the_clerk(world):
    made = nomination()

    clerk, official = as_(world, "village_clerk").get(page_url()).text, as_(world, "town_official").get(page_url()).text

    assert 'id="nomination-form"' in clerk and f'id="withdraw-{made.pk}"' in clerk
    assert 'id="nomination-form"' not in official and f'id="approve-{made.pk}"' in official


def test_a_refused_nomination_on_the_page_is_shown_in_chinese_and_writes_nothing(world):
    barred = person_of()
    serious(barred)

    response = as_(world, "village_clerk").post(
        page_url(), {"person": barred.pk, "period": "2025", "reason": "热心公益。"}
    )

    assert response.status_code == 200
    assert "黑榜" in response.text and "invalid-feedback" in response.text
    assert not RedListNomination.objects.exists()


def test_the_public_page_shows_both_lists_of_the_current_year_masked(db, world):
    year = str(datetime.date.today().year)
    good = PersonFactory(division=division(w.VILLAGE), name="欧阳修远")
    bad = PersonFactory(division=division(w.VILLAGE), name="张三丰")
    RedListNominationFactory(person=good, period=year, status=NominationStatus.APPROVED)
    serious(bad, confirmed_on=D(int(year), 1, 1), occurred_on=D(int(year), 1, 1))

    text = Client().get(reverse("public_division", args=[w.VILLAGE])).text

    assert 'id="public-honour_lists"' in text
    assert_masked(text, good, bad)


def test_the_public_page_leaves_the_lists_out_when_both_are_empty(world):
    RedListNominationFactory(period="2000", status=NominationStatus.APPROVED)

    assert 'id="public-honour_lists"' not in Client().get(reverse("public_division", args=[w.VILLAGE])).text


def test_the_home_page_counts_the_nominations_waiting_for_the_users_approval(world):
    nomination()
    nomination()
    RedListNominationFactory(nominated_by=world.user("town_official"), person=person_of())

    text = as_(world, "town_official").get(reverse("home")).text

    assert "2 个红榜提名待审批。" in text
    assert reverse("covenants:nominations_to_approve") in text
    assert "红榜提名待审批" not in as_(world, "inspector").get(reverse("home")).text


@pytest.mark.parametrize(
    "url",
    [
        page_url(),
        page_url("covenants:honour_lists_print"),
        reverse("covenants:nominations_to_approve"),
        "public",
    ],
)
def test_the_pages_cost_the_same_queries_for_one_row_as_for_several(world, url):
    year = str(datetime.date.today().year)
    if url == "public":
        url, client = reverse("public_division", args=[w.VILLAGE]), Client()
    else:
        client = as_(world, "town_official")

    def rows(n):
        for _ in range(n):
            serious(person_of(), confirmed_on=D(int(year), 1, 1), occurred_on=D(int(year), 1, 1))
            nomination(status=NominationStatus.APPROVED, period=year)
            nomination(status=NominationStatus.APPROVED)
            nomination()

    rows(1)
    one = queries_for(client, url)
    rows(3)

    assert queries_for(client, url) == one
