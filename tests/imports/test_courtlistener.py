"""The CourtListener refresh against a local HTTP server serving recorded API v4 responses.

The client code path is the real one (urllib over HTTP, token header, pagination by ``next``, retries); only the
server is local, because CourtListener is not reachable from the test machine.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail

from disputes import models as m
from disputes.imports import courtlistener as cl
from disputes.imports.notices import docket_followers_notify
from tests import factories
from tests.oncommit import queued

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "courtlistener"
TOKEN = "test-token-0123456789"


class RecordedAPI:
    """A local CourtListener: routes (path with query) → (status, recorded file or text, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, str, dict]]] = {}
        self.requests: list[tuple[str, str]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                api.requests.append((self.path, self.headers.get("Authorization", "")))
                if self.headers.get("Authorization") != f"Token {TOKEN}":
                    return self._send(401, '{"detail": "Invalid token."}', {})
                answers = api.routes.get(self.path)
                if not answers:
                    return self._send(404, '{"detail": "Not found."}', {})
                status, body, headers = answers.pop(0) if len(answers) > 1 else answers[0]
                if body.endswith(".json"):
                    body = (RECORDED / body).read_text().replace("{base}", api.base)
                self._send(status, body, headers)

            def _send(self, status, body, headers):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}/api/rest/v4/"
        # shutdown() waits for the serving loop's next poll: a short interval keeps each test's teardown short.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def route(self, path: str, *answers) -> None:
        self.routes["/api/rest/v4/" + path] = [a if isinstance(a, tuple) else (200, a, {}) for a in answers]

    def client(self, **kwargs) -> cl.CourtListenerClient:
        options = {"token": TOKEN, "base_url": self.base, "min_interval": 0, "attempts": 3, "backoff": 0.01}
        return cl.CourtListenerClient(**(options | kwargs))


ENTRIES = "docket-entries/?docket=70000001&order_by=-entry_number"
PAGE_2 = "docket-entries/?cursor=cD0yMDI1LTA1LTAx&docket=70000001&order_by=-entry_number"


@pytest.fixture
def api():
    server = RecordedAPI()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def linked_docket(dispute, number: str, courtlistener_id: int) -> m.CourtListenerDocket:
    proceeding, _ = m.Proceeding.objects.get_or_create(
        dispute=dispute, title="Lantern Press, Inc. v. Quillmind AI, Inc."
    )
    docket = m.DocketNumber.objects.create(
        proceeding=proceeding, number=number, courtlistener_id=courtlistener_id
    )
    return m.CourtListenerDocket.objects.create(docket=docket)


@pytest.fixture
def docket(db):
    dispute = factories.DisputeFactory(title="Lantern Press v. Quillmind", slug="lantern")
    return linked_docket(dispute, "3:23-cv-09001", 70000001)


def test_first_refresh_links_then_new_entries_become_events_and_followers_are_told(
    api, docket, django_capture_on_commit_callbacks
):
    follower = factories.ReaderFactory(email="reader@example.org", is_staff=True)
    factories.ReaderFactory(email="someone-else@example.org", is_staff=True)
    m.Follow.objects.create(user=follower, dispute=docket.docket.proceeding.dispute)
    api.route("dockets/70000001/", "docket.json")
    api.route(ENTRIES, "entries_page1.json")
    api.route(PAGE_2, "entries_page2.json")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = cl.docket_refresh(docket_pk=docket.pk, client=api.client())
    assert (first.status, first.baseline, first.new_event_ids) == (m.SyncStatus.OK, 3, [])
    assert queued(callbacks) == []
    assert all(auth == f"Token {TOKEN}" for _path, auth in api.requests)
    assert len(api.requests) == 3  # the docket, then two pages of entries by following "next"
    docket.refresh_from_db()
    assert docket.status == m.SyncStatus.OK and docket.date_modified.startswith("2025-06-02")
    assert not docket.docket.proceeding.dispute.events.exists()  # the history is known, not replayed

    api.route(ENTRIES, "entries_updated.json")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = cl.docket_refresh(docket_pk=docket.pk, client=api.client())
    assert len(second.new_event_ids) == 2
    events = list(docket.docket.proceeding.dispute.events.order_by("date"))
    assert [(e.date.isoformat(), e.kind) for e in events] == [
        ("2025-05-27", m.EventKind.FILING),
        ("2025-06-01", m.EventKind.FILING),
    ]
    assert events[1].title.startswith("Docket entry 44: ANSWER to Complaint")
    source = events[1].sources.get()
    assert source.url == "https://www.courtlistener.com/docket/70000001/lantern-press-inc-v-quillmind-ai-inc/"
    assert source.reliability == m.Reliability.PRIMARY
    assert len(queued(callbacks)) == 1  # the followers' notice leaves once the events are committed

    sent = docket_followers_notify(docket_pk=docket.pk, event_ids=second.new_event_ids)
    assert sent == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    assert "ANSWER to Complaint" in mail.outbox[0].body and "/disputes/lantern/" in mail.outbox[0].body

    # Nothing new: nothing added.
    third = cl.docket_refresh(docket_pk=docket.pk, client=api.client())
    assert third.new_event_ids == [] and docket.docket.proceeding.dispute.events.count() == 2


