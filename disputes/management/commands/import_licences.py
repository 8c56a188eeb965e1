"""``manage.py import_licences copyright_licensing.csv [--dry-run]``: publicly reported AI licensing deals."""

from django.core.management.base import BaseCommand, CommandError

from disputes.imports.licensing import licences_import
from disputes.imports.readers import ImportFileError


class Command(BaseCommand):
    help = (
        "Import AI licensing deals (Media Company, Work Type, Content Type, License Type, AI Company, URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The licensing table (CSV or xlsx).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, then roll it back."
        )

    def handle(self, *args, **options):
        try:
            report = licences_import(options["file"], dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        for line in report.rejected:
            self.stdout.write(f"  rejected: {line}")
        for line in report.problems:
            self.stdout.write(f"  problem: {line}")
        self.stdout.write(report.summary())
