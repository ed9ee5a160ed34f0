from django.contrib import admin

from amo.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    readonly_fields = ["to", "subject", "body_text", "body_html", "language", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject"]
