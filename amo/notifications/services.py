"""The outbox: e-mails are written with the change they report and sent by the worker."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from amo.common import clock
from amo.common.errors import DomainError, ErrorCode
from amo.common.regime import regime_context
from amo.common.services import audit_record
from amo.notifications.models import OutboxMessage, OutboxStatus
from amo.notifications.rules import outbox_can_move, retry_delay


def email_queue(
    *, to: str, template: str, context: dict[str, Any], language: str = "fr", attachment: Any = None
) -> OutboxMessage:
    """Render `<template>_subject.txt`, `.txt` and `.html` in the recipient's language, queue it.

    The send task is enqueued on commit, so a rolled-back change never sends its e-mail.
    """
    with translation.override(language):
        # A message written in both languages starts with the recipient's own.
        languages = [language, *(code for code, _name in settings.LANGUAGES if code != language)]
        ctx = {
            "regime": regime_context(),  # the managing body the e-mail is signed with, the figures it quotes
            **context,
            "site_url": settings.SITE_URL,
            "language": language,
            "languages": languages,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        text = render_to_string(f"{template}.txt", ctx)
        html = render_to_string(f"{template}.html", ctx)
    message = OutboxMessage.objects.create(
        to=to, subject=subject, body_text=text, body_html=html, language=language, attachment=attachment
    )
    from amo.notifications.tasks import outbox_send

    transaction.on_commit(lambda: outbox_send.enqueue(message.pk))
    return message


def outbox_deliver(*, message_id: int) -> OutboxMessage:
    """Send one message; on failure count the attempt and keep it for the next retry.

    With EMAIL_KEEP_IN_OUTBOX (production without an SMTP server) the message stays pending,
    untried, until a server is configured and `manage.py outbox_retry` sends it."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxStatus.PENDING or settings.EMAIL_KEEP_IN_OUTBOX:
            return message
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        if message.attachment is not None:
            with message.attachment.file.open("rb") as pdf:
                email.attach(f"{message.attachment.kind}-{message.attachment.code}.pdf", pdf.read(), "application/pdf")
        message.attempts += 1
        before = message.status
        try:
            email.send()
        except Exception as exc:  # any transport error: keep the message, record why, try later
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                _move(message, OutboxStatus.FAILED)
                message.next_attempt_at = None
            else:
                message.next_attempt_at = clock.now() + retry_delay(message.attempts)
                _schedule(message)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if message.status != before:
                _audit(message, before)
            return message
        _move(message, OutboxStatus.SENT)
        message.sent_at = clock.now()
        message.next_attempt_at = None
        message.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        _audit(message, before)
        return message


def _move(message: OutboxMessage, target: str) -> None:
    """The message's new status, through rules.OUTBOX_TRANSITIONS (a refusal is a bug: the
    message was locked and read pending)."""
    if not outbox_can_move(message.status, target):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    message.status = target


def _audit(message: OutboxMessage, before: str) -> None:
    audit_record(
        actor=None,
        action=f"outbox_{message.status}",
        obj=message,
        before={"status": before},
        after={"status": message.status, "attempts": message.attempts},
    )


def _schedule(message: OutboxMessage) -> None:
    """Ask the worker to try again at next_attempt_at, when the task backend can defer."""
    from django_tasks import default_task_backend

    from amo.notifications.tasks import outbox_send

    if default_task_backend.supports_defer and message.next_attempt_at is not None:
        run_after, pk = message.next_attempt_at, message.pk
        transaction.on_commit(lambda: outbox_send.using(run_after=run_after).enqueue(pk))


def outbox_retry_pending(*, now: Any = None) -> int:
    """Deliver every pending message that is due (`manage.py outbox_retry`, a safety net for the
    worker's own retries: a message already sent is never sent again)."""
    now = now or clock.now()
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        outbox_deliver(message_id=pk)
    return len(ids)
