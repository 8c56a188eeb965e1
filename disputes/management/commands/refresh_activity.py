"""Recompute every dispute's latest activity: after a bulk import, or to repair the stored dates."""

from django.core.management.base import BaseCommand

from disputes.models import Dispute
from disputes.models.activity import refresh_last_activity


class Command(BaseCommand):
    help = "Recompute the latest-activity date the disputes list sorts on, for every dispute."

    def handle(self, *args, **options):
        changed = refresh_last_activity(Dispute.objects.values_list("pk", flat=True))
        self.stdout.write(f"{changed:,} disputes updated")
