from django.contrib.auth import views as auth_views
from django.urls import include, path

from governance.pages import views
from governance.pages.files import PrivateFileView
from governance.pages.notifications import NotificationListView
from governance.pages.pickers import PickerView
from governance.pages.reports import ReportIndexPage, ReportPage
from governance.registry import registry

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("history/<str:app_label>/<str:model_name>/<str:pk>/", views.HistoryView.as_view(), name="history"),
    path("notifications/", NotificationListView.as_view(), name="notifications"),
    # Reports in the browser: the API's reports the user may read (governance.pages.reports).
    path("reports/", ReportIndexPage.as_view(), name="reports"),
    path("reports/<slug:slug>/", ReportPage.as_view(), name="report"),
    path("public/<str:code>/", views.PublicDivisionView.as_view(), name="public_division"),
    # Searchable pickers: choices of a registered model, as an htmx fragment (governance.pages.pickers).
    path("pick/<str:key>/", PickerView.as_view(), name="pick"),
    # Private files (evidence, minutes) of a registered PrivateFile model, to those who may view them.
    path("files/<str:key>/<str:pk>/", PrivateFileView.as_view(), name="private_file"),
    # Each app's pages, registered in its AppConfig.ready() (governance.registry).
    *[path("", include(module)) for module in registry.page_url_modules],
]
