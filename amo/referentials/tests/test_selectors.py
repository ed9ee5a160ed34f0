import datetime as dt

import pytest

from amo.referentials.models import AcademicYear, CoverageScheme
from amo.referentials.selectors import (
    academic_year_chosen,
    academic_year_open,
    academic_years_open,
    coverage_scheme_codes,
)

pytestmark = pytest.mark.django_db


def code(year: AcademicYear | None) -> str | None:
    return year.code if year else None


def test_the_open_year_is_the_latest_open_for_registration() -> None:
    assert academic_year_open() == AcademicYear.objects.get(code="2026-2027")
    AcademicYear.objects.create(
        code="2027-2028", starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2028, 8, 31), registration_open=True
    )
    assert [y.code for y in academic_years_open()] == ["2027-2028", "2026-2027"]
    assert code(academic_year_open()) == "2027-2028"
    assert code(academic_year_chosen()) == "2027-2028"
    assert code(academic_year_chosen("2024-2025")) == "2024-2025"


def test_no_open_year_then_none_and_the_chosen_year_is_the_latest() -> None:
    AcademicYear.objects.update(registration_open=False)
    assert academic_year_open() is None
    assert code(academic_year_chosen()) == "2026-2027"


def test_the_coverage_schemes_are_the_dated_rows_in_force() -> None:
    """DOMAIN.md §2 (ANAM checks CNSS, CNOPS, FAR, art. 114 funds, AMO-Tadamon), as dated data."""
    on = dt.date(2026, 10, 1)
    assert coverage_scheme_codes(on) == {"cnss", "cnops", "far", "art114", "tadamon"}
    CoverageScheme.objects.filter(code="tadamon").update(valid_to=dt.date(2026, 9, 30))
    CoverageScheme.objects.create(code="new", name_fr="Nouveau", name_ar="جديد", valid_from=dt.date(2026, 10, 2))
    assert coverage_scheme_codes(on) == {"cnss", "cnops", "far", "art114"}
    assert "new" in coverage_scheme_codes(dt.date(2026, 10, 2))
