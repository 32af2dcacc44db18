"""Page URLs of the supervision app, under the one namespace "supervision", registered through
supervision/contributions.py (registry.add_page_urls). The register and the disclosures live under
supervision/, the assessment (schemes, score entry, runs, dashboard, scorecards, remuneration and
the grids of a period) under assessment/."""

from django.urls import path

from supervision.pages import (
    dashboard,
    disclosures,
    duty_reports,
    entries,
    incomes,
    records,
    remuneration,
    runs,
    schemes,
    scorecards,
)

app_name = "supervision"
urlpatterns = [
    # the supervision register (pages/records.py)
    path("supervision/register/", records.RegisterHomeView.as_view(), name="register"),
    path("supervision/register/negative-list/", records.NegativeListView.as_view(), name="negative_list"),
    path("supervision/register/talkless-posts/", records.TalklessPostsView.as_view(), name="talkless_posts"),
    path(
        "supervision/register/unaudited-departures/",
        records.UnauditedDeparturesView.as_view(),
        name="unaudited_departures",
    ),
    path(
        "supervision/register/audits/<int:pk>/follow-up/", records.AuditFollowUpView.as_view(), name="audit_follow_up"
    ),
    path("supervision/register/<slug:kind>/", records.RecordListView.as_view(), name="record_list"),
    path("supervision/register/<slug:kind>/new/", records.RecordFileView.as_view(), name="record_add"),
    path("supervision/register/<slug:kind>/<int:pk>/", records.RecordDetailView.as_view(), name="record"),
    path("supervision/register/<slug:kind>/<int:pk>/correct/", records.RecordFileView.as_view(), name="record_correct"),
    # village affairs disclosure (pages/disclosures.py)
    path("supervision/disclosures/", disclosures.DisclosureCalendarView.as_view(), name="disclosure_calendar"),
    path("supervision/disclosures/overdue/", disclosures.OverdueDisclosuresView.as_view(), name="disclosures_overdue"),
    path("supervision/disclosures/catalogue/", disclosures.CatalogueView.as_view(), name="disclosure_catalogue"),
    path(
        "supervision/disclosures/catalogue/<str:code>/new/",
        disclosures.DisclosureItemAddView.as_view(),
        name="disclosure_item_add",
    ),
    path(
        "supervision/disclosures/items/<int:pk>/edit/",
        disclosures.DisclosureItemEditView.as_view(),
        name="disclosure_item_edit",
    ),
    path(
        "supervision/disclosures/items/<int:pk>/file/", disclosures.FileDisclosureView.as_view(), name="disclosure_file"
    ),
    # schemes, score entry and scoring runs (pages/schemes.py, entries.py, runs.py)
    path("assessment/schemes/", schemes.SchemeListView.as_view(), name="scheme_list"),
    path("assessment/divisions/<str:code>/schemes/new/", schemes.SchemeEditorView.as_view(), name="scheme_create"),
    path("assessment/schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme"),
    path("assessment/schemes/<int:pk>/new-version/", schemes.SchemeEditorView.as_view(), name="scheme_new_version"),
    path("assessment/schemes/<int:pk>/freeze/", schemes.SchemeFreezeView.as_view(), name="scheme_freeze"),
    path("assessment/schemes/<int:pk>/entries/", entries.EntryGridView.as_view(), name="entries"),
    path("assessment/schemes/<int:pk>/entries.xlsx", entries.EntryTemplateView.as_view(), name="entries_xlsx"),
    path("assessment/schemes/<int:pk>/entries/upload/", entries.EntryUploadView.as_view(), name="entries_upload"),
    path("assessment/schemes/<int:pk>/runs/", runs.RunStartView.as_view(), name="run_start"),
    path("assessment/schemes/<int:pk>/results/", runs.ResultsView.as_view(), name="results"),
    path("assessment/runs/<int:pk>/", runs.RunDetailView.as_view(), name="run"),
    path("assessment/runs/<int:pk>/progress/", runs.RunProgressView.as_view(), name="run_progress"),
    # the dashboard, scorecards and remuneration (pages/dashboard.py, scorecards.py, remuneration.py)
    path("assessment/dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("assessment/schemes/<int:scheme>/units/<str:code>/", scorecards.ScorecardView.as_view(), name="scorecard"),
    path("assessment/schemes/<int:scheme>/remuneration/", remuneration.RemunerationView.as_view(), name="remuneration"),
    path("assessment/remuneration-rules/<str:code>/", remuneration.RuleFormView.as_view(), name="remuneration_rule"),
    # the grids of a period (pages/duty_reports.py, incomes.py)
    path("assessment/duty-reports/", duty_reports.DutyReportGridView.as_view(), name="duty_reports"),
    path("assessment/collective-incomes/", incomes.IncomeGridView.as_view(), name="incomes"),
]
