"""The project's URLs plus the reminder URLs and admin, for tests, until config/urls.py includes them."""

from django.contrib import admin
from django.urls import include, path

import disputes.admin_reminders  # noqa: F401 - registers Reminder and Follow before the admin URLs are built
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    *[p for p in project_urlpatterns if getattr(p, "namespace", None) != "reminders"],
]
urlpatterns.insert(1, path("reminders/", include("disputes.urls_reminders")))
