"""The pages of the rights_lists app, under one namespace (rights_lists): lists and their items,
decisions and their steps, village matter admission, collective asset transactions. Registered
with registry.add_page_urls in rights_lists/contributions.py."""

from django.urls import path

from rights_lists.pages import admission, decisions, lists, transactions

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
    path("admission-requests/", admission.AdmissionListView.as_view(), name="admission_requests"),
    path("divisions/<str:code>/admission-requests/new/", admission.AdmissionFileView.as_view(), name="admission_file"),
    path(
        "admission-requests/<int:pk>/exception/",
        admission.AdmissionExceptionView.as_view(),
        name="admission_exception",
    ),
    path("asset-transactions/", transactions.TransactionListView.as_view(), name="transactions"),
    path("asset-transactions/reviews/", transactions.TransactionReviewQueueView.as_view(), name="transaction_reviews"),
    path("asset-transactions/<int:pk>/", transactions.TransactionDetailView.as_view(), name="transaction"),
    path(
        "asset-transactions/<int:pk>/review/", transactions.TransactionReviewView.as_view(), name="transaction_review"
    ),
    path(
        "asset-transactions/<int:pk>/conclude/",
        transactions.TransactionConcludeView.as_view(),
        name="transaction_conclude",
    ),
    path(
        "divisions/<str:code>/asset-transactions/new/",
        transactions.TransactionFileView.as_view(),
        name="transaction_file",
    ),
    path(
        "asset-transactions/<int:pk>/files/new/",
        transactions.TransactionFilesView.as_view(),
        name="transaction_files",
    ),
]