def test_rate_limited_then_answered(api, docket):
    api.route(
        "dockets/70000001/",
        (429, '{"detail": "Request was throttled."}', {"Retry-After": "0"}),
        "docket.json",
    )
    api.route(ENTRIES, "entries_updated.json")
    result = cl.docket_refresh(docket_pk=docket.pk, client=api.client())
    assert result.status == m.SyncStatus.OK
    assert [p for p, _ in api.requests].count("/api/rest/v4/dockets/70000001/") == 2


def test_unreachable_api_says_so(docket):
    client = cl.CourtListenerClient(
        token=TOKEN,
        base_url="http://127.0.0.1:9/api/rest/v4/",
        min_interval=0,
        attempts=2,
        backoff=0.01,
        timeout=2,
    )
    result = cl.docket_refresh(docket_pk=docket.pk, client=client)
    assert result.status == m.SyncStatus.UNREACHABLE
    docket.refresh_from_db()
    assert docket.status == m.SyncStatus.UNREACHABLE
    assert "unreachable after 2 attempt(s)" in docket.status_detail
    assert docket.checked_at is not None and docket.last_ok_at is None


def test_server_errors_exhaust_the_retries(api, docket):
    api.route("dockets/70000001/", (503, "{}", {}))
    result = cl.docket_refresh(docket_pk=docket.pk, client=api.client())
    assert result.status == m.SyncStatus.UNREACHABLE and "HTTP 503" in result.detail
    assert len(api.requests) == 3


def test_a_refused_or_missing_token(api, docket):
    assert (
        cl.docket_refresh(docket_pk=docket.pk, client=api.client(token="wrong")).status
        == m.SyncStatus.UNAUTHORISED
    )
    result = cl.docket_refresh(docket_pk=docket.pk, client=api.client(token=""))
    assert result.status == m.SyncStatus.UNAUTHORISED and "COURTLISTENER_API_TOKEN" in result.detail


def test_an_unknown_docket(api, docket):
    assert cl.docket_refresh(docket_pk=docket.pk, client=api.client()).status == m.SyncStatus.NOT_FOUND


def test_the_sweep_stops_at_the_first_unreachable(docket):
    other = linked_docket(docket.docket.proceeding.dispute, "1:24-cv-1", 70000002)
    client = cl.CourtListenerClient(
        token=TOKEN, base_url="http://127.0.0.1:9/api/rest/v4/", min_interval=0, attempts=1, timeout=2
    )
    report = cl.dockets_refresh(client=client)
    assert report.checked == 1 and report.failed == {m.SyncStatus.UNREACHABLE: 1} and report.stopped_early
    other.refresh_from_db()
    assert other.status == m.SyncStatus.NEVER


def test_requests_are_spaced(api, docket):
    api.route("dockets/70000001/", "docket.json")
    api.route(ENTRIES, "entries_updated.json")
    import time

    started = time.monotonic()
    cl.docket_refresh(docket_pk=docket.pk, client=api.client(min_interval=0.3))
    assert time.monotonic() - started >= 0.3  # two requests, at least min_interval apart
    assert json.loads((RECORDED / "docket.json").read_text())["id"] == 70000001


def test_the_sweep_without_a_token_touches_nothing(docket):
    report = cl.dockets_refresh(client=cl.CourtListenerClient(token=""))
    assert report.checked == 0 and "COURTLISTENER_API_TOKEN" in report.stopped_early
    docket.refresh_from_db()
    assert docket.status == m.SyncStatus.NEVER
