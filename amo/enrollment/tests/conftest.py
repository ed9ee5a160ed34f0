"""Fixtures shared by the registration tests."""

from typing import Any

import pytest

from amo.common import clock
from amo.enrollment.tests.factories import open_year


@pytest.fixture
def ready(world: Any) -> Any:
    """Alice's institution affiliated for the open year, and the student's address verified."""
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    student = world.users["student"]
    student.email_verified_at = clock.now()
    student.save(update_fields=["email_verified_at"])
    return world
