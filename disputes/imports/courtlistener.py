"""Keep linked dockets fresh from CourtListener's REST API (v4): new docket entries become events of the dispute.

``CourtListenerClient`` is the only code that talks HTTP: token authentication, a minimum interval between requests,
retries with back-off on 429/5xx/network errors (honouring ``Retry-After``), and one exception,
``CourtListenerUnavailable``, when the API still cannot be reached. ``docket_refresh`` reads a docket and its
newest entries and writes what is new in one transaction; each docket keeps a status that says what happened last
(up to date, unreachable, token refused, not found), shown in the admin.

The first refresh of a docket records the entries it finds as already known without making events of them: a
docket linked today does not flood the timeline with years of history. Entries that appear after that become
events (a court filing, or a ruling when the entry is an order or opinion), each citing the docket on CourtListener.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from disputes.models import (
    CourtListenerDocket,
    CourtListenerEntry,
    DatePrecision,
    Event,
    EventKind,
    Reliability,
    Source,
    SyncStatus,
)

logger = logging.getLogger(__name__)

SITE = "https://www.courtlistener.com"
NOTIFY_TASK = "disputes.imports.tasks.notify_docket_followers"


class CourtListenerError(Exception):
    status = SyncStatus.ERROR


class CourtListenerUnavailable(CourtListenerError):
    """The API could not be reached, or kept answering 429/5xx, after every attempt."""

    status = SyncStatus.UNREACHABLE


class CourtListenerUnauthorised(CourtListenerError):
    status = SyncStatus.UNAUTHORISED


class CourtListenerNotFound(CourtListenerError):
    status = SyncStatus.NOT_FOUND


_last_request_lock = threading.Lock()
_last_request_at = 0.0


class CourtListenerClient:
    def __init__(
        self,
        *,
        token: str | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        min_interval: float | None = None,
        attempts: int | None = None,
        backoff: float | None = None,
    ) -> None:
        self.token = settings.COURTLISTENER_API_TOKEN if token is None else token
        self.base_url = (base_url or settings.COURTLISTENER_BASE_URL).rstrip("/") + "/"
        self.timeout = settings.COURTLISTENER_TIMEOUT if timeout is None else timeout
        self.min_interval = settings.COURTLISTENER_MIN_INTERVAL if min_interval is None else min_interval
        self.attempts = max(1, settings.COURTLISTENER_ATTEMPTS if attempts is None else attempts)
        self.backoff = settings.COURTLISTENER_BACKOFF if backoff is None else backoff
        self.requests_made = 0

    def docket(self, docket_id: int) -> dict[str, Any]:
        return self.get(f"dockets/{docket_id}/")

    def docket_entries(self, docket_id: int, *, max_pages: int) -> list[dict[str, Any]]:
        """The docket's entries, newest first, up to ``max_pages`` pages (CourtListener paginates by cursor)."""
        url = self._url("docket-entries/", {"docket": docket_id, "order_by": "-entry_number"})
        entries: list[dict[str, Any]] = []
        for _ in range(max_pages):
            page = self._get_url(url)
            entries.extend(page.get("results") or [])
            url = page.get("next")
            if not url:
                break
        return entries

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._get_url(self._url(path, params))

    def _url(self, path: str, params: dict[str, Any] | None = None) -> str:
        url = urllib.parse.urljoin(self.base_url, path)
        return f"{url}?{urllib.parse.urlencode(params)}" if params else url

    def _wait_turn(self) -> None:
        global _last_request_at
        with _last_request_lock:
            wait = _last_request_at + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            _last_request_at = time.monotonic()

    def _get_url(self, url: str) -> dict[str, Any]:
        if not self.token:
            raise CourtListenerUnauthorised(
                "No CourtListener API token is configured (COURTLISTENER_API_TOKEN)."
            )
        if not url.startswith(("https://", "http://")):
            raise CourtListenerError(f"Refusing to fetch {url!r}")
        headers = {
            "Authorization": f"Token {self.token}",
            "Accept": "application/json",
            "User-Agent": "ai-disputes-tracker (docket refresh)",
        }
        last_error = ""
        for attempt in range(1, self.attempts + 1):
            self._wait_turn()
            self.requests_made += 1
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) checked above
            retry_after = None
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    raise CourtListenerUnauthorised(
                        f"CourtListener refused the API token (HTTP {exc.code})."
                    ) from exc
                if exc.code == 404:
                    raise CourtListenerNotFound(f"CourtListener has no such docket ({url}).") from exc
                if exc.code != 429 and exc.code < 500:
                    raise CourtListenerError(f"CourtListener answered HTTP {exc.code} for {url}.") from exc
                last_error = f"HTTP {exc.code}"
                retry_after = _retry_after(exc.headers.get("Retry-After"))
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                last_error = str(getattr(exc, "reason", exc))
            except json.JSONDecodeError as exc:
                raise CourtListenerError(f"CourtListener sent something that is not JSON for {url}.") from exc
            if attempt < self.attempts:
                delay = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
                time.sleep(min(delay, 60.0))
        raise CourtListenerUnavailable(
            f"CourtListener unreachable after {self.attempts} attempt(s): {last_error or 'no answer'}."
        )


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


@dataclass
class RefreshResult:
    docket_id: int
    status: str
    new_event_ids: list[int] = field(default_factory=list)
    baseline: int = 0
    detail: str = ""


def _entry_kind(description: str) -> str:
    if re.search(r"\b(order|opinion|judgment|ruling|memorandum and order)\b", description, re.I):
        return EventKind.RULING
    if re.search(r"\bsettle", description, re.I):
        return EventKind.SETTLEMENT
    return EventKind.FILING


