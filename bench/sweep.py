"""Benchmark: one deadline sweep over many open letters, and how fast real workers deliver the reminders.

    python bench/sweep.py                                   # 100,000 letters, 10,000 overdue: about a minute
    python bench/sweep.py --letters 10000                   # a quick run: 10,000 letters, 1,000 overdue

It (re)creates a PostgreSQL database for itself (``--database-url``, default ``disputes_sweep_bench`` on the local server;
everything in it is dropped first), fills it with open letters (a share of them overdue, the rest due weeks
ahead), starts a private redis-server on a spare port and an aiosmtpd SMTP sink, and then measures:

1. one sweep (``deadlines_sweep``): ledger rows written and deliveries enqueued, as beat would run it;
2. a second sweep straight after (the steady state: nothing new to do);
3. real ``celery -A config worker`` processes delivering every reminder to the SMTP sink: reminders per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--letters", type=int, default=100_000, help="open letters to create (default 100,000)"
    )
    parser.add_argument("--overdue", type=float, default=0.1, help="share of them overdue (default 0.1)")
    parser.add_argument("--users", type=int, default=50, help="staff who own the letters (default 50)")
    parser.add_argument("--workers", type=int, default=1, help="celery worker instances (default 1)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker (default 2)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/disputes_sweep_bench"
        ),
        help="PostgreSQL database to (re)create for the run; it is DROPPED first",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="give up delivering after this many seconds"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: the benchmark database's name must contain 'bench'.")
    admin_url = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def populate(*, letters: int, overdue_share: float, users: int, now: dt.datetime) -> int:
    """Create the letters with bulk inserts (no history rows, no save()): returns how many are overdue."""
    from django.contrib.auth import get_user_model

    from disputes.accounts.groups import staff_groups_sync
    from disputes.models import DeadlineSource, DemandLetter, Dispute, Organization, OrganizationKind

    rng = random.Random(20251126)  # noqa: S311 - reproducible data, not security
    User = get_user_model()  # noqa: N806
    # Readers (active staff in the Readers group): only people who may read the record are reminded.
    staff = User.objects.bulk_create(
        [User(username=f"staff{i}", email=f"staff{i}@example.org", is_staff=True) for i in range(users)]
    )
    readers, _editors = staff_groups_sync()
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=readers.pk) for user in staff]
    )
    sender = Organization.objects.create(
        kind=OrganizationKind.TRADE_ASSOCIATION,
        name="Bench Sender",
        slug="bench-sender",
        timezone="Asia/Tokyo",
    )
    recipient = Organization.objects.create(
        kind=OrganizationKind.AI_DEVELOPER, name="Bench Recipient", slug="bench-recipient", country="US"
    )
    per_dispute = 100
    disputes = Dispute.objects.bulk_create(
        [Dispute(title=f"Bench dispute {i}", slug=f"bench-{i}") for i in range(letters // per_dispute + 1)]
    )
    overdue = int(letters * overdue_share)
    batch: list[DemandLetter] = []
    for i in range(letters):
        if (i * overdue) // letters != ((i + 1) * overdue) // letters:  # spread evenly, exactly `overdue`
            deadline = (now - dt.timedelta(days=rng.randint(1, 200))).date()
        else:
            deadline = (now + dt.timedelta(days=rng.randint(10, 300))).date()
        sent = deadline - dt.timedelta(days=30)
        batch.append(
            DemandLetter(
                dispute=disputes[i // per_dispute],
                title=f"Bench letter {i}",
                sender=sender,
                recipient=recipient,
                sent_on=sent,
                dated_on=sent,
                timezone="Asia/Tokyo",
                response_deadline_on=deadline,
                response_deadline_at=dt.datetime.combine(
                    deadline, dt.time(23, 59, 59), tzinfo=dt.timezone(dt.timedelta(hours=9))
                ),
                deadline_source=DeadlineSource.STATED,
                owner=staff[i % users],
            )
        )
        if len(batch) == 5000:
            DemandLetter.objects.bulk_create(batch)
            batch.clear()
    DemandLetter.objects.bulk_create(batch)
    return DemandLetter.objects.overdue(at=now).count()


def _cpu_seconds(session: int) -> float:
    """CPU time (user + system) used so far by every process of a worker's session (its main process and pool)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of /proc/<pid>/stat: the session id
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _machine_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values) - idle) / ticks, sum(values) / ticks


def _postgres_seconds() -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend connected to the benchmark's database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [row[0] for row in cursor.fetchall()]
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # not on this machine, or gone
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


@dataclass
class CpuSnapshot:
    """Where the CPU time goes while the workers deliver: theirs, PostgreSQL's, the SMTP sink's (this process,
    whose main thread only polls), and the whole machine's (other programs share it)."""

    workers: float
    postgres: dict[int, float]
    sink: float
    machine_busy: float
    machine_total: float

    @classmethod
    def take(cls, workers: list[subprocess.Popen]) -> CpuSnapshot:
        busy, total = _machine_seconds()
        return cls(
            workers=sum(_cpu_seconds(worker.pid) for worker in workers),
            postgres=_postgres_seconds(),
            sink=time.process_time(),
            machine_busy=busy,
            machine_total=total,
        )

    def __sub__(self, earlier: CpuSnapshot) -> CpuSnapshot:
        return CpuSnapshot(
            workers=self.workers - earlier.workers,
            postgres={pid: s - earlier.postgres.get(pid, 0.0) for pid, s in self.postgres.items()},
            sink=self.sink - earlier.sink,
            machine_busy=self.machine_busy - earlier.machine_busy,
            machine_total=self.machine_total - earlier.machine_total,
        )

    def rows(self, emails: int) -> list[tuple[str, str, str]]:
        per = 1000 / max(emails, 1)
        postgres = sum(self.postgres.values())
        ours = self.workers + postgres + self.sink
        return [
            ("  CPU per email: workers", f"{self.workers * per:.2f} ms", ""),
            ("  CPU per email: PostgreSQL (the bench database's)", f"{postgres * per:.2f} ms", ""),
            ("  CPU per email: SMTP sink (this process)", f"{self.sink * per:.2f} ms", ""),
            (
                "  machine CPU busy / used by the above",
                f"{self.machine_busy / max(self.machine_total, 1e-9):.0%} / "
                f"{ours / max(self.machine_total, 1e-9):.0%}",
                "",
            ),
        ]


