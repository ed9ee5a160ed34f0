from django.core.management.base import BaseCommand

from amo.contributions.services import dues_refresh, reminders_send


class Command(BaseCommand):
    help = "Compute missing dues and send the reminders of the day (run once a day by the scheduler)."

    def handle(self, *args: object, **options: object) -> None:
        created = dues_refresh()
        sent = reminders_send()
        self.stdout.write(f"{created} due(s) computed, {sent} reminder(s) queued")
