"""Reports in the browser (governance.pages.reports): /reports/ lists the reports of
/api/v1/reports/ the user may read, and /reports/<slug>/ shows one report's filters, the API's
rows as a table, and its CSV and XLSX downloads.

The villages app's reserve-cadre report (no period) and the covenants app's coverage report (a
period) are the concrete reports read here.
"""

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance import clock
from governance.registry import registry
from governance.testing import world as w
from governance.testing.api import client_as
from governance.testing.pages import ROLES, PageAccessTests, queries_for, signed_in_client
from villages.models import Division, PositionKind
from villages.testing.factories import PositionFactory, division

RESERVES = "reserve-cadres"  # villages: no period
COVERAGE = "covenant-coverage"  # covenants: takes a period
VIOLATIONS = "violations-by-category"  # covenants: on violations, which the report reader may not view


def page_url(slug: str, **params) -> str:
    url = reverse("report", args=[slug])
    return url + "?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else url


@pytest.fixture
def reserves(world):
    """Two reserve cadres in the world's village (it meets the rule), none in the others."""
    village = division(w.VILLAGE)
    for _ in range(2):
        PositionFactory(
            division=village, kind=PositionKind.RESERVE_CADRE, started_on=datetime.date(2020, 1, 1), term_ends_on=None
        )
    return village


class TestReportPage(PageAccessTests):
    """A report page asked for a division: every role whose grants read the report (the reserve-
    cadre report reads divisions: every role) gets it inside its jurisdiction, 404 outside."""

    viewers = set(ROLES)

    def url(self, place):
        return page_url(RESERVES, division=place.code)

    def make_object(self, code):
        return division(code)


class TestReportIndexPage(PageAccessTests):
    """The index lists the reserve-cadre report to every role; the outsider reads no report."""

    viewers = set(ROLES)
    is_list = True
    places = {role: (w.COOPERATIVE, w.JUST_OUTSIDE[role]) for role in ROLES}

    def url(self, obj):
        return reverse("reports")

    def make_object(self, code):
        return code

    def marker(self, obj):
        return 'id="report-reserve-cadres"'

    def assert_listing(self, response, obj, listed: bool) -> None:
        # One page for every place: the report is listed to every role, whatever the place.
        assert response.status_code == 200, response.content[:500]
        signed_in_roles = response.wsgi_request.user.username in ROLES
        assert (self.marker(obj) in response.text) is signed_in_roles


@pytest.mark.parametrize("who", ROLES)
def test_the_index_lists_exactly_the_reports_the_api_lets_the_role_read(world, who):
    api = client_as(who)
    readable = {
        slug
        for slug in registry.reports
        if api.get(reverse(f"api:report-{slug}"), {"division": w.ROLE_HOME[who]}).status_code != 403
    }

    response = signed_in_client(world.user(who)).get(reverse("reports"))

    listed = {report["slug"] for group in response.context["groups"] for report in group["reports"]}
    assert listed == readable
    assert readable, "every role reads some report"


def test_the_report_reader_reads_statistics_but_no_report_on_violations(world):
    response = signed_in_client(world.user("report_reader")).get(reverse("reports"))

    assert 'id="report-reserve-cadres"' in response.text
    assert 'id="report-scores"' in response.text
    assert f'id="report-{VIOLATIONS}"' not in response.text
    assert signed_in_client(world.user("report_reader")).get(page_url(VIOLATIONS, period="2026")).status_code == 404


def test_a_grid_worker_reads_the_counts_per_division_and_no_report_on_other_apps_records(world):
    api = client_as("grid_worker")
    readable = {
        slug
        for slug in registry.reports
        if api.get(reverse(f"api:report-{slug}"), {"division": w.VILLAGE}).status_code != 403
    }

    # Reports on divisions (counts per unit, no person named) and, when there are any, the grids app's.
    assert {RESERVES, "terms-expired", "party-share"} <= readable
    for slug in readable:
        model = registry.reports[slug].view.model
        assert model is Division or model._meta.app_label == "grids", slug
    assert signed_in_client(world.user("grid_worker")).get(page_url(COVERAGE, period="2026")).status_code == 404


