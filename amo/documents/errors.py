from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class DocumentError(models.TextChoices):
    # Documents are rendered by the worker after the change that asks for them is committed: the
    # page or the API answers 202 with this code until the PDF exists (ask again, no waiting here).
    PENDING = "document_pending", _("This document is being prepared. This page will show it in a few seconds.")


declare_kinds({DocumentError.PENDING: ErrorKind.PENDING})
