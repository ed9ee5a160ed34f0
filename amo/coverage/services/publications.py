"""Publication lists per legal entity after a batch, e-mailed to its agents (their lines are read
by selectors.publication_rows)."""

from django.db import connection, transaction

from amo.common import clock
from amo.coverage.models import (
    Publication,
)
from amo.coverage.services.certificates import students_notify
from amo.eligibility.models import CheckBatch
from amo.notifications.services import email_queue


def publications_create(*, batch_id: int) -> list[Publication]:
    """One publication list per legal entity of the batch, e-mailed to its agents."""
    from amo.accounts.models import Membership, Role

    batch = CheckBatch.objects.get(pk=batch_id)
    counts: dict[int, dict[str, int]] = {}
    for entity_id, outcome, n in _entity_outcomes(batch):
        counts.setdefault(entity_id, {"accepted": 0, "refused": 0})[outcome] = n
    created = []
    for entity_id, c in sorted(counts.items()):
        with transaction.atomic():
            publication, new = Publication.objects.get_or_create(
                legal_entity_id=entity_id,
                batch=batch,
                defaults={
                    "number": f"PUB-{batch.number}-{entity_id:05d}",
                    "registered": c["accepted"],
                    "refused": c["refused"],
                },
            )
            if new:
                agents = Membership.objects.filter(
                    role=Role.LEGAL_ENTITY_AGENT, legal_entity_id=entity_id, is_active=True, user__is_active=True
                ).select_related("user")
                for m in agents:
                    email_queue(
                        to=m.user.email,
                        template="coverage/email/publication",
                        context={"publication": publication},
                        language=getattr(m.user, "preferred_language", "") or "fr",
                    )
                publication.sent_at = clock.now()
                publication.save(update_fields=["sent_at"])
                created.append(publication)
    return created


def _entity_outcomes(batch: CheckBatch) -> list[tuple[int, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inst.legal_entity_id, v.outcome, COUNT(*) FROM eligibility_verdict v "
            "JOIN eligibility_checkentry e ON e.id = v.entry_id "
            "JOIN enrollment_registrationrequest r ON r.id = e.request_id "
            "JOIN organisations_institution inst ON inst.id = r.institution_id "
            "WHERE v.batch_id = %s GROUP BY inst.legal_entity_id, v.outcome",
            [batch.pk],
        )
        return [(int(a), str(b), int(c)) for a, b, c in cursor.fetchall()]


def after_batch_now(*, batch_id: int) -> None:
    publications_create(batch_id=batch_id)
    students_notify(batch_id=batch_id)
