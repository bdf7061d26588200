"""Send the outbox's due e-mails now, as beat's task does every minute."""

from django.core.management.base import BaseCommand
from post_office.models import STATUS, Email

from econsult.outbox.drain import outbox_drain


class Command(BaseCommand):
    help = "Send the outgoing e-mails that are due, then say how many wait or failed."

    def handle(self, *args, **options):
        result = outbox_drain()
        waiting = Email.objects.filter(status__in=(STATUS.queued, STATUS.requeued)).count()
        failed = Email.objects.filter(status=STATUS.failed).count()
        self.stdout.write(
            f"sent {result.sent}, requeued {result.requeued}, failed now {result.failed}; "
            f"waiting {waiting}, failed in all {failed}"
        )
