import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from amo.coverage.services import rights_daily


class Command(BaseCommand):
    help = (
        "Keep rights true (run once a day by the scheduler, after contributions_daily): suspend or resume "
        "with contributions, close rights whose notice has run out, expire ended periods, export every "
        "file once the regime has ended."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: object, **options: object) -> None:
        today = options["today"]
        figures = rights_daily(today=today if isinstance(today, dt.date) else None)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in figures.items()))
