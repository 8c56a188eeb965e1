"""``manage.py load_demo``: load the demo disputes. Safe to run again; see ``disputes.demo.loader``."""

from django.core.management.base import BaseCommand, CommandError

from disputes.demo.loader import DemoDataError, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo disputes (CODA v. OpenAI and the others in disputes/demo/data). Running it again changes "
        "nothing, and rows that already exist are left as an admin may have corrected them unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Write the demo values back over rows that already exist (undoes admin edits to those fields).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be written, then roll everything back."
        )

    def handle(self, *args, **options):
        try:
            report = demo_load(update=options["update"], dry_run=options["dry_run"])
        except DemoDataError as exc:
            raise CommandError(f"Demo data not loaded: {exc}") from exc
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        for line in report.lines():
            self.stdout.write(line)
