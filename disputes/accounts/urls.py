"""Addresses of a user's own settings: feed and API tokens, the digest, the time zone."""

from django.urls import path

from disputes.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/access/", views.account, name="settings"),
]
