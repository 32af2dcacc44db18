from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("divisions/<str:code>/", views.DivisionView.as_view(), name="division"),
    path("people/", views.PersonListView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("cadres/", views.PositionListView.as_view(), name="cadres"),
]
