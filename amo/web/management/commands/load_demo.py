from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amo.web.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--in-production",
            action="store_true",
            help="Load the demo accounts although debug mode is off (a local check of production settings only).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["in_production"]:
            # Every demo account has the same published password: on a real platform, anyone could log in.
            raise CommandError(
                "Debug mode is off: the demo accounts share a published password. "
                "Use --in-production only for a local check of the production settings."
            )
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nOpen {settings.SITE_URL}/ - every demo login has the password {DEMO_PASSWORD}\n")
        width = max(len(email) for email, _, _ in logins)
        for email, role, organisation in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role}{' - ' + organisation if organisation else ''}")
        if settings.DEMO_MAILBOX:
            self.stdout.write(f"\nE-mails are caught in the demo mailbox: {settings.SITE_URL}/demo/mailbox/\n")
