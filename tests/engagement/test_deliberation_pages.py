"""The deliberation pages (issue 18, deliberation point 4): the access matrix of every page (each role
inside and outside its jurisdiction, the outsider, the anonymous visitor), the forms posting to the
services with their refusals on the form's fields in Chinese (four eyes: the proposer never
pre-reviews), the topics' tabs and counts, the catalogue read from above and kept by the district,
the home page's count, the navigation, the dashboard's panel, and pinned query counts that do not
grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import TopicStatus
from engagement.models import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from engagement.pages.panels.deliberation import panel
from engagement.testing.factories import (
    BodyMemberFactory,
    CatalogueEntryFactory,
    MeetingFactory,
    TopicFactory,
    body_in,
)
from governance.periods import Period
from governance.testing import world as w
from governance.testing.factories import UserFactory
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from rights_lists.testing.factories import decision_on
from villages.testing.factories import PersonFactory, division

pytestmark = pytest.mark.django_db

D = datetime.date
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
KEEPERS = {"district_admin", "village_clerk"}
REVIEWERS = {"district_admin", "town_official"}
# Whoever works over the village (whatever their role) may open a write page's address there.
OVER_THE_VILLAGE = VIEWERS | {"grid_worker", "report_reader"}
CATALOGUE_READERS = {"district_admin", "town_official", "village_clerk", "inspector", "report_reader"}


def village_of(code: str) -> str:
    return code[:12]


def body_of(code: str) -> DeliberationBody:
    village = village_of(code)
    return body_in(village, name=f"议事会{village}")


def approved_topic(code: str) -> Topic:
    topic = TopicFactory(
        body=body_of(code),
        title=f"议题{code}",
        status=TopicStatus.APPROVED,
        reviewed_on=D(2026, 3, 3),
        reviewed_by=UserFactory(),
    )
    topic.meeting_for_test = MeetingFactory(body=topic.body, held_on=D(2026, 3, 10))
    return topic


# --- access -----------------------------------------------------------------------------------------


class TestBodyListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:deliberation_bodies")

    def make_object(self, code):
        return body_of(code)

    def marker(self, body):
        return body.name


class TestVillageBodyPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, body):
        return reverse("engagement:deliberation_village", args=[body.division_id])

    def make_object(self, code):
        return body_of(code)


class TestBodyCreatePage(PageAccessTests):
    viewers = OVER_THE_VILLAGE
    posters = KEEPERS

    def url(self, village):
        return reverse("engagement:deliberation_body_add", args=[village.code])

    def make_object(self, code):
        return division(village_of(code))

    def post_data(self, village):
        return {"name": "村民议事会", "rules": "每月议事一次。", "formed_on": "2025-01-01"}


class TestBodyEditPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, body):
        return reverse("engagement:deliberation_body_edit", args=[body.pk])

    def make_object(self, code):
        return body_of(code)

    def post_data(self, body):
        return {"name": f"{body.name}（改）", "rules": "", "formed_on": "2024-01-01"}


class TestMemberAddPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, body):
        return reverse("engagement:deliberation_member_add", args=[body.pk])

    def make_object(self, code):
        body = body_of(code)
        body.candidate = PersonFactory(division=body.division)
        return body

    def post_data(self, body):
        return {"person": body.candidate.pk, "role": "乡贤"}


class TestMeetingAddPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, body):
        return reverse("engagement:deliberation_meeting_add", args=[body.pk])

    def make_object(self, code):
        return body_of(code)

    def post_data(self, body):
        return {"held_on": "2026-01-06", "attendance": "12", "minutes": "议定村道修缮方案"}


class TestMeetingListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:deliberation_meetings")

    def make_object(self, code):
        return MeetingFactory(body=body_of(code), minutes=f"纪要{code}")

    def marker(self, meeting):
        return meeting.minutes


class TestTopicListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:deliberation_topics")

    def make_object(self, code):
        return TopicFactory(body=body_of(code), title=f"议题{code}")

    def marker(self, topic):
        return topic.title


class TestTopicReviewPage(PageAccessTests):
    viewers = VIEWERS
    posters = REVIEWERS

    def url(self, topic):
        return reverse("engagement:deliberation_topic_review", args=[topic.pk])

    def make_object(self, code):
        return TopicFactory(body=body_of(code), title=f"议题{code}")

    def post_data(self, topic):
        return {"approved": "true", "reviewed_on": "2026-03-03", "note": ""}


class TestTopicDeliberatePage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, topic):
        return reverse("engagement:deliberation_topic_deliberate", args=[topic.pk])

    def make_object(self, code):
        return approved_topic(code)

    def post_data(self, topic):
        return {"meeting": topic.meeting_for_test.pk, "outcome": "agreed", "decision": ""}


class TestCatalogueEntryEditPage(PageAccessTests):
    # The entry is the district's: viewed through the tree by who works over the district.
    viewers = {"district_admin", "inspector", "report_reader"}
    posters = {"district_admin"}

    def url(self, entry):
        return reverse("engagement:deliberation_catalogue_edit", args=[entry.pk])

    def make_object(self, code):
        return CatalogueEntryFactory(district=division(code[:6]), title=f"类别{code}")

    def post_data(self, entry):
        return {"title": f"{entry.title}（改）", "description": "", "active": "on"}


class TestCatalogueEntryCreatePage(PageAccessTests):
    viewers = {"district_admin", "inspector", "report_reader"}
    posters = {"district_admin"}

    def url(self, district):
        return reverse("engagement:deliberation_catalogue_add", args=[district.code])

    def make_object(self, code):
        return division(code[:6])

    def post_data(self, district):
        return {"title": "新的议题类别", "description": "", "active": "on"}


@pytest.mark.parametrize("who", sorted(w.ROLE_HOME))
def test_the_catalogue_page_shows_the_districts_entries_to_whoever_reads_them(world, who):
    ours = CatalogueEntryFactory(district=division(w.DISTRICT), title="村内道路建设")
    CatalogueEntryFactory(district=division(w.FAR_DISTRICT), title="远方的类别")

    response = signed_in_client(world.user(who)).get(reverse("engagement:deliberation_catalogue"))

    if who in CATALOGUE_READERS:
        assert response.status_code == 200
        assert ours.title in response.text and "远方的类别" not in response.text
        edit = reverse("engagement:deliberation_catalogue_edit", args=[ours.pk])
        assert (edit in response.text) == (who == "district_admin")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", sorted(w.ROLE_HOME))
def test_the_propose_page_is_for_who_may_propose_topics(world, who):
    body_of(w.VILLAGE)

    response = signed_in_client(world.user(who)).get(reverse("engagement:deliberation_topic_propose"))

    assert response.status_code == (200 if who in KEEPERS else 404)


# --- the forms and their services -------------------------------------------------------------------


def test_a_clerk_proposes_a_topic_from_the_catalogue_and_the_town_pre_reviews_it(world):
    body = body_of(w.VILLAGE)
    entry = CatalogueEntryFactory(district=division(w.DISTRICT), title="村内道路建设")
    CatalogueEntryFactory(district=division(w.DISTRICT), title="停用的类别", active=False)
    clerk = signed_in_client(world.user("village_clerk"))

    form = clerk.get(reverse("engagement:deliberation_topic_propose"))
    proposed = clerk.post(
        reverse("engagement:deliberation_topic_propose"),
        {"body": body.pk, "entry": entry.pk, "title": "修缮村道", "proposed_on": "2026-03-02"},
    )
    topic = Topic.objects.get(title="修缮村道")
    own_list = clerk.get(reverse("engagement:deliberation_topics_to_review"))
    official = signed_in_client(world.user("town_official"))
    listed = official.get(reverse("engagement:deliberation_topics_to_review"))
    reviewed = official.post(
        reverse("engagement:deliberation_topic_review", args=[topic.pk]),
        {"approved": "true", "reviewed_on": "2026-03-03", "note": "符合目录"},
    )

    assert "村内道路建设" in form.text and "停用的类别" not in form.text
    assert proposed.status_code == 302 and proposed.url == reverse("engagement:deliberation_topics_to_review")
    review_url = reverse("engagement:deliberation_topic_review", args=[topic.pk])
    assert review_url not in own_list.text  # the clerk may not review
    assert review_url in listed.text
    assert reviewed.status_code == 302
    topic.refresh_from_db()
    assert (topic.status, topic.reviewed_by) == (TopicStatus.APPROVED, world.user("town_official"))


def test_the_proposer_is_never_offered_the_pre_review_and_is_refused_it(world):
    admin = world.user("district_admin")
    topic = TopicFactory(body=body_of(w.VILLAGE), proposed_by=admin, title="自己提出的议题")
    client = signed_in_client(admin)

    listed = client.get(reverse("engagement:deliberation_topics"))
    refused = client.post(
        reverse("engagement:deliberation_topic_review", args=[topic.pk]),
        {"approved": "true", "reviewed_on": "2026-03-03"},
    )

    assert "自己提出的议题" in listed.text
    assert reverse("engagement:deliberation_topic_review", args=[topic.pk]) not in listed.text
    assert refused.status_code == 403
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.PROPOSED


def test_a_rejection_without_a_reason_is_the_forms_error_in_chinese(world):
    topic = TopicFactory(body=body_of(w.VILLAGE))

    response = signed_in_client(world.user("town_official")).post(
        reverse("engagement:deliberation_topic_review", args=[topic.pk]),
        {"approved": "false", "reviewed_on": "2026-03-03", "note": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["预审未通过须说明理由。"]


def test_a_step_out_of_order_on_a_page_names_the_state(world):
    topic = TopicFactory(body=body_of(w.VILLAGE), title="未预审的议题")
    meeting = MeetingFactory(body=topic.body)

    response = signed_in_client(world.user("village_clerk")).post(
        reverse("engagement:deliberation_topic_deliberate", args=[topic.pk]),
        {"meeting": meeting.pk, "outcome": "agreed"},
    )

    assert response.status_code == 200
    assert "只有预审通过的议题才能提交协商（当前状态：已提出）。" in response.text


def test_the_deliberation_form_links_a_decision_only_when_the_outcome_needs_one(world):
    topic = approved_topic(w.VILLAGE)
    decision = decision_on(w.VILLAGE)
    client = signed_in_client(world.user("village_clerk"))
    url = reverse("engagement:deliberation_topic_deliberate", args=[topic.pk])

    refused = client.post(url, {"meeting": topic.meeting_for_test.pk, "outcome": "agreed", "decision": decision.pk})
    linked = client.post(
        url, {"meeting": topic.meeting_for_test.pk, "outcome": "needs_decision", "decision": decision.pk}
    )

    assert refused.context["form"].errors["decision"] == ["只有需按“四议两公开”决策的议题才关联决策。"]
    assert linked.status_code == 302
    topic.refresh_from_db()
    assert (topic.status, topic.decision_id, topic.meeting_id) == (
        TopicStatus.DELIBERATED,
        decision.pk,
        topic.meeting_for_test.pk,
    )


def test_a_clerk_sets_up_the_body_adds_a_member_and_records_a_meeting(world):
    client = signed_in_client(world.user("village_clerk"))
    person = PersonFactory(division=division(w.VILLAGE), name="陈大文")

    created = client.post(
        reverse("engagement:deliberation_body_add", args=[w.VILLAGE]),
        {"name": "罗村议事会", "rules": "每月议事一次。", "formed_on": "2025-01-01"},
    )
    body = DeliberationBody.objects.get(division_id=w.VILLAGE)
    joined = client.post(
        reverse("engagement:deliberation_member_add", args=[body.pk]), {"person": person.pk, "role": "乡贤"}
    )
    future = client.post(
        reverse("engagement:deliberation_meeting_add", args=[body.pk]), {"held_on": "2999-01-01", "attendance": "0"}
    )
    page = client.get(reverse("engagement:deliberation_village", args=[w.VILLAGE]))
    again = client.get(reverse("engagement:deliberation_body_add", args=[w.VILLAGE]))

    assert created.status_code == 302 and joined.status_code == 302
    assert BodyMember.objects.get(body=body).person == person
    assert future.context["form"].errors == {"held_on": ["日期不能晚于今天。"], "attendance": ["参会人数至少为1人。"]}
    assert not Meeting.objects.exists()
    assert "陈大文" in page.text and "每月议事一次。" in page.text
    assert again.status_code == 403  # one body per village


def test_a_village_without_a_body_says_so_and_offers_to_set_one_up(world):
    division(w.VILLAGE)

    clerk = signed_in_client(world.user("village_clerk")).get(
        reverse("engagement:deliberation_village", args=[w.VILLAGE])
    )
    official = signed_in_client(world.user("town_official")).get(
        reverse("engagement:deliberation_village", args=[w.VILLAGE])
    )

    add = reverse("engagement:deliberation_body_add", args=[w.VILLAGE])
    assert 'id="no-body"' in clerk.text and add in clerk.text
    assert 'id="no-body"' in official.text and add not in official.text


def test_the_district_admin_keeps_the_catalogue(world):
    client = signed_in_client(world.user("district_admin"))
    CatalogueEntryFactory(district=division(w.DISTRICT), title="人居环境整治")
    url = reverse("engagement:deliberation_catalogue_add", args=[w.DISTRICT])

    twice = client.post(url, {"title": "人居环境整治", "description": ""})
    added = client.post(url, {"title": "集体资产管理", "description": "", "active": "on"})

    assert twice.context["form"].errors["title"] == ["本区的指导目录已有该议题类别。"]
    assert added.status_code == 302
    assert CatalogueEntry.objects.get(title="集体资产管理").district_id == w.DISTRICT


# --- tabs, home, navigation, dashboard ---------------------------------------------------------------


def test_the_topic_tabs_count_each_state(world):
    body = body_of(w.VILLAGE)
    TopicFactory(body=body)
    TopicFactory(body=body)
    approved_topic(w.VILLAGE)
    TopicFactory(body=body, status=TopicStatus.REJECTED, reviewed_by=UserFactory(), review_note="不符")
    client = signed_in_client(world.user("town_official"))

    response = client.get(reverse("engagement:deliberation_topics_to_deliberate"))

    counts = {each["tab"].key: each["count"] for each in response.context["tabs"]}
    assert counts == {"to_review": 2, "to_deliberate": 1, "done": 1, "all": 4}
    assert [topic.status for topic in response.context["object_list"]] == [TopicStatus.APPROVED]


def test_the_home_page_counts_the_topics_waiting_for_the_reviewers_pre_review(world):
    official_user = world.user("town_official")
    TopicFactory(body=body_of(w.VILLAGE))
    TopicFactory(body=body_of(w.OTHER_VILLAGE_SAME_TOWN))
    TopicFactory(body=body_of(w.VILLAGE), proposed_by=official_user)  # their own: not theirs to review
    TopicFactory(body=body_of(w.OTHER_TOWN_VILLAGE))  # another town
    approved_topic(w.VILLAGE)

    official = signed_in_client(official_user).get(reverse("home"))
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home"))

    assert official.context["pending_counts"]["deliberation_topics_to_review"] == 2
    assert "2 个协商议题待预审。" in official.text
    assert reverse("engagement:deliberation_topics_to_review") in official.text
    assert clerk.context["pending_counts"]["deliberation_topics_to_review"] == 0


def test_the_navigation_shows_the_deliberation_pages_to_whom_they_are_for(world):
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home")).text
    reader = signed_in_client(world.user("report_reader")).get(reverse("home")).text
    worker = signed_in_client(world.user("grid_worker")).get(reverse("home")).text

    for name in ("deliberation_topics", "deliberation_bodies", "deliberation_meetings", "deliberation_catalogue"):
        assert reverse(f"engagement:{name}") in clerk
    assert reverse("engagement:deliberation_catalogue") in reader
    assert reverse("engagement:deliberation_topics") not in reader
    assert reverse("engagement:deliberation_topics") not in worker


def test_the_dashboard_panel_sets_each_villages_body_against_the_100_percent_target(world, django_assert_num_queries):
    division(f"{w.TOWN}003")
    body_of(w.VILLAGE)
    TopicFactory(body=body_of(w.VILLAGE), proposed_on=D(2026, 3, 2))
    user = world.user("town_official")
    town = division(w.TOWN)
    panel(user, town, Period.parse("2026"))  # the grants, cached on the user

    with django_assert_num_queries(3):
        shown = panel(user, town, Period.parse("2026"))

    rows = {row["code"]: row for row in shown["rows"]}
    assert (rows[w.VILLAGE]["share"], rows[w.VILLAGE]["met"]) == (100.0, True)
    assert (rows[f"{w.TOWN}003"]["share"], rows[f"{w.TOWN}003"]["met"]) == (0.0, False)
    assert rows[w.VILLAGE]["statuses"][0] == 1  # one proposed
    assert shown["missed"] == 2  # …002 and …003 have no body
    assert shown["charts"][0]["target"] == 100 and shown["charts"][0]["values"][0] == 100.0
    for number in range(4, 9):
        body_of(f"{w.TOWN}{number:03d}")
    with django_assert_num_queries(3):
        assert len(panel(user, town, Period.parse("2026"))["rows"]) == 8
    assert panel(world.user("report_reader"), town, Period.parse("2026")) is None


def test_the_dashboard_page_shows_the_panel_and_its_chart_data(world):
    body_of(w.VILLAGE)

    response = signed_in_client(world.user("town_official")).get(
        reverse("engagement:dashboard"), {"division": w.TOWN, "period": "2026"}
    )

    assert response.status_code == 200
    assert 'id="panel-deliberation"' in response.text and "chart-deliberation-coverage" in response.text


# --- pinned query counts -------------------------------------------------------------------------


def many_records(start: int, count: int) -> None:
    for number in range(start, start + count):
        body = body_of(f"{w.TOWN}{number:03d}")
        MeetingFactory(body=body, minutes=f"纪要{number}")
        TopicFactory(body=body)
        BodyMemberFactory(body=body)
        CatalogueEntryFactory(district=division(w.DISTRICT))


@pytest.mark.parametrize(
    ("name", "pinned"),
    [
        ("engagement:deliberation_bodies", 5),
        ("engagement:deliberation_meetings", 5),
        ("engagement:deliberation_topics", 6),
        ("engagement:deliberation_topics_to_review", 6),
        ("engagement:deliberation_catalogue", 4),
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_many(world, name, pinned):
    client = signed_in_client(world.user("district_admin"))
    many_records(1, 1)
    one = queries_for(client, reverse(name))
    many_records(2, 8)

    assert queries_for(client, reverse(name)) == one == pinned


def test_a_villages_body_page_costs_fixed_queries(world):
    client = signed_in_client(world.user("village_clerk"))
    body = body_of(w.VILLAGE)
    url = reverse("engagement:deliberation_village", args=[w.VILLAGE])
    one = queries_for(client, url)
    for _number in range(4):
        BodyMemberFactory(body=body)
        MeetingFactory(body=body)

    assert queries_for(client, url) == one == 7  # session, user, grants, village, body, members, meetings


def test_a_merger_carries_over_the_villages_body_its_meetings_and_topics(world):
    from governance.registry import registry

    body = body_of(w.VILLAGE)
    MeetingFactory(body=body)
    TopicFactory(body=body)
    TopicFactory(body=body)
    TopicFactory(body=body_of(w.OTHER_VILLAGE_SAME_TOWN))

    counts = {
        key: registry.merge_counts[key].count(w.VILLAGE) for key in registry.merge_counts if "deliberation" in key
    }

    assert counts == {"deliberation_bodies": 1, "deliberation_meetings": 1, "deliberation_topics": 2}