def test_reports_are_grouped_by_their_app_under_its_chinese_name(world):
    response = signed_in_client(world.user("district_admin")).get(reverse("reports"))

    groups = {group["name"]: [report["slug"] for report in group["reports"]] for group in response.context["groups"]}
    assert RESERVES in groups["村社与人员"]
    assert COVERAGE in groups["村规民约"]
    assert "村社与人员" in response.text and "村规民约" in response.text


def test_the_outsider_finds_no_report_and_no_reports_menu(world):
    client = signed_in_client(world.outsider)

    index = client.get(reverse("reports"))
    home = client.get(reverse("home"))

    assert index.status_code == 200 and 'id="no-reports"' in index.text
    assert f'href="{reverse("reports")}"' not in home.text
    assert client.get(page_url(RESERVES)).status_code == 404


def test_an_unknown_report_is_404(world):
    assert signed_in_client(world.user("district_admin")).get(page_url("no-such-report")).status_code == 404


def test_a_report_page_shows_the_rows_the_api_answers_for_the_same_filters(world, reserves):
    client = signed_in_client(world.user("district_admin"))

    page = client.get(page_url(RESERVES, division=w.TOWN))
    api = client_as("district_admin").get(reverse(f"api:report-{RESERVES}"), {"division": w.TOWN}).json()

    assert page.status_code == 200
    assert page.context["data"]["results"] == api["results"]
    assert page.context["header"] == [column["label"] for column in api["columns"]]
    assert [row[0] for row in page.context["rows"]] == [row["code"] for row in api["results"]]
    assert f"<td>{w.VILLAGE}</td>" in page.text and "<td>是</td>" in page.text and "<td>否</td>" in page.text


def test_a_report_with_a_period_shows_the_api_rows_of_that_period(world):
    page = signed_in_client(world.user("town_official")).get(page_url(COVERAGE, period="2026-H1"))
    api = client_as("town_official").get(reverse(f"api:report-{COVERAGE}"), {"period": "2026-H1"}).json()

    assert page.status_code == 200
    assert page.context["data"] == api
    assert page.context["data"]["period"] == "2026-H1"


def test_without_a_division_the_page_covers_the_users_jurisdiction(world, reserves):
    response = signed_in_client(world.user("town_official")).get(page_url(RESERVES))

    assert response.status_code == 200
    assert response.context["data"]["division"] == w.TOWN
    assert response.context["form"]["division"].value() == w.TOWN


def test_a_report_with_a_period_waits_for_the_form_offering_this_year(world):
    response = signed_in_client(world.user("town_official")).get(page_url(COVERAGE))

    assert response.status_code == 200
    assert "data" not in response.context
    assert 'id="choose-filters"' in response.text
    assert response.context["form"]["period"].value() == str(clock.today().year)


@pytest.mark.parametrize("period", ["2026-H3", "2026-13", "someday"])
def test_a_bad_period_is_the_forms_error_in_the_apis_words_not_a_500(world, period):
    api = client_as("town_official").get(reverse(f"api:report-{COVERAGE}"), {"period": period})
    response = signed_in_client(world.user("town_official")).get(page_url(COVERAGE, period=period))

    assert api.status_code == 400
    assert response.status_code == 200
    assert response.context["form"].errors["period"] == api.json()["period"]
    assert 'id="error-period"' in response.text
    assert 'id="report-table"' not in response.text


def test_a_bad_day_of_a_reports_own_parameter_is_the_forms_error(world):
    response = signed_in_client(world.user("town_official")).get(page_url("sanctions-in-force", on="2026-02-30"))

    assert response.status_code == 200
    assert "on" in response.context["form"].errors


def test_a_division_outside_the_jurisdiction_is_404_as_in_the_api(world):
    client = signed_in_client(world.user("town_official"))

    assert client.get(page_url(RESERVES, division=w.OTHER_TOWN_VILLAGE)).status_code == 404
    assert client.get(page_url(COVERAGE, division=w.OTHER_TOWN, period="2026")).status_code == 404
    assert client.get(page_url(RESERVES, division="999999")).status_code == 404


