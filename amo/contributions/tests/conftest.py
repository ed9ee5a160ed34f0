"""The private institution with two validated students that most contribution tests start from."""

from typing import Any

import pytest
from django.test import Client

from amo.accounts.models import Role
from amo.accounts.services import membership_grant
from amo.contributions.models import Due
from amo.enrollment.services import registration_decide, registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.organisations.tests.factories import InstitutionFactory, PrivateLegalEntityFactory, category
from conftest import make_user


@pytest.fixture
def private(world: Any) -> Any:
    """A private institution with two validated students who owe 400 MAD each."""
    entity = PrivateLegalEntityFactory.create()
    institution = InstitutionFactory.create(
        legal_entity=entity, category=category("private_higher"), affiliated_on=open_year().starts_on
    )
    dues = []
    for n, cin in enumerate(["AB111111", "AB222222"]):
        user = make_user(f"s{n}@example.ma", Role.STUDENT)
        data = registration_input(institution, id_number=cin, email=f"s{n}@example.ma", massar="")
        request = registration_submit(actor=user, entry_channel="", data=data)
        registration_decide(actor=world.users["admin"], request=request, target="validated")
        dues.append(Due.objects.get(request=request))
    return entity, dues


@pytest.fixture
def private_agent(private: Any) -> Client:
    """A client logged in as an agent of the private legal entity whose students owe."""
    entity, _dues = private
    agent = make_user("agent@private.ma")
    membership_grant(actor=None, user=agent, role=Role.LEGAL_ENTITY_AGENT, legal_entity=entity)
    client = Client()
    client.force_login(agent)
    return client
