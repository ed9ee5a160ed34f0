"""Writes of organisations: affiliation requests and decisions, legal entities."""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser
from amo.accounts.models import User
from amo.common import clock
from amo.common.errors import DomainError, ErrorCode, NotFound
from amo.common.identifiers import InvalidIdentifier, normalise_ice, normalise_phone
from amo.common.services import audit_record
from amo.documents.errors import DocumentError
from amo.documents.models import Document, DocumentKind
from amo.documents.services import both_languages, document_issue
from amo.notifications.services import email_queue
from amo.organisations import rules
from amo.organisations.errors import OrganisationError
from amo.organisations.models import (
    AffiliationRejectReason,
    AffiliationRequest,
    AffiliationStatus,
    Institution,
    LegalEntity,
)


def _institution_facts(institutions: list[Institution]) -> list[rules.InstitutionFacts]:
    pending = set(
        AffiliationRequest.objects.filter(
            status=AffiliationStatus.SUBMITTED, institutions__in=institutions
        ).values_list("institutions__id", flat=True)
    )
    return [
        rules.InstitutionFacts(
            legal_entity_id=i.legal_entity_id,
            on_eligible_list=i.on_eligible_list,
            affiliated=i.affiliated_on is not None,
            pending=i.pk in pending,
        )
        for i in institutions
    ]


@transaction.atomic
def affiliation_submit(*, actor: User, legal_entity: LegalEntity, institution_ids: list[int]) -> AffiliationRequest:
    institutions = list(Institution.objects.select_for_update().filter(pk__in=institution_ids).order_by("pk"))
    if len(institutions) != len(set(institution_ids)):
        raise DomainError(OrganisationError.NOT_OWNED, fields={"institutions": []})
    problems = rules.affiliation_request_problems(legal_entity.pk, _institution_facts(institutions))
    if problems:
        raise DomainError(problems[0], fields={"institutions": problems})
    now = clock.now()
    request = AffiliationRequest.objects.create(
        number=f"TMP-{secrets.token_hex(6)}",  # replaced below, once the id is known
        legal_entity=legal_entity,
        submitted_by=actor,
        submitted_at=now,
    )
    request.number = f"AFF-{now:%Y}-{request.pk:06d}"
    request.save(update_fields=["number"])
    request.institutions.set(institutions)
    audit_record(
        actor=actor,
        action="affiliation_submit",
        obj=request,
        after={"status": request.status, "institutions": institutions},
    )
    return request


def _decide(request: AffiliationRequest, target: str) -> None:
    if not rules.can_transition(request.status, target):
        raise DomainError(ErrorCode.INVALID_TRANSITION)


def _notify_decision(request: AffiliationRequest, attachment: Document | None = None) -> None:
    recipients = {request.submitted_by.email}
    if request.legal_entity.email:
        recipients.add(request.legal_entity.email)
    for to in sorted(recipients):
        email_queue(
            to=to,
            template="organisations/email/affiliation_decided",
            context={"request": request},
            language=request.submitted_by.preferred_language,
            attachment=attachment,
        )


@transaction.atomic
def affiliation_approve(*, actor: ActingUser, request: AffiliationRequest) -> AffiliationRequest:
    """Approve: the institutions become affiliated; the bilingual certificate is rendered by the
    worker once this is committed, and the e-mail that carries it is sent then."""
    request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
    _decide(request, AffiliationStatus.APPROVED)
    now = clock.now()
    request.status = AffiliationStatus.APPROVED
    request.decided_by = actor
    request.decided_at = now
    institutions = list(request.institutions.order_by("name_fr"))
    Institution.objects.filter(pk__in=[i.pk for i in institutions]).update(affiliated_on=clock.date_of(now))
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="affiliation_approve",
        obj=request,
        before={"status": AffiliationStatus.SUBMITTED},
        after={"status": request.status},
    )
    from amo.organisations.tasks import affiliation_certificate_render

    request_id = request.pk
    transaction.on_commit(lambda: affiliation_certificate_render.enqueue(request_id))
    return request