def test_the_downloads_are_the_api_with_the_same_filters_and_give_the_same_rows(world, reserves):
    client = signed_in_client(world.user("district_admin"))
    page = client.get(page_url(RESERVES, division=w.TOWN))
    downloads = {download["format"]: download["url"] for download in page.context["downloads"]}

    assert set(downloads) == {"csv", "xlsx"}
    for fmt, url in downloads.items():
        parts = urlsplit(url)
        assert parts.path == reverse(f"api:report-{RESERVES}")
        assert parse_qs(parts.query) == {"division": [w.TOWN], "format": [fmt]}
        assert f'href="{url.replace("&", "&amp;")}"' in page.text
    xlsx = client.get(downloads["xlsx"])  # the session signs the API in, as the page
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [row[0] for row in page.context["rows"]]
    csv = client.get(downloads["csv"])
    assert csv.status_code == 200 and w.VILLAGE in csv.content.decode("utf-8-sig")


def test_a_period_reports_downloads_carry_the_period(world):
    page = signed_in_client(world.user("town_official")).get(page_url(COVERAGE, period="2026"))

    for download in page.context["downloads"]:
        query = parse_qs(urlsplit(download["url"]).query)
        assert query["period"] == ["2026"] and query["division"] == [w.TOWN]


def test_the_navigation_hides_the_menus_a_report_reader_cannot_use_and_offers_reports(world):
    reader = signed_in_client(world.user("report_reader")).get(reverse("home"))
    admin = signed_in_client(world.user("district_admin")).get(reverse("home"))

    for url_name in ("villages:people", "villages:cadres", "villages:filings"):
        assert f'href="{reverse(url_name)}"' not in reader.text
        assert f'href="{reverse(url_name)}"' in admin.text
    for response in (reader, admin):
        assert f'class="nav-link" href="{reverse("reports")}"' in response.text


def test_the_report_readers_home_leads_to_the_reports(world):
    response = signed_in_client(world.user("report_reader")).get(reverse("home"))

    assert 'id="home-reports"' in response.text
    assert f'href="{reverse("reports")}"' in response.text
    assert f'href="{reverse("report", args=[RESERVES])}"' in response.text


def test_the_index_costs_a_fixed_number_of_queries(world):
    client = signed_in_client(world.user("report_reader"))

    assert queries_for(client, reverse("reports")) == 4


def test_a_report_page_costs_the_same_queries_whatever_its_rows(world, reserves):
    client = signed_in_client(world.user("district_admin"))
    url = page_url(RESERVES, division=w.DISTRICT)
    before = queries_for(client, url)
    rows_before = len(client.get(url).context["rows"])

    for number in range(3, 9):
        division(f"{w.TOWN}{number:03d}")
    after = queries_for(client, url)

    assert len(client.get(url).context["rows"]) == rows_before + 6
    assert before == after == 6  # none per row


def test_the_division_is_a_searchable_picker_naming_the_chosen_division(world, reserves):
    response = signed_in_client(world.user("district_admin")).get(page_url(RESERVES, division=w.TOWN))

    assert "data-picker" in response.text
    assert reverse("pick", args=["villages.division"]) in response.text
    assert 'value="狮山镇"' in response.text


def test_a_division_typed_in_the_forms_picker_that_is_not_the_users_is_the_forms_error(world):
    response = signed_in_client(world.user("town_official")).get(
        page_url(RESERVES, division="", division__q=w.OTHER_TOWN_VILLAGE)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["未找到，或不在您的辖区内。"]
    assert 'id="report-errors"' in response.text
    assert 'id="report-table"' not in response.text


def test_a_chart_draws_the_numeric_columns_with_a_bar_group_per_row(world, reserves):
    response = signed_in_client(world.user("district_admin")).get(page_url(RESERVES, division=w.TOWN))

    chart = response.context["chart"]
    assert [series["name"] for series in chart["series"]] == ["现有后备干部", "应配备"]
    assert chart["categories"] == [row["name"] for row in response.context["data"]["results"]]
    assert chart["series"][0]["data"] == [float(row["reserve_cadres"]) for row in response.context["data"]["results"]]
    assert 'id="report-chart"' in response.text


def test_a_table_of_one_row_has_no_chart(world, reserves):
    response = signed_in_client(world.user("village_clerk")).get(page_url(RESERVES))

    assert len(response.context["rows"]) == 1
    assert response.context["chart"] is None and 'id="report-chart"' not in response.text


def test_a_parameter_with_declared_values_is_a_choice_among_them(world):
    response = signed_in_client(world.user("town_official")).get(page_url("party-share", period="2026"))

    assert response.status_code == 200
    per = response.context["form"].fields["per"]
    assert [value for value, _label in per.widget.choices] == ["", "cooperative"]
