from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from amo.common.downloads import download
from amo.notifications.models import MailboxAttachment, MailboxMessage


def _demo_only() -> None:
    if not settings.DEMO_MAILBOX:
        raise Http404


def mailbox(request: HttpRequest) -> HttpResponse:
    """The demo mailbox: every e-mail the platform sent, when no SMTP server is configured."""
    _demo_only()
    to = request.GET.get("to", "").strip()
    messages = MailboxMessage.objects.all()
    if to:
        messages = messages.filter(to__icontains=to)
    # Not "messages": that name is Django's one-time notices, which the layout shows as banners.
    return render(request, "notifications/mailbox.html", {"mails": messages[:200], "to": to})


def mailbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    _demo_only()
    return render(
        request,
        "notifications/mailbox_message.html",
        {"message": get_object_or_404(MailboxMessage, pk=pk)},
    )


def mailbox_attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """A caught e-mail's attachment, as the recipient would open it."""
    _demo_only()
    attachment = get_object_or_404(MailboxAttachment, pk=file_pk, message_id=pk)
    return download(bytes(attachment.content), attachment.filename, attachment.content_type)
