"""Recompute every dispute's latest activity and next deadline: after a bulk import, or to repair them."""

from django.core.management.base import BaseCommand

from disputes.models import Dispute
from disputes.models.activity import refresh_last_activity, refresh_next_deadline


class Command(BaseCommand):
    help = "Recompute the latest activity and next deadline the disputes list sorts on, for every dispute."

    def handle(self, *args, **options):
        ids = list(Dispute.objects.values_list("pk", flat=True))
        activity = refresh_last_activity(ids)
        deadlines = refresh_next_deadline(ids)
        self.stdout.write(f"{activity:,} latest activities and {deadlines:,} next deadlines updated")
