"""Page URLs of the assessment dashboard, the scorecards and the remuneration page, registered
through supervision/contributions.py (registry.add_page_urls) under the namespace "assessment"."""

from django.urls import path

from supervision.pages import dashboard, remuneration, scorecards

app_name = "assessment"
urlpatterns = [
    path("assessment/dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path(
        "assessment/schemes/<int:scheme>/units/<str:code>/",
        scorecards.ScorecardView.as_view(),
        name="scorecard",
    ),
    path(
        "assessment/schemes/<int:scheme>/remuneration/",
        remuneration.RemunerationView.as_view(),
        name="remuneration",
    ),
    path(
        "assessment/remuneration-rules/<str:code>/",
        remuneration.RuleFormView.as_view(),
        name="remuneration_rule",
    ),
]
