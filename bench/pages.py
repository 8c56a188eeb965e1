"""Benchmark: every page, feed and export at the size users reach, against gunicorn with production settings.

    python bench/pages.py                      # 2,000 disputes, 200,000 events, 20,000 letters, 5,000 organizations
    python bench/pages.py --scale 0.1          # a tenth of that, for a quick look
    python bench/pages.py --requests 20        # more requests per measurement (default 10)

It creates a PostgreSQL database for itself if missing (``--database-url``, default ``disputes_perf_bench`` on the
server of ``DATABASE_URL``), migrates it and fills it with generated records in bulk; a second run reuses them
(``--regenerate`` starts again). Then it starts gunicorn (``config/gunicorn.conf.py``, 2 workers, production settings
plus a bare logged-in view at ``/bench/bare/``) on a loopback port, logs in, and measures each page in turn,
interleaved with the bare view so both see the same machine: requests per second with 2 concurrent clients,
p50 and p95, the share of the bare view's rate, SQL queries and their time (from a response header the benchmark
settings add), the response size, the first byte of feeds and exports, and the workers' memory. Before each
page it retires every piece of page kept rendered (``core.kept``, by moving the record's generation on)
and times one first view ("cold ms", "cold SQL"): what a reader sees right after an edit. It prints the EXPLAIN
of a search first, and a line per target at the end.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"organizations": 5_000, "disputes": 2_000, "letters": 20_000, "events": 200_000}
DEVELOPERS = 200  # the first organizations are AI developers
PRODUCTS = 400
EXTRA_EVENT_LINKS = 20_000  # events that belong to a second dispute
BIG_DISPUTE_EVENTS = 1_000
BUSIEST_SHARE = 0.22  # of letters sent to the busiest organization
USER, PASSWORD = "bench", "bench-password-not-secret"
ENGLISH = ["training", "licence", "dataset", "music", "video", "anime", "news", "photo", "voice", "script"]
JAPANESE = ["著作権", "映像", "音楽", "学習", "要望書", "生成", "漫画", "声優", "出版", "放送"]
SEARCH_EN, SEARCH_JA = "training", "著作権"
TODAY = dt.datetime.now(dt.UTC).date()

# Targets (share of the bare view's requests per second; sizes; times).
HTML_SHARE, HTML_AIM, API_SHARE = 0.10, 0.25, 0.30
MAX_PAGE_BYTES = 300 * 1024
MAX_FIRST_BYTE = 0.300
MAX_CALENDAR_SECONDS, MAX_CALENDAR_MEMORY = 1.0, 50 * 1024 * 1024
MAX_SEARCH_SQL = 0.100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="PostgreSQL database to use (created if missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full data set (default 1)")
    parser.add_argument("--requests", type=int, default=10, help="requests per page per round (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of bare-then-page per page (default 2)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--regenerate", action="store_true", help="drop the generated data and make it again")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    return parser.parse_args()


def bench_database_url(explicit: str | None) -> str:
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/disputes")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("The page benchmark needs PostgreSQL: set DATABASE_URL or pass --database-url.")
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "disputes"
    return urlunsplit(parts._replace(path=f"/{name}_bench" if not name.endswith("_bench") else f"/{name}"))


def redis_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- data ---------------------------------------------------------------------------------------------------


def sizes(scale: float) -> dict[str, int]:
    return {name: max(10, int(count * scale)) for name, count in SIZES.items()}


def generated() -> bool:
    from disputes.models import Organization

    return Organization.objects.filter(slug="bench-org-0").exists()


def drop_generated() -> None:
    from django.db import connection

    # Everything that points at these goes with them (CASCADE): letters, events, parties, proceedings, links.
    tables = ["disputes_organization", "disputes_dispute", "disputes_event", "disputes_searchdocument"]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def _text(rng: random.Random, i: int, words: int = 3) -> tuple[str, str]:
    english = " ".join(rng.choice(ENGLISH) for _ in range(words))
    japanese = "".join(rng.choice(JAPANESE) for _ in range(words))
    return f"{english} {i}", f"{japanese}{i}"


def generate(scale: float) -> None:
    """Bulk-insert the data set: each table in batches, then spread the creation times over a year."""
    from django.db import connection, transaction

    from disputes import models as m
    from disputes.models import date_sort_key

    n = sizes(scale)
    rng = random.Random(14)
    started = time.perf_counter()
    batch = 5_000
    developers = min(DEVELOPERS, n["organizations"] // 4)

    with transaction.atomic():
        orgs = m.Organization.objects.bulk_create(
            [
                m.Organization(
                    kind=m.OrganizationKind.AI_DEVELOPER
                    if i < developers
                    else m.OrganizationKind.RIGHTS_HOLDER,
                    name=f"Bench Organization {i}",
                    name_original=f"ベンチ組織{i}" if i % 3 == 0 else "",
                    short_name=f"BO{i}",
                    slug=f"bench-org-{i}",
                    country="JP" if i % 2 else "US",
                    timezone="Asia/Tokyo" if i % 2 else "America/New_York",
                )
                for i in range(n["organizations"])
            ],
            batch_size=batch,
        )
        devs, holders = orgs[:developers], orgs[developers:]
        products = m.AIProduct.objects.bulk_create(
            [
                m.AIProduct(
                    name=f"Bench Model {i}",
                    slug=f"bench-product-{i}",
                    developer=devs[0] if i == 0 else rng.choice(devs),
                    modality=rng.choice(m.Modality.values),
                    launched_on=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
                )
                for i in range(max(10, int(PRODUCTS * min(1, scale * 4))))
            ],
            batch_size=batch,
        )
        disputes = []
        for i in range(n["disputes"]):
            en, ja = _text(rng, i)
            disputes.append(
                m.Dispute(
                    title=f"Bench dispute {i}: {en}",
                    title_ja=f"ベンチ紛争{i} {ja}",
                    slug=f"bench-dispute-{i}",
                    summary=f"A generated dispute about {en}.",
                    summary_ja=f"{ja}に関する紛争。",
                    stage=rng.choice(m.Stage.values),
                    status_note="generated",
                )
            )
        disputes = m.Dispute.objects.bulk_create(disputes, batch_size=batch)
        m.DisputeParty.objects.bulk_create(
            [
                party
                for i, dispute in enumerate(disputes)
                for party in (
                    m.DisputeParty(dispute=dispute, organization=rng.choice(holders), role="claimant"),
                    m.DisputeParty(
                        dispute=dispute,
                        organization=devs[0] if i % 5 == 0 else rng.choice(devs[1:]),
                        role="respondent",
                    ),
                )
            ],
            batch_size=batch,
        )
        m.Dispute.products.through.objects.bulk_create(
            [
                m.Dispute.products.through(dispute_id=d.pk, aiproduct_id=rng.choice(products).pk)
                for d in disputes
            ],
            batch_size=batch,
            ignore_conflicts=True,
        )
        print(f"  organizations, products, disputes: {time.perf_counter() - started:.0f} s", flush=True)

        letters = []
        for i in range(n["letters"]):
            # Ten years up to two months from now: some deadlines are still ahead, as in a live record.
            sent = TODAY - dt.timedelta(days=3650) + dt.timedelta(days=rng.randrange(3650 + 60))
            tz = "Asia/Tokyo" if i % 2 else "UTC"
            deadline = sent + dt.timedelta(days=rng.choice((14, 30, 60))) if rng.random() < 0.85 else None
            en, ja = _text(rng, i)
            letters.append(
                m.DemandLetter(
                    dispute=rng.choice(disputes),
                    title=f"Letter {i} about {en}",
                    title_original=f"{ja}について",
                    sender=rng.choice(holders),
                    recipient=devs[0] if rng.random() < BUSIEST_SHARE else rng.choice(devs[1:]),
                    sent_on=sent,
                    date_sort=date_sort_key(sent),
                    timezone=tz,
                    response_deadline_on=deadline,
                    response_deadline_at=(
                        dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(tz))
                        if deadline
                        else None
                    ),
                    deadline_source="stated" if deadline else "none",
                    status=rng.choices(["open", "closed", "withdrawn"], weights=(60, 35, 5))[0],
                    summary=f"Asks about {en}; {ja}。",
                )
            )
        letters = m.DemandLetter.objects.bulk_create(letters, batch_size=batch)
        m.DemandLetter.products.through.objects.bulk_create(
            [
                m.DemandLetter.products.through(
                    demandletter_id=letter.pk,
                    aiproduct_id=products[0].pk
                    if letter.recipient_id == devs[0].pk
                    else rng.choice(products).pk,
                )
                for letter in letters
            ],
            batch_size=batch,
        )
        m.Demand.objects.bulk_create(
            [
                m.Demand(
                    letter=letter, number=number, text_en=f"Stop {rng.choice(ENGLISH)} use", text_original=""
                )
                for letter in letters
                for number in (1, 2)
            ],
            batch_size=batch,
        )
        responses = []
        now = dt.datetime.now(dt.UTC)
        for letter in letters:
            if rng.random() < 0.5:
                continue
            assessment = rng.choice(["not_assessed", "sincere", "evasive", "partial", "refusal"])
            responded = letter.sent_on + dt.timedelta(days=rng.randrange(1, 90))
            responses.append(
                m.Response(
                    letter=letter,
                    responder=letter.recipient,
                    responded_on=responded,
                    date_sort=date_sort_key(responded),
                    channel="letter",
                    title=f"Reply to letter {letter.pk}",
                    summary=f"Says something about {rng.choice(ENGLISH)}.",
                    assessment=assessment,
                    assessed_at=None if assessment == "not_assessed" else now,
                )
            )
        m.Response.objects.bulk_create(responses, batch_size=batch)
        print(f"  letters, demands, responses: {time.perf_counter() - started:.0f} s", flush=True)

        through = m.Event.disputes.through
        kinds = m.EventKind.values
        made = 0
        while made < n["events"]:
            count = min(batch * 4, n["events"] - made)
            events = []
            owners = []
            for j in range(count):
                i = made + j
                en, ja = _text(rng, i, words=2)
                day = TODAY - dt.timedelta(days=rng.randrange(5800))
                # One event in fifty is known only to the month, as in the real record.
                precision = "month" if i % 50 == 0 else "day"
                day = day.replace(day=1) if precision == "month" else day
                events.append(
                    m.Event(
                        kind=rng.choice(kinds),
                        date=day,
                        date_precision=precision,
                        date_sort=date_sort_key(day, precision),
                        title=f"Event {i}: {en}",
                        title_original=ja if i % 4 == 0 else "",
                        summary=f"Something happened about {en}.",
                        actor=rng.choice(orgs) if rng.random() < 0.3 else None,
                    )
                )
                owners.append(disputes[0] if i < BIG_DISPUTE_EVENTS else rng.choice(disputes[1:]))
            events = m.Event.objects.bulk_create(events, batch_size=batch)
            links = [through(event_id=e.pk, dispute_id=d.pk) for e, d in zip(events, owners, strict=True)]
            share = EXTRA_EVENT_LINKS / SIZES["events"]
            links += [
                through(event_id=e.pk, dispute_id=rng.choice(disputes[1:]).pk)
                for e in events[BIG_DISPUTE_EVENTS if made == 0 else 0 :]
                if rng.random() < share
            ]
            through.objects.bulk_create(links, batch_size=batch, ignore_conflicts=True)
            m.Event.products.through.objects.bulk_create(
                [
                    m.Event.products.through(event_id=e.pk, aiproduct_id=rng.choice(products).pk)
                    for e in events
                    if rng.random() < 0.05
                ],
                batch_size=batch,
                ignore_conflicts=True,
            )
            made += count
            print(f"  events: {made:,} ({time.perf_counter() - started:.0f} s)", flush=True)

        with connection.cursor() as cursor:
            for table in ("disputes_event", "disputes_demandletter", "disputes_response", "disputes_dispute"):
                cursor.execute(
                    f"UPDATE {table} SET created_at = created_at - random() * interval '365 days', "
                    "updated_at = updated_at - random() * interval '30 days'"
                )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Generated the data set in {time.perf_counter() - started:.0f} s.", flush=True)


DAIL = ROOT.parent / "shared" / "data" / "dail"


def import_dail() -> None:
    """DAIL's copyright cases on top of the generated ones, where the export is on this machine."""
    from django.core.management import call_command

    cases = sorted(DAIL.glob("Case_Table_*.xlsx"))
    if not cases:
        print(f"  No DAIL export in {DAIL}: the generated data set only.", flush=True)
        return
    dockets = sorted(DAIL.glob("Docket_Table_*.xlsx"))
    started = time.perf_counter()
    options = {"only": "copyright", "quiet_rows": True}
    if dockets:
        options["dockets"] = str(dockets[-1])
    call_command("import_dail", str(cases[-1]), **options)
    print(f"  DAIL's copyright cases imported: {time.perf_counter() - started:.0f} s", flush=True)


