"""Issue PDFs: render a template in French and Arabic with WeasyPrint, store, hash, record."""

import base64
import hashlib
import io
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from amo.common.regime import regime_context
from amo.documents.models import Document
from amo.documents.rules import display_code, new_code


def both_languages(make: Callable[[], str]) -> str:
    """A title written in French and in Arabic, whatever language the issuing agent uses."""
    from django.utils import translation

    with translation.override("fr"):
        french = str(make())
    with translation.override("ar"):
        arabic = str(make())
    return french if french == arabic else f"{french} — {arabic}"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    html = render_to_string(template, {"regime": regime_context(), **context})  # the letterhead's body
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def qr_data_uri(text: str) -> str:
    """A QR code of a text as an SVG data URI, for a template (a cover sheet's file number)."""
    return _qr_data_uri(text)


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def document_issue(
    *,
    kind: str,
    template: str,
    context: dict[str, Any],
    title: str,
    holder: str,
    obj: models.Model,
    code: str = "",
) -> Document:
    """Render and store a PDF that carries its own verification code and QR code (a code may be
    given when it was announced before the PDF existed, as for receipts)."""
    code = code or new_code()
    while not code or Document.objects.filter(code=code).exists():
        code = new_code()
    verify_url = settings.SITE_URL + reverse("documents:verify_code", args=[display_code(code)])
    pdf = render_pdf(
        template,
        {
            **context,
            "verification_code": display_code(code),
            "verify_url": verify_url,
            "qr": _qr_data_uri(verify_url),
        },
    )
    document = Document(
        code=code,
        kind=kind,
        title=title,
        holder=holder,
        sha256=hashlib.sha256(pdf).hexdigest(),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
    )
    document.file.save(f"{kind}-{code}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document