def main() -> None:
    args = parse_args()
    from tests.workers.worker_utils import RedisServer, SinkHandler, SmtpSink, free_port

    print(f"Recreating {urlsplit(args.database_url).path.lstrip('/')} …", flush=True)
    recreate_database(args.database_url)
    redis = RedisServer()
    redis.start()
    sink = SmtpSink(SinkHandler(parse=False))
    sink.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "LOG_LEVEL": "WARNING",
        "REMINDERS_REENQUEUE_AFTER": str(int(args.timeout) + 600),  # no re-enqueue during the measurement
    }
    os.environ.update({k: v for k, v in env.items() if k not in ("PATH",)})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from disputes.models import DeliveryStatus, Reminder
    from disputes.reminders.sweep import deadlines_sweep

    workers: list[subprocess.Popen] = []
    worker_log = tempfile.NamedTemporaryFile(prefix="bench-workers-", suffix=".log", delete=False)  # noqa: SIM115
    try:
        call_command("migrate", verbosity=0)
        now = timezone.now()
        started = time.perf_counter()
        overdue = populate(letters=args.letters, overdue_share=args.overdue, users=args.users, now=now)
        print(
            f"Created {args.letters:,} open letters, {overdue:,} overdue, in {time.perf_counter() - started:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        started = time.perf_counter()
        report = deadlines_sweep()
        sweep_seconds = time.perf_counter() - started
        queued = redis.queue_length()
        print(
            f"Sweep 1: {sweep_seconds:.2f} s — {report.letters_due:,} letters at a new step, "
            f"{len(report.new):,} reminders recorded and enqueued ({queued:,} messages in Redis)"
        )
        started = time.perf_counter()
        idle = deadlines_sweep()
        idle_seconds = time.perf_counter() - started
        print(f"Sweep 2 (steady state): {idle_seconds:.2f} s — {len(idle.scheduled)} enqueued")

        for i in range(args.workers):
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "worker",
                        "--loglevel=WARNING",
                        f"--concurrency={args.concurrency}",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                        f"--hostname=bench{i}-{free_port()}@%h",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        total = len(report.new)
        started = None
        first = 0
        before: CpuSnapshot | None = None
        deadline = time.monotonic() + args.timeout
        while True:
            received = len(sink.handler.received)
            if started is None and received:
                started, first = time.perf_counter(), received
                before = CpuSnapshot.take(workers)  # from the first email on: worker start-up is not counted
            if received >= total or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        spent = CpuSnapshot.take(workers) - before if before else None
        if received < total:
            print(Path(worker_log.name).read_text(errors="replace")[-5000:])
        elapsed = time.perf_counter() - started if started else 0.0
        rate = (received - first) / elapsed if elapsed else 0.0
        time.sleep(1)  # let the last "sent" marks land
        sent = Reminder.objects.filter(status=DeliveryStatus.SENT).count()
        flagged = Reminder.objects.filter(possible_duplicate=True).count()
        ids = [r.message_id for r in sink.handler.received]
        duplicates = len(ids) - len(set(ids))
        processes = args.workers * args.concurrency
        print(
            f"Delivery: {received:,}/{total:,} emails at the SMTP sink in {elapsed:.1f} s after the first — "
            f"{rate:.0f} reminders/s with {args.workers} worker(s) × {args.concurrency} processes; "
            f"{sent:,} marked sent; duplicate Message-IDs: {duplicates}"
        )
        rows = [
            ("Open letters / overdue", f"{args.letters:,} / {overdue:,}", ""),
            ("Sweep 1: record and publish", f"{sweep_seconds:.2f} s", "≤ 2 s"),
            ("  reminders recorded / messages published", f"{len(report.new):,} / {queued:,}", ""),
            ("Sweep 2: steady state", f"{idle_seconds:.2f} s", ""),
            (f"Delivery, {processes} worker processes", f"{rate:.0f} emails/s", "≥ 500/s"),
            *(spent.rows(received - first) if spent else []),
            ("  emails at the sink / marked sent", f"{received:,} / {sent:,}", f"{total:,}"),
            ("  duplicate Message-IDs at the sink / rows flagged", f"{duplicates} / {flagged}", "0 / 0"),
            ("Load average (1 min) at the end", f"{os.getloadavg()[0]:.1f}", f"{os.cpu_count()} CPUs"),
        ]
        width = max(len(r[0]) for r in rows)
        print()
        print(f"| {'Figure':<{width}} | {'Measured':>18} | {'Target':>8} |")
        print(f"|{'-' * (width + 2)}|{'-' * 20}|{'-' * 10}|")
        for name, value, target in rows:
            print(f"| {name:<{width}} | {value:>18} | {target:>8} |")
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        sink.stop()
        redis.stop()
        connection.close()
        if not args.keep:
            drop_database(args.database_url)


if __name__ == "__main__":
    main()
