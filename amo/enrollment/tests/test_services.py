"""Registration services: the whole path from the student's request to the certified list."""

import pytest
from django.core import mail

from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.enrollment.models import Certification, RegistrationEvent, RegistrationRequest, RegistrationStatus, Student
from amo.enrollment.services import (
    aggregation_close,
    aggregation_send,
    certification_sign,
    registration_correct,
    registration_decide,
    registration_submit,
    signed_form_render_now,
    signed_form_state,
)
from amo.enrollment.tests.factories import open_year, registration_input
from amo.organisations.models import Aggregator

pytestmark = pytest.mark.django_db


@pytest.fixture
def affiliated(world):
    institution = world.mine.institution
    institution.affiliated_on = open_year().starts_on
    institution.save(update_fields=["affiliated_on"])
    return institution


def submit(world, institution, **overrides):
    return registration_submit(
        actor=world.users["student"],
        entry_channel="higher_education",
        data=registration_input(institution, **overrides),
    )


def test_a_student_submits_and_gets_a_signed_form_and_an_email(
    world, affiliated, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(world, affiliated)
        # Nothing is rendered inside the submit's transaction: the PDF waits for the commit.
        assert request.signed_form is None and signed_form_state(request) == "being_prepared"
        assert not mail.outbox
    request.refresh_from_db()
    assert request.status == RegistrationStatus.SUBMITTED
    assert request.student.id_number == "AB123456" and request.student.phone == "+212612345678"
    assert request.signed_form is not None and request.signed_form.file.read().startswith(b"%PDF")
    assert request.consent is not None and request.consented_at and request.acknowledged_at
    assert [e.status for e in request.events.all()] == ["submitted"]
    # The e-mail is written once the form exists, and carries it.
    assert len(mail.outbox) == 1 and "REG-" in mail.outbox[0].body
    name, content, _mimetype = mail.outbox[0].attachments[0]
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    # The worker's job run twice does nothing more.
    assert signed_form_render_now(request_id=request.pk) is None and len(mail.outbox) == 1


def test_until_the_worker_has_made_it_the_signed_form_is_being_prepared(world, affiliated) -> None:
    """Pages and API say "being prepared" (202 on the download, a page that refreshes itself), then
    give the form once the worker has made it."""
    request = submit(world, affiliated)  # the test's transaction never commits: the render waits
    client = world.client("student")
    page = client.get("/registration/my/").content.decode()
    assert 'data-testid="signed-form-pending"' in page and 'http-equiv="refresh"' in page
    pending = client.get(f"/registration/requests/{request.pk}/form.pdf")
    assert pending.status_code == 202 and 'http-equiv="refresh"' in pending.content.decode()
    detail = client.get(f"/api/registration/requests/{request.pk}").json()
    assert (detail["signed_form"], detail["signed_form_url"]) == ("being_prepared", None)
    answer = client.get(f"/api/registration/requests/{request.pk}/form.pdf")
    assert answer.status_code == 202 and answer.json()["code"] == "document_pending"

    signed_form_render_now(request_id=request.pk)  # the worker
    page = client.get("/registration/my/").content.decode()
    assert 'data-testid="signed-form"' in page and 'http-equiv="refresh"' not in page
    detail = client.get(f"/api/registration/requests/{request.pk}").json()
    assert detail["signed_form"] == "ready"
    pdf = client.get(detail["signed_form_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert world.client("student").get(f"/registration/requests/{request.pk}/form.pdf").status_code == 200


def test_another_coverage_creates_nothing(world, affiliated) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, affiliated, no_other_coverage=False)
    assert err.value.code == "other_coverage_declared"
    assert not RegistrationRequest.objects.exists()


def test_a_second_request_the_same_year_is_refused_and_points_to_the_first(world, affiliated) -> None:
    first = submit(world, affiliated)
    with pytest.raises(DomainError) as err:
        submit(world, affiliated)
    assert err.value.code == "already_registered"
    assert f"REG-{first.pk:08d}" in err.value.message


def test_another_account_submitting_a_registered_cin_is_not_told_the_other_request(world, affiliated) -> None:
    from amo.organisations.tests.factories import InstitutionFactory
    from conftest import make_user

    other = InstitutionFactory.create(legal_entity=affiliated.legal_entity, affiliated_on=open_year().starts_on)
    stranger = make_user("stranger@example.ma")
    first = submit(world, affiliated)  # the student's own request
    for institution in (affiliated, other):
        with pytest.raises(DomainError) as err:
            registration_submit(actor=stranger, entry_channel="higher_education", data=registration_input(institution))
        assert err.value.code in ("already_registered", "identity_taken")
        assert "REG-" not in err.value.message and f"{first.pk:08d}" not in err.value.message
    first.student.user = None  # a student an institution uploaded, who has no account
    first.student.save(update_fields=["user"])
    with pytest.raises(DomainError) as err:
        registration_submit(actor=stranger, entry_channel="higher_education", data=registration_input(other))
    assert "REG-" not in err.value.message and f"{first.pk:08d}" not in err.value.message
    assert RegistrationRequest.objects.count() == 1


def test_an_unaffiliated_institution_or_the_wrong_entry_is_refused(world) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, world.mine.institution)
    assert err.value.code == "institution_not_affiliated"
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    with pytest.raises(DomainError) as err:
        registration_submit(
            actor=world.users["student"],
            entry_channel="public_vocational",
            data=registration_input(world.mine.institution),
        )
    assert err.value.code == "wrong_channel"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("id_number", "12AB", "cin_format"),
        ("massar", "R12", "massar_format"),
        ("phone", "0123", "phone_format"),
        ("rib", "310810100013070176970117", "rib_key"),
        ("rib", "310810100013070176977100", "rib_key"),  # divisible by 97, but 00 is no key
        ("rib", "MA65 3108 1010 0013 0701 7697 0116", "iban_check"),
    ],
)
def test_malformed_identifiers_are_refused_per_field(world, affiliated, field: str, value: str, code: str) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, affiliated, **{field: value})
    assert err.value.fields == {field: [code]}
    assert not RegistrationRequest.objects.exists()


