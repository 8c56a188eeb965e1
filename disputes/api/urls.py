"""Addresses of the REST API and its documentation, under ``/api/``. Names are ``api:<resource>-list`` and
``api:<resource>-detail``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from disputes.api import views

app_name = "api"

# SimpleRouter, not DefaultRouter: DefaultRouter's root view would be the one API address open to anonymous
# requests.
router = SimpleRouter()
router.register("disputes", views.DisputeViewSet, basename="dispute")
router.register("letters", views.LetterViewSet, basename="letter")
router.register("events", views.EventViewSet, basename="event")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("products", views.AIProductViewSet, basename="product")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
