"""Personas of the roles × actions matrix beyond the world's: CNOPS's medical controller and
call-centre agent of the central office, and an agent of ANAM (aggregator and other-coverage
registry)."""

from typing import Any

from amo.accounts.models import Role
from amo.organisations.models import Aggregator, CnopsOffice
from conftest import make_user


def add_personas(world: Any) -> Any:
    central = CnopsOffice.objects.get(code="CENTRAL")
    world.users["controller_central"] = make_user(
        "controller-central@example.ma", Role.MEDICAL_CONTROLLER, cnops_office=central
    )
    world.users["call_centre"] = make_user("call-centre@example.ma", Role.CALL_CENTRE_AGENT, cnops_office=central)
    world.users["anam"] = make_user("anam@example.ma", Role.AGGREGATOR_AGENT, aggregator=Aggregator.objects.get(code="ANAM"))
    return world
