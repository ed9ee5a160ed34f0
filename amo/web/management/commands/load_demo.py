from django.conf import settings
from django.core.management.base import BaseCommand

from amo.web.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print one login per role."

    def handle(self, *args: object, **options: object) -> None:
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nOpen {settings.SITE_URL}/ - every demo login has the password {DEMO_PASSWORD}\n")
        width = max(len(email) for email, _, _ in logins)
        for email, role, organisation in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role}{' - ' + organisation if organisation else ''}")
        if settings.DEMO_MAILBOX:
            self.stdout.write(f"\nE-mails are caught in the demo mailbox: {settings.SITE_URL}/demo/mailbox/\n")
