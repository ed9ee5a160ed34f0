"""The batch checker is only a faster road to rules.clean_row: every row it cleans must come out
exactly as clean_row cleans it, whatever the row. Compared here on random rows built from the
forms a real file holds, good and bad, in every context (institution fixed or not, perimeter,
age reference)."""

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from amo.imports import rules, vectorised
from amo.referentials.rules import age_reference_date, over_age_limit

HEADER = [
    "id_type",
    "id_number",
    "massar",
    "last_name",
    "first_name",
    "last_name_ar",
    "birth_date",
    "sex",
    "nationality",
    "email",
    "phone",
    "rib",
    "institution_code",
    "track",
    "fee_paying",
    "registered_on",
    "no_other_coverage",
]
INSTITUTIONS = {
    "OK1": rules.InstitutionFacts(id=1, aggregator_id=10, affiliated=True, on_list=True, age_exempt=False),
    "OK2": rules.InstitutionFacts(id=2, aggregator_id=11, affiliated=True, on_list=True, age_exempt=True),
    "NOAFF": rules.InstitutionFacts(id=3, aggregator_id=10, affiliated=False, on_list=True, age_exempt=False),
    "NOLIST": rules.InstitutionFacts(id=4, aggregator_id=10, affiliated=True, on_list=False, age_exempt=False),
    "OUT": rules.InstitutionFacts(id=5, aggregator_id=12, affiliated=True, on_list=True, age_exempt=False),
}
YEAR_START, YEAR_END, TODAY = dt.date(2026, 9, 1), dt.date(2027, 8, 31), dt.date(2026, 11, 25)


def context(*, fixed: str | None, reference: str, minimum_age: int = 14) -> rules.RowContext:
    return rules.RowContext(
        year_start=YEAR_START,
        year_end=YEAR_END,
        age_reference=reference,
        age_limit=30,
        minimum_age=minimum_age,
        institutions=INSTITUTIONS,
        allowed=None if fixed else {1, 2, 3, 4},
        fixed=INSTITUTIONS[fixed] if fixed else None,
        today=TODAY,
    )


def _date_text(rng: random.Random, day: dt.date) -> str:
    return rng.choice(
        [
            day.isoformat(),
            day.isoformat(),
            day.strftime("%d/%m/%Y"),
            day.strftime("%d.%m.%Y"),
            f"{day.day}/{day.month}/{day.year}",
            str((day - dt.date(1899, 12, 30)).days),
            " " + day.isoformat() + " ",
            day.isoformat()[:8] + "31",
            "31/02/2005",
            "0000-01-01",
            "demain",
            "",
        ]
    )


def _row(rng: random.Random) -> list[str]:
    born = rng.choice(
        [
            dt.date(1996, 9, 1),  # 30 on the first day of the year: the limit itself
            dt.date(1996, 8, 31),  # 31 the day before
            dt.date(1996, 2, 29),
            dt.date(2012, 11, 25),  # 14 today
            dt.date(2012, 11, 26),  # 14 tomorrow
            dt.date(2027, 1, 1),
            dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(3000)),
        ]
    )
    registered = rng.choice([YEAR_START, YEAR_END, YEAR_START - dt.timedelta(days=1), dt.date(2026, 9, 15)])
    rib_ok = "310810100013070176970116"
    pick = rng.choice
    return [
        pick(["", "", "cin", "CIN", "Passeport", "passport", "carte sejour", "permis"]),
        pick(["AB123456", "A1", "ab123456", " AB 123456 ", "AB1234567", "12AB", "X99", "", "AB-123.456", "P1234567"]),
        pick(["", "R130000001", "r130000001", "R 130000001", "R13", "R١٣٠٠٠٠٠٠٠١"]),
        pick(
            [
                "Bennani",
                "  El Amrani ",
                "",
                "x" * 80,
                "x" * 81,
                "Nom\x1c",
                "Ben\x00nani",
                "\u202einannaB",
                "بناني",
                "\u200b",
                "Ben\u200dnani",
            ]
        ),
        pick(["Salma", "Élise", "", "سلمى", "Sal\u2066ma", "Salma\x85", "N'Diaye"]),
        pick(["", "بناني", "بنا\u202bني", "Bennani", "\u061cبناني", "بنا\u200cني"]),
        _date_text(rng, born),
        pick(["F", "f", "M", "h", "Homme", "أنثى", "X", ""]),
        pick(["", "Marocaine", "Sénégalaise", "n" * 60, "n" * 70]),
        pick(
            [
                "",
                "salma@example.ma",
                "Salma@Example.MA",
                "salma@",
                "sal ma@x.ma",
                "éa@x.ma",
                "a@b.c",
                "not-an-email",
                "a..b@x.ma",
                "x" * 245 + "@x.ma",
                "s\x00@x.ma",
            ]
        ),
        pick(["", "0612345678", "+212612345678", "00212712345678", "06 12 34 56 78", "0412345678", "٠٦١٢٣٤٥٦٧٨", "12"]),
        pick(
            [
                "",
                rib_ok,
                "310 810 1000130701769701 16",
                rib_ok[:-1] + "7",
                "123",
                "3108101000130701769701160",
                "310810100013070176977100",  # divisible by 97 with the impossible key 00
                "310810100013070176970698",  # ... and 98
                "MA64 3108 1010 0013 0701 7697 0116",  # the IBAN of rib_ok
                "MA65 3108 1010 0013 0701 7697 0116",
            ]
        ),
        pick(["", "OK1", "OK2", "NOAFF", "NOLIST", "OUT", "NOPE"]),
        pick(["Licence", "", "t" * 120, "t" * 130, "Licence\u202e", "Licence\u2060", "\ufeff"]),
        pick(["", "oui", "non", "1", "0", "OUI", "peut-être"]),
        _date_text(rng, registered),
        pick(["oui", "Oui", "1", "x", "نعم", "non", "", "bof"]),
    ]


