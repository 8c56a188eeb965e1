"""Rewrite every search document from the record: after a bulk import or an upgrade, or to repair the index."""

from django.core.management.base import BaseCommand
from django.db import connection

from disputes.models import SearchDocument, SearchKind


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of disputes, letters, responses and events (or only the kinds given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", choices=[*SearchKind.values, []], help="kinds to rebuild")

    def handle(self, *args, kinds, **options):
        counts = SearchDocument.objects.rebuild(kinds=kinds or None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count:,} documents")
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the planner knows how many documents a term matches (without them, it
            # takes a common word for a rare one and looks up every match, one at a time).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
