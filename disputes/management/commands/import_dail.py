"""``manage.py import_dail CASES.xlsx [--dockets …] [--sources …] [--only copyright] [--dry-run] [--overwrite]``."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from disputes.imports.dail import dail_import, dail_read
from disputes.imports.readers import ImportFileError


class Command(BaseCommand):
    help = (
        "Import the Database of AI Litigation (DAIL): its case table, and optionally its docket and secondary-source "
        "tables (xlsx as DAIL publishes them, or CSV). Cases already in the record are matched and enriched, not "
        "doubled. Running it again with the same files changes nothing; a newer export updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("cases", help="DAIL's case table (Case_Table_….xlsx or .csv).")
        parser.add_argument("--dockets", help="DAIL's docket table (Docket_Table_….xlsx).")
        parser.add_argument(
            "--sources", help="DAIL's secondary source table (Secondary_Source_Coverage_Table_….xlsx)."
        )
        parser.add_argument("--only", choices=["copyright"], help="Import only the copyright cases.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, then roll everything back."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Write DAIL's values over fields an admin has edited since.",
        )
        parser.add_argument(
            "--export-date",
            type=dt.date.fromisoformat,
            help="The export's date (YYYY-MM-DD), when the file name does not carry it.",
        )
        parser.add_argument(
            "--quiet-rows", action="store_true", help="Print only the summary and the problem rows."
        )

    def handle(self, *args, **options):
        try:
            export = dail_read(
                options["cases"],
                dockets=options["dockets"],
                sources=options["sources"],
                only_copyright=options["only"] == "copyright",
                export_date=options["export_date"],
            )
        except ImportFileError as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        verbose = options["verbosity"] >= 1
        width = 40

        def progress(done: int, total: int, caption: str) -> None:
            if verbose and self.stdout.isatty():
                filled = width * done // total
                self.stdout.write(
                    f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {caption[:50]:<50}", ending=""
                )
                self.stdout.flush()
            elif verbose and (done % 25 == 0 or done == total):
                self.stdout.write(f"{done}/{total} cases")

        report = dail_import(
            export=export, dry_run=options["dry_run"], overwrite=options["overwrite"], progress=progress
        )
        if verbose and self.stdout.isatty():
            self.stdout.write("")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write(f"DAIL export of {report.export_date.isoformat()}")
        if report.skipped_not_copyright:
            self.stdout.write(f"{report.skipped_not_copyright} cases left out (not copyright)")
        for row in report.rows:
            interesting = row.outcome != "unchanged" or row.conflicts or row.problems
            if not interesting or (
                options["quiet_rows"] and not (row.conflicts or row.problems or row.outcome == "rejected")
            ):
                continue
            self.stdout.write(f"  [{row.outcome}] DAIL {row.record or '?'} {row.caption[:70]}")
            for reason in row.reasons:
                self.stdout.write(f"      {reason}")
            for conflict in row.conflicts:
                self.stdout.write(f"      conflict: {conflict}")
            for problem in row.problems:
                self.stdout.write(f"      problem: {problem}")
        self.stdout.write(report.summary() + f" ({report.seconds:.1f} s)")
