from django.urls import path

from villages import filing_views, form_views, views

app_name = "villages"
urlpatterns = [
    path("divisions/<str:code>/", views.DivisionView.as_view(), name="division"),
    path("divisions/<str:code>/people/new/", form_views.PersonCreateView.as_view(), name="person_add"),
    path("divisions/<str:code>/reserve-cadres/", views.ReserveShortfallView.as_view(), name="reserve_shortfall"),
    path("divisions/<str:code>/households/new/", form_views.HouseholdCreateView.as_view(), name="household_add"),
    path("people/", views.PersonListView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/edit/", form_views.PersonUpdateView.as_view(), name="person_edit"),
    path("people/<int:pk>/positions/new/", form_views.PositionCreateView.as_view(), name="position_add"),
    path("cadres/", views.PositionListView.as_view(), name="cadres"),
    path("positions/<int:pk>/end/", form_views.PositionEndView.as_view(), name="position_end"),
    path("people/<int:pk>/party-membership/new/", form_views.PartyMembershipCreateView.as_view(), name="party_membership_add"),
    path("people/<int:pk>/memberships/new/", form_views.MembershipCreateView.as_view(), name="membership_add"),
    path("memberships/<int:pk>/leave/", form_views.MembershipLeaveView.as_view(), name="membership_leave"),
    path("positions/<int:pk>/file/", filing_views.FilingSubmitView.as_view(), name="position_file"),
    path("filings/", filing_views.FilingListView.as_view(), name="filings"),
    path("filings/<int:pk>/", filing_views.FilingDetailView.as_view(), name="filing"),
]
