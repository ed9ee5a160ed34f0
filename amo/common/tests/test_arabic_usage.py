"""Moroccan usage in Arabic: month names of dates in words, law numbers (issue 13, item 12)."""

import datetime as dt
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

MOROCCAN = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]


@pytest.mark.parametrize("month", range(1, 13))
def test_a_date_in_words_uses_moroccan_month_names_in_arabic(month: int) -> None:
    day = dt.date(2026, month, 1)
    with translation.override("ar"):
        assert date_format(day, "DATE_FORMAT").startswith(f"1 {MOROCCAN[month - 1]} ")
        assert Template("{{ d|date:'E' }}").render(Context({"d": day})) == MOROCCAN[month - 1]
    with translation.override("fr"):
        assert date_format(day, "YEAR_MONTH_FORMAT").split()[0] in (
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ]
        )


def test_the_names_the_middle_east_uses_are_gone_in_arabic() -> None:
    with translation.override("ar"):
        written = " ".join(date_format(dt.date(2026, m, 1), "F") for m in range(1, 13))
    for eastern in ("مايو", "يوليو ", "أغسطس", "سبتمبر", "نوفمبر", "ديسمبر"):
        assert eastern not in written + " "


def test_law_numbers_are_written_in_arabic_as_moroccos_texts_write_them() -> None:
    # Morocco's Arabic texts write "القانون رقم 09.08", "116.12": with a dot the number is one run of
    # digits; with a hyphen, a right-to-left line shows it reversed (08-09, 12-116).
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    cited = [e for e in catalogue if re.search(r"\blaw \d+-\d+", e.msgid)]
    assert len(cited) >= 5
    for entry in cited:
        for number in re.findall(r"\blaw (\d+-\d+)", entry.msgid):
            assert number.replace("-", ".") in entry.msgstr, (number, entry.msgstr)
        assert not re.search(r"\d+-\d+", entry.msgstr), entry.msgstr
