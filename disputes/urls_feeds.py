"""Addresses of everything read from outside the dashboard: Atom feeds, calendars, exports, the API and its
documentation, and the account page where a user gets their token and chooses their digest.

Feeds, calendars and exports answer at two addresses with the same name: the plain one (session or
``Authorization: Token`` header) and one under ``t/<token>/`` for calendar apps and feed readers, which cannot
send headers. ``reverse("feeds:calendar", kwargs={"token": raw})`` gives the second.

Included from ``config/urls.py`` with ``path("", include("disputes.urls_feeds"))``.
"""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import calendars, exports, feeds, views_feeds
from .api import views as api

app_name = "feeds"

# SimpleRouter, not DefaultRouter: DefaultRouter's root view would be the one API address open to anonymous
# requests.
router = SimpleRouter()
router.register("disputes", api.DisputeViewSet, basename="api-dispute")
router.register("letters", api.LetterViewSet, basename="api-letter")
router.register("events", api.EventViewSet, basename="api-event")
router.register("organizations", api.OrganizationViewSet, basename="api-organization")
router.register("products", api.AIProductViewSet, basename="api-product")

# (route, view, name): each is served with and without a token in the address.
_with_token = [
    ("feeds/atom/", feeds.all_feed, "atom"),
    ("feeds/atom/disputes/<slug:slug>/", feeds.dispute_feed, "atom-dispute"),
    ("feeds/atom/organizations/<slug:slug>/", feeds.organization_feed, "atom-organization"),
    ("feeds/atom/products/<slug:slug>/", feeds.product_feed, "atom-product"),
    ("feeds/calendar.ics", calendars.calendar_all, "calendar"),
    ("feeds/calendar/disputes/<slug:slug>.ics", calendars.calendar_dispute, "calendar-dispute"),
]
_EXPORT = r"exports/(?P<resource>disputes|letters|events)\.(?P<fmt>csv|json)$"

urlpatterns = [
    path("account/access/", views_feeds.account, name="account"),
    *(path(route, view, name=name) for route, view, name in _with_token),
    *(path(f"t/<str:token>/{route}", view, name=name) for route, view, name in _with_token),
    re_path(rf"^{_EXPORT}", exports.export, name="export"),
    re_path(rf"^t/(?P<token>[^/]+)/{_EXPORT}", exports.export, name="export"),
    path("api/schema/", api.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", api.SwaggerView.as_view(url_name="feeds:api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
]
