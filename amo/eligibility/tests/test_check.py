"""The check end to end at the service level: registry loaded, batch sent, answered by the
platform's registry, verdicts applied (DOMAIN.md §6; SOURCES.md: CNOPS's four tasks)."""

import datetime as dt
from typing import Any

import pytest

from amo.common.errors import DomainError
from amo.coverage.models import Insured, Publication, RightsPeriod
from amo.coverage.rules import insured_number
from amo.eligibility import registry, services
from amo.eligibility.models import CheckBatch, Verdict
from amo.eligibility.tests.conftest import certified
from amo.enrollment.models import RegistrationStatus
from amo.enrollment.tests.factories import open_year

pytestmark = pytest.mark.django_db

REGISTRY = (
    "id_number;birth_date;scheme;role;starts_on;ends_on\n"
    "AB200002;2004-05-01;cnss;dependant;2010-01-01;\n"
    "AB300003;2003-01-01;cnops;insured;2020-01-01;\n"
    "AB400004;1990-01-01;far;dependant;2015-01-01;\n"
    "AB500005;2005-01-01;cnss;insured;2019-01-01;2020-12-31\n"
)


def test_each_verdict_reason_and_rights_opened(
    world: Any, registry_file: Any, django_capture_on_commit_callbacks: Any
) -> None:
    load = registry.registry_load(
        actor=world.users["admin"], path=registry_file(REGISTRY), filename="r.csv", kind="full"
    )
    assert (load.applied_ok, load.applied, load.rejected) == (True, 4, 0)
    people = [
        ("AB100001", dt.date(2005, 3, 14)),  # no other coverage: accepted
        ("AB200002", dt.date(2004, 5, 1)),  # dependant of a CNSS insured
        ("AB300003", dt.date(2003, 1, 1)),  # insured at CNOPS (works)
        ("AB400004", dt.date(2004, 2, 2)),  # registry knows this number with another birth date
        ("AB500005", dt.date(2005, 1, 1)),  # CNSS coverage ended in 2020: accepted
    ]
    requests = certified(world, people)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_send(actor=world.users["cnops"], academic_year=open_year())
    batch.refresh_from_db()
    assert (batch.sent_count, batch.status, batch.accepted, batch.refused) == (5, "applied", 2, 3)
    got = {v.entry.id_number: (v.outcome, v.reason, v.scheme) for v in Verdict.objects.select_related("entry")}
    assert got == {
        "AB100001": ("accepted", "", ""),
        "AB200002": ("refused", "covered_dependant", "cnss"),
        "AB300003": ("refused", "covered_insured", "cnops"),
        "AB400004": ("refused", "identity_not_found", ""),
        "AB500005": ("accepted", "", ""),
    }
    for r in requests:
        r.refresh_from_db()
    assert [r.status for r in requests] == ["insured", "refused_anam", "refused_anam", "refused_anam", "insured"]
    period = RightsPeriod.objects.get(request=requests[0])
    year = open_year()
    # The academic year's end, or the regime's last day when it comes first (law 54.23).
    assert period.ends_on == min(year.ends_on, dt.date(2027, 2, 1)) and year.starts_on <= period.starts_on
    assert period.insured.number == insured_number(requests[0].student_id) and period.certificate is not None
    assert Insured.objects.count() == 2
    publication = Publication.objects.get()
    assert (publication.registered, publication.refused) == (2, 3)
    refused_event = requests[1].events.get(status=RegistrationStatus.REFUSED_ANAM)
    assert (refused_event.reason, refused_event.comment) == ("covered_dependant", "cnss")


def test_nothing_to_send_and_pending_is_visible(world: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.batch_send(actor=world.users["cnops"], academic_year=open_year())
    assert exc.value.code == "nothing_to_send"
    requests = certified(world, [("AB100001", dt.date(2005, 3, 14))])
    services.batch_send(actor=world.users["cnops"], academic_year=open_year())  # no on_commit: not answered yet
    requests[0].refresh_from_db()
    assert requests[0].status == "pending_anam"
    assert CheckBatch.objects.get().status == "sent"


def test_the_legal_entity_sees_how_many_students_wait_for_certification(world: Any, client: Any) -> None:
    from amo.enrollment.services import certification_sign

    certified(world, [("AB100001", dt.date(2005, 3, 14))])
    client.force_login(world.users["legal_entity"])
    page = client.get("/registration/legal-entity/").content.decode()
    assert 'data-testid="to-certify"' in page and "AB100001" not in page
    from amo.enrollment.models import RegistrationRequest

    RegistrationRequest.objects.update(certification=None)  # as before the signature
    assert client.get("/registration/legal-entity/").context["to_certify"] == 1
    certification_sign(
        actor=world.users["legal_entity"],
        legal_entity=world.mine.legal_entity,
        academic_year=open_year(),
        payment_references="",
    )
    assert client.get("/registration/legal-entity/").context["to_certify"] == 0


def test_the_anam_page_counts_a_ready_student_once_and_offers_no_send_with_nothing_ready(world: Any) -> None:
    # Issue 13, items 9 and 11: the page counted the ready students among those waiting too, and
    # offered a send button (disabled) with nothing to send.
    from amo.enrollment.models import RegistrationRequest

    client = world.client("cnops")
    page = client.get("/eligibility/")
    assert page.context["ready"] == 0 and 'data-testid="send-anam"' not in page.content.decode()
    assert 'data-testid="nothing-to-send"' in page.content.decode()
    requests = certified(world, [("AB100001", dt.date(2005, 3, 14)), ("AB100002", dt.date(2004, 6, 1))])
    RegistrationRequest.objects.filter(pk=requests[1].pk).update(certification=None)  # not ready: not certified
    page = client.get("/eligibility/")
    assert (page.context["ready"], page.context["waiting_payment"]) == (1, 1)
    assert 'data-confirm="' in page.content.decode().split('data-testid="send-anam"')[0].rsplit("<form", 1)[1]
