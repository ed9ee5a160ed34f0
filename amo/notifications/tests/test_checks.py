"""In production, e-mail never lands on a public page: no demo mailbox outside debug mode, and no
start without an SMTP server unless the messages are explicitly kept in the outbox."""

from typing import Any

import pytest
from django.core import mail

from amo.notifications.checks import mail_delivery_check
from amo.notifications.services import email_queue, outbox_deliver
from amo.web.tests.production import SMTP, manage, run

RESOLVE_MAILBOX = (
    "import django; django.setup(); from django.urls import resolve, Resolver404\n"
    "try:\n    resolve('/demo/mailbox/'); print('ROUTED')\nexcept Resolver404:\n    print('ABSENT')"
)


def test_production_without_smtp_serves_no_demo_mailbox() -> None:
    """The probe: AMO_DEBUG=0, no EMAIL_HOST, and a password-reset link readable at /demo/mailbox/."""
    answer = run(["-c", RESOLVE_MAILBOX], EMAIL_KEEP_IN_OUTBOX="1")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "ABSENT"


def test_production_without_smtp_refuses_to_start_and_check_deploy_says_why() -> None:
    check = manage("check", "--deploy")
    assert check.returncode != 0
    assert "notifications.E001" in check.stderr
    server = run(["-c", "import config.wsgi"])
    assert server.returncode != 0 and "notifications.E001" in server.stderr


def test_production_with_smtp_starts() -> None:
    server = run(["-c", "import config.wsgi; print('STARTED')"], **SMTP)
    assert server.returncode == 0, server.stderr
    assert server.stdout.strip() == "STARTED"


def test_debug_mode_keeps_the_demo_mailbox() -> None:
    answer = run(["-c", RESOLVE_MAILBOX], AMO_DEBUG="1")
    assert answer.stdout.strip() == "ROUTED", answer.stderr


def test_the_check_accepts_smtp_the_demo_mailbox_or_mail_kept_in_the_outbox(settings: Any) -> None:
    settings.EMAIL_HOST, settings.DEMO_MAILBOX, settings.EMAIL_KEEP_IN_OUTBOX = "", False, False
    assert [m.id for m in mail_delivery_check()] == ["notifications.E001"]
    for name, value in (("EMAIL_HOST", "smtp.example.ma"), ("DEMO_MAILBOX", True), ("EMAIL_KEEP_IN_OUTBOX", True)):
        setattr(settings, name, value)
        assert mail_delivery_check() == []
        setattr(settings, name, "" if name == "EMAIL_HOST" else False)


@pytest.mark.django_db
def test_mail_kept_in_the_outbox_waits_untried_until_a_server_is_configured(settings: Any) -> None:
    settings.EMAIL_KEEP_IN_OUTBOX = True
    message = email_queue(to="a@example.ma", template="accounts/email/verify", context={"user": None, "path": "/x/"})
    kept = outbox_deliver(message_id=message.pk)
    assert (kept.status, kept.attempts, kept.last_error) == ("pending", 0, "")
    assert mail.outbox == []
    settings.EMAIL_KEEP_IN_OUTBOX = False
    assert outbox_deliver(message_id=message.pk).status == "sent" and len(mail.outbox) == 1
