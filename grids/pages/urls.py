from django.urls import path

from grids.pages import centre, dashboard, events, grids, report

app_name = "grids"
urlpatterns = [
    path("grids/", grids.GridListView.as_view(), name="grids"),
    path("grids/<int:pk>/edit/", grids.GridEditView.as_view(), name="grid_edit"),
    path("divisions/<str:code>/grids/", grids.VillageGridMapView.as_view(), name="village_grids"),
    path("divisions/<str:code>/grids/new/", grids.GridCreateView.as_view(), name="grid_add"),
    path("grids/events/", centre.EventCentreView.as_view(tab="all"), name="events"),
    path("grids/events/new/", centre.EventCentreView.as_view(tab="new"), name="events_new"),
    path("grids/events/to-handle/", centre.EventCentreView.as_view(tab="to_handle"), name="events_to_handle"),
    path("grids/events/whistled/", centre.EventCentreView.as_view(tab="whistled"), name="events_whistled"),
    path("grids/events/to-evaluate/", centre.EventCentreView.as_view(tab="to_evaluate"), name="events_to_evaluate"),
    path("grids/events/overdue/", centre.EventCentreView.as_view(tab="overdue"), name="events_overdue"),
    path("grids/events/report/", report.EventReportView.as_view(), name="event_report"),
    path("grids/events/<int:pk>/", events.EventDetailView.as_view(), name="event"),
    path("grids/events/<int:pk>/assess/", events.EventAssessView.as_view(), name="event_assess"),
    path("grids/events/<int:pk>/arrival/", events.EventArrivalView.as_view(), name="event_arrival"),
    path("grids/events/<int:pk>/handle/", events.EventHandleView.as_view(), name="event_handle"),
    path("grids/events/<int:pk>/evaluate/", events.EventEvaluateView.as_view(), name="event_evaluate"),
    path("grids/events/<int:pk>/close/", events.EventCloseView.as_view(), name="event_close"),
    path("grids/events/<int:pk>/photos/", events.EventPhotosView.as_view(), name="event_photos"),
    path("grids/dashboard/", dashboard.GridDashboardView.as_view(), name="dashboard"),
]