def _entry_date(entry: dict[str, Any]) -> dt.date | None:
    for key in ("date_filed", "date_created"):
        value = entry.get(key)
        if value:
            try:
                return dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                continue
    return None


def docket_refresh(*, docket_pk: int, client: CourtListenerClient | None = None) -> RefreshResult:
    """Bring one linked docket up to date. Never raises for an API failure: the docket's status says what failed."""
    client = client or CourtListenerClient()
    docket = CourtListenerDocket.objects.select_related("docket__proceeding__dispute").get(pk=docket_pk)
    result = RefreshResult(docket_id=docket.courtlistener_id or 0, status=SyncStatus.OK)
    if not docket.courtlistener_id:
        result.status, result.detail = SyncStatus.NOT_FOUND, "not linked to a CourtListener docket"
        return result
    now = timezone.now()
    try:
        info = client.docket(docket.courtlistener_id)
        entries = client.docket_entries(docket.courtlistener_id, max_pages=settings.COURTLISTENER_MAX_PAGES)
    except CourtListenerError as exc:
        CourtListenerDocket.objects.filter(pk=docket.pk).update(
            status=exc.status, status_detail=str(exc)[:500], checked_at=now
        )
        result.status, result.detail = exc.status, str(exc)
        return result
    with transaction.atomic():
        docket = (
            CourtListenerDocket.objects.select_for_update(of=("self",))
            .select_related("docket__proceeding__dispute")
            .get(pk=docket.pk)
        )
        first_time = not docket.entries.exists()
        known = set(
            CourtListenerEntry.objects.filter(
                entry_id__in=[e.get("id") for e in entries if e.get("id")]
            ).values_list("entry_id", flat=True)
        )
        fresh = [e for e in entries if e.get("id") and e["id"] not in known]
        fresh.sort(key=lambda e: (e.get("entry_number") or 0, e["id"]))
        source = None
        for entry in fresh:
            event = None
            date = _entry_date(entry)
            if not first_time and date is not None:
                source = source or _docket_source(docket, info)
                event = _entry_event(docket, entry, date, source)
                result.new_event_ids.append(event.pk)
            elif first_time:
                result.baseline += 1
            CourtListenerEntry.objects.create(
                docket=docket, entry_id=entry["id"], entry_number=entry.get("entry_number"), event=event
            )
        docket.status = SyncStatus.OK
        docket.status_detail = (
            f"{len(result.new_event_ids)} new entries"
            if not first_time
            else f"linked; {result.baseline} entries known"
        )
        docket.checked_at = docket.last_ok_at = now
        docket.date_modified = str(info.get("date_modified") or "")[:40]
        docket.save()
        if result.new_event_ids:
            # By name: the tasks module imports this one. The message leaves only once the events are committed.
            args = [docket.pk, list(result.new_event_ids)]
            transaction.on_commit(lambda: current_app.send_task(NOTIFY_TASK, args=args))
    result.detail = docket.status_detail
    return result


def _docket_source(docket: CourtListenerDocket, info: dict[str, Any]) -> Source:
    path = info.get("absolute_url") or f"/docket/{docket.courtlistener_id}/"
    url = urllib.parse.urljoin(SITE, path)
    source, _ = Source.objects.get_or_create(
        url=url[:1000],
        defaults={
            "title": f"Docket {info.get('docket_number') or docket.number}: {info.get('case_name') or ''}"[
                :500
            ],
            "publisher": "CourtListener",
            "language": "en",
            "reliability": Reliability.PRIMARY,
        },
    )
    return source


def _entry_event(docket: CourtListenerDocket, entry: dict[str, Any], date: dt.date, source: Source) -> Event:
    description = re.sub(r"\s+", " ", str(entry.get("description") or "")).strip()
    if not description:
        documents = entry.get("recap_documents") or []
        description = next((str(d.get("description")) for d in documents if d.get("description")), "")
    number = entry.get("entry_number")
    label = f"Docket entry {number}" if number else "Docket entry"
    title = f"{label}: {description}" if description else label
    docket_number = docket.docket
    proceeding = docket_number.proceeding
    event = Event.objects.create(
        kind=_entry_kind(description),
        date=date,
        date_precision=DatePrecision.DAY,
        title=(title[:297] + "…") if len(title) > 300 else title,
        summary=f"{description}\n\n{proceeding.title}, No. {docket_number.number}, from CourtListener.".strip(),
        proceeding=proceeding,
    )
    event.disputes.add(proceeding.dispute)
    event.sources.add(source)
    return event


@dataclass
class SweepReport:
    checked: int = 0
    new_events: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    stopped_early: str = ""

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def dockets_refresh(*, limit: int | None = None, client: CourtListenerClient | None = None) -> SweepReport:
    """Refresh the least recently checked linked dockets. Stops at the first "unreachable": the rest would be too."""
    client = client or CourtListenerClient()
    report = SweepReport()
    if not client.token:
        # Nothing can be asked without a token; say so once rather than marking every docket.
        report.stopped_early = "No CourtListener API token is configured (COURTLISTENER_API_TOKEN)."
        logger.info(report.stopped_early)
        return report
    limit = limit or settings.COURTLISTENER_DOCKETS_PER_RUN
    for pk in CourtListenerDocket.objects.due().values_list("pk", flat=True)[:limit]:
        result = docket_refresh(docket_pk=pk, client=client)
        report.checked += 1
        report.new_events += len(result.new_event_ids)
        if result.status != SyncStatus.OK:
            report.failed[result.status] = report.failed.get(result.status, 0) + 1
        if result.status in (SyncStatus.UNREACHABLE, SyncStatus.UNAUTHORISED):
            report.stopped_early = result.detail
            break
    return report
