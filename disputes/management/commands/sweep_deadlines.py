"""``manage.py sweep_deadlines``: run one deadline sweep by hand and print what it scheduled."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from disputes.core.errors import IllegalTransition
from disputes.reminders.sweep import deadlines_sweep

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Run one deadline sweep: record the reminders now due in the ledger and enqueue their delivery "
        "(the same work beat runs every REMINDERS_SWEEP_INTERVAL seconds). Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be scheduled; write and enqueue nothing."
        )
        parser.add_argument(
            "--at",
            help="Sweep as if it were this time (ISO 8601, e.g. 2026-01-10T09:00+09:00; naive means the "
            "site's TIME_ZONE). A future time needs --dry-run.",
        )

    def handle(self, *args, dry_run: bool, at: str | None, verbosity: int, **options):
        now = None
        if at:
            now = parse_datetime(at) or _parse_date(at)
            if now is None:
                raise CommandError(f"--at {at!r} is not an ISO 8601 date or time.")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        try:
            report = deadlines_sweep(now=now, dry_run=dry_run)
        except IllegalTransition as exc:
            raise CommandError(str(exc)) from exc
        if report.skipped:
            self.stdout.write(
                self.style.NOTICE("Another sweep is running now; it does this work. Nothing done.")
            )
            return
        verb = "Would schedule" if dry_run else "Scheduled"
        self.stdout.write(
            f"Sweep at {report.now.isoformat()}{' (dry run: nothing written or enqueued)' if dry_run else ''}: "
            f"{report.letters_due} letter(s) reached a new reminder step, "
            f"{report.responses_due} response(s) are waiting to be assessed."
        )
        shown = report.scheduled if verbosity > 1 else report.scheduled[:SHOWN]
        for item in shown:
            again = " (again: its earlier message may have been lost)" if item.again else ""
            self.stdout.write(
                f"  {verb.lower()}: reminder #{item.reminder_id} {item.kind} {item.step} "
                f"for letter #{item.letter_id} “{item.letter_title}” → {item.recipient}{again}"
            )
        if len(report.scheduled) > len(shown):
            self.stdout.write(f"  … and {len(report.scheduled) - len(shown)} more (-v 2 lists them all).")
        if report.interrupted:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.interrupted} delivery(ies) had been interrupted mid-send: sent again (flagged as "
                    "possible duplicates in the admin where the mail server may have accepted them)."
                )
            )
        style = self.style.SUCCESS if report.scheduled else self.style.NOTICE
        self.stdout.write(
            style(f"{verb} {len(report.new)} new reminder(s) and {len(report.again)} again for delivery.")
        )


def _parse_date(value: str):
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(0, 0))