def affiliation_certificate_render_now(*, request_id: int) -> Document | None:
    """The worker's job after an approval: the certificate, then the decision's e-mail carrying
    it. Run twice, it does nothing more."""
    with transaction.atomic():
        request = (
            AffiliationRequest.objects.select_for_update(of=("self",))
            .select_related("legal_entity", "submitted_by")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.certificate_id is not None or request.status != AffiliationStatus.APPROVED:
            return None
        institutions = list(request.institutions.select_related("category").order_by("name_fr"))
        decided_on = clock.date_of(request.decided_at) if request.decided_at else clock.today()
        request.certificate = document_issue(
            kind=DocumentKind.AFFILIATION_CERTIFICATE,
            template="organisations/affiliation_certificate.html",
            context={
                "request": request,
                "entity": request.legal_entity,
                "institutions": institutions,
                "decided_on": decided_on,
            },
            title=both_languages(lambda: _("Affiliation certificate %(number)s") % {"number": request.number}),
            holder=request.legal_entity.name_fr,
            obj=request,
        )
        request.save(update_fields=["certificate"])
        _notify_decision(request, attachment=request.certificate)
        return request.certificate


def affiliation_certificate_document(request: AffiliationRequest) -> Document:
    """The certificate to download: 202 while the worker prepares it, 404 if there is none."""
    if request.certificate is not None:
        return request.certificate
    if request.status == AffiliationStatus.APPROVED:
        raise DomainError(DocumentError.PENDING)
    raise NotFound()


@transaction.atomic
def affiliation_reject(
    *, actor: ActingUser, request: AffiliationRequest, reason: str, comment: str = ""
) -> AffiliationRequest:
    request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
    _decide(request, AffiliationStatus.REJECTED)
    if reason not in AffiliationRejectReason.values or (
        reason == AffiliationRejectReason.OTHER and not comment.strip()
    ):
        raise DomainError(OrganisationError.REASON_REQUIRED, fields={"reason": []})
    request.status = AffiliationStatus.REJECTED
    request.decided_by = actor
    request.decided_at = clock.now()
    request.reject_reason = reason
    request.comment = comment.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "reject_reason", "comment"])
    audit_record(
        actor=actor,
        action="affiliation_reject",
        obj=request,
        before={"status": AffiliationStatus.SUBMITTED},
        after={"status": request.status},
        reason=f"{reason}: {request.comment}",
    )
    _notify_decision(request)
    return request


@transaction.atomic
def legal_entity_update_contact(
    *, actor: ActingUser, entity: LegalEntity, email: str, phone: str, address: str, ice: str
) -> LegalEntity:
    """A legal entity keeps its own contact details and ICE up to date."""
    fields: dict[str, list[str]] = {}
    clean_phone, clean_ice = "", ""
    try:
        clean_phone = normalise_phone(phone) if phone.strip() else ""
    except InvalidIdentifier as exc:
        fields["phone"] = [exc.code]
    try:
        clean_ice = normalise_ice(ice) if ice.strip() else ""
    except InvalidIdentifier as exc:
        fields["ice"] = [exc.code]
    if not fields:
        for code in rules.legal_entity_problems(entity.law, clean_ice):
            fields.setdefault("ice", []).append(code)
    if fields:
        first = next(iter(fields.values()))[0]
        raise DomainError(first, fields=fields)
    before = {
        "email": entity.email,
        "phone": entity.phone,
        "address": entity.address,
        "ice": entity.ice,
    }
    entity.email, entity.phone, entity.address, entity.ice = email, clean_phone, address, clean_ice
    entity.save(update_fields=["email", "phone", "address", "ice"])
    audit_record(
        actor=actor,
        action="legal_entity_update_contact",
        obj=entity,
        before=before,
        after={"email": email, "phone": clean_phone, "address": address, "ice": clean_ice},
    )
    return entity
