"""Addresses of the health probes. Not namespaced: monitors and docker-compose know them as ``healthz``."""

from django.urls import path

from disputes.health import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/reminders/", views.healthz_reminders, name="healthz-reminders"),
]
