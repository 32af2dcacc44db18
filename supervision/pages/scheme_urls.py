"""Page URLs of the assessment schemes, score entry and scoring runs (supervision/pages/schemes.py,
entries.py, runs.py), registered through supervision/contributions.py under the namespace "schemes"."""

from django.urls import path

from supervision.pages import entries, runs, schemes

app_name = "schemes"
urlpatterns = [
    path("assessment/schemes/", schemes.SchemeListView.as_view(), name="list"),
    path("assessment/divisions/<str:code>/schemes/new/", schemes.SchemeEditorView.as_view(), name="create"),
    path("assessment/schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme"),
    path("assessment/schemes/<int:pk>/new-version/", schemes.SchemeEditorView.as_view(), name="new_version"),
    path("assessment/schemes/<int:pk>/freeze/", schemes.SchemeFreezeView.as_view(), name="freeze"),
    path("assessment/schemes/<int:pk>/entries/", entries.EntryGridView.as_view(), name="entries"),
    path("assessment/schemes/<int:pk>/entries.xlsx", entries.EntryTemplateView.as_view(), name="entries_xlsx"),
    path("assessment/schemes/<int:pk>/entries/upload/", entries.EntryUploadView.as_view(), name="entries_upload"),
    path("assessment/schemes/<int:pk>/runs/", runs.RunStartView.as_view(), name="run_start"),
    path("assessment/schemes/<int:pk>/results/", runs.ResultsView.as_view(), name="results"),
    path("assessment/runs/<int:pk>/", runs.RunDetailView.as_view(), name="run"),
    path("assessment/runs/<int:pk>/progress/", runs.RunProgressView.as_view(), name="run_progress"),
]
