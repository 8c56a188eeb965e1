from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from disputes.views import healthz, healthz_reminders

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("healthz/reminders/", healthz_reminders, name="healthz-reminders"),
    path("reminders/", include("disputes.urls_reminders")),
    path("", include("disputes.urls")),
    path("", include("disputes.urls_feeds")),
]
