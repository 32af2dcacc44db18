"""The assessment pages of schemes, score entry and scoring runs (issue 9 point 7): who may open
and post each, the scheme editor's errors on the rows they name, the score grid saved all or
nothing with its errors per cell, the XLSX template's round trip, the run screen's polling, the
results table, and pinned query counts that do not grow with the units."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from supervision.choices import Grade, RunState
from supervision.models import Scheme, ScoreEntry, ScoringRun
from supervision.pages.entries import cell_name
from supervision.testing.factories import enter, scheme, stored_results
from villages.testing.factories import division

EVERY_ROLE = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"}
# The matrix's schemes assess villages: a cooperative's clerk reads none of them, as the schemes
# above a cooperative that assess no cooperative are not theirs (SchemeQuerySet.readable_by).
VILLAGE_SCHEME_READERS = EVERY_ROLE - {"coop_clerk"}
SETTERS = {"district_admin", "town_official"}
# A scheme lies in a town (or the district), above a clerk's jurisdiction, and is read there: the
# place outside is a village of another town (of another district for the district's roles).
SCHEME_PLACES = {
    role: (w.COOPERATIVE, w.FAR_VILLAGE if w.ROLE_HOME[role] == w.DISTRICT else w.OTHER_TOWN_VILLAGE)
    for role in w.ROLE_HOME
}


def client_of(who: str):
    return signed_in_client(get_user_model().objects.get(username=who))


def town_scheme(code: str, **fields) -> Scheme:
    """A village scheme of the town holding `code`, named after the place."""
    return scheme(code[:9], name=f"考核方案〔{code}〕", **fields)


def scheme_post(**overrides) -> dict:
    data = {
        "name": "新方案",
        "level": "village",
        "period": "2026",
        "excellent": "90",
        "good": "80",
        "passing": "60",
        "excellent_share": "20",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-code": "work",
        "indicators-0-name": "重点工作",
        "indicators-0-weight": "70",
        "indicators-0-source": "entered",
        "indicators-1-code": "reserve",
        "indicators-1-name": "后备干部",
        "indicators-1-weight": "30",
        "indicators-1-source": "reserve_cadres",
    }
    data.update(overrides)
    return data


def workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scores.xlsx", content, content_type="application/octet-stream")


# --- who may open each page ------------------------------------------------------------------


class TestSchemeListPage(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    is_list = True
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:scheme_list")

    def make_object(self, code):
        return town_scheme(code)

    def marker(self, obj):
        return obj.name


class TestSchemeDetailPage(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:scheme", args=[obj.pk])

    def make_object(self, code):
        return town_scheme(code)


class TestSchemeCreatePage(PageAccessTests):
    viewers = {"district_admin", "town_official", "inspector", "report_reader"}
    posters = SETTERS
    places = SCHEME_PLACES

    def url(self, town):
        return reverse("supervision:scheme_create", args=[town.code])

    def make_object(self, code):
        return division(code[:9])

    def post_data(self, town):
        return scheme_post()


class TestSchemeNewVersionPage(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    posters = SETTERS
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:scheme_new_version", args=[obj.pk])

    def make_object(self, code):
        return town_scheme(code)

    def post_data(self, obj):
        return scheme_post(name="第二版")


class TestSchemeFreezeButton(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    posters = SETTERS
    methods = ("post",)
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:scheme_freeze", args=[obj.pk])

    def make_object(self, code):
        made = town_scheme(code)
        stored_results(made, {code[:12]: (80, Grade.GOOD, 1)})
        return made


class TestEntryGridPage(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    posters = SETTERS
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:entries", args=[obj.pk])

    def make_object(self, code):
        return town_scheme(code)

    def post_data(self, obj):
        return {cell_name(w.VILLAGE, "work"): "80"}


class TestEntryTemplateDownload(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    posters = SETTERS
    methods = ("get",)
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:entries_xlsx", args=[obj.pk])

    def make_object(self, code):
        return town_scheme(code)


class TestEntryUpload(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    posters = SETTERS
    methods = ("post",)
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:entries_upload", args=[obj.pk])

    def make_object(self, code):
        return town_scheme(code)

    def post_data(self, obj):
        return {"file": upload(workbook_bytes([("单位代码", "单位名称", "指标work（work）"), (w.VILLAGE, "罗村", 75)]))}


class TestRunStartButton(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    posters = SETTERS
    methods = ("post",)
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:run_start", args=[obj.pk])

    def make_object(self, code):
        return town_scheme(code)


def a_run(code: str) -> ScoringRun:
    made = town_scheme(code)
    return ScoringRun.objects.create(scheme=made, counting_day=made.period_range.end, requested_by=made.created_by)


class TestRunScreen(PageAccessTests):
    viewers = {"district_admin", "town_official", "inspector"}
    places = SCHEME_PLACES

    def url(self, run):
        return reverse("supervision:run", args=[run.pk])

    def make_object(self, code):
        return a_run(code)


class TestRunProgressFragment(TestRunScreen):
    def url(self, run):
        return reverse("supervision:run_progress", args=[run.pk])


class TestResultsPage(PageAccessTests):
    viewers = VILLAGE_SCHEME_READERS
    places = SCHEME_PLACES

    def url(self, obj):
        return reverse("supervision:results", args=[obj.pk])

    def make_object(self, code):
        made = town_scheme(code)
        stored_results(made, {code[:12]: (80, Grade.GOOD, 1)})
        return made


# --- the editor --------------------------------------------------------------------------------


def test_a_town_official_sets_a_scheme_with_its_indicators_in_order(world):
    response = client_of("town_official").post(reverse("supervision:scheme_create", args=[w.TOWN]), scheme_post())

    made = Scheme.objects.get(name="新方案")
    assert response.status_code == 302 and response.url == reverse("supervision:scheme", args=[made.pk])
    assert [(i.code, i.weight, i.source) for i in made.indicators.order_by("position")] == [
        ("work", 70, "entered"),
        ("reserve", 30, "reserve_cadres"),
    ]
    assert made.division_id == w.TOWN and made.period == "2026" and made.excellent_share == 20


def test_weights_not_summing_to_100_are_refused_with_the_total_and_nothing_is_saved(world):
    response = client_of("town_official").post(
        reverse("supervision:scheme_create", args=[w.TOWN]), scheme_post(**{"indicators-1-weight": "20"})
    )

    assert response.status_code == 200
    assert "各项指标权重之和应为100，现为90。" in response.text
    assert not Scheme.objects.filter(name="新方案").exists()


def test_a_bad_indicator_row_shows_its_error_in_that_row(world):
    response = client_of("town_official").post(
        reverse("supervision:scheme_create", args=[w.TOWN]), scheme_post(**{"indicators-1-code": "work"})
    )

    assert response.status_code == 200
    row = response.text.split('id="indicator-row-1"')[1].split("</tr>")[0]
    assert "指标代码重复。" in row
    assert "指标代码重复。" not in response.text.split('id="indicator-row-1"')[0]


def test_a_form_error_is_in_chinese(world):
    response = client_of("town_official").post(
        reverse("supervision:scheme_create", args=[w.TOWN]), scheme_post(name="")
    )

    assert response.status_code == 200
    assert "该字段是必填项。" in response.text


def test_a_new_version_keeps_the_division_level_and_period_and_numbers_the_version(world):
    first = scheme(w.TOWN, period="2025", version=1)
    client = client_of("town_official")

    form = client.get(reverse("supervision:scheme_new_version", args=[first.pk]))
    response = client.post(
        reverse("supervision:scheme_new_version", args=[first.pk]),
        scheme_post(name="第二版", period="2030", level="cooperative"),
    )

    assert 'value="work"' in form.text
    second = Scheme.objects.get(name="第二版")
    assert response.status_code == 302
    assert (second.division_id, second.level, second.period, second.version) == (w.TOWN, "village", "2025", 2)


# --- the grid ----------------------------------------------------------------------------------


def test_the_grid_saves_every_score_in_one_go(world):
    made = scheme(w.TOWN, indicators=(("work", 60, "entered"), ("safety", 40, "entered")))
    enter(made, w.VILLAGE, "work", 50)

    response = client_of("town_official").post(
        reverse("supervision:entries", args=[made.pk]),
        {
            cell_name(w.VILLAGE, "work"): "88.5",
            cell_name(w.VILLAGE, "safety"): "90",
            cell_name(w.OTHER_VILLAGE_SAME_TOWN, "work"): "70",
            cell_name(w.OTHER_VILLAGE_SAME_TOWN, "safety"): "",
        },
    )

    assert response.status_code == 302
    saved = {(e.unit_id, e.indicator.code): str(e.score) for e in ScoreEntry.objects.filter(scheme=made)}
    assert saved == {
        (w.VILLAGE, "work"): "88.50",
        (w.VILLAGE, "safety"): "90.00",
        (w.OTHER_VILLAGE_SAME_TOWN, "work"): "70.00",
    }


def test_one_bad_cell_saves_nothing_and_its_error_is_shown_in_its_row(world):
    made = scheme(w.TOWN, indicators=(("work", 60, "entered"), ("safety", 40, "entered")))

    response = client_of("town_official").post(
        reverse("supervision:entries", args=[made.pk]),
        {cell_name(w.VILLAGE, "work"): "80", cell_name(w.OTHER_VILLAGE_SAME_TOWN, "safety"): "150"},
    )

    assert response.status_code == 400
    assert not ScoreEntry.objects.filter(scheme=made).exists()
    bad_row = response.text.split(f'id="row-{w.OTHER_VILLAGE_SAME_TOWN}"')[1].split("</tr>")[0]
    good_row = response.text.split(f'id="row-{w.VILLAGE}"')[1].split("</tr>")[0]
    assert "请输入 0 至 100 之间的分数。" in bad_row and 'value="150"' in bad_row
    assert "请输入" not in good_row and 'value="80"' in good_row
    assert "均未保存" in response.text


def test_the_grids_errors_are_summed_up_above_the_grid_each_linking_to_its_row(world):
    made = scheme(w.TOWN, indicators=(("work", 60, "entered"), ("safety", 40, "entered")))

    response = client_of("town_official").post(
        reverse("supervision:entries", args=[made.pk]),
        {cell_name(w.VILLAGE, "work"): "80", cell_name(w.OTHER_VILLAGE_SAME_TOWN, "safety"): "150"},
    )

    text = response.text
    assert text.index('id="errors"') < text.index('id="grid"')
    summary = text[text.index('id="errors"') : text.index('id="grid"')]
    assert (
        f'<a class="alert-link" href="#row-{w.OTHER_VILLAGE_SAME_TOWN}">第 2 行“联和村委会 指标safety”：'
        "请输入 0 至 100 之间的分数。</a>"
    ) in summary
    assert f"#row-{w.VILLAGE}" not in summary
    assert f'action="{reverse("supervision:entries", args=[made.pk])}#errors"' in text


def test_the_grid_lists_only_the_units_of_the_users_jurisdiction_and_no_computed_indicator(world):
    made = scheme(w.DISTRICT, indicators=(("work", 70, "entered"), ("reserve", 30, "reserve_cadres")))

    response = client_of("town_official").get(reverse("supervision:entries", args=[made.pk]))

    assert response.status_code == 200
    assert f'id="row-{w.VILLAGE}"' in response.text
    assert w.OTHER_TOWN_VILLAGE not in response.text
    assert cell_name(w.VILLAGE, "work") in response.text and cell_name(w.VILLAGE, "reserve") not in response.text


def test_a_frozen_schemes_grid_is_refused(world):
    made = scheme(w.TOWN, frozen_at="2026-01-01T00:00:00+08:00")

    response = client_of("town_official").get(reverse("supervision:entries", args=[made.pk]))

    assert response.status_code == 403


def test_the_grid_costs_the_same_queries_for_one_unit_as_for_several(world):
    few = scheme(w.OTHER_TOWN)
    enter(few, w.OTHER_TOWN_VILLAGE, "work", 70)
    district = client_of("district_admin")
    one = queries_for(district, reverse("supervision:entries", args=[few.pk]))
    many = scheme(w.TOWN)
    for n in range(3, 10):
        enter(many, division(f"{w.TOWN}{n:03d}").code, "work", 60 + n)
    enter(many, w.VILLAGE, "work", 80)

    several = queries_for(district, reverse("supervision:entries", args=[many.pk]))

    assert one == several


# --- XLSX ----------------------------------------------------------------------------------------


def test_the_xlsx_template_goes_round_and_saves_what_was_filled_in(world):
    made = scheme(w.TOWN, indicators=(("work", 60, "entered"), ("safety", 40, "entered")))
    enter(made, w.VILLAGE, "work", 50)
    client = client_of("town_official")

    download = client.get(reverse("supervision:entries_xlsx", args=[made.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["单位代码", "单位名称", "指标work（work）", "指标safety（safety）"]
    assert rows[1][:3] == [w.VILLAGE, "罗村村委会", 50]
    rows[1][3] = 95
    rows[2][2] = 66.5
    response = client.post(
        reverse("supervision:entries_upload", args=[made.pk]), {"file": upload(workbook_bytes(rows))}
    )

    assert response.status_code == 302
    saved = {(e.unit_id, e.indicator.code): str(e.score) for e in ScoreEntry.objects.filter(scheme=made)}
    assert saved == {
        (w.VILLAGE, "work"): "50.00",
        (w.VILLAGE, "safety"): "95.00",
        (w.OTHER_VILLAGE_SAME_TOWN, "work"): "66.50",
    }


def test_an_upload_with_a_bad_row_names_it_by_number_and_saves_nothing(world):
    made = scheme(w.TOWN)
    rows = [
        ("单位代码", "单位名称", "指标work（work）"),
        (w.VILLAGE, "罗村", 80),
        (w.OTHER_TOWN_VILLAGE, "别镇的村", 70),
        (w.OTHER_VILLAGE_SAME_TOWN, "", "很好"),
    ]

    response = client_of("town_official").post(
        reverse("supervision:entries_upload", args=[made.pk]), {"file": upload(workbook_bytes(rows))}
    )

    assert response.status_code == 400
    assert not ScoreEntry.objects.filter(scheme=made).exists()
    assert "第 3 行“指标work（work）”：该单位不在本方案的考核范围内。" in response.text
    assert "第 4 行“指标work（work）”：请输入 0 至 100 之间的分数。" in response.text
    assert "第 2 行" not in response.text


def test_a_bad_uploads_errors_are_summed_up_above_the_grid_and_the_page_opens_on_them(world):
    made = scheme(w.TOWN)
    rows = [
        ("单位代码", "单位名称", "指标work（work）"),
        (w.OTHER_TOWN_VILLAGE, "别镇的村", 70),
        (w.OTHER_VILLAGE_SAME_TOWN, "", "很好"),
    ]

    response = client_of("town_official").post(
        reverse("supervision:entries_upload", args=[made.pk]), {"file": upload(workbook_bytes(rows))}
    )

    text = response.text
    assert response.status_code == 400
    summary_at, grid_at = text.index('id="errors"'), text.index('id="grid"')
    assert summary_at < grid_at
    summary = text[summary_at:grid_at]
    assert "文件有误，均未保存：" in summary
    # A unit outside the grid gets no link; a unit of the grid links to its row.
    assert "<div>第 2 行“指标work（work）”：该单位不在本方案的考核范围内。</div>" in summary
    assert (
        f'<a class="alert-link" href="#row-{w.OTHER_VILLAGE_SAME_TOWN}">第 3 行“指标work（work）”：'
        "请输入 0 至 100 之间的分数。</a>"
    ) in summary
    assert "第 2 行" not in text[grid_at:]
    assert f'action="{reverse("supervision:entries_upload", args=[made.pk])}#errors"' in text


def test_an_upload_without_a_file_says_so_above_the_grid(world):
    made = scheme(w.TOWN)

    response = client_of("town_official").post(reverse("supervision:entries_upload", args=[made.pk]), {})

    text = response.text
    assert response.status_code == 400
    assert text.index('id="upload-errors"') < text.index('id="grid"')


def test_an_upload_that_is_not_the_template_is_refused(world):
    made = scheme(w.TOWN)
    client = client_of("town_official")

    wrong_header = client.post(
        reverse("supervision:entries_upload", args=[made.pk]), {"file": upload(workbook_bytes([("代码", "分数")]))}
    )
    no_workbook = client.post(
        reverse("supervision:entries_upload", args=[made.pk]), {"file": upload(b"not a workbook")}
    )

    assert wrong_header.status_code == 400 and "第 1 行应为模板表头" in wrong_header.text
    # Refused by its content before it is read (governance.uploads.accept_spreadsheet).
    assert no_workbook.status_code == 400 and "不是 .xlsx 文件" in no_workbook.text
    assert not ScoreEntry.objects.filter(scheme=made).exists()


# --- runs and results --------------------------------------------------------------------------


def test_starting_a_run_opens_its_screen_which_polls_until_it_is_done(world):
    made = scheme(w.TOWN)
    client = client_of("town_official")

    response = client.post(reverse("supervision:run_start", args=[made.pk]))

    run = ScoringRun.objects.get(scheme=made)
    assert response.status_code == 302 and response.url == reverse("supervision:run", args=[run.pk])
    screen = client.get(response.url)
    assert f'hx-get="{reverse("supervision:run_progress", args=[run.pk])}"' in screen.text
    assert 'hx-trigger="every 2s"' in screen.text and 'data-state="queued"' in screen.text
    run.state = RunState.DONE
    run.save(update_fields=["state"])
    fragment = client.get(reverse("supervision:run_progress", args=[run.pk]))
    assert "hx-trigger" not in fragment.text and "<html" not in fragment.text
    assert reverse("supervision:results", args=[made.pk]) in fragment.text


def test_the_results_list_grade_rank_total_and_what_was_missing(world):
    made = scheme(w.TOWN, indicators=(("work", 60, "entered"), ("safety", 40, "entered")))
    stored_results(
        made,
        {
            w.VILLAGE: (92, Grade.EXCELLENT, 1, {"work": 100, "safety": 80}, []),
            w.OTHER_VILLAGE_SAME_TOWN: (36, Grade.FAIL, 2, {"work": 60, "safety": 0}, ["safety"]),
        },
    )

    response = client_of("town_official").get(reverse("supervision:results", args=[made.pk]))

    row = response.text.split(f'id="result-{w.OTHER_VILLAGE_SAME_TOWN}"')[1].split("</tr>")[0]
    assert "36.00" in row and "不合格" in row and "指标safety" in row
    assert reverse("supervision:scorecard", args=[made.pk, w.VILLAGE]) in response.text


@pytest.mark.parametrize("page", ["supervision:results", "supervision:scheme"])
def test_a_schemes_pages_cost_the_same_queries_for_one_unit_as_for_several(world, page):
    few = scheme(w.OTHER_TOWN)
    stored_results(few, {w.OTHER_TOWN_VILLAGE: (80, Grade.GOOD, 1, {"work": 80}, ["work"])})
    district = client_of("district_admin")
    one = queries_for(district, reverse(page, args=[few.pk]))
    many = scheme(w.TOWN)
    units = [division(f"{w.TOWN}{n:03d}").code for n in range(1, 9)]
    stored_results(many, {unit: (70, Grade.PASS, 1, {"work": 70}, ["work"]) for unit in units})

    several = queries_for(district, reverse(page, args=[many.pk]))

    assert one == several


def test_the_scheme_list_costs_the_same_queries_for_one_scheme_as_for_several(world):
    scheme(w.TOWN)
    client = client_of("town_official")
    one = queries_for(client, reverse("supervision:scheme_list"))
    for period in ("2021", "2022", "2023"):
        scheme(w.TOWN, period=period)

    several = queries_for(client, reverse("supervision:scheme_list"))

    assert one == several


def test_adding_indicator_rows_keeps_what_was_typed_and_saves_nothing(world):
    data = scheme_post(name="四项指标", add_rows="1")

    response = client_of("town_official").post(reverse("supervision:scheme_create", args=[w.TOWN]), data)

    assert response.status_code == 200
    assert 'value="四项指标"' in response.text and 'value="reserve"' in response.text
    assert 'name="indicators-TOTAL_FORMS" value="5"' in response.text
    assert "该字段是必填项。" not in response.text
    assert not Scheme.objects.filter(name="四项指标").exists()
