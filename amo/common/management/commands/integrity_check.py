from django.core.management.base import BaseCommand, CommandError

from amo.common.integrity import orphans_find, unchecked_foreign_keys


class Command(BaseCommand):
    help = (
        "Check the foreign keys kept by the application (no database trigger, decision 0008): report "
        "every row pointing to a missing row, and fail if there is one. Run once a day by the scheduler."
    )

    def handle(self, *args: object, **options: object) -> None:
        orphans = orphans_find()
        for item in orphans:
            self.stderr.write(
                f"{item.table}.{item.column}: {item.count} row(s) point to no {item.target} "
                f"(ids {', '.join(map(str, item.sample))})"
            )
        if orphans:
            raise CommandError(f"{len(orphans)} reference(s) broken")
        self.stdout.write(f"{len(unchecked_foreign_keys())} references checked, none broken")
