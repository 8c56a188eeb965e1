"""The site's URLs plus ``/bench/bare/``: the cheapest logged-in page, the yardstick every page is compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<!doctype html><title>bare</title><p>{request.user.get_username()}</p>")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("config.urls")),
]
