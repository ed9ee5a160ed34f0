"""E-mail is never lost: while the SMTP server is down messages wait, then go once."""

import datetime as dt
import socket
from typing import Any

import pytest

from amo.common import clock
from amo.notifications.models import OutboxMessage
from amo.notifications.rules import retry_delay
from amo.notifications.services import email_queue, outbox_deliver, outbox_retry_pending

pytestmark = pytest.mark.django_db


def test_retry_delays_grow() -> None:
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 6)] == [1, 5, 15, 60, 240]


class Inbox:
    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        return "250 OK"


def test_an_outage_delays_the_email_which_is_then_sent_once(settings: Any) -> None:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    message = email_queue(to="a@example.ma", template="accounts/email/verify", context={"user": None, "path": "/x/"})
    failed = outbox_deliver(message_id=message.pk)  # nothing listens on the port: the server is down
    assert (failed.status, failed.attempts) == ("pending", 1) and failed.last_error
    assert failed.next_attempt_at is not None and failed.next_attempt_at > clock.now()
    assert outbox_retry_pending() == 0  # not due yet
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = clock.now() + dt.timedelta(minutes=2)
        assert outbox_retry_pending(now=later) == 1
        assert outbox_retry_pending(now=later) == 0
        outbox_deliver(message_id=message.pk)  # a late duplicate task changes nothing
    finally:
        controller.stop()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(inbox.received) == 1


def test_a_message_fails_for_good_after_the_maximum_attempts(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = email_queue(to="a@example.ma", template="accounts/email/verify", context={"user": None, "path": "/x/"})
    outbox_deliver(message_id=message.pk)
    final = outbox_deliver(message_id=message.pk)
    assert (final.status, final.attempts, final.next_attempt_at) == ("failed", 2, None)
    assert OutboxMessage.objects.get().status == "failed"
