"""Addresses of what subscribers pull from outside the dashboard: Atom feeds, calendars and exports.

Each answers at two addresses with the same name: the plain one (session or ``Authorization: Token`` header) and
one under ``t/<token>/`` for calendar apps and feed readers, which cannot send headers.
``reverse("feeds:calendar", kwargs={"token": raw})`` gives the second.
"""

from django.urls import path, re_path

from disputes.feeds import atom, calendars, exports

app_name = "feeds"

# (route, view, name): each is served with and without a token in the address.
_with_token = [
    ("feeds/atom/", atom.all_feed, "atom"),
    ("feeds/atom/disputes/<slug:slug>/", atom.dispute_feed, "atom-dispute"),
    ("feeds/atom/organizations/<slug:slug>/", atom.organization_feed, "atom-organization"),
    ("feeds/atom/products/<slug:slug>/", atom.product_feed, "atom-product"),
    ("feeds/calendar.ics", calendars.calendar_all, "calendar"),
    ("feeds/calendar/disputes/<slug:slug>.ics", calendars.calendar_dispute, "calendar-dispute"),
]
_EXPORT = r"exports/(?P<resource>disputes|letters|events)\.(?P<fmt>csv|json)$"

urlpatterns = [
    *(path(route, view, name=name) for route, view, name in _with_token),
    *(path(f"t/<str:token>/{route}", view, name=name) for route, view, name in _with_token),
    re_path(rf"^{_EXPORT}", exports.export, name="export"),
    re_path(rf"^t/(?P<token>[^/]+)/{_EXPORT}", exports.export, name="export"),
]
