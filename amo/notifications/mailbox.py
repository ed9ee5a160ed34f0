"""An e-mail backend for the demo: keeps messages in the database for the mailbox page."""

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from amo.notifications.models import MailboxAttachment, MailboxMessage

        for message in email_messages:
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                for content, mimetype in message.alternatives:
                    if mimetype == "text/html":
                        html = str(content)
            files = [a for a in message.attachments if isinstance(a, tuple)]
            caught = MailboxMessage.objects.create(
                to=", ".join(message.to),
                subject=str(message.subject),
                body_text=str(message.body),
                body_html=html,
                attachments=", ".join(str(a[0]) for a in files)[:500],
            )
            MailboxAttachment.objects.bulk_create(
                MailboxAttachment(
                    message=caught,
                    filename=str(name)[:250],
                    content_type=str(mimetype or "application/octet-stream")[:100],
                    content=content if isinstance(content, bytes) else str(content).encode(),
                )
                for name, content, mimetype in files
            )
        return len(email_messages)
