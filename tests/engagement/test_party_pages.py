"""The party members' service pages: the access matrix of every page (each role inside and
outside its jurisdiction, the outsider, the anonymous visitor), the district's point rules read
from below and written by its administrator, claims, leaving and points through the forms with
their refusals on the form's fields in Chinese, the home page's count of members without a post,
the dashboard's panel, and pinned query counts that do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import PointActivity
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost
from engagement.pages.panels import party as panel_module
from engagement.testing.factories import (
    PointEntryFactory,
    PointRuleFactory,
    PostClaimFactory,
    ServicePostFactory,
    VillagerPointEntryFactory,
)
from governance import clock
from governance.periods import Period
from governance.testing import world as w
from governance.testing.pages import ROLES, PageAccessTests, queries_for, signed_in_client
from villages.models import Division
from villages.testing.factories import PartyMembershipFactory, PersonFactory, division

pytestmark = pytest.mark.django_db
D = datetime.date

VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
WRITERS = {"district_admin", "village_clerk"}
RULE_READERS = {"district_admin", "town_official", "village_clerk", "inspector", "report_reader"}


def village_of(code: str) -> str:
    return code[:12]


def post_in(code: str) -> ServicePost:
    """A post in the village of `code` (a cooperative's: its village's), named after the code, with
    a member of the village who holds no post (`spare`)."""
    post = ServicePostFactory(division=division(village_of(code)), name=f"岗{code}")
    post.spare = PartyMembershipFactory(branch=post.division, person__name=f"党员{code}")
    return post


def rules():
    for district in (w.DISTRICT, w.FAR_DISTRICT):
        PointRuleFactory(district=division(district), activity=PointActivity.ACTIVITY, points=5)


# --- access ------------------------------------------------------------------------------------------


class TestPostListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:party_posts")

    def make_object(self, code):
        return post_in(code)

    def marker(self, post):
        return post.name


class TestVillagePostsPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, post):
        return reverse("engagement:party_village_posts", args=[post.division_id])

    def make_object(self, code):
        return post_in(code)


class TestPostCreatePage(PageAccessTests):
    viewers = VIEWERS
    posters = WRITERS

    def url(self, post):
        return reverse("engagement:party_post_add", args=[post.division_id])

    def make_object(self, code):
        return post_in(code)

    def post_data(self, post):
        return {"name": "新设政策宣传岗", "duty": "宣讲政策"}


class TestClaimCreatePage(PageAccessTests):
    viewers = VIEWERS
    posters = WRITERS

    def url(self, post):
        return reverse("engagement:party_claim_add", args=[post.division_id]) + f"?post={post.pk}"

    def make_object(self, code):
        return post_in(code)

    def post_data(self, post):
        return {"post": post.pk, "member": post.spare.pk, "claimed_on": "2026-01-05"}


class TestLeavePostPage(PageAccessTests):
    viewers = VIEWERS
    posters = WRITERS

    def url(self, claim):
        return reverse("engagement:party_claim_leave", args=[claim.pk])

    def make_object(self, code):
        post = post_in(code)
        return PostClaimFactory(post=post, member=post.spare)

    def post_data(self, claim):
        return {"left_on": "2026-02-01"}


class TestMembersWithoutPostPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:party_members_without_post")

    def make_object(self, code):
        return post_in(code).spare

    def marker(self, member):
        return member.person.name


class TestPointListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:party_points")

    def make_object(self, code):
        return PointEntryFactory(member=post_in(code).spare, note=f"记分{code}")

    def marker(self, entry):
        return entry.note


class TestAwardPointsPage(PageAccessTests):
    viewers = VIEWERS
    posters = WRITERS

    def url(self, post):
        return reverse("engagement:party_points_award", args=[post.division_id])

    def make_object(self, code):
        rules()
        return post_in(code)

    def post_data(self, post):
        return {"member": post.spare.pk, "activity": "activity", "earned_on": "2026-01-06", "note": ""}


class TestPioneerIndexPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, post):
        return reverse("engagement:party_pioneer_index") + f"?division={post.division_id}&period=2025"

    def make_object(self, code):
        return post_in(code)


class TestVillagerPointListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:party_villager_points")

    def make_object(self, code):
        return VillagerPointEntryFactory(division=division(village_of(code)), note=f"村民积分{code}")

    def marker(self, entry):
        return entry.note


class TestVillagerPointsCreatePage(PageAccessTests):
    viewers = VIEWERS
    posters = WRITERS

    def url(self, person):
        return reverse("engagement:party_villager_points_add", args=[village_of(person.division_id)])

    def make_object(self, code):
        return PersonFactory(division=division(village_of(code)))

    def post_data(self, person):
        return {"person": person.pk, "points": "3", "earned_on": "2026-01-06", "note": "垃圾分类"}


# --- point rules: the district's data ------------------------------------------------------------------


@pytest.fixture
def district_rules(world):
    ours = PointRuleFactory(
        district=division(w.DISTRICT), activity=PointActivity.VISIT, points=3, description="本区走访"
    )
    theirs = PointRuleFactory(
        district=division(w.FAR_DISTRICT), activity=PointActivity.VISIT, points=4, description="外区走访"
    )
    return ours, theirs


@pytest.mark.parametrize("who", ROLES)
def test_the_rules_page_shows_the_districts_rules_to_whoever_works_in_it(district_rules, world, who):
    text = signed_in_client(world.user(who)).get(reverse("engagement:party_point_rules")).text

    assert ("本区走访" in text) is (who in RULE_READERS)
    assert "外区走访" not in text
    assert ("新建积分规则" in text) is (who == "district_admin")


@pytest.mark.parametrize("who", ROLES)
def test_only_the_districts_administrator_adds_and_changes_rules_the_readers_get_403(district_rules, world, who):
    ours, theirs = district_rules
    client = signed_in_client(world.user(who))

    add = client.post(
        reverse("engagement:party_point_rule_add"), {"district": w.DISTRICT, "activity": "contact", "points": "2"}
    )
    edit = client.post(
        reverse("engagement:party_point_rule_edit", args=[ours.pk]),
        {"district": w.DISTRICT, "activity": "visit", "points": "6"},
    )
    far = client.get(reverse("engagement:party_point_rule_edit", args=[theirs.pk]))

    if who == "district_admin":
        expected = (302, 302, 404)
    elif who in RULE_READERS:
        expected = (403, 403, 404)
    else:
        expected = (404, 404, 404)
    assert (add.status_code, edit.status_code, far.status_code) == expected
    ours.refresh_from_db()
    assert ours.points == (6 if who == "district_admin" else 3)
    assert PointRule.objects.filter(activity="contact").count() == (1 if who == "district_admin" else 0)


def test_a_second_rule_for_an_activity_is_refused_on_the_field(district_rules, world):
    response = signed_in_client(world.user("district_admin")).post(
        reverse("engagement:party_point_rule_add"), {"district": w.DISTRICT, "activity": "visit", "points": "2"}
    )

    assert response.status_code == 200
    assert "本区已有该积分项目的规则。" in response.text
    assert PointRule.objects.filter(district_id=w.DISTRICT).count() == 1


# --- the flows through the forms --------------------------------------------------------------------


def test_a_village_clerk_sets_a_post_a_member_claims_it_then_leaves_it(world):
    member = PartyMembershipFactory(branch=division(w.VILLAGE), person__name="陈志强")
    client = signed_in_client(world.user("village_clerk"))
    page = reverse("engagement:party_village_posts", args=[w.VILLAGE])

    before = client.get(page).text
    client.post(reverse("engagement:party_post_add", args=[w.VILLAGE]), {"name": "政策宣传岗", "duty": ""})
    post = ServicePost.objects.get(division_id=w.VILLAGE)
    claimed = client.post(
        reverse("engagement:party_claim_add", args=[w.VILLAGE]),
        {"post": post.pk, "member": member.pk, "claimed_on": "2026-01-05"},
    )
    during = client.get(page).text
    claim = PostClaim.objects.get(post=post)
    left = client.post(reverse("engagement:party_claim_leave", args=[claim.pk]), {"left_on": "2026-02-01"})
    claim.refresh_from_db()

    assert 'id="without-post"' in before and "陈志强" in before
    assert claimed.url == page and left.url == page
    assert 'id="all-claimed"' in during and "政策宣传岗" in during
    assert claim.left_on == D(2026, 2, 1)


def test_a_claim_twice_and_a_leave_before_the_claim_are_refused_on_their_fields(world):
    claim = PostClaimFactory(post=ServicePostFactory(division=division(w.VILLAGE)), claimed_on=D(2025, 3, 1))
    client = signed_in_client(world.user("village_clerk"))

    twice = client.post(
        reverse("engagement:party_claim_add", args=[w.VILLAGE]),
        {"post": claim.post_id, "member": claim.member_id, "claimed_on": "2026-01-05"},
    )
    early = client.post(reverse("engagement:party_claim_leave", args=[claim.pk]), {"left_on": "2025-02-01"})

    assert twice.status_code == 200 and "该党员已认领此服务岗。" in twice.text
    assert early.status_code == 200 and "离岗日期不能早于认岗日期。" in early.text
    assert PostClaim.objects.count() == 1 and PostClaim.objects.get().left_on is None


def test_points_are_awarded_on_the_phone_form_from_the_districts_rule(world):
    PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.VOLUNTEER, points=4)
    member = PartyMembershipFactory(branch=division(w.VILLAGE), person__name="黄丽")
    client = signed_in_client(world.user("village_clerk"))
    url = reverse("engagement:party_points_award", args=[w.VILLAGE])

    form = client.get(url).text
    awarded = client.post(url, {"member": member.pk, "activity": "volunteer", "earned_on": "2026-04-02", "note": ""})
    refused = client.post(url, {"member": member.pk, "activity": "visit", "earned_on": "2026-04-02", "note": ""})

    assert "form-select-lg" in form and "志愿服务 4" in form
    assert f'value="{clock.today().isoformat()}"' in form  # the day: today unless changed
    assert awarded.status_code == 302
    assert list(PointEntry.objects.values_list("points", flat=True)) == [4]
    assert refused.status_code == 200 and "本区尚未设定“走访”的积分规则，不能记分。" in refused.text


def test_the_pioneer_index_page_shows_each_branch_then_its_members(world):
    first = PartyMembershipFactory(branch=division(w.VILLAGE), person__name="陈一")
    PartyMembershipFactory(branch=division(w.VILLAGE), person__name="李二")
    PointEntryFactory(member=first, points=6, earned_on=D(2025, 5, 1))
    client = signed_in_client(world.user("town_official"))

    text = client.get(reverse("engagement:party_pioneer_index") + f"?division={w.TOWN}&period=2025").text
    other_town = client.get(reverse("engagement:party_pioneer_index") + f"?division={w.OTHER_TOWN}&period=2025")

    assert "罗村村委会" in text and "200.0" in text and "人均（党组织指数） 3.0" in text
    assert other_town.status_code == 404


def test_the_home_page_counts_the_members_without_a_post_for_who_records_claims(world):
    holder = PartyMembershipFactory(branch=division(w.VILLAGE))
    PostClaimFactory(post=ServicePostFactory(division=division(w.VILLAGE)), member=holder)
    PartyMembershipFactory(branch=division(w.VILLAGE))
    PartyMembershipFactory(branch=division(w.VILLAGE))
    PartyMembershipFactory(branch=division(w.OTHER_VILLAGE_SAME_TOWN))

    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home")).text
    admin = signed_in_client(world.user("district_admin")).get(reverse("home")).text
    official = signed_in_client(world.user("town_official")).get(reverse("home")).text

    assert "2 名党员尚未认领服务岗。" in clerk
    assert "3 名党员尚未认领服务岗。" in admin
    assert "名党员尚未认领服务岗" not in official  # reads claims, records none


def test_the_nav_shows_the_party_pages_to_who_views_them(world):
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home")).text
    reader = signed_in_client(world.user("report_reader")).get(reverse("home")).text

    assert reverse("engagement:party_posts") in clerk and reverse("engagement:party_pioneer_index") in clerk
    assert reverse("engagement:party_posts") not in reader and reverse("engagement:party_point_rules") in reader


# --- the dashboard's panel ----------------------------------------------------------------------------


def test_the_panel_gives_each_village_its_share_against_100_and_the_top_branches(world):
    for _ in range(2):
        PostClaimFactory(post=ServicePostFactory(division=division(w.VILLAGE)))
    idle = PartyMembershipFactory(branch=division(w.OTHER_VILLAGE_SAME_TOWN))
    PostClaimFactory(post=ServicePostFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN)))
    PointEntryFactory(member=idle, points=8, earned_on=D(2025, 4, 1))
    town = Division.objects.get(code=w.TOWN)

    shown = panel_module.panel(world.user("town_official"), town, Period.parse("2025"))
    page = signed_in_client(world.user("town_official")).get(
        reverse("engagement:dashboard") + f"?division={w.TOWN}&period=2025"
    )

    assert [(row["code"], row["share"], row["target_met"]) for row in shown["rows"]] == [
        (w.VILLAGE, 100.0, True),
        (w.OTHER_VILLAGE_SAME_TOWN, 50.0, False),
    ]
    assert shown["charts"][0]["values"] == [100.0, 50.0] and shown["charts"][0]["target"] == 100
    assert [(row["code"], row["index"]) for row in shown["top_branches"]] == [
        (w.OTHER_VILLAGE_SAME_TOWN, 4.0),
        (w.VILLAGE, 0.0),
    ]
    assert 'id="panel-party"' in page.text and "chart-party-posts" in page.text


def test_the_panel_is_left_out_for_who_views_no_post(world):
    district = Division.objects.get(code=w.DISTRICT)

    assert panel_module.panel(world.user("report_reader"), district, Period.parse("2025")) is None


def test_the_panel_costs_fixed_queries_whatever_the_units_and_members(world, django_assert_num_queries):
    user = world.user("town_official")
    town = Division.objects.get(code=w.TOWN)
    PostClaimFactory()
    panel_module.panel(user, town, Period.parse("2025"))  # the grants, cached on the user
    for number in range(3, 8):
        claim = PostClaimFactory(post=ServicePostFactory(division=division(f"{w.TOWN}{number:03d}")))
        PointEntryFactory(member=claim.member)

    with django_assert_num_queries(3):
        shown = panel_module.panel(user, town, Period.parse("2025"))

    assert len(shown["rows"]) == 7


# --- query counts ---------------------------------------------------------------------------------


def fill(count: int, start: int = 0) -> None:
    PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.ACTIVITY)
    for number in range(start, start + count):
        code = f"{w.TOWN}{number + 1:03d}"
        claim = PostClaimFactory(post=ServicePostFactory(division=division(code), name=f"岗{number}"))
        PartyMembershipFactory(branch=division(code))
        PointEntryFactory(member=claim.member)
        VillagerPointEntryFactory(division=division(code))


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("engagement:party_posts", 5),
        ("engagement:party_points", 5),
        ("engagement:party_villager_points", 5),
        ("engagement:party_members_without_post", 5),
        ("engagement:party_point_rules", 4),
        ("engagement:party_pioneer_index", 5),
        ("engagement:party_village_posts", 7),
    ],
)
def test_a_page_costs_the_same_queries_for_one_row_and_for_many(world, url, pinned):
    client = signed_in_client(world.user("district_admin"))
    fill(1)
    address = reverse(url, args=[w.VILLAGE]) if url == "engagement:party_village_posts" else reverse(url)
    if url == "engagement:party_pioneer_index":
        address += f"?division={w.TOWN}&period=2025"
    one = queries_for(client, address)
    fill(6, start=1)
    for _ in range(4):
        PostClaimFactory(post=ServicePostFactory(division=division(w.VILLAGE)))

    assert queries_for(client, address) == one == pinned
