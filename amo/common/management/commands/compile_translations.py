"""Compile the .po catalogues to .mo with polib, so no system gettext is needed to run."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo; --check fails on untranslated or fuzzy entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if a message lacks a translation.")

    def handle(self, *args: object, **options: object) -> None:
        problems = []
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                missing = [e.msgid for e in catalogue.untranslated_entries()]
                fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                if options["check"] and (missing or fuzzy):
                    problems.append(f"{po_path}: {len(missing)} untranslated, {len(fuzzy)} fuzzy")
                    problems.extend(f"    {m!r}" for m in (missing + fuzzy)[:20])
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        if problems:
            raise CommandError("Incomplete translations:\n" + "\n".join(problems))
        self.stdout.write("translations compiled")
