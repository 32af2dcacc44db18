"""Page URLs of the grids a town fills in for a period: the duty report evaluations
(supervision/pages/duty_reports.py) and the collective incomes (supervision/pages/incomes.py),
registered through supervision/contributions.py under the namespace "grids"."""

from django.urls import path

from supervision.pages import duty_reports, incomes

app_name = "grids"
urlpatterns = [
    path("assessment/duty-reports/", duty_reports.DutyReportGridView.as_view(), name="duty_reports"),
    path("assessment/collective-incomes/", incomes.IncomeGridView.as_view(), name="incomes"),
]
