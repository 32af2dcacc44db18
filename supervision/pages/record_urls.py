"""Page URLs of the supervision register (supervision/pages/records.py) and the disclosure pages
(supervision/pages/disclosures.py), registered through supervision/contributions.py."""

from django.urls import path

from supervision.pages import disclosures, records

app_name = "supervision"
urlpatterns = [
    path("supervision/register/", records.RegisterHomeView.as_view(), name="register"),
    path("supervision/register/negative-list/", records.NegativeListView.as_view(), name="negative_list"),
    path("supervision/register/talkless-posts/", records.TalklessPostsView.as_view(), name="talkless_posts"),
    path(
        "supervision/register/audits/<int:pk>/follow-up/", records.AuditFollowUpView.as_view(), name="audit_follow_up"
    ),
    path("supervision/register/<slug:kind>/", records.RecordListView.as_view(), name="record_list"),
    path("supervision/register/<slug:kind>/new/", records.RecordFileView.as_view(), name="record_add"),
    path("supervision/register/<slug:kind>/<int:pk>/", records.RecordDetailView.as_view(), name="record"),
    path("supervision/register/<slug:kind>/<int:pk>/correct/", records.RecordFileView.as_view(), name="record_correct"),
    path("supervision/disclosures/", disclosures.DisclosureCalendarView.as_view(), name="disclosure_calendar"),
    path("supervision/disclosures/overdue/", disclosures.OverdueDisclosuresView.as_view(), name="disclosures_overdue"),
]
