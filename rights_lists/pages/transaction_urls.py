"""The pages of village matter admission and collective asset transactions (registered with their
own registry.add_page_urls call in rights_lists/contributions.py; namespace rights_lists_assets)."""

from django.urls import path

from rights_lists.pages import admission, transaction_forms, transactions

app_name = "rights_lists_assets"
urlpatterns = [
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
        transaction_forms.TransactionFileView.as_view(),
        name="transaction_file",
    ),
    path(
        "asset-transactions/<int:pk>/files/new/",
        transaction_forms.TransactionFilesView.as_view(),
        name="transaction_files",
    ),
]
