from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("disputes.health.urls")),
    path("reminders/", include("disputes.reminders.urls")),
    path("", include("disputes.dashboard.urls")),
    path("", include("disputes.feeds.urls")),
    path("", include("disputes.accounts.urls")),
    path("api/", include("disputes.api.urls")),
]