def test_an_iban_typed_as_the_rib_is_saved_as_its_rib(world, affiliated) -> None:
    # SOURCES.md §4: the IBAN is MA + two check digits + the 24-digit RIB.
    request = submit(world, affiliated, rib="MA64 3108 1010 0013 0701 7697 0116")
    assert request.student.rib == "310810100013070176970116"


def test_the_institution_sends_back_and_the_student_corrects(world, affiliated) -> None:
    request = submit(world, affiliated)
    registration_decide(
        actor=world.users["institution"],
        request=request,
        target="to_correct",
        comment="Massar erroné",
    )
    corrected = registration_correct(
        actor=world.users["student"],
        request=request,
        data=registration_input(affiliated, massar="R130000009"),
    )
    assert corrected.status == "submitted" and corrected.student.massar == "R130000009"
    assert [e.status for e in corrected.events.all()] == ["submitted", "to_correct", "submitted"]


def test_a_corrected_identity_number_is_saved_and_one_another_record_holds_is_refused(world, affiliated) -> None:
    # Issue 13, rule 8: on "send back for correction" the student changed the CIN and the old one stayed.
    request = submit(world, affiliated)
    old_number = request.student.id_number
    registration_decide(actor=world.users["institution"], request=request, target="to_correct", comment="CIN erroné")
    other = Student.objects.create(
        id_type="cin",
        id_number="ZZ999999",
        last_name="Autre",
        first_name="Personne",
        birth_date=request.student.birth_date,
        sex="F",
    )
    with pytest.raises(DomainError) as err:
        registration_correct(
            actor=world.users["student"],
            request=request,
            data=registration_input(affiliated, id_number=other.id_number),
        )
    assert err.value.fields == {"id_number": ["identity_taken"]}
    corrected = registration_correct(
        actor=world.users["student"], request=request, data=registration_input(affiliated, id_number="AB765432")
    )
    corrected.student.refresh_from_db()
    assert (corrected.status, corrected.student.id_number) == ("submitted", "AB765432")
    audit = AuditEvent.objects.get(action="registration_correct")
    assert (audit.before["id_number"], audit.after["id_number"]) == (old_number, "AB765432")


def test_a_rejection_needs_a_reason(world, affiliated) -> None:
    request = submit(world, affiliated)
    with pytest.raises(DomainError) as err:
        registration_decide(actor=world.users["institution"], request=request, target="rejected")
    assert err.value.code == "reject_reason_required"
    registration_decide(actor=world.users["institution"], request=request, target="rejected", reason="not_enrolled")
    request.refresh_from_db()
    assert request.status == "rejected" and request.reject_reason == "not_enrolled"


