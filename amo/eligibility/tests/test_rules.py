"""The verdict's order of reasons, and the coherence of a verdict line from ANAM."""

import datetime as dt

from amo.common import transitions
from amo.eligibility import rules
from amo.eligibility.rules import Coverage

REF = dt.date(2026, 10, 1)
YEAR_START = dt.date(2026, 9, 1)
BIRTH = dt.date(2005, 3, 14)
SCHEMES = frozenset({"cnss", "cnops", "far", "art114", "tadamon"})


def _verdict(coverages: list[Coverage], **kw: object) -> tuple[str, str, str]:
    args = {
        "birth_date": BIRTH,
        "age_limit": 30,
        "age_exempt": False,
        "reference_date": REF,
        "age_reference_date": YEAR_START,
        "first_in_batch": True,
    }
    args.update(kw)
    return rules.verdict(coverages=coverages, **args)  # type: ignore[arg-type]  # overrides of any type, checked by the rule


def test_insured_comes_before_dependant_and_age() -> None:
    both = [Coverage("cnss", "dependant", None, dt.date(2010, 1, 1), None), Coverage("far", "insured", None, REF, None)]
    assert _verdict(both, birth_date=dt.date(1980, 1, 1)) == ("refused", "covered_insured", "far")


def test_ended_or_future_coverage_does_not_count() -> None:
    ended = Coverage("cnss", "insured", BIRTH, dt.date(2020, 1, 1), dt.date(2026, 9, 30))
    future = Coverage("cnops", "dependant", BIRTH, dt.date(2026, 10, 2), None)
    assert _verdict([ended, future]) == ("accepted", "", "")


def test_duplicate_identity_age() -> None:
    assert _verdict([], first_in_batch=False) == ("refused", "duplicate", "")
    other_person = Coverage("cnss", "insured", dt.date(1970, 1, 1), dt.date(2000, 1, 1), None)
    assert _verdict([other_person]) == ("refused", "identity_not_found", "")
    assert _verdict([], birth_date=dt.date(1990, 1, 1)) == ("refused", "age", "")
    assert _verdict([], birth_date=dt.date(1990, 1, 1), age_exempt=True) == ("accepted", "", "")


def test_age_is_measured_on_the_years_reference_date_not_the_batchs() -> None:
    """DOMAIN.md §6 ("aged 30 or less") and decision 0004: the age is measured on the academic
    year's reference date. A student who turns 31 between the year's first day and the batch
    (30 on 1 September 2026, 31 on 15 September) was accepted at registration and stays so."""
    born = dt.date(1995, 9, 15)
    assert _verdict([], birth_date=born, reference_date=dt.date(2027, 1, 10)) == ("accepted", "", "")
    assert _verdict([], birth_date=dt.date(1995, 8, 31)) == ("refused", "age", "")


def test_verdict_line_coherence() -> None:
    assert rules.verdict_problem("accepted", "", "", SCHEMES) is None
    assert rules.verdict_problem("refused", "covered_insured", "cnss", SCHEMES) is None
    assert rules.verdict_problem("maybe", "", "", SCHEMES) == "verdict_outcome"
    assert rules.verdict_problem("accepted", "age", "", SCHEMES) == "verdict_reason"
    assert rules.verdict_problem("refused", "unknown", "", SCHEMES) == "verdict_reason"
    assert rules.verdict_problem("refused", "covered_insured", "", SCHEMES) == "verdict_scheme"
    assert rules.verdict_problem("refused", "age", "cnss", SCHEMES) == "verdict_scheme"
    assert rules.verdict_problem("refused", "covered_dependant", "mutuelle", SCHEMES) == "verdict_scheme"


def test_a_scheme_no_longer_in_force_is_refused_in_a_verdict() -> None:
    """The schemes are the dated rows in force (issue 13, rule 6), not a list written in the rules."""
    assert rules.verdict_problem("refused", "covered_insured", "tadamon", SCHEMES - {"tadamon"}) == "verdict_scheme"


def test_the_check_date_stays_within_the_academic_year() -> None:
    start, end = dt.date(2026, 9, 1), dt.date(2027, 8, 31)
    assert rules.reference_date(start, end, dt.date(2026, 7, 1)) == start
    assert rules.reference_date(start, end, dt.date(2026, 11, 25)) == dt.date(2026, 11, 25)
    assert rules.reference_date(start, end, dt.date(2027, 9, 30)) == end


def test_the_batch_table_covers_every_status_and_refuses_the_rest() -> None:
    from amo.common.tests.transition_tables import assert_complete
    from amo.eligibility.models import BatchStatus

    assert_complete(rules.BATCH_TRANSITIONS, BatchStatus.values)
    assert not transitions.allowed(rules.BATCH_TRANSITIONS, "sent", "applied")
    assert not transitions.allowed(rules.BATCH_TRANSITIONS, "answered", "answered")
    assert not transitions.allowed(rules.BATCH_TRANSITIONS, "applied", "sent")
