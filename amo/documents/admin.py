from django.contrib import admin

from amo.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    list_display = ["code", "kind", "title", "holder", "issued_at"]
    search_fields = ["code", "holder"]
    readonly_fields = [
        "code",
        "kind",
        "title",
        "holder",
        "file",
        "sha256",
        "object_type",
        "object_id",
    ]
