"""Health probes for load balancers and uptime monitors. Open to anonymous requests; they reveal no record data."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from disputes.health.selectors import health_report
from disputes.reminders.selectors import reminders_health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability, for load balancers and ``docker compose`` health checks."""
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@require_GET
@never_cache
def healthz_reminders(request: HttpRequest) -> JsonResponse:
    """Whether reminders are being worked out and delivered: 503 when the sweep is late or deliveries are stuck
    or failing, for an uptime monitor to alert on."""
    try:
        health = reminders_health()
    except Exception as exc:  # noqa: BLE001 - a health check never raises
        return JsonResponse({"ok": False, "error": exc.__class__.__name__}, status=503)
    return JsonResponse(health.as_dict(), status=200 if health.ok else 503)
