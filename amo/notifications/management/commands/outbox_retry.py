from django.core.management.base import BaseCommand

from amo.notifications.services import outbox_retry_pending


class Command(BaseCommand):
    help = "Deliver every pending e-mail of the outbox (run periodically by the scheduler)."

    def handle(self, *args: object, **options: object) -> None:
        count = outbox_retry_pending()
        self.stdout.write(f"{count} message(s) attempted")
