"""E-mail is never lost: while the SMTP server is down messages wait, then go once."""

import datetime as dt
import re
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


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "first"), [("fr", "Bonjour"), ("ar", "مرحباً")])
def test_a_bilingual_email_starts_with_the_recipients_language(language: str, first: str) -> None:
    # Issue 13, item 12: the rights e-mail began in French, subject included, for a student who chose Arabic.
    import datetime as dt
    from types import SimpleNamespace

    from django.utils import translation

    from amo.notifications.services import email_queue

    student = SimpleNamespace(first_name="Salma", first_name_ar="سلمى")
    period = SimpleNamespace(starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2027, 8, 31))
    message = email_queue(
        to="s@example.ma",
        template="coverage/email/rights_opened",
        context={"student": student, "period": period, "insured": SimpleNamespace(number="AE0000001")},
        language=language,
    )
    with translation.override(language):
        own_subject = translation.gettext("Your health insurance rights are open")
    assert message.subject.startswith(own_subject)
    assert message.body_text.lstrip().startswith(first)
    assert f'lang="{language}"' in message.body_html.split("<div", 2)[1][:40]
    # The address is isolated from the Arabic around it (LRI ... PDI).
    assert "\u2066http" in message.body_text and "\u2069" in message.body_text


@pytest.mark.django_db
def test_the_demo_mailbox_opens_an_attachment_as_it_was_sent(client) -> None:
    # Issue 13, item 13: the demo mailbox named the certificate attached to a rights e-mail but did not open it.
    from django.core.mail import EmailMessage

    from amo.notifications.mailbox import MailboxBackend
    from amo.notifications.models import MailboxMessage

    pdf = b"%PDF-1.7 the certificate"
    email = EmailMessage("Vos droits", "Bonjour", to=["s@example.ma"])
    email.attach("coverage_certificate-ABCD.pdf", pdf, "application/pdf")
    MailboxBackend().send_messages([email])
    caught = MailboxMessage.objects.get()
    page = client.get(f"/demo/mailbox/{caught.pk}/").content.decode()
    link = re.search(r'href="([^"]+)" data-testid="mailbox-attachment">coverage_certificate-ABCD.pdf<', page)
    assert link, page
    response = client.get(link.group(1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == pdf
    other = MailboxMessage.objects.create(to="x@example.ma", subject="x", body_text="x")
    assert client.get(f"/demo/mailbox/{other.pk}/files/{caught.files.get().pk}/").status_code == 404