@pytest.mark.parametrize(
    ("fixed", "reference"),
    [
        (None, "academic_year_start"),
        ("OK1", "academic_year_start"),
        ("OK2", "registration_date"),
        (None, "academic_year_end"),
        ("NOAFF", "academic_year_start"),
    ],
)
def test_every_row_the_batch_checker_cleans_is_cleaned_the_same_by_clean_row(fixed: str | None, reference: str) -> None:
    rng = random.Random(f"{fixed}-{reference}")
    ctx = context(fixed=fixed, reference=reference)
    rows = [_row(rng) for _ in range(6000)]
    # Some rows made mostly of good values, so that the fast road is taken often.
    good = ["", "AB123456", "R130000001", "Bennani", "Salma", "", "2004-03-14", "F", "", "", "0612345678", "", ""]
    good[12] = fixed or "OK1"
    for n in range(1500):
        row = [*good, "Licence", "oui", "2026-09-15", "oui"]
        row[1] = f"AB{n:06d}"
        column = rng.randrange(len(row))
        row[column] = _row(rng)[column]
        rows.append(row)
    positions, _extra = rules.map_header(HEADER)
    batch = pl.DataFrame(
        {"line": list(range(2, len(rows) + 2)), **{f"c{i}": [r[i] for r in rows] for i in range(len(HEADER))}}
    )
    cleaned, others = vectorised.check(batch, positions, ctx)
    assert cleaned.columns == list(vectorised.CLEAN)
    assert cleaned.height + others.height == len(rows)
    if fixed == "NOAFF":  # every row of an institution not affiliated is refused, by clean_row
        assert cleaned.height == 0
    else:
        assert cleaned.height > 300, "too few rows took the fast road for the comparison to mean anything"
    assert others.height > 300
    for fast in cleaned.iter_rows(named=True):
        raw = rows[fast["line"] - 2]
        expected, problems = rules.clean_row(raw, positions, ctx)
        assert expected is not None, (raw, problems)
        assert {name: fast[name] for name in vectorised.CLEAN[1:]} == {
            name: expected[name] for name in vectorised.CLEAN[1:]
        }, raw


def test_the_youngest_plausible_age_is_the_parameter_on_both_roads() -> None:
    """minimum_age_years is dated data (issue 13, rule 6): a 16-year-old passes at 14, not at 18,
    on the fast road and in clean_row alike."""
    row = ["", "AB123456", "R130000001", "Bennani", "Salma", "", "2010-03-14", "F", "", "", "0612345678", "", "OK1"]
    row += ["Licence", "oui", "2026-09-15", "oui"]
    positions, _extra = rules.map_header(HEADER)
    batch = pl.DataFrame({"line": [2], **{f"c{i}": [row[i]] for i in range(len(HEADER))}})
    for minimum, passes in ((14, True), (18, False)):
        ctx = context(fixed=None, reference="academic_year_start", minimum_age=minimum)
        cleaned, _others = vectorised.check(batch, positions, ctx)
        assert cleaned.height == (1 if passes else 0)
        expected, problems = rules.clean_row(row, positions, ctx)
        assert (expected is not None) is passes, problems


def test_blank_lines_are_skipped_and_lines_keep_the_file_numbering(tmp_path: Any) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes('\ufeffid_number;last_name\nAB1;Alaoui\n\n;;\n"AB2";"El\nAmrani"\nAB3;Tazi;extra\nAB4\n'.encode())
    header, delimiter = vectorised.header_of(path)
    assert (header, delimiter) == (["id_number", "last_name"], ";")
    [batch] = list(vectorised.csv_batches(path, delimiter=delimiter, width=len(header)))
    assert batch["line"].to_list() == [2, 3, 4, 5, 6, 7]
    assert batch["c1"].to_list() == ["Alaoui", None, None, "El\nAmrani", "Tazi", None]


