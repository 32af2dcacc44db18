"""The cadre rules of the supervision register (DESIGN.md section 3): every new member of the two
committees and every new cooperative head has a pre-appointment integrity talk (R25), and a cadre
who left a leadership post has an economic responsibility audit on leaving (R27): the rules at
their boundaries, the list page, the person page, the home page's count and the report
`leaving-audits-missing` (formats, access matrix, names as seen, pinned query counts)."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from governance import clock
from governance.privacy import mask_name
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import queries_for, signed_in_client
from supervision.choices import INTEGRITY_TALK_POSTS, INTEGRITY_TALK_WINDOW_DAYS, LEADERSHIP_POSTS, AuditKind
from supervision.models import EconomicAudit, IntegrityTalk
from supervision.testing.record_factories import EconomicAuditFactory, IntegrityTalkFactory
from villages.choices import TWO_COMMITTEE_POSITIONS, PositionKind
from villages.models import Position
from villages.testing.factories import PersonFactory, PositionFactory, division

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
STARTED = D(2021, 3, 1)
LEFT = D(2026, 3, 1)
REPORT = "leaving-audits-missing"


def post(code=w.VILLAGE, kind=PositionKind.PARTY_SECRETARY, person=None, **fields):
    place = division(code)
    return PositionFactory(
        division=place,
        kind=kind,
        person=person or PersonFactory(division=place),
        started_on=fields.pop("started_on", STARTED),
        **fields,
    )


# --- integrity talks: which posts, which are new ------------------------------------------------


def talkless() -> set[int]:
    return set(IntegrityTalk.objects.posts_without_talk(Position.objects.all()).values_list("pk", flat=True))


def test_the_talk_rule_covers_every_post_of_the_two_committees_and_the_cooperative_head():
    assert set(INTEGRITY_TALK_POSTS) == {*TWO_COMMITTEE_POSITIONS, PositionKind.COOPERATIVE_HEAD}
    assert {
        PositionKind.PARTY_DEPUTY_SECRETARY,
        PositionKind.PARTY_COMMITTEE_MEMBER,
        PositionKind.COMMITTEE_DEPUTY_DIRECTOR,
        PositionKind.COMMITTEE_MEMBER,
    } <= set(TWO_COMMITTEE_POSITIONS)


@pytest.mark.parametrize(
    "kind", [PositionKind.PARTY_COMMITTEE_MEMBER, PositionKind.COMMITTEE_MEMBER, PositionKind.PARTY_DEPUTY_SECRETARY]
)
def test_a_new_member_of_the_two_committees_without_a_talk_is_flagged(world, kind):
    member = post(kind=kind)

    assert talkless() == {member.pk}


def test_members_of_the_two_committees_are_held_in_the_village_and_several_at_once(world):
    post(kind=PositionKind.COMMITTEE_MEMBER)
    post(kind=PositionKind.COMMITTEE_MEMBER)  # several members: no one-holder rule
    in_a_cooperative = Position(
        division=division(w.COOPERATIVE),
        person=PersonFactory(division=division(w.COOPERATIVE)),
        kind=PositionKind.PARTY_COMMITTEE_MEMBER,
        started_on=STARTED,
    )

    with pytest.raises(Exception) as refused:
        in_a_cooperative.full_clean()
    assert "division" in refused.value.message_dict


def test_cooperative_committee_members_and_representatives_need_no_talk(world):
    post(w.COOPERATIVE, PositionKind.COOPERATIVE_COMMITTEE_MEMBER)
    post(kind=PositionKind.VILLAGER_REPRESENTATIVE)

    assert talkless() == set()


@pytest.mark.parametrize(
    ("days_before", "counts"),
    [(0, True), (INTEGRITY_TALK_WINDOW_DAYS, True), (INTEGRITY_TALK_WINDOW_DAYS + 1, False), (-1, False)],
)
def test_a_talk_counts_from_the_window_before_the_start_to_the_day_of_it(world, days_before, counts):
    member = post(kind=PositionKind.COMMITTEE_MEMBER)
    IntegrityTalkFactory(
        person=member.person, division=member.division, held_on=STARTED - datetime.timedelta(days=days_before)
    )

    assert talkless() == (set() if counts else {member.pk})


def test_a_member_re_elected_without_a_break_needs_no_new_talk(world):
    first = post(kind=PositionKind.COMMITTEE_MEMBER, ended_on=LEFT)
    IntegrityTalkFactory(person=first.person, division=first.division, held_on=STARTED - DAY)
    second = post(kind=PositionKind.COMMITTEE_MEMBER, person=first.person, started_on=LEFT)

    assert second.pk not in talkless()


def test_a_member_back_after_a_break_or_in_another_post_is_new(world):
    first = post(kind=PositionKind.COMMITTEE_MEMBER, ended_on=LEFT)
    IntegrityTalkFactory(person=first.person, division=first.division, held_on=STARTED - DAY)
    after_a_break = post(kind=PositionKind.COMMITTEE_MEMBER, person=first.person, started_on=LEFT + DAY)
    promoted = post(kind=PositionKind.COMMITTEE_DIRECTOR, person=first.person, started_on=LEFT)

    assert {after_a_break.pk, promoted.pk} <= talkless()


# --- audits on leaving --------------------------------------------------------------------------


def unaudited(on=LEFT) -> set[int]:
    return set(EconomicAudit.objects.unaudited_departures(Position.objects.all(), on).values_list("pk", flat=True))


def audit(position, **fields):
    return EconomicAuditFactory(
        person=fields.pop("person", position.person),
        division=fields.pop("division", position.division),
        kind=fields.pop("kind", AuditKind.ON_LEAVING),
        period_from=fields.pop("period_from", position.started_on),
        period_to=fields.pop("period_to", position.ended_on or LEFT),
        reported_on=fields.pop("reported_on", LEFT + datetime.timedelta(days=30)),
        **fields,
    )


def test_the_leaving_audit_rule_covers_the_leaders_of_village_and_cooperative():
    assert set(LEADERSHIP_POSTS) == {
        PositionKind.PARTY_SECRETARY,
        PositionKind.COMMITTEE_DIRECTOR,
        PositionKind.SECRETARY_AND_DIRECTOR,
        PositionKind.COOPERATIVE_HEAD,
    }


def test_a_leader_is_flagged_from_the_day_they_left_not_the_day_before(world):
    left = post(ended_on=LEFT)

    assert unaudited(LEFT - DAY) == set()
    assert unaudited(LEFT) == {left.pk}
    assert unaudited(LEFT + DAY) == {left.pk}


def test_an_audit_on_leaving_of_the_post_clears_the_flag_even_made_before_leaving(world):
    left = post(ended_on=LEFT)
    audit(left, period_to=LEFT - DAY, reported_on=LEFT - DAY)

    assert unaudited() == set()


def test_an_audit_covering_the_post_from_its_first_day_counts_and_one_ending_the_day_before_does_not(world):
    covered, before = post(ended_on=LEFT), post(w.COOPERATIVE, PositionKind.COOPERATIVE_HEAD, ended_on=LEFT)
    audit(covered, period_from=D(2019, 1, 1), period_to=STARTED)
    audit(before, period_from=D(2019, 1, 1), period_to=STARTED - DAY)

    assert unaudited() == {before.pk}


def test_an_audit_in_office_another_divisions_or_a_corrected_one_does_not_count(world):
    in_office, elsewhere, corrected = post(ended_on=LEFT), post(ended_on=LEFT), post(ended_on=LEFT)
    in_office_audit = audit(in_office, kind=AuditKind.IN_OFFICE)
    audit(elsewhere, division=division(w.OTHER_VILLAGE_SAME_TOWN), person=elsewhere.person)
    wrong = audit(corrected)
    audit(corrected, corrects=wrong, correction_reason="审计对象有误。", kind=AuditKind.IN_OFFICE)

    assert in_office_audit.kind == AuditKind.IN_OFFICE
    assert unaudited() == {in_office.pk, elsewhere.pk, corrected.pk}


def test_a_leader_re_elected_or_become_one_shoulder_has_not_left(world):
    re_elected = post(ended_on=LEFT)
    post(person=re_elected.person, started_on=LEFT)
    director = post(kind=PositionKind.COMMITTEE_DIRECTOR, ended_on=LEFT)
    promoted = post(w.OTHER_VILLAGE_SAME_TOWN, PositionKind.COMMITTEE_DIRECTOR, ended_on=LEFT)
    post(w.OTHER_VILLAGE_SAME_TOWN, PositionKind.SECRETARY_AND_DIRECTOR, person=promoted.person, started_on=LEFT)

    assert unaudited() == {director.pk}


def test_members_leaving_and_current_leaders_are_not_asked_for_an_audit(world):
    post(kind=PositionKind.COMMITTEE_MEMBER, ended_on=LEFT)
    post(w.COOPERATIVE, PositionKind.COOPERATIVE_COMMITTEE_MEMBER, ended_on=LEFT)
    post()

    assert unaudited() == set()


# --- pages, home count, report ------------------------------------------------------------------


@pytest.fixture
def departures(world):
    """Leaders who left: in 罗村 a secretary unaudited and a director audited; a cooperative head
    of 罗村's 第一经济社 unaudited; in 九江镇's 下西 and in 禅城区 a secretary each, unaudited."""
    left = clock.today() - datetime.timedelta(days=10)
    rows = {
        "village": post(ended_on=left),
        "audited": post(kind=PositionKind.COMMITTEE_DIRECTOR, ended_on=left),
        "cooperative": post(w.COOPERATIVE, PositionKind.COOPERATIVE_HEAD, ended_on=left),
        "other_town": post(w.OTHER_TOWN_VILLAGE, ended_on=left),
        "far": post(w.FAR_VILLAGE, ended_on=left),
    }
    audit(rows["audited"], period_to=left - DAY, reported_on=left)
    return rows


# Who sees which departures: those who view economic audits, in their jurisdiction.
SEEN = {
    "district_admin": {"village", "audited", "cooperative", "other_town"},
    "inspector": {"village", "audited", "cooperative", "other_town"},
    "town_official": {"village", "audited", "cooperative"},
    "village_clerk": set(),
    "coop_clerk": set(),
    "grid_worker": set(),
    "report_reader": set(),
    OUTSIDER: set(),
}
LIST_URL = reverse("supervision:unaudited_departures")


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER])
def test_the_home_count_and_its_list_are_the_unaudited_departures_in_the_users_scope(departures, who):
    user = get_user_model().objects.get(username=who)
    expected = {departures[key].pk for key in SEEN[who] - {"audited"}}

    response = signed_in_client(user).get(reverse("home"))

    count = response.context["pending_counts"]["unaudited_departures"]
    assert count == len(expected)
    listed = signed_in_client(user).get(LIST_URL)
    assert listed.status_code == 200
    assert {position.pk for position in listed.context["object_list"]} == expected
    if count:
        assert f"{count} 名离任的村社主要负责人没有离任审计记录。" in response.text and LIST_URL in response.text
    else:
        assert 'id="pending-unaudited_departures"' not in response.text


def test_the_list_page_costs_the_same_queries_whatever_the_number_of_departures(departures, world):
    client = signed_in_client(world.user("inspector"))
    few = queries_for(client, LIST_URL)
    for _ in range(5):
        post(w.OTHER_VILLAGE_SAME_TOWN, PositionKind.COMMITTEE_DIRECTOR, ended_on=clock.today() - DAY)

    assert queries_for(client, LIST_URL) == few


def test_the_person_page_flags_a_leader_who_left_without_an_audit(departures, world):
    left = departures["village"]
    audited = departures["audited"]
    url = reverse("villages:person", args=[left.person_id])

    inspector = signed_in_client(world.user("inspector")).get(url)
    town = signed_in_client(world.user("town_official")).get(url)
    clerk = signed_in_client(world.user("village_clerk")).get(url)
    clean = signed_in_client(world.user("inspector")).get(reverse("villages:person", args=[audited.person_id]))

    assert 'id="leaving-audit-missing"' in inspector.text and 'id="leaving-audit-missing"' in town.text
    assert "没有离任经济责任审计记录" in inspector.text
    assert 'id="leaving-audit-missing"' not in clerk.text
    assert 'id="leaving-audit-missing"' not in clean.text


def get_report(who="inspector", **params):
    return client_as(who).get(reverse(f"api:report-{REPORT}"), params)


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_the_report_answers_each_caller_as_its_scope_and_rights_say(departures, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get_report(who, division=home)
    outside = get_report(who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE))

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in ("district_admin", "inspector", "town_official"):
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404
        assert {row["division"] for row in results_of(inside)} == {departures[key].division_id for key in SEEN[who]}
    else:  # nobody else views economic audits
        assert (inside.status_code, outside.status_code) == (403, 403)


def test_the_report_of_another_town_is_not_found_and_the_default_is_the_jurisdiction(departures):
    assert get_report("town_official", division=w.OTHER_TOWN).status_code == 404
    assert get_report("town_official").json()["division"] == w.TOWN


def test_the_report_lists_each_departure_with_whether_it_was_audited(departures):
    rows = results_of(get_report("town_official", division=w.TOWN))
    left = departures["village"]

    assert [(row["division"], row["post"], row["audited"]) for row in rows] == [
        (w.VILLAGE, "党组织书记", False),
        (w.VILLAGE, "村（居）委会主任", True),
        (w.COOPERATIVE, "经济社社长", False),
    ]
    assert rows[0]["left_on"] == left.ended_on.isoformat()
    assert rows[0]["started_on"] == STARTED.isoformat()


def test_the_report_shows_names_as_the_caller_sees_them(departures):
    left = departures["village"]
    district = results_of(get_report("district_admin", division=w.VILLAGE))
    inspector = results_of(get_report("inspector", division=w.VILLAGE))

    assert district[0]["person"] == left.person.name  # the district sees personal data
    assert inspector[0]["person"] == mask_name(left.person.name)


def test_the_report_downloads_as_csv_and_xlsx(departures):
    as_csv = get_report("town_official", division=w.TOWN, format="csv")
    as_xlsx = get_report("town_official", division=w.TOWN, format="xlsx")

    table = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["姓名", "职务", "村社代码"]
    assert len(table) == 4 and table[1][-1] == "否" and table[2][-1] == "是"
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.max_row == 4


def test_the_index_lists_the_report(world):
    slugs = [row["slug"] for row in client_as("inspector").get("/api/v1/reports/").json()["results"]]

    assert REPORT in slugs


@pytest.mark.parametrize("more", [0, 8])
def test_the_report_costs_the_same_queries_whatever_the_number_of_departures(departures, more):
    for number in range(more):
        post(w.COOPERATIVE if number % 2 else w.OTHER_VILLAGE_SAME_TOWN, PositionKind.COMMITTEE_MEMBER)
        post(w.OTHER_VILLAGE_SAME_TOWN, PositionKind.PARTY_SECRETARY, ended_on=clock.today() - DAY * (number + 1))
    client = client_as("district_admin")
    client.get(reverse(f"api:report-{REPORT}"), {"division": w.TOWN})  # the user's grants are loaded once

    queries, rows = queries_and_rows(client, reverse(f"api:report-{REPORT}"), {"division": w.TOWN})

    assert rows == 3 + more
    assert queries == 2  # the division, the rows
