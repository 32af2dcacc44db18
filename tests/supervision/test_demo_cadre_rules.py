"""The cadre rules in the Nanhai demo (villages/demo, supervision/demo/records.py): in 狮山镇, a
village whose committees are out of term (狮西, elected in 2021 and not in 2026), one leader who
left without an audit on leaving, and in the village clerk's village new members of the two
committees with their integrity talks but one.

The demo is loaded once for the module, with villages' load and this app's step only, in a
transaction rolled back when it is done."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import clock
from governance.testing.api import results_of
from supervision.choices import LEADERSHIP_POSTS
from supervision.models import EconomicAudit, IntegrityTalk
from villages.demo.plan import COMMITTEES_OUT_OF_TERM, DEMO_VILLAGE_CODE, DISTRICT_CODE, TOWN_CODE
from villages.models import TWO_COMMITTEE_POSITIONS, Division, Position


def test_only_the_documented_village_of_shishan_is_out_of_term(demo):
    out = set(
        Division.objects.subtree(DISTRICT_CODE).committees_out_of_term(clock.today()).values_list("code", flat=True)
    )

    assert out == set(COMMITTEES_OUT_OF_TERM)
    assert all(code.startswith(TOWN_CODE) for code in out)


def test_the_town_official_is_told_of_it_at_home_and_in_the_report(demo, client):
    official = get_user_model().objects.get(username="town_official")
    client.force_login(official)

    home = client.get(reverse("home"))
    report = client.get(reverse("api:report-terms-expired"), {"division": TOWN_CODE})

    assert home.context["pending_counts"]["expired_terms"] == 1
    expired = [row["code"] for row in results_of(report) if row["expired"]]
    assert expired == list(COMMITTEES_OUT_OF_TERM)


def test_the_demo_village_has_new_members_of_the_two_committees_all_talked_to_but_one(demo):
    today = clock.today()
    current = Position.objects.filter(division__code__startswith=DEMO_VILLAGE_CODE).current(today)
    members = current.filter(kind__in=TWO_COMMITTEE_POSITIONS).exclude(kind__in=LEADERSHIP_POSTS)
    talkless = list(IntegrityTalk.objects.posts_without_talk(current))

    assert members.count() >= 2
    assert [post.kind for post in talkless] == [members.order_by("kind", "id").first().kind]
    assert talkless[0] in members


def test_one_leader_of_shishan_left_without_an_audit_on_leaving(demo):
    today = clock.today()
    departures = EconomicAudit.objects.departures(
        Position.objects.filter(division__code__startswith=DISTRICT_CODE), today
    )
    unaudited = [post for post in departures if not post.has_leaving_audit]

    assert departures.count() > 100
    assert len(unaudited) == 1 and unaudited[0].division_id.startswith(TOWN_CODE)
    assert "缺离任审计 1 人" in demo
