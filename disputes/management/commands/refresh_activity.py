"""Recompute every dispute's latest activity: after a bulk import, or to repair the stored dates."""

from django.core.management.base import BaseCommand

from disputes.models import Dispute


class Command(BaseCommand):
    help = "Recompute the latest-activity date the disputes list sorts on, for every dispute."

    def handle(self, *args, **options):
        changed = Dispute.objects.all().refresh_last_activity()
        self.stdout.write(f"{changed:,} disputes updated")
