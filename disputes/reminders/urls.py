"""URLs for in-app reminders and follow buttons. Included by config/urls.py under ``reminders/``."""

from django.urls import path

from disputes.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/snooze/", views.snooze, name="snooze"),
    path("follow/dispute/<slug:slug>/", views.follow_dispute, name="follow-dispute"),
    path("follow/letter/<int:pk>/", views.follow_letter, name="follow-letter"),
]
