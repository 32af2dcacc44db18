"""The direct-contact pages: the access matrix of every page (each role inside and outside its
jurisdiction, the outsider, the anonymous visitor), the link table with filled links by holder and
missing ones highlighted, filling and ending a link through the services with their refusals on
the form's fields in Chinese, recording a contact day on a phone (a day that is not a Tuesday
warned, not refused), the home page's count, the merge lines, the dashboard's panel, and pinned
query counts that do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import LinkKind
from engagement.contributing.contact import villages_missing_links_count
from engagement.models import ContactDay, ContactLink
from engagement.testing.factories import ContactDayFactory, ContactLinkFactory
from governance.registry import registry
from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

D = datetime.date
VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
LINK_EDITORS = {"district_admin", "town_official"}
DAY_EDITORS = {"district_admin", "town_official", "village_clerk"}
THIRD_VILLAGE = f"{w.TOWN}003"


def village_of(code: str) -> str:
    return code[:12]


def link_in(code: str, kind=LinkKind.DEPUTIES, **fields) -> ContactLink:
    """A link of the village of `code` (a cooperative's: its village's), its holder named after the code."""
    fields.setdefault("holder", f"挂钩人{code}")
    return ContactLinkFactory(division=division(village_of(code)), kind=kind, **fields)


# --- access ------------------------------------------------------------------------------------------


class TestContactLinksPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:contact_links")

    def make_object(self, code):
        return link_in(code)

    def marker(self, link):
        return link.holder


class TestFillLinkPage(PageAccessTests):
    viewers = VIEWERS
    posters = LINK_EDITORS

    def url(self, code):
        return reverse("engagement:contact_link_fill", args=[village_of(code)])

    def make_object(self, code):
        division(village_of(code))
        return code

    def post_data(self, code):
        return {"kind": "deputies", "holder": "新任代表", "title": "", "since": "2025-03-01"}


class TestEndLinkPage(PageAccessTests):
    viewers = VIEWERS
    posters = LINK_EDITORS

    def url(self, link):
        return reverse("engagement:contact_link_end", args=[link.pk])

    def make_object(self, code):
        return link_in(code)

    def post_data(self, link):
        return {"until": "2025-12-31"}


class TestContactDayListPage(PageAccessTests):
    viewers = VIEWERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:contact_days")

    def make_object(self, code):
        return ContactDayFactory(division=division(village_of(code)), matters_raised=f"问题{code}")

    def marker(self, day):
        return day.matters_raised


class TestContactDayRecordPage(PageAccessTests):
    viewers = VIEWERS
    posters = DAY_EDITORS

    def url(self, code):
        return reverse("engagement:contact_day_add") + f"?division={village_of(code)}"

    def make_object(self, code):
        division(village_of(code))
        return code

    def post_data(self, code):
        return {
            "division": village_of(code),
            "held_on": "2025-12-02",
            "attendees": "20",
            "matters_raised": "村道照明",
            "matters_settled": "1",
        }


# --- the link table ------------------------------------------------------------------------------------


@pytest.fixture
def town_links(world):
    """罗村 has all five links; 联和 only its town leader; …003 none."""
    for kind in LinkKind.values:
        link_in(w.VILLAGE, kind, holder=f"罗村{kind}")
    link_in(w.OTHER_VILLAGE_SAME_TOWN, LinkKind.TOWN_LEADER, holder="联和镇领导", title="副镇长")
    division(THIRD_VILLAGE, "第三村委会")


def test_the_link_table_shows_holders_and_highlights_what_is_missing(town_links, world):
    response = signed_in_client(world.user("town_official")).get(reverse("engagement:contact_links"))

    assert response.status_code == 200
    rows = {row["village"].code: row for row in response.context["rows"]}
    assert [rows[code]["missing"] for code in (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE)] == [0, 4, 5]
    assert "联和镇领导" in response.text and "副镇长" in response.text
    assert response.text.count("table-danger") == 9
    fill_url = reverse("engagement:contact_link_fill", args=[THIRD_VILLAGE])
    assert f"{fill_url}?kind=town_leader" in response.text


def test_the_link_table_keeps_the_villages_missing_a_link_and_offers_no_form_to_a_reader(town_links, world):
    missing = signed_in_client(world.user("town_official")).get(
        reverse("engagement:contact_links"), {"division": w.TOWN, "missing": "1"}
    )
    inspector = signed_in_client(world.user("inspector")).get(reverse("engagement:contact_links"), {"division": w.TOWN})

    assert [row["village"].code for row in missing.context["rows"]] == [w.OTHER_VILLAGE_SAME_TOWN, THIRD_VILLAGE]
    assert inspector.status_code == 200 and "/fill/" not in inspector.text and "/end/" not in inspector.text


def test_another_towns_link_table_is_empty_for_a_town_official(town_links, world):
    response = signed_in_client(world.user("town_official")).get(
        reverse("engagement:contact_links"), {"division": w.OTHER_TOWN}
    )

    assert response.status_code == 200 and response.context["division"] is None and not response.context.get("rows")


# --- writes through the services ----------------------------------------------------------------------


def test_filling_a_link_replaces_the_holder_and_a_bad_date_is_a_field_error(world):
    client = signed_in_client(world.user("town_official"))
    url = reverse("engagement:contact_link_fill", args=[w.VILLAGE])
    first = client.post(url, {"kind": "town_leader", "holder": "李镇长", "since": "2025-01-01"})

    refused = client.post(url, {"kind": "town_leader", "holder": "王镇长", "since": "2025-01-01"})
    replaced = client.post(url, {"kind": "town_leader", "holder": "王镇长", "since": "2025-07-01"}, follow=True)

    assert first.status_code == 302 and first.url == reverse("engagement:contact_links") + f"?division={w.TOWN}"
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"since": ["挂钩日期须晚于现任挂钩的开始日期。"]}
    assert "已为罗村村委会落实" in replaced.text
    assert list(ContactLink.objects.order_by("since").values_list("holder", "until")) == [
        ("李镇长", D(2025, 6, 30)),
        ("王镇长", None),
    ]


def test_ending_a_link_through_its_page_and_not_before_its_start(world):
    link = link_in(w.VILLAGE, LinkKind.TOWN_BRANCH, since=D(2025, 3, 1))
    client = signed_in_client(world.user("town_official"))
    url = reverse("engagement:contact_link_end", args=[link.pk])

    early = client.post(url, {"until": "2025-02-28"})
    ended = client.post(url, {"until": "2025-09-30"})
    again = client.get(url)

    assert early.status_code == 200 and early.context["form"].errors == {"until": ["结束日期不能早于挂钩日期。"]}
    assert ended.status_code == 302
    link.refresh_from_db()
    assert link.until == D(2025, 9, 30)
    assert again.status_code == 404  # an ended link has nothing left to end


def test_a_contact_day_off_tuesday_is_recorded_with_a_warning(world):
    client = signed_in_client(world.user("village_clerk"))
    url = reverse("engagement:contact_day_add")
    form = client.get(url)

    response = client.post(
        url,
        {
            "division": w.VILLAGE,
            "held_on": "2025-12-03",
            "attendees": "18",
            "matters_raised": "",
            "matters_settled": "0",
        },
        follow=True,
    )

    assert form.status_code == 200 and form.context["form"].fields["division"].initial == w.VILLAGE
    assert 'type="date"' in form.text and "form-control-lg" in form.text and 'inputmode="numeric"' in form.text
    assert response.status_code == 200 and "不是星期二" in response.text
    assert ContactDay.objects.get().held_on == D(2025, 12, 3)


def test_a_contact_day_on_a_day_already_recorded_is_a_field_error(world):
    ContactDayFactory(division=division(w.VILLAGE), held_on=D(2025, 12, 2))
    client = signed_in_client(world.user("village_clerk"))

    response = client.post(
        reverse("engagement:contact_day_add"),
        {
            "division": w.VILLAGE,
            "held_on": "2025-12-02",
            "attendees": "5",
            "matters_raised": "",
            "matters_settled": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"held_on": ["该镇村当天已登记过组织直联日。"]}


def test_a_village_clerk_cannot_pick_another_village_for_a_contact_day(world):
    division(w.OTHER_VILLAGE_SAME_TOWN)
    client = signed_in_client(world.user("village_clerk"))

    response = client.post(
        reverse("engagement:contact_day_add"),
        {"division": w.OTHER_VILLAGE_SAME_TOWN, "held_on": "2025-12-02", "attendees": "5", "matters_settled": "0"},
    )

    assert response.status_code == 200 and "division" in response.context["form"].errors
    assert not ContactDay.objects.exists()


# --- home, merge lines, navigation ------------------------------------------------------------------------


def test_the_home_page_counts_the_villages_missing_a_link_for_who_may_fill_them(town_links, world):
    official = signed_in_client(world.user("town_official")).get(reverse("home"))
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home"))

    assert official.context["pending_counts"]["engagement_missing_links"] == 2
    assert "2 个村（社区）五挂钩未全部落实。" in official.text
    assert clerk.context["pending_counts"]["engagement_missing_links"] == 0
    assert villages_missing_links_count(world.user("district_admin")) == 3  # 九江镇's 下西 too
    assert villages_missing_links_count(world.user("inspector")) == 0


def test_a_merger_carries_the_links_and_contact_days_over(town_links):
    ContactDayFactory(division=division(w.VILLAGE))

    assert registry.merge_counts["engagement_contact_links"].count(w.VILLAGE) == 5
    assert registry.merge_counts["engagement_contact_days"].count(w.VILLAGE) == 1
    assert registry.merge_counts["engagement_contact_links"].count(w.OTHER_TOWN_VILLAGE) == 0


def test_the_navigation_offers_the_pages_to_who_views_them(world):
    official = signed_in_client(world.user("town_official")).get(reverse("home")).text
    reader = signed_in_client(world.user("report_reader")).get(reverse("home")).text

    assert reverse("engagement:contact_links") in official and reverse("engagement:contact_days") in official
    assert reverse("engagement:contact_links") not in reader


# --- the dashboard's panel -------------------------------------------------------------------------------


def test_the_dashboard_panel_shows_the_share_of_villages_with_all_five_links_per_unit(town_links, world):
    for kind in LinkKind.values:
        link_in(w.OTHER_TOWN_VILLAGE, kind)
    client = signed_in_client(world.user("district_admin"))

    district = client.get(reverse("engagement:dashboard"), {"division": w.DISTRICT, "period": "2025"})
    town = client.get(reverse("engagement:dashboard"), {"division": w.TOWN, "period": "2025"})

    [panel] = [panel for panel in district.context["panels"] if panel["key"] == "contact"]
    assert [(row["code"], row["villages"], row["complete"], row["share"]) for row in panel["rows"]] == [
        (w.OTHER_TOWN, 1, 1, 100.0),
        (w.TOWN, 3, 1, 33.3),
    ]
    [chart] = panel["charts"]
    assert chart["id"] == "chart-contact-links" and chart["values"] == [100.0, 33.3] and chart["target"] == 100
    assert 'id="panel-contact"' in district.text and 'id="chart-contact-links"' in district.text
    [town_panel] = [panel for panel in town.context["panels"] if panel["key"] == "contact"]
    assert [(row["code"], row["missing"], row["share"]) for row in town_panel["rows"]] == [
        (w.VILLAGE, 0, 100.0),
        (w.OTHER_VILLAGE_SAME_TOWN, 4, 0.0),
        (THIRD_VILLAGE, 5, 0.0),
    ]


def test_the_dashboard_panel_is_left_out_for_who_views_no_link(world):
    from engagement.pages.panels.contact import panel
    from governance.periods import Period

    assert panel(world.user("report_reader"), division(w.DISTRICT), Period.parse("2025")) is None


def test_the_dashboard_panel_costs_fixed_queries_whatever_the_villages(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from engagement.pages.panels.contact import panel
    from governance.periods import Period

    user, town, period = world.user("town_official"), division(w.TOWN), Period.parse("2025")
    link_in(w.VILLAGE, LinkKind.TOWN_LEADER)
    panel(user, town, period)  # the grants, cached on the user
    with CaptureQueriesContext(connection) as one:
        panel(user, town, period)
    for number in range(3, 10):
        for kind in LinkKind.values:
            link_in(f"{w.TOWN}{number:03d}", kind)
    with CaptureQueriesContext(connection) as many:
        shown = panel(user, town, period)

    assert len(shown["rows"]) > 3
    assert len(one) == len(many) == 2  # the units, the villages with their links


# --- query counts ---------------------------------------------------------------------------------------


def many_links_and_days(start: int, count: int) -> None:
    for number in range(start, start + count):
        code = f"{w.TOWN}{number:03d}"
        for kind in LinkKind.values:
            link_in(code, kind)
        ContactDayFactory(division=division(code))


@pytest.mark.parametrize(
    ("name", "pinned"),
    [
        ("engagement:contact_links", 7),
        ("engagement:contact_days", 5),
        ("engagement:contact_day_add", 5),
    ],
)
def test_a_page_costs_the_same_queries_for_one_row_and_for_many(world, name, pinned):
    """Pinned: the session, the user, the grants; the link table then the division, the page's
    count, its villages and their links; the day list its count and page; the day form the
    divisions offered and their rendering."""
    client = signed_in_client(world.user("town_official"))
    many_links_and_days(1, 1)
    one = queries_for(client, reverse(name))
    many_links_and_days(2, 12)

    assert queries_for(client, reverse(name)) == one == pinned
