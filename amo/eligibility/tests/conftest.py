"""Students of a certified list whose contribution is exempt: what the check starts from."""

import datetime as dt
from typing import Any

import pytest

from amo.accounts.models import Role
from amo.enrollment.services import registration_decide, registration_submit
from amo.enrollment.tests.factories import listed_and_certified, open_year, registration_input
from conftest import make_user


def certified(world: Any, people: list[tuple[str, dt.date]]) -> list[Any]:
    """Register, validate, list, send and certify one request per (CIN, birth date)."""
    requests = []
    institution = world.mine.institution
    if institution.affiliated_on is None:
        institution.affiliated_on = open_year().starts_on
        institution.save(update_fields=["affiliated_on"])
    for n, (cin, birth) in enumerate(people):
        email = f"e{n}-{cin.lower()}@example.ma"
        user = make_user(email, Role.STUDENT)
        data = registration_input(world.mine.institution, id_number=cin, email=email, massar="", birth_date=birth)
        request = registration_submit(actor=user, entry_channel="", data=data)
        registration_decide(actor=world.users["institution"], request=request, target="validated")
        requests.append(request)
    year = open_year()
    listed_and_certified(world, year)
    for r in requests:
        r.refresh_from_db()
    return requests


@pytest.fixture
def registry_file(tmp_path: Any) -> Any:
    def write(text: str, name: str = "registry.csv") -> Any:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
