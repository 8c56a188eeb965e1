from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability, for load balancers and ``docker compose`` health checks."""
    report = selectors.health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    disputes = selectors.dispute_list()
    return render(request, "disputes/home.html", {"disputes": disputes})


@login_required
def dispute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.dispute_detail(slug=slug)
    return render(request, "disputes/dispute_detail.html", {"detail": detail, "dispute": detail.dispute})
