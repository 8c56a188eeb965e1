"""Whether the services the dashboard depends on answer: the database, the broker, the reminder sweep."""

from celery import current_app
from django.conf import settings
from django.db import connection

from disputes.reminders.selectors import reminders_health

# --- Health -----------------------------------------------------------------------------------------------


def health_report() -> dict:
    """Whether the database and the broker answer. Never raises."""
    report: dict = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        report["database"] = f"error: {exc.__class__.__name__}"
    try:
        with current_app.connection_for_write() as conn:
            # One retry, at once: a probe should hear "down" within a moment, not after kombu's default 2 s wait.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # noqa: BLE001
        report["broker"] = f"error: {exc.__class__.__name__}"
    report["ok"] = report["database"] == "ok" and report["broker"] == "ok"
    report["broker_transport"] = settings.CELERY_BROKER_URL.split("://", 1)[0]
    if report["database"] == "ok":
        # Informative here (a late sweep is not a reason to take the web server out of service);
        # /healthz/reminders/ turns it into a status code for monitoring.
        try:
            report["reminders"] = reminders_health().as_dict()
        except Exception as exc:  # noqa: BLE001 - a health check never raises
            report["reminders"] = {"ok": False, "error": exc.__class__.__name__}
    return report
