from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from amo.notifications.models import MailboxMessage


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
