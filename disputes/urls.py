from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.home, name="home"),
    path("disputes/<slug:slug>/", views.dispute_detail, name="dispute-detail"),
]