def after_generation() -> None:
    """DAIL's cases where available, then derived data (search documents, stored latest activity) brought up to
    date, as the management commands do after a bulk load."""
    from django.core.management import call_command, get_commands

    import_dail()
    for command in ("rebuild_search", "refresh_activity"):
        if command in get_commands():
            started = time.perf_counter()
            call_command(command)
            print(f"  {command}: {time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the planner's statistics, after the derived data was written


def ensure_user() -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user, _ = User.objects.get_or_create(username=USER, defaults={"is_staff": True, "is_superuser": True})
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = True
    user.save()


@dataclass
class Targets:
    big_dispute: str
    busiest_org: str
    product: str
    timeline_cursor: str
    api_cursor: str


def find_targets() -> Targets:
    from django.db.models import Count

    from disputes.models import AIProduct, DemandLetter, Dispute, Event, Organization

    big = Dispute.objects.annotate(n=Count("events")).order_by("-n").values_list("slug", flat=True).first()
    busiest = (
        DemandLetter.objects.values("recipient").annotate(n=Count("pk")).order_by("-n").first()["recipient"]
    )
    product = (
        AIProduct.objects.annotate(n=Count("letters")).order_by("-n").values_list("slug", flat=True).first()
    )
    total = Event.objects.count()
    deep = Event.objects.order_by("-date_sort", "-id").values_list("date_sort", "id")[total // 2]
    ids = Event.objects.order_by("id").values_list("id", flat=True)
    middle = ids[total // 2]
    return Targets(
        big_dispute=big,
        busiest_org=Organization.objects.get(pk=busiest).slug,
        product=product,
        timeline_cursor=f"{deep[0]}.1.{deep[1]}",
        api_cursor=base64.b64encode(urlencode({"p": middle}).encode()).decode(),
    )


def explain_search() -> None:
    """EXPLAIN ANALYZE of the disputes list's search, in English and Japanese, as the page runs it."""
    from django.db import connection
    from django.http import QueryDict

    from disputes.filters.dashboard import DisputeFilterSet
    from disputes.models import Dispute

    for term in (SEARCH_EN, SEARCH_JA):
        filterset = DisputeFilterSet(QueryDict(f"q={quote(term)}"), queryset=Dispute.objects.all())
        assert filterset.is_valid(), filterset.errors
        queries_before = len(connection.queries_log)
        started = time.perf_counter()
        plan = filterset.qs.order_by().values("pk").explain(analyze=True)
        elapsed = time.perf_counter() - started
        print(f"\nEXPLAIN ANALYZE of the disputes search for {term!r} ({elapsed * 1000:.0f} ms):")
        for line in plan.splitlines():
            if any(
                word in line for word in ("Index", "Bitmap", "Seq Scan", "Execution Time", "Planning Time")
            ):
                print("   ", line.strip()[:150])
        del queries_before


# --- measuring ----------------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    kind: str = "html"  # html, api, feed
    seconds: list[float] = field(default_factory=list)
    first_bytes: list[float] = field(default_factory=list)
    rps: float = 0.0
    bare_rps: float = 0.0
    size: int = 0
    queries: str = ""
    sql_ms: float = 0.0
    rss_mb: float = 0.0
    rss_growth_mb: float = 0.0
    status: int = 0
    error: str = ""
    cold_ms: float = 0.0  # the first view after a write to the record (nothing kept rendered yet)
    cold_sql_ms: float = 0.0

    @property
    def share(self) -> float:
        return self.rps / self.bare_rps if self.bare_rps else 0.0


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        all_headers = {"Host": "127.0.0.1", "Accept-Language": "en"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started
        data = first + response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, data, elapsed, first_byte

    def login(self) -> None:
        response, body, *_ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not token:
            sys.exit(f"No login form at /accounts/login/ ({response.status}).")
        form = urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()})
        response, *_ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"Logging in failed ({response.status}).")


def run_batch(client: Client, path: str, count: int, concurrency: int = 2):
    """``count`` requests from ``concurrency`` threads: wall time, and per request (seconds, first byte, …)."""
    results: list = []
    lock = threading.Lock()
    todo = list(range(count))

    def work():
        while True:
            with lock:
                if not todo:
                    return
                todo.pop()
            try:
                response, data, elapsed, first_byte = client.request("GET", path)
                result = (response.status, elapsed, first_byte, len(data), dict(response.getheaders()))
            except Exception as exc:  # noqa: BLE001 - a timeout or a reset connection is a measurement
                result = (0, 0.0, 0.0, 0, {"error": repr(exc)})
            with lock:
                results.append(result)

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def worker_rss(master_pid: int) -> float:
    import psutil

    try:
        children = psutil.Process(master_pid).children()
    except psutil.NoSuchProcess:
        return 0.0
    return max((child.memory_info().rss for child in children), default=0) / 1024 / 1024


def measure(client: Client, page: Page, *, requests: int, rounds: int, master_pid: int) -> None:
    bare_time = page_time = 0.0
    bare_count = page_count = 0
    # The first view after a write to the record: every piece kept rendered is retired (models.generation), so
    # this request renders and queries everything; it also warms the workers for the measurement.
    from disputes.models.generation import bump_generation

    bump_generation()
    response, _body, cold, _first = client.request("GET", page.path)
    page.cold_ms = cold * 1000
    page.cold_sql_ms = float(response.getheader("X-Bench-SQL-ms") or 0)
    rss_before = worker_rss(master_pid)
    for _ in range(rounds):
        wall, _results = run_batch(client, "/bench/bare/", requests * 2)
        bare_time += wall
        bare_count += requests * 2
        wall, results = run_batch(client, page.path, requests)
        page_time += wall
        page_count += len(results)
        for status, elapsed, first_byte, size, headers in results:
            page.status = status
            if status != 200:
                page.error = headers.get("error", f"HTTP {status}")
                continue
            page.seconds.append(elapsed)
            page.first_bytes.append(first_byte)
            page.size = size
            page.queries = headers.get("X-Bench-Queries", "?") + (
                "+stream" if headers.get("X-Bench-Streaming") == "1" else ""
            )
            page.sql_ms = max(page.sql_ms, float(headers.get("X-Bench-SQL-ms", 0)))
        page.rss_mb = max(page.rss_mb, worker_rss(master_pid))
    page.rss_growth_mb = max(0.0, page.rss_mb - rss_before)
    page.bare_rps = bare_count / bare_time if bare_time else 0.0
    page.rps = len(page.seconds) / page_time if page_time and page.seconds else 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(pages: list[Page]) -> bool:
    print()
    header = (
        f"{'page':<34} {'req/s':>7} {'bare':>6} {'share':>7} {'p50 ms':>7} {'p95 ms':>7} {'1st B ms':>8} "
        f"{'queries':>9} {'SQL ms':>7} {'size KB':>8} {'RSS MB':>7} {'+MB':>5} {'cold ms':>8} {'cold SQL':>8}"
    )
    print(header)
    print("-" * len(header))
    for page in pages:
        first = f"{pct(page.first_bytes, 0.95) * 1000:.0f}" if page.kind == "feed" else ""
        print(
            f"{page.name:<34} {page.rps:>7.1f} {page.bare_rps:>6.0f} {page.share:>7.1%} "
            f"{statistics.median(page.seconds) * 1000 if page.seconds else 0:>7.0f} "
            f"{pct(page.seconds, 0.95) * 1000:>7.0f} {first:>8} {page.queries:>9} {page.sql_ms:>7.0f} "
            f"{page.size / 1024:>8.0f} {page.rss_mb:>7.0f} {page.rss_growth_mb:>5.0f} "
            f"{page.cold_ms:>8.0f} {page.cold_sql_ms:>8.0f}" + (f"  {page.error}" if page.error else "")
        )
    print()
    ok = True

    def check(passed: bool, text: str) -> None:
        nonlocal ok
        ok = ok and passed
        print(f"  [{'ok' if passed else 'FAIL'}] {text}")

    for page in pages:
        check(not page.error, f"{page.name}: every request answered 200")
        if page.kind == "html":
            aim = " (aim 25 % reached)" if page.share >= HTML_AIM else ""
            check(page.share >= HTML_SHARE, f"{page.name}: {page.share:.1%} of bare ≥ 10 %{aim}")
            check(page.size <= MAX_PAGE_BYTES, f"{page.name}: {page.size / 1024:.0f} KB ≤ 300 KB")
        elif page.kind == "api":
            check(page.share >= API_SHARE, f"{page.name}: {page.share:.1%} of bare ≥ 30 %")
        else:
            first = pct(page.first_bytes, 0.95)
            check(first <= MAX_FIRST_BYTE, f"{page.name}: first byte p95 {first * 1000:.0f} ms ≤ 300 ms")
        if page.name.startswith("search"):
            # The search as it runs on a first view (later views of the same search read its kept result).
            sql = max(page.sql_ms, page.cold_sql_ms)
            check(sql <= MAX_SEARCH_SQL * 1000, f"{page.name}: SQL {sql:.0f} ms on a first view ≤ 100 ms")
        if page.name.startswith("iCalendar"):
            worst = max(page.seconds, default=float("inf"))
            check(worst <= MAX_CALENDAR_SECONDS, f"{page.name}: slowest {worst * 1000:.0f} ms ≤ 1 s")
            check(
                page.rss_growth_mb * 1024 * 1024 <= MAX_CALENDAR_MEMORY,
                f"{page.name}: worker memory +{page.rss_growth_mb:.0f} MB ≤ 50 MB",
            )
    print("\nEvery target met." if ok else "\nSome targets are not met.")
    return ok


def main() -> int:
    args = parse_args()
    url = bench_database_url(args.database_url)
    ensure_database(url)
    port = args.port or free_port()
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "x" * 40 + "-not-for-production"),
        # Plain HTTP on a loopback port: no redirect to HTTPS, no secure-only cookies.
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if args.regenerate and generated():
        drop_generated()
    if not generated():
        print(f"Generating {sizes(args.scale)} in {urlsplit(url).path.lstrip('/')} …", flush=True)
        generate(args.scale)
        after_generation()
    else:
        print(f"Reusing the data set in {urlsplit(url).path.lstrip('/')} (--regenerate to make it again).")
    ensure_user()
    targets = find_targets()
    explain_search()

    from django.db import connections

    connections.close_all()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    # As docker-compose runs it: the workers share what is kept in Redis (FRAGMENT_CACHE_URL) when a Redis answers
    # on the usual port; otherwise each worker keeps its own.
    if "FRAGMENT_CACHE_URL" not in env and redis_answers("127.0.0.1", 6379):
        env["FRAGMENT_CACHE_URL"] = "redis://127.0.0.1:6379/12"
    print(f"Kept pieces of pages: {env.get('FRAGMENT_CACHE_URL') or 'in each worker'}.")
    env["GUNICORN_ACCESS_LOG"] = os.devnull
    env["GUNICORN_MAX_REQUESTS"] = "0"  # no recycling during a measurement: the memory figures stay honest
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        client = Client(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                client.request("GET", "/accounts/login/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("gunicorn did not start.")
                time.sleep(0.3)
        client.login()
        pages = [
            Page("timeline page 1", "/timeline/"),
            Page("timeline deep page", f"/timeline/?after={targets.timeline_cursor}"),
            Page("timeline filtered", f"/timeline/?party={targets.busiest_org}&date_from=2020-01-01"),
            Page("disputes list", "/disputes/"),
            Page("disputes list by deadline", "/disputes/?sort=deadline&page=3"),
            Page("search English", f"/disputes/?q={quote(SEARCH_EN)}"),
            Page("search Japanese", f"/disputes/?q={quote(SEARCH_JA)}"),
            Page("search timeline", f"/timeline/?q={quote(SEARCH_EN)}"),
            Page(f"dispute ({BIG_DISPUTE_EVENTS:,} events)", f"/disputes/{targets.big_dispute}/"),
            Page("dispute, last page", f"/disputes/{targets.big_dispute}/?page=20"),
            Page("busiest organization", f"/organizations/{targets.busiest_org}/"),
            Page("busiest organization p.50", f"/organizations/{targets.busiest_org}/?received=50"),
            Page("product", f"/products/{targets.product}/"),
            Page("licence matrix", "/matrix/"),
            Page("home", "/"),
            Page("filter suggestions", "/filters/suggest/party/?party=bench"),
            Page("CSV of all letters", "/exports/letters.csv", kind="feed"),
            Page("Atom feed", "/feeds/atom/", kind="feed"),
            Page("iCalendar feed", "/feeds/calendar.ics", kind="feed"),
            Page("JSON of all events", "/exports/events.json", kind="feed"),
            Page("Atom feed of a dispute", f"/feeds/atom/disputes/{targets.big_dispute}/", kind="feed"),
            Page("API events, deep cursor", f"/api/events/?cursor={targets.api_cursor}", kind="api"),
            Page("API letters", "/api/letters/", kind="api"),
        ]
        if args.only:
            pages = [page for page in pages if args.only.lower() in page.name.lower()]
        print(
            f"\ngunicorn with 2 workers on 127.0.0.1:{port}; {args.rounds} × {args.requests} requests a page."
        )
        for page in pages:
            print(f"  {page.name} …", end=" ", flush=True)
            measure(client, page, requests=args.requests, rounds=args.rounds, master_pid=server.pid)
            print(f"{page.rps:.1f} req/s, {page.share:.1%} of bare", flush=True)
        ok = report(pages)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
