import datetime as dt
from typing import Any

from amo.enrollment.services import RegistrationInput
from amo.referentials.models import AcademicYear

YEAR = "2026-2027"


def open_year() -> AcademicYear:
    return AcademicYear.objects.get(code=YEAR)


def registration_input(institution: Any, **overrides: Any) -> RegistrationInput:
    values: dict[str, Any] = {
        "id_type": "cin",
        "id_number": "ab123456",
        "massar": "r130000001",
        "last_name": "Bennani",
        "first_name": "Salma",
        "last_name_ar": "بناني",
        "first_name_ar": "سلمى",
        "birth_date": dt.date(2005, 3, 14),
        "birth_place": "Rabat",
        "sex": "F",
        "nationality": "Marocaine",
        "address": "12 rue Oued Sebou, Agdal, Rabat",
        "email": "salma@example.ma",
        "phone": "0612345678",
        "rib": "",
        "institution_id": institution.pk,
        "academic_year_id": open_year().pk,
        "track": "Licence SMI",
        "fee_paying": False,
        "registered_on": dt.date(2026, 9, 20),
        "no_other_coverage": True,
        "consent": True,
        "acknowledged": True,
    }
    values.update(overrides)
    return RegistrationInput(**values)


def listed_and_certified(world: Any, year: AcademicYear, *, agent: Any = None, references: str = "") -> None:
    """The year's validated requests of world.mine: listed and sent by the aggregator, then the
    list certified by the legal entity (its agent, or `agent`, with `references`)."""
    from amo.enrollment.services import aggregation_close, aggregation_send, certification_sign

    listed = aggregation_close(actor=world.users["aggregator"], aggregator=world.mine.aggregator, academic_year=year)
    aggregation_send(actor=world.users["aggregator"], aggregation_list=listed)
    certification_sign(
        actor=agent or world.users["legal_entity"],
        legal_entity=world.mine.legal_entity,
        academic_year=year,
        payment_references=references,
    )
