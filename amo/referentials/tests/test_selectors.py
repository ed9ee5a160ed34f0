import datetime as dt

import pytest

from amo.referentials.models import AcademicYear
from amo.referentials.selectors import academic_year_chosen, academic_year_open, academic_years_open

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
