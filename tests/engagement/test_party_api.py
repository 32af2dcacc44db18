"""The party members' service API (docs/parts/api-party.md): access matrices for every endpoint
and action (each role inside and outside its jurisdiction, the outsider, the anonymous caller),
the district's point rules read from below and written by its administrator, claims and leaving,
points from the district's rule (an activity without a rule is a 400 on `activity`), field-level
400s in Chinese, filters, and pinned query counts that do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import PointActivity
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry
from engagement.testing.factories import (
    PointEntryFactory,
    PointRuleFactory,
    PostClaimFactory,
    ServicePostFactory,
    VillagerPointEntryFactory,
)
from governance.testing import world as w
from governance.testing.api import (
    ANONYMOUS,
    CALLERS,
    APITestCase,
    APIViewTestCases,
    client_as,
    queries_and_rows,
    results_of,
)
from governance.testing.fixtures import OUTSIDER
from villages.testing.factories import PartyMembershipFactory, PersonFactory, division

D = datetime.date
# engagement.grants: village records are viewed by these, written by the village's clerk (and
# the district's administrator).
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
WRITERS = {"district_admin", "village_clerk"}
RULE_READERS = {"district_admin", "town_official", "village_clerk", "inspector", "report_reader"}

# Party records lie in a village: (inside, outside) the caller's jurisdiction. A cooperative's
# clerk has none (a test below says what they get).
VILLAGE_PLACES = {
    "district_admin": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    "town_official": (w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE),
    "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "grid_worker": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "inspector": (w.VILLAGE, w.FAR_VILLAGE),
    "report_reader": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    OUTSIDER: (w.VILLAGE, w.FAR_VILLAGE),
    ANONYMOUS: (w.VILLAGE, w.FAR_VILLAGE),
}
VILLAGE_LEVEL_CALLERS = tuple(who for who in CALLERS if who != "coop_clerk")


def rules_everywhere():
    for district in (w.DISTRICT, w.FAR_DISTRICT):
        PointRuleFactory(district=division(district), activity=PointActivity.ACTIVITY, points=5)


class VillageLevelRecords:
    places = VILLAGE_PLACES

    def build_objects(self, world):
        rules_everywhere()
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestServicePostAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
    APIViewTestCases.UpdateTests,
):
    basename = "servicepost"
    model = ServicePost
    viewers = VIEWERS
    adders = changers = WRITERS
    update_data = {"duty": "组织志愿者清理河涌"}

    def make_object(self, code):
        return ServicePostFactory(division=division(code))

    def create_data(self, code, scenario, who):
        return {"division": code, "name": "新设环境监督岗", "duty": "巡查"}


class TestPostClaimAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    """Claiming a post outside the jurisdiction: the post is not found (404), nothing is written."""

    basename = "postclaim"
    model = PostClaim
    viewers = VIEWERS
    adders = WRITERS

    def make_object(self, code):
        return PostClaimFactory(post=ServicePostFactory(division=division(code)))

    def create_data(self, code, scenario, who):
        member = PartyMembershipFactory(branch=division(code))
        return {"post": scenario.objects[code].post_id, "member": member.pk, "claimed_on": "2026-01-05"}


class TestLeavePostAccess(VillageLevelRecords, APITestCase):
    """`leave/` answers like the claim: 404 outside the jurisdiction, 403 inside it for a role
    that may not change claims, the claim left for one that may."""

    basename = "postclaim"
    model = PostClaim

    def make_object(self, code):
        return code  # each test builds its own current claim

    def test_a_member_leaves_a_post_only_inside_the_jurisdiction_of_a_role_that_may(self, scenario, who, where, db):
        code = self.place(who, where)
        claim = PostClaimFactory(post=ServicePostFactory(division=division(code)))

        response = client_as(who).post(
            reverse("api:postclaim-leave", args=[claim.pk]), {"left_on": "2026-02-01"}, format="json"
        )

        expected = self.expected_on_one_object(who, code, WRITERS, 200)
        assert response.status_code == expected, response.content[:500]
        claim.refresh_from_db()
        assert (claim.left_on == D(2026, 2, 1)) == (expected == 200)
        if expected == 200:
            assert response.json()["current"] is False


class TestPointEntryAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    """Awarding points to a member outside the jurisdiction: the member is not found (404)."""

    basename = "pointentry"
    model = PointEntry
    viewers = VIEWERS
    adders = WRITERS

    def make_object(self, code):
        return PointEntryFactory(member=PartyMembershipFactory(branch=division(code)))

    def create_data(self, code, scenario, who):
        return {"member": scenario.objects[code].member_id, "activity": "activity", "earned_on": "2026-01-06"}


class TestVillagerPointsAccess(
    VillageLevelRecords,
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "villagerpointentry"
    model = VillagerPointEntry
    viewers = VIEWERS
    adders = WRITERS

    def make_object(self, code):
        return VillagerPointEntryFactory(division=division(code))

    def create_data(self, code, scenario, who):
        return {"division": code, "person": scenario.objects[code].person_id, "points": 2, "earned_on": "2026-01-06"}


def test_a_cooperative_clerk_and_a_grid_worker_see_no_party_record(world):
    PostClaimFactory()
    for who in ("coop_clerk", "grid_worker"):
        client = client_as(who)
        for url in ("/api/v1/service-posts/", "/api/v1/post-claims/", "/api/v1/point-entries/"):
            assert client.get(url).status_code == 403, (who, url)


# --- 2. Point rules: the district's data ----------------------------------------------------------------


@pytest.fixture
def rules(world):
    ours = PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.VISIT, points=3)
    theirs = PointRuleFactory(district=division(w.FAR_DISTRICT), activity=PointActivity.VISIT, points=4)
    return ours, theirs


@pytest.mark.parametrize("who", CALLERS)
def test_the_point_rules_are_read_by_whoever_works_in_the_district(rules, who):
    ours, theirs = rules
    client = client_as(who)

    listed = client.get("/api/v1/point-rules/")
    mine, far = (client.get(f"/api/v1/point-rules/{rule.pk}/") for rule in (ours, theirs))
    history = client.get(f"/api/v1/point-rules/{ours.pk}/history/")

    if who == ANONYMOUS:
        assert (listed.status_code, mine.status_code, far.status_code, history.status_code) == (401, 401, 401, 401)
    elif who not in RULE_READERS:
        assert listed.status_code == 403 and mine.status_code == 404 and far.status_code == 404
        assert history.status_code == 404
    else:
        assert history.status_code == 200
        assert listed.status_code == 200
        assert [row["id"] for row in results_of(listed)] == [ours.pk]
        assert mine.status_code == 200 and far.status_code == 404
        assert mine.json() == {
            "id": ours.pk,
            "district": w.DISTRICT,
            "activity": "visit",
            "points": 3,
            "description": "",
        }


@pytest.mark.parametrize("who", CALLERS)
def test_only_the_districts_administrator_changes_its_rules_the_readers_get_403(rules, who):
    ours, theirs = rules
    client = client_as(who)

    changed = client.patch(f"/api/v1/point-rules/{ours.pk}/", {"points": 8}, format="json")
    far = client.patch(f"/api/v1/point-rules/{theirs.pk}/", {"points": 8}, format="json")
    removed = client.delete(f"/api/v1/point-rules/{ours.pk}/")

    if who == ANONYMOUS:
        expected = (401, 401, 401)
    elif who == "district_admin":
        expected = (200, 404, 204)
    elif who in RULE_READERS:
        expected = (403, 404, 403)
    else:
        expected = (404, 404, 404)
    assert (changed.status_code, far.status_code, removed.status_code) == expected
    theirs.refresh_from_db()
    assert theirs.points == 4
    if who == "district_admin":
        assert not PointRule.objects.filter(pk=ours.pk).exists()
    else:
        ours.refresh_from_db()
        assert ours.points == 3


@pytest.mark.parametrize("who", CALLERS)
def test_a_rule_is_created_only_by_the_districts_administrator_in_their_district(world, who):
    client = client_as(who)
    body = {"district": w.DISTRICT, "activity": "volunteer", "points": 2, "description": "每次志愿服务"}

    ours = client.post("/api/v1/point-rules/", body, format="json")
    far = client.post("/api/v1/point-rules/", {**body, "district": w.FAR_DISTRICT}, format="json")

    expected = {ANONYMOUS: (401, 401), "district_admin": (201, 404)}.get(who, (403, 403))
    assert (ours.status_code, far.status_code) == expected
    assert PointRule.objects.filter(district_id=w.FAR_DISTRICT).count() == 0
    assert PointRule.objects.filter(district_id=w.DISTRICT).count() == (1 if who == "district_admin" else 0)


def test_a_rule_needs_a_district_a_known_activity_positive_points_and_one_per_activity(rules):
    client = client_as("district_admin")

    town = client.post("/api/v1/point-rules/", {"district": w.TOWN, "activity": "contact", "points": 1}, format="json")
    unknown = client.post("/api/v1/point-rules/", {"district": w.DISTRICT, "activity": "x", "points": 1}, format="json")
    zero = client.post(
        "/api/v1/point-rules/", {"district": w.DISTRICT, "activity": "contact", "points": 0}, format="json"
    )
    twice = client.post(
        "/api/v1/point-rules/", {"district": w.DISTRICT, "activity": "visit", "points": 1}, format="json"
    )

    assert town.status_code == 400 and town.json() == {"district": ["积分规则由区县设定：请填写区县代码。"]}
    assert unknown.status_code == 400 and list(unknown.json()) == ["activity"]
    assert zero.status_code == 400 and list(zero.json()) == ["points"]
    assert twice.status_code == 400 and twice.json() == {"activity": ["本区已有该积分项目的规则。"]}


# --- 3. Claims and points through the API ----------------------------------------------------------------


@pytest.fixture
def post(world):
    return ServicePostFactory(division=division(w.VILLAGE), name="政策宣传岗")


def test_a_member_claims_a_post_and_leaves_it(post):
    member = PartyMembershipFactory(branch=post.division, person__name="陈志强")
    client = client_as("village_clerk")

    claimed = client.post(
        "/api/v1/post-claims/", {"post": post.pk, "member": member.pk, "claimed_on": "2026-01-05"}, format="json"
    )
    listed = client.get("/api/v1/service-posts/", {"division": w.VILLAGE})
    left = client.post(f"/api/v1/post-claims/{claimed.json()['id']}/leave/", {"left_on": "2026-03-01"}, format="json")
    again = client.post(f"/api/v1/post-claims/{claimed.json()['id']}/leave/", {"left_on": "2026-03-02"}, format="json")

    assert claimed.status_code == 201, claimed.content
    assert claimed.json() == {
        "id": claimed.json()["id"],
        "division": w.VILLAGE,
        "post": post.pk,
        "post_name": "政策宣传岗",
        "member": member.pk,
        "member_name": "陈志强",
        "claimed_on": "2026-01-05",
        "left_on": None,
        "current": True,
    }
    assert [(row["name"], row["holders"]) for row in results_of(listed)] == [("政策宣传岗", 1)]
    assert left.status_code == 200 and left.json()["left_on"] == "2026-03-01"
    assert again.status_code == 400 and again.json() == {"left_on": ["该党员已离开此服务岗。"]}


def test_a_claim_by_a_member_of_another_village_or_twice_or_in_the_future_is_a_field_error(post):
    elsewhere = PartyMembershipFactory(branch=division(w.OTHER_VILLAGE_SAME_TOWN))
    member = PartyMembershipFactory(branch=post.division)
    PostClaimFactory(post=post, member=member)
    client = client_as("district_admin")

    other = client.post("/api/v1/post-claims/", {"post": post.pk, "member": elsewhere.pk}, format="json")
    twice = client.post("/api/v1/post-claims/", {"post": post.pk, "member": member.pk}, format="json")
    future = client.post(
        "/api/v1/post-claims/",
        {"post": post.pk, "member": PartyMembershipFactory(branch=post.division).pk, "claimed_on": "2999-01-01"},
        format="json",
    )

    assert other.status_code == 400 and other.json() == {"member": ["该党员不是本村（社区）党组织的党员。"]}
    assert twice.status_code == 400 and twice.json() == {"member": ["该党员已认领此服务岗。"]}
    assert future.status_code == 400 and list(future.json()) == ["claimed_on"]
    assert PostClaim.objects.count() == 1


def test_points_come_from_the_districts_rule_and_stay_when_the_rule_changes(world):
    rule = PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.VOLUNTEER, points=4)
    member = PartyMembershipFactory(branch=division(w.VILLAGE), person__name="黄丽")
    client = client_as("village_clerk")

    awarded = client.post(
        "/api/v1/point-entries/",
        {"member": member.pk, "activity": "volunteer", "earned_on": "2026-04-02", "note": "清理河涌"},
        format="json",
    )
    client_as("district_admin").patch(f"/api/v1/point-rules/{rule.pk}/", {"points": 9}, format="json")
    listed = results_of(client.get("/api/v1/point-entries/", {"member": member.pk}))

    assert awarded.status_code == 201, awarded.content
    assert awarded.json() == {
        "id": awarded.json()["id"],
        "branch": w.VILLAGE,
        "member": member.pk,
        "member_name": "黄丽",
        "activity": "volunteer",
        "points": 4,
        "earned_on": "2026-04-02",
        "note": "清理河涌",
    }
    assert [row["points"] for row in listed] == [4]


def test_an_activity_without_a_rule_in_the_district_is_a_400_on_activity(world):
    PointRuleFactory(district=division(w.FAR_DISTRICT), activity=PointActivity.VISIT, points=4)
    member = PartyMembershipFactory(branch=division(w.VILLAGE))

    response = client_as("village_clerk").post(
        "/api/v1/point-entries/", {"member": member.pk, "activity": "visit"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"activity": ["本区尚未设定“走访”的积分规则，不能记分。"]}
    assert not PointEntry.objects.exists()


def test_bad_input_is_a_field_error_in_chinese_never_a_500(world):
    client = client_as("village_clerk")

    no_member = client.post("/api/v1/point-entries/", {"activity": "visit"}, format="json")
    bad_day = client.post("/api/v1/point-entries/", {"member": 1, "activity": "visit", "earned_on": "x"}, format="json")
    no_name = client.post("/api/v1/service-posts/", {"division": w.VILLAGE}, format="json")
    in_a_town = client_as("district_admin").post(
        "/api/v1/service-posts/", {"division": w.TOWN, "name": "岗"}, format="json"
    )

    assert no_member.status_code == 400 and no_member.json() == {"member": ["该字段是必填项。"]}
    assert bad_day.status_code == 400 and list(bad_day.json()) == ["earned_on"]
    assert no_name.status_code == 400 and list(no_name.json()) == ["name"]
    assert in_a_town.status_code == 400 and in_a_town.json() == {"division": ["服务岗设在村（社区）。"]}


def test_a_second_post_of_the_same_name_in_a_village_is_a_400_on_name(post):
    client = client_as("village_clerk")
    other = ServicePostFactory(division=post.division, name="环境监督岗")

    created = client.post("/api/v1/service-posts/", {"division": w.VILLAGE, "name": "政策宣传岗"}, format="json")
    renamed = client.patch(f"/api/v1/service-posts/{other.pk}/", {"name": "政策宣传岗"}, format="json")

    assert created.status_code == 400 and created.json() == {"name": ["本村（社区）已有同名服务岗。"]}
    assert renamed.status_code == 400 and renamed.json() == {"name": ["本村（社区）已有同名服务岗。"]}


def test_villager_points_need_a_person_of_the_village(world):
    stranger = PersonFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    ours = PersonFactory(division=division(w.COOPERATIVE), name="梁伯")
    client = client_as("district_admin")

    refused = client.post(
        "/api/v1/villager-points/", {"division": w.VILLAGE, "person": stranger.pk, "points": 2}, format="json"
    )
    recorded = client.post(
        "/api/v1/villager-points/",
        {"division": w.VILLAGE, "person": ours.pk, "points": 2, "earned_on": "2026-05-01"},
        format="json",
    )

    assert refused.status_code == 400 and refused.json() == {"person": ["该村民不在本村（社区）登记。"]}
    assert recorded.status_code == 201, recorded.content
    assert {key: recorded.json()[key] for key in ("division", "person_name", "points")} == {
        "division": w.VILLAGE,
        "person_name": "梁伯",
        "points": 2,
    }


def test_the_lists_filter_by_division_subtree_current_activity_and_days(world):
    here = PostClaimFactory(post=ServicePostFactory(division=division(w.VILLAGE)))
    there = PostClaimFactory(
        post=ServicePostFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN)), left_on=D(2026, 1, 9)
    )
    early = PointEntryFactory(member=here.member, earned_on=D(2026, 1, 2))
    late = PointEntryFactory(member=there.member, activity=PointActivity.VISIT, earned_on=D(2026, 6, 2))
    client = client_as("town_official")

    def ids(url, **params):
        return [row["id"] for row in results_of(client.get(url, params))]

    assert ids("/api/v1/post-claims/", division=w.VILLAGE) == [here.pk]
    assert ids("/api/v1/post-claims/", division=w.TOWN, current="true") == [here.pk]
    assert ids("/api/v1/post-claims/", current="false") == [there.pk]
    assert ids("/api/v1/point-entries/", activity="visit") == [late.pk]
    assert ids("/api/v1/point-entries/", earned_to="2026-03-01") == [early.pk]
    assert ids("/api/v1/point-entries/", division=w.OTHER_VILLAGE_SAME_TOWN) == [late.pk]
    assert ids("/api/v1/service-posts/", division=w.OTHER_TOWN) == []


def test_another_towns_records_are_404_to_read_and_to_act_on(world):
    claim = PostClaimFactory(post=ServicePostFactory(division=division(w.OTHER_TOWN_VILLAGE)))
    entry = PointEntryFactory(member=claim.member)
    client = client_as("town_official")

    assert client.get(f"/api/v1/post-claims/{claim.pk}/").status_code == 404
    assert client.get(f"/api/v1/point-entries/{entry.pk}/").status_code == 404
    assert client.get(f"/api/v1/service-posts/{claim.post_id}/").status_code == 404
    assert (
        client_as("village_clerk").post(f"/api/v1/post-claims/{claim.pk}/leave/", {}, format="json").status_code == 404
    )


# --- 4. Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/service-posts/",
        "/api/v1/post-claims/",
        "/api/v1/point-entries/",
        "/api/v1/point-rules/",
        "/api/v1/villager-points/",
    ],
)
def test_a_list_costs_the_same_queries_for_1_row_as_for_many(world, url):
    """Pinned (the grants cached on the user): the page's count and the page."""
    activities = list(PointActivity)
    PointRuleFactory(district=division(w.DISTRICT), activity=activities[0])
    claim = PostClaimFactory()
    PointEntryFactory(member=claim.member)
    VillagerPointEntryFactory()
    client = client_as("town_official")
    client.get(url)  # the grants, cached on the user
    one_queries, one_rows = queries_and_rows(client, url)

    for number in range(1, 4):
        PointRuleFactory(district=division(w.DISTRICT), activity=activities[number])
        more = PostClaimFactory(post=ServicePostFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN)))
        PointEntryFactory(member=more.member)
        VillagerPointEntryFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN))
    many_queries, many_rows = queries_and_rows(client, url)

    assert many_rows > one_rows
    assert many_queries == one_queries
    assert one_queries == 2
