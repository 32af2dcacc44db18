from django.urls import path

from covenants.pages import covenants, versions, violations

app_name = "covenants"
urlpatterns = [
    path("covenants/violations/", violations.ViolationListView.as_view(), name="violations"),
    path(
        "covenants/violations/to-confirm/", violations.ViolationsToConfirmView.as_view(), name="violations_to_confirm"
    ),
    path("covenants/violations/<int:pk>/", violations.ViolationDetailView.as_view(), name="violation"),
    path("covenants/violations/<int:pk>/confirm/", violations.ViolationConfirmView.as_view(), name="violation_confirm"),
    path("covenants/violations/<int:pk>/appeal/", violations.ViolationAppealView.as_view(), name="violation_appeal"),
    path(
        "covenants/violations/<int:pk>/decide-appeal/",
        violations.ViolationDecideAppealView.as_view(),
        name="violation_decide_appeal",
    ),
    path("covenants/violations/<int:pk>/rectify/", violations.ViolationRectifyView.as_view(), name="violation_rectify"),
    path("divisions/<str:code>/violations/new/", violations.ViolationCreateView.as_view(), name="violation_add"),
    path("covenants/<int:pk>/", covenants.CovenantDetailView.as_view(), name="covenant"),
    path("covenants/versions/<int:pk>/", versions.VersionDetailView.as_view(), name="version"),
]