def test_closing_a_list_freezes_validated_requests_and_later_ones_wait(world, affiliated) -> None:
    request = submit(world, affiliated)
    registration_decide(actor=world.users["institution"], request=request, target="validated")
    onousc = Aggregator.objects.get(code="ONOUSC")
    closed = aggregation_close(actor=world.users["aggregator"], aggregator=onousc, academic_year=open_year())
    assert closed.number == "ONOUSC-2026-2027-0001" and closed.row_count == 1 and len(closed.content_hash) == 64
    request.refresh_from_db()
    assert request.status == "in_list" and request.aggregation_list == closed
    with pytest.raises(DomainError) as err:
        aggregation_close(actor=world.users["aggregator"], aggregator=onousc, academic_year=open_year())
    assert err.value.code == "nothing_to_close"
    aggregation_send(actor=world.users["aggregator"], aggregation_list=closed)
    request.refresh_from_db()
    assert request.status == "sent_to_cnops"
    assert list(RegistrationEvent.objects.filter(request=request).values_list("status", flat=True)) == [
        "submitted",
        "validated",
        "in_list",
        "sent_to_cnops",
    ]
    with pytest.raises(DomainError):
        aggregation_send(actor=world.users["aggregator"], aggregation_list=closed)


def test_the_legal_entity_certifies_with_payment_references_when_due(world, affiliated) -> None:
    request = submit(world, affiliated, fee_paying=True)
    registration_decide(actor=world.users["institution"], request=request, target="validated")
    aggregation_close(
        actor=world.users["aggregator"],
        aggregator=Aggregator.objects.get(code="ONOUSC"),
        academic_year=open_year(),
    )

    def sign(references: str) -> Certification:
        return certification_sign(
            actor=world.users["legal_entity"],
            legal_entity=world.mine.legal_entity,
            academic_year=open_year(),
            payment_references=references,
        )

    with pytest.raises(DomainError) as err:
        sign("")
    assert err.value.code == "payment_reference_required"
    signed = sign("VIR-2026-0001")
    assert signed.row_count == 1 and signed.certified_by == world.users["legal_entity"]
    request.refresh_from_db()
    assert request.certification == signed
    with pytest.raises(DomainError) as again:  # the same list cannot be signed a second time
        sign("VIR-2026-0001")
    assert again.value.code == "already_certified"
    assert Certification.objects.count() == 1


def test_a_set_moves_in_sql_only_the_requests_its_table_lets_through_each_with_event_and_audit(
    world, affiliated
) -> None:
    from django.db.models import F, Value

    from amo.common.models import AuditEvent
    from amo.enrollment.services import registration_move, registrations_move

    first = submit(world, affiliated)
    registration_decide(actor=world.users["institution"], request=first, target="validated")
    from conftest import make_user

    second = registration_submit(
        actor=make_user("other@example.ma"),
        entry_channel="higher_education",
        data=registration_input(affiliated, id_number="AB654321", email="other@example.ma", massar=""),
    )
    moved = registrations_move(
        actor=world.users["aggregator"],
        requests=RegistrationRequest.objects.filter(pk__in=[first.pk, second.pk]),
        target=RegistrationStatus.IN_LIST,
        action="registration_in_list",
        reason=Value("why"),
        comment=F("track"),
    )
    assert moved == 1  # the submitted request may not go into a list: left as it is
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("in_list", "submitted")
    event = RegistrationEvent.objects.filter(request=first).latest("id")
    assert (event.status, event.reason, event.comment, event.actor) == (
        "in_list",
        "why",
        first.track,
        world.users["aggregator"],
    )
    assert not RegistrationEvent.objects.filter(request=second, status="in_list").exists()
    audit = AuditEvent.objects.get(action="registration_in_list")
    assert (audit.object_type, audit.object_id, audit.before, audit.after, audit.reason) == (
        "enrollment.registrationrequest",
        str(first.pk),
        {"status": "validated"},
        {"status": "in_list"},
        "why",
    )
    assert audit.actor == world.users["aggregator"]
    with pytest.raises(ValueError):
        registrations_move(actor=None, requests=RegistrationRequest.objects.all(), target="nowhere", action="x")
    # One request, refused by the table: nothing written.
    with pytest.raises(DomainError) as err:
        registration_move(actor=None, request=second, target=RegistrationStatus.INSURED)
    assert err.value.code == "invalid_transition"
    second.refresh_from_db()
    assert second.status == "submitted" and not AuditEvent.objects.filter(action="registration_insured").exists()


def test_a_comment_and_a_link_keep_their_own_direction_in_the_e_mail(world, affiliated) -> None:
    # Issue 13, item 12: in an Arabic e-mail a French comment's full stop moved to its start and a
    # URL's slashes reordered; each run is isolated (UAX #9: FSI/LRI ... PDI; <bdi> in HTML).
    from amo.notifications.models import OutboxMessage

    request = submit(world, affiliated)
    registration_decide(actor=world.users["institution"], request=request, target="to_correct", comment="CIN erroné.")
    message = OutboxMessage.objects.latest("pk")
    assert "\u2068CIN erroné.\u2069" in message.body_text
    assert "\u2066http" in message.body_text and "/registration/my/ \u2069" in message.body_text
    assert "<bdi>CIN erroné.</bdi>" in message.body_html
