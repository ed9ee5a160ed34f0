from django.core.management.base import BaseCommand, CommandError, CommandParser

from amo.common.errors import DomainError
from amo.eligibility.registry import registry_load


class Command(BaseCommand):
    help = "Load a file of the other-coverage registry (docs/formats/anam-exchange.md), whole or not at all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--kind", choices=("full", "incremental"), default="incremental")

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["path"])
        try:
            load = registry_load(actor=None, path=path, filename=path.rsplit("/", 1)[-1], kind=str(options["kind"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not load.applied_ok:
            for line, code in load.errors[:50]:
                self.stderr.write(f"line {line}: {code}")
            raise CommandError(f"{load.rejected} line(s) in error: nothing applied")
        self.stdout.write(f"{load.applied} applied, {load.ended} ended, {load.notices} notice(s) sent")
