from django.urls import path

from disputes.dashboard import views

app_name = "disputes"

urlpatterns = [
    path("", views.home, name="home"),
    path("disputes/", views.dispute_list, name="dispute-list"),
    path("disputes/<slug:slug>/", views.dispute_detail, name="dispute-detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("filters/suggest/<str:source>/", views.filter_suggest, name="filter-suggest"),
    path("matrix/", views.licence_matrix, name="matrix"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
]
