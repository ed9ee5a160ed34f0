import pytest
from django.core import mail

from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.documents.models import Document
from amo.notifications.models import OutboxMessage
from amo.organisations.models import AffiliationStatus, Institution
from amo.organisations.services import (
    affiliation_approve,
    affiliation_reject,
    affiliation_submit,
    legal_entity_update_contact,
)
from amo.organisations.tests.factories import InstitutionFactory, PrivateLegalEntityFactory

pytestmark = pytest.mark.django_db


def submit(world, *institutions):
    return affiliation_submit(
        actor=world.users["legal_entity"],
        legal_entity=world.mine.legal_entity,
        institution_ids=[i.pk for i in institutions],
    )


def test_submitting_numbers_the_request_and_audits_it(world) -> None:
    request = submit(world, world.mine.institution)
    assert request.number.startswith("AFF-") and request.status == AffiliationStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="affiliation_submit", object_id=str(request.pk)).exists()


def test_an_institution_of_another_legal_entity_cannot_be_put_in_a_request(world) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, world.other.institution)
    assert err.value.code == "affiliation_not_owned"


def test_an_institution_already_pending_cannot_be_asked_twice(world) -> None:
    submit(world, world.mine.institution)
    with pytest.raises(DomainError) as err:
        submit(world, world.mine.institution)
    assert err.value.code == "affiliation_already_pending"


def test_approval_affiliates_issues_the_certificate_and_emails_after_commit(
    world, django_capture_on_commit_callbacks
) -> None:
    request = submit(world, world.mine.institution)
    with django_capture_on_commit_callbacks(execute=True):
        approved = affiliation_approve(actor=world.users["cnops"], request=request)
        # No PDF and no e-mail inside the decision's transaction: the worker makes both after it.
        assert approved.certificate_id is None and not OutboxMessage.objects.exists()
    approved.refresh_from_db()
    assert approved.status == AffiliationStatus.APPROVED
    assert Institution.objects.get(pk=world.mine.institution.pk).affiliated_on is not None
    document = Document.objects.get(pk=approved.certificate_id or 0)
    pdf = document.file.read()
    assert pdf.startswith(b"%PDF") and len(document.code) == 12
    assert {m.to for m in OutboxMessage.objects.all()} == {
        "entity@example.ma",
        world.mine.legal_entity.email,
    }
    assert all(m.status == "sent" for m in OutboxMessage.objects.all())
    assert len(mail.outbox) == 2
    assert all(approved.number in m.subject for m in mail.outbox)
    assert all(m.attachments and m.attachments[0][1].startswith(b"%PDF") for m in mail.outbox)  # it carries it


def test_a_decided_request_cannot_be_decided_again(world) -> None:
    request = submit(world, world.mine.institution)
    affiliation_approve(actor=world.users["cnops"], request=request)
    with pytest.raises(DomainError) as err:
        affiliation_reject(actor=world.users["cnops"], request=request, reason="other", comment="x")
    assert err.value.code == "invalid_transition"


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(world) -> None:
    request = submit(world, world.mine.institution)
    with pytest.raises(DomainError) as err:
        affiliation_reject(actor=world.users["cnops"], request=request, reason="other", comment="  ")
    assert err.value.code == "affiliation_reason_required"
    request.refresh_from_db()
    assert request.status == AffiliationStatus.SUBMITTED
    affiliation_reject(actor=world.users["cnops"], request=request, reason="incomplete_file")
    request.refresh_from_db()
    assert request.status == AffiliationStatus.REJECTED and request.reject_reason == "incomplete_file"


def test_an_institution_off_the_eligible_list_cannot_be_affiliated(world) -> None:
    off_list = InstitutionFactory(legal_entity=world.mine.legal_entity, on_eligible_list=False)
    with pytest.raises(DomainError) as err:
        submit(world, off_list)
    assert err.value.code == "affiliation_not_eligible"


def test_contact_details_with_a_bad_phone_or_ice_change_nothing(world) -> None:
    entity = PrivateLegalEntityFactory.create()
    before = (entity.email, entity.phone, entity.ice)
    with pytest.raises(DomainError) as err:
        legal_entity_update_contact(
            actor=world.users["admin"],
            entity=entity,
            email="new@example.ma",
            phone="12",
            address="",
            ice="123",
        )
    assert set(err.value.fields) == {"phone", "ice"}
    entity.refresh_from_db()
    assert (entity.email, entity.phone, entity.ice) == before


def test_a_private_entity_cannot_drop_its_ice(world) -> None:
    entity = PrivateLegalEntityFactory.create()
    with pytest.raises(DomainError) as err:
        legal_entity_update_contact(actor=world.users["admin"], entity=entity, email="", phone="", address="", ice="")
    assert err.value.code == "legal_entity_ice_required"
