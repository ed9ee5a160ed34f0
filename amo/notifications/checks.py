"""Start-up checks of e-mail delivery: a message never ends on a public page in production.

Without an SMTP server, e-mails (password-reset links among them) are caught in the demo
mailbox, a page anyone can read: acceptable in debug only. In production the platform refuses
to start unless EMAIL_KEEP_IN_OUTBOX says that the messages wait in the outbox."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security)
def mail_delivery_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.EMAIL_HOST or settings.DEMO_MAILBOX or settings.EMAIL_KEEP_IN_OUTBOX:
        return []
    return [
        Error(
            "No SMTP server (EMAIL_HOST) is configured outside debug mode: e-mails, password-reset "
            "links among them, would be lost.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, ...), or EMAIL_KEEP_IN_OUTBOX=1 to keep "
            "the messages in the outbox until a server is configured (README, 'Configuration').",
            id="notifications.E001",
        )
    ]


@register(Tags.security, deploy=True)
def mail_kept_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.EMAIL_KEEP_IN_OUTBOX:
        return [
            Warning(
                "EMAIL_KEEP_IN_OUTBOX is set: e-mails wait in the outbox and nobody receives them.",
                hint="Set EMAIL_HOST; `manage.py outbox_retry` then sends the waiting messages.",
                id="notifications.W001",
            )
        ]
    return []
