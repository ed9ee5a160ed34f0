"""Files and requests of the medical-control tests."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from amo.approvals import services
from amo.approvals.models import ApprovalRequest
from amo.common import clock

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "compte-rendu.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def values(**overrides: Any) -> dict[str, Any]:
    start = clock.today() + dt.timedelta(days=3)
    out: dict[str, Any] = {
        "id_number": "AB100001",
        "kind_code": "dialysis_series",
        "planned_from": start,
        "planned_to": start + dt.timedelta(days=30),
        "diagnosis": "N18.5",
        "planned_acts": "K 50\nCS 2",
        "quote": Decimal("12000.00"),
        "urgent": False,
    }
    out.update(overrides)
    return out


def submitted(world: Any, persona: str = "provider_casa", files: Any = None, **overrides: Any) -> ApprovalRequest:
    provider = world.other.provider if persona == "provider_casa" else world.mine.provider
    return services.approval_request_submit(
        actor=world.users[persona],
        provider=provider,
        files=files if files is not None else [pdf()],
        **values(**overrides),
    )
