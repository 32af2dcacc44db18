from django.urls import path

from villages.pages import (
    divisions,
    filings,
    households,
    memberships,
    merges,
    party_memberships,
    people,
    positions,
    rolls,
)

app_name = "villages"
urlpatterns = [
    path("divisions/<str:code>/", divisions.DivisionView.as_view(), name="division"),
    path("divisions/<str:code>/people/new/", people.PersonCreateView.as_view(), name="person_add"),
    path("divisions/<str:code>/merge/", merges.DivisionMergeView.as_view(), name="division_merge"),
    path("divisions/<str:code>/reserve-cadres/", divisions.ReserveShortfallView.as_view(), name="reserve_shortfall"),
    path("divisions/<str:code>/households/new/", households.HouseholdCreateView.as_view(), name="household_add"),
    path("divisions/<str:code>/rolls/<str:kind>/", rolls.RollUploadView.as_view(), name="roll_import"),
    path("divisions/<str:code>/rolls/<str:kind>/template.xlsx", rolls.RollTemplateView.as_view(), name="roll_template"),
    path("divisions/<str:code>/rolls/<str:kind>/confirm/", rolls.RollConfirmView.as_view(), name="roll_confirm"),
    path("people/", people.PersonListView.as_view(), name="people"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/edit/", people.PersonUpdateView.as_view(), name="person_edit"),
    path("people/<int:pk>/positions/new/", positions.PositionCreateView.as_view(), name="position_add"),
    path("cadres/", positions.PositionListView.as_view(), name="cadres"),
    path("cadres/expired-terms/", divisions.ExpiredTermsView.as_view(), name="expired_terms"),
    path("positions/<int:pk>/end/", positions.PositionEndView.as_view(), name="position_end"),
    path(
        "people/<int:pk>/party-membership/new/",
        party_memberships.PartyMembershipCreateView.as_view(),
        name="party_membership_add",
    ),
    path("people/<int:pk>/memberships/new/", memberships.MembershipCreateView.as_view(), name="membership_add"),
    path("memberships/<int:pk>/leave/", memberships.MembershipLeaveView.as_view(), name="membership_leave"),
    path("positions/<int:pk>/file/", filings.FilingSubmitView.as_view(), name="position_file"),
    path("filings/", filings.FilingListView.as_view(), name="filings"),
    path("filings/<int:pk>/", filings.FilingDetailView.as_view(), name="filing"),
]
