"""Medical control's writes (issue 16; DOMAIN.md §8): a Casablanca clinic's PEC request reaches
the Casablanca delegation's queue, one controller holds it at a time, the clock stops while the
provider is asked for information, an agreement above the threshold waits for a second
controller, every decision is audited, and each bad input is refused with its code, nothing
half-applied."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.approvals import rules, selectors, services
from amo.approvals.errors import ApprovalError
from amo.approvals.models import ApprovalRequest, Attachment
from amo.approvals.tests.factories import PDF, PNG, pdf, submitted, values
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.notifications.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-01")]


def _refused(code: str, call: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.fields
    return caught.value


def test_a_casablanca_clinics_request_reaches_the_casablanca_delegation_with_its_clock(pec: Any) -> None:
    request = submitted(pec)
    assert request.office == pec.other.delegation and request.status == rules.SUBMITTED
    assert request.number and request.number.startswith("PEC2026")
    assert request.due_at == request.submitted_at + dt.timedelta(hours=72)  # the ordinary service level
    assert list(selectors.queue_for_offices({pec.other.delegation.pk})) == [request]
    assert list(selectors.queue_for_offices({pec.mine.delegation.pk})) == []
    attachment = Attachment.objects.get(request=request)
    assert attachment.content_type == "application/pdf" and attachment.file.read() == PDF
    assert "compte-rendu" not in attachment.file.name and attachment.file.name.startswith("approvals/")
    assert AuditEvent.objects.filter(action="approval_submit", object_id=str(request.pk)).count() == 1


def test_an_urgent_request_has_the_urgent_service_level_and_costly_drugs_go_to_the_central_office(pec: Any) -> None:
    urgent = submitted(pec, urgent=True)
    assert urgent.due_at - urgent.submitted_at == dt.timedelta(hours=24)
    drug = submitted(pec, kind_code="costly_drug", planned_acts="DRUG123 6")
    assert drug.office.code == "CENTRAL"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"id_number": "AB200002"}, "approval_not_insured", "id_number"),  # refused by ANAM: never insured
        ({"id_number": "ZZ999999"}, "approval_not_insured", "id_number"),
        ({"planned_from": dt.date(2026, 11, 30)}, "approval_dates_past", "planned_from"),
        ({"planned_to": dt.date(2026, 12, 2)}, "approval_dates_reversed", "planned_to"),
        ({"diagnosis": "N18.0"}, "approval_unknown_icd10", "diagnosis"),
        ({"diagnosis": "hello"}, "approval_unknown_icd10", "diagnosis"),
        ({"planned_acts": "fifty K"}, "approval_acts_format", "planned_acts"),
        ({"quote": Decimal("0")}, "approval_amount", "quote"),
        ({"kind_code": "ald_exemption"}, "approval_unknown_kind", "kind"),  # a student's kind, not a provider's
    ],
)
def test_bad_requests_are_refused_with_their_code_and_nothing_is_kept(
    pec: Any, overrides: dict[str, Any], code: str, field: str
) -> None:
    error = _refused(code, lambda: submitted(pec, **overrides))
    assert field in error.fields
    assert ApprovalRequest.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.today("2026-12-01")
def test_a_student_not_covered_on_the_planned_date_is_refused_with_the_reason(pec: Any) -> None:
    from amo.coverage.models import RightsPeriod

    after = RightsPeriod.objects.get().ends_on + dt.timedelta(days=1)
    error = _refused("approval_not_covered", lambda: submitted(pec, planned_from=after, planned_to=after))
    assert error.fields["id_number"] == [str(ApprovalError.NOT_COVERED.label)]


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("cr.pdf", b"MZ\x90\x00 not a pdf"), "approval_file_mismatch"),
        (SimpleUploadedFile("radio.pdf", PNG), "approval_file_mismatch"),  # an image named .pdf
        (SimpleUploadedFile("cr.pdf", b""), "approval_file_empty"),
        (SimpleUploadedFile("cr.pdf", PDF + b"0" * rules.MAX_ATTACHMENT_BYTES), "approval_file_too_big"),
    ],
)
def test_an_attachment_that_is_not_what_its_name_says_or_empty_or_too_big_is_refused(
    pec: Any, upload: Any, code: str
) -> None:
    _refused(code, lambda: submitted(pec, files=[pdf(), upload]))
    assert ApprovalRequest.objects.count() == 0 and Attachment.objects.count() == 0


def test_one_controller_holds_a_request_and_a_decision_on_anothers_is_refused(pec: Any) -> None:
    request = submitted(pec)
    first, second = pec.users["controller_casa"], pec.users["controller_casa2"]
    services.approval_take(actor=first, request=request)
    _refused("approval_held_by_other", lambda: services.approval_take(actor=second, request=request))
    _refused(
        "approval_held_by_other",
        lambda: services.approval_refuse(actor=second, request=request, reason_code="not_medically_justified"),
    )
    _refused("approval_not_held", lambda: services.approval_release(actor=second, request=request))
    services.approval_release(actor=first, request=request)
    done = services.approval_refuse(actor=second, request=request, reason_code="not_medically_justified", comment="x")
    assert done.status == rules.REFUSED and done.held_by is None


def test_a_second_decision_on_a_decided_request_is_refused(pec: Any) -> None:
    request = submitted(pec)
    controller = pec.users["controller_casa"]
    services.approval_refuse(actor=controller, request=request, reason_code="not_covered_act")
    _refused(
        "approval_already_decided",
        lambda: services.approval_agree(
            actor=controller,
            request=request,
            ceiling=Decimal("10"),
            sessions=None,
            valid_from=dt.date(2026, 12, 4),
            valid_to=dt.date(2027, 1, 4),
        ),
    )
    request.refresh_from_db()
    assert request.status == rules.REFUSED and request.ceiling is None


def test_the_clock_stops_while_the_provider_answers_and_the_request_comes_back(pec: Any) -> None:
    request = submitted(pec)
    due = request.due_at
    controller = pec.users["controller_casa"]
    services.approval_information_request(actor=controller, request=request, question="Dernier bilan rénal ?")
    assert OutboxMessage.objects.filter(to=pec.users["provider_casa"].email).exists()
    with time_machine.travel(clock.now() + dt.timedelta(hours=30), tick=False):
        services.approval_answer(
            actor=pec.users["provider_casa"], request=request, answer="Bilan joint.", files=[pdf("bilan.pdf")]
        )
    request.refresh_from_db()
    assert request.status == rules.SUBMITTED and request.answer == "Bilan joint."
    assert dt.timedelta(hours=29, minutes=59) < request.due_at - due <= dt.timedelta(hours=30, minutes=1)
    assert request.attachments.filter(with_answer=True).count() == 1


def test_an_answer_to_a_withdrawn_information_request_is_refused(pec: Any) -> None:
    request = submitted(pec)
    controller, provider = pec.users["controller_casa"], pec.users["provider_casa"]
    services.approval_information_request(actor=controller, request=request, question="Compte rendu ?")
    services.approval_information_withdraw(actor=controller, request=request)
    _refused(
        "approval_information_withdrawn",
        lambda: services.approval_answer(actor=provider, request=request, answer="Voici."),
    )
    request.refresh_from_db()
    assert request.answer == "" and request.status == rules.SUBMITTED


def test_a_partial_agreement_is_audited_and_emails_without_medical_details(
    pec: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request = submitted(pec)
    controller = pec.users["controller_casa"]
    with django_capture_on_commit_callbacks(execute=True):
        done = services.approval_agree(
            actor=controller,
            request=request,
            ceiling=Decimal("8000.00"),
            sessions=12,
            valid_from=dt.date(2026, 12, 4),
            valid_to=dt.date(2027, 1, 31),
            comment="12 séances",
        )
    assert done.status == rules.AGREED and done.partial
    event = AuditEvent.objects.get(action="approval_agree", object_id=str(request.pk))
    assert (
        event.actor_id == controller.pk and event.after["status"] == "agreed" and event.before["status"] == "submitted"
    )
    mails = OutboxMessage.objects.filter(subject__contains=request.number or "-")
    student_email = request.insured.student.email
    assert student_email and {m.to for m in mails} >= {pec.users["provider_casa"].email, student_email}
    for mail in mails:
        assert "N18" not in mail.body_text and "K 50" not in mail.body_text
    done.refresh_from_db()
    assert done.document is not None and done.document.kind == "approval_decision"


def test_an_agreement_above_the_threshold_waits_for_a_second_controller(pec: Any) -> None:
    request = submitted(pec, quote=Decimal("90000.00"))
    first, second = pec.users["controller_casa"], pec.users["controller_casa2"]
    waiting = services.approval_agree(
        actor=first,
        request=request,
        ceiling=Decimal("90000.00"),
        sessions=None,
        valid_from=dt.date(2026, 12, 4),
        valid_to=dt.date(2027, 1, 31),
    )
    assert waiting.status == rules.CONFIRMATION
    _refused("approval_same_controller", lambda: services.approval_confirm(actor=first, request=request, confirm=True))
    done = services.approval_confirm(actor=second, request=request, confirm=True)
    assert done.status == rules.AGREED and done.confirmed_by == second


def test_claims_reads_an_agreement_cited_by_a_line_and_an_ald_exemption(pec: Any) -> None:
    request = submitted(pec)
    services.approval_agree(
        actor=pec.users["controller_casa"],
        request=request,
        ceiling=Decimal("8000.00"),
        sessions=12,
        valid_from=dt.date(2026, 12, 4),
        valid_to=dt.date(2027, 1, 31),
    )
    found = selectors.agreement_for_line(
        number=request.number or "", provider_id=pec.other.provider.pk, on=dt.date(2026, 12, 10)
    )
    assert (
        found is not None
        and found.ceiling == Decimal("8000.00")
        and found.sessions_left == 12
        and found.covers_act("K")
    )
    assert (
        selectors.agreement_for_line(
            number=request.number or "", provider_id=pec.mine.provider.pk, on=dt.date(2026, 12, 10)
        )
        is None
    )
    assert (
        selectors.agreement_for_line(
            number=request.number or "", provider_id=pec.other.provider.pk, on=dt.date(2027, 2, 1)
        )
        is None
    )
    student_id = request.insured.student_id
    ald = services.approval_request_from_care_file(
        actor=None,
        care_file_ref="DS-1",
        id_number="AB100001",
        region_id=pec.other.provider.region_id,
        **{k: v for k, v in values(kind_code="ald_exemption", diagnosis="E10").items() if k != "id_number"},
    )
    assert ald.source == "care_file" and ald.office == pec.other.delegation
    again = services.approval_request_from_care_file(
        actor=None,
        care_file_ref="DS-1",
        id_number="AB100001",
        region_id=pec.other.provider.region_id,
        **{k: v for k, v in values(kind_code="ald_exemption", diagnosis="E10").items() if k != "id_number"},
    )
    assert again.pk == ald.pk  # the same care file twice: one request
    assert selectors.exemption_for(student_id=student_id, disease="E10.9", on=dt.date(2026, 12, 10)) is None
    services.approval_agree(
        actor=pec.users["controller_casa"],
        request=ald,
        ceiling=Decimal("20000.00"),
        sessions=None,
        valid_from=dt.date(2026, 12, 4),
        valid_to=dt.date(2027, 12, 3),
    )
    exemption = selectors.exemption_for(student_id=student_id, disease="e10.9", on=dt.date(2027, 6, 1))
    assert exemption is not None and exemption.diagnosis == "E10" and exemption.valid_to == dt.date(2027, 12, 3)
    assert selectors.exemption_for(student_id=student_id, disease="E11", on=dt.date(2027, 6, 1)) is None
