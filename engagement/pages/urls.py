from engagement.pages import centres, contact, dashboard, deliberation, party, visits

app_name = "engagement"
urlpatterns = [
    *dashboard.URLS,
    *contact.URLS,
    *visits.URLS,
    *deliberation.URLS,
    *party.URLS,
    *centres.URLS,
]