def test_batches_cut_between_records_never_inside_a_quoted_cell(tmp_path: Any, monkeypatch: Any) -> None:
    import csv
    import io

    monkeypatch.setattr(vectorised, "BATCH_BYTES", 40)  # many batches, cuts everywhere
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["id_number", "address", "last_name"])
    rng = random.Random(7)
    for n in range(300):
        if n % 17 == 5:
            buffer.write("\r\n" if n % 2 else "\n")  # a blank line
            continue
        address = rng.choice(["12 rue Fès", 'Bloc "B"\nappartement 4', "Résidence; étage 2", ""])
        writer.writerow([f"AB{n:06d}", address, rng.choice(["Alaoui", "سلمى", ""])])
    path = tmp_path / "list.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    expected = list(enumerate(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"), start=1))[1:]
    batches = list(vectorised.csv_batches(path, delimiter=";", width=3))
    assert len(batches) > 20
    rows = {line: [c or "" for c in cells] for batch in batches for line, *cells in batch.iter_rows() if any(cells)}
    assert rows == {line: [*record, "", ""][:3] for line, record in expected if record}


@pytest.mark.parametrize(
    ("id_type", "number", "nationality", "expected"),
    [
        ("cin", "AB123456", "", "Marocaine"),  # a CIN is the Moroccan national identity card
        ("passport", "P1234567", "", None),  # no default for a foreign document: the list must say it
        ("residence_card", "RC1234567", "", None),
        ("passport", "P1234567", "Sénégalaise", "Sénégalaise"),
    ],
)
def test_an_imported_student_is_recorded_as_moroccan_only_with_a_cin(
    id_type: str, number: str, nationality: str, expected: str | None
) -> None:
    # Issue 13, rule 7: a foreign student imported without a nationality was recorded as Moroccan.
    row = [id_type, number, "", "Diallo", "Awa", "", "2004-03-14", "F", nationality, "", "", "", "OK1"]
    row += ["Licence", "oui", "2026-09-15", "oui"]
    positions, _extra = rules.map_header(HEADER)
    cleaned, problems = rules.clean_row(row, positions, context(fixed="OK1", reference="academic_year_start"))
    if expected is None:
        assert cleaned is None and "nationality:nationality_required_foreign" in problems
    else:
        assert cleaned is not None and cleaned["nationality"] == expected, problems


@pytest.mark.parametrize("reference", ["academic_year_start", "registration_date", "academic_year_end"])
def test_the_polars_age_rule_is_referentials_rule_around_birthdays_and_29_february(reference: str) -> None:
    """DOMAIN.md §6 ("aged 30 or less") and decision 0004 (measured on `age_reference`): the
    national path's expression of the age limit gives the pure rule's answer on random birth dates
    a day either side of the 30th and 31st birthdays, 29 February births and reference dates included."""
    rng = random.Random(f"age-{reference}")
    ctx = context(fixed=None, reference=reference)
    # Years starting on 29 February (a leap year) and on 1 March, as well as the usual 1 September.
    years = [
        (dt.date(2026, 9, 1), dt.date(2027, 8, 31)),
        (dt.date(2028, 2, 29), dt.date(2029, 2, 28)),
        (dt.date(2027, 3, 1), dt.date(2028, 2, 29)),
    ]
    rows = []
    for _ in range(4000):
        start, end = rng.choice(years)
        registered = start + dt.timedelta(days=rng.choice([0, 1, 58, 59, 180, (end - start).days]))
        on = age_reference_date(reference, year_starts_on=start, year_ends_on=end, registered_on=registered)
        years_back = rng.choice([29, 30, 31, 32])
        if rng.random() < 0.3:
            leap = [y for y in range(on.year - 33, on.year - 28) if y % 4 == 0]
            born = dt.date(rng.choice(leap), 2, 29)
        else:
            try:
                born = on.replace(year=on.year - years_back)
            except ValueError:  # 29 February in a common year
                born = dt.date(on.year - years_back, 2, 28)
            born += dt.timedelta(days=rng.choice([-1, 0, 1]))
        exempt = rng.random() < 0.1
        expected = over_age_limit(born, on=on, limit=30, exempt=exempt)
        rows.append((born, registered, start, end, exempt, expected))
    frame = pl.DataFrame(
        rows,
        schema={
            "born": pl.Date,
            "registered": pl.Date,
            "start": pl.Date,
            "end": pl.Date,
            "exempt": pl.Boolean,
            "expected": pl.Boolean,
        },
        orient="row",
    )
    got = []
    for (start, end), part in frame.group_by(["start", "end"], maintain_order=True):
        year_ctx = rules.RowContext(**{**ctx.__dict__, "year_start": start, "year_end": end})
        reference_expr = vectorised.age_reference_expr(year_ctx, pl.col("registered"))
        over = vectorised.over_age_limit_expr(pl.col("born"), reference_expr, limit=30, exempt=pl.col("exempt"))
        got.append(part.select(pl.col("expected"), over.alias("got")))
    both = pl.concat(got)
    assert both.height == 4000
    assert both.filter(pl.col("expected") != pl.col("got")).height == 0
    # Both answers occur, or the comparison would prove nothing.
    assert 500 < both["expected"].sum() < 3500
    assert frame.filter((pl.col("born").dt.month() == 2) & (pl.col("born").dt.day() == 29)).height > 500
