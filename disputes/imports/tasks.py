"""Celery tasks of the imports: refresh linked CourtListener dockets, tell followers, run an admin import.

Thin: they take ids, call a service. The refresh is periodic (beat, ``COURTLISTENER_REFRESH_INTERVAL``).
"""

from celery import shared_task

from . import courtlistener, notices, runs


@shared_task(name="disputes.imports.tasks.courtlistener_refresh", ignore_result=True, rate_limit="6/m")
def courtlistener_refresh() -> dict:
    return courtlistener.dockets_refresh().as_dict()


@shared_task(
    name="disputes.imports.tasks.notify_docket_followers",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def notify_docket_followers(docket_pk: int, event_ids: list[int]) -> int:
    return notices.docket_followers_notify(docket_pk=docket_pk, event_ids=event_ids)


@shared_task(name="disputes.imports.tasks.import_run", ignore_result=True, acks_late=True)
def import_run(run_id: int, confirm: bool) -> None:
    runs.import_run_execute(run_id=run_id, confirm=confirm)
