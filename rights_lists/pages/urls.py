from django.urls import path

from rights_lists.pages import decisions, lists

app_name = "rights_lists"
urlpatterns = [
    path("rights-lists/", lists.RightsListListView.as_view(), name="lists"),
    path("rights-lists/<int:pk>/", lists.RightsListDetailView.as_view(), name="list"),
    path("divisions/<str:code>/list-items/", lists.ItemsInForceView.as_view(), name="items_in_force"),
    path("decisions/", decisions.DecisionListView.as_view(), name="decisions"),
    path("decisions/reviews/", decisions.ReviewQueueView.as_view(), name="reviews"),
    path("divisions/<str:code>/decisions/new/", decisions.DecisionOpenView.as_view(), name="decision_open"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision"),
    path("decisions/<int:pk>/steps/new/", decisions.StepRecordView.as_view(), name="step_record"),
    path("decisions/<int:pk>/steps/preview/", decisions.StepPreviewView.as_view(), name="step_preview"),
    path("decisions/<int:pk>/publish/<str:kind>/", decisions.PublicationView.as_view(), name="publish"),
    path("decisions/<int:pk>/implementation/", decisions.ImplementationView.as_view(), name="implementation"),
    path("decisions/<int:pk>/withdraw/", decisions.WithdrawView.as_view(), name="withdraw"),
    path("decisions/<int:pk>/attachments/new/", decisions.AttachmentView.as_view(), name="attachment_add"),
]
