"""The hand-over export of every student's file (law 54.23) when the regime ends; its lines are
selectors.handover_rows."""

import csv
import gzip
import hashlib
import io

from amo.accounts.actors import ActingUser
from amo.common import clock
from amo.common.services import audit_record
from amo.coverage import selectors
from amo.coverage.models import (
    HandoverExport,
)


def handover_export(*, actor: ActingUser) -> HandoverExport:
    """Write the hand-over file (CSV, gzip) through a temporary file: memory stays flat."""
    import tempfile

    from django.core.files import File

    from amo.common.csvfiles import neutralise as safe_cell

    rows = -1
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb") as gz:
            text = io.TextIOWrapper(gz, encoding="utf-8", newline="")
            writer = csv.writer(text, delimiter=";")
            # Text is neutralised against spreadsheet formulas, except the phone: validated, it
            # is "+212…" or "0…" and must reach the system that takes over as it is.
            verbatim = {selectors.HANDOVER_COLUMNS.index("phone")}
            for row in selectors.handover_rows():
                writer.writerow(
                    [safe_cell(v) if isinstance(v, str) and i not in verbatim else v for i, v in enumerate(row)]
                )
                rows += 1
            text.flush()
            text.detach()
        raw.seek(0)
        while chunk := raw.read(1 << 20):
            digest.update(chunk)
        raw.seek(0)
        export = HandoverExport(
            rows=rows, sha256=digest.hexdigest(), created_by=actor if getattr(actor, "pk", None) else None
        )
        export.file.save(f"handover-{clock.today().isoformat()}.csv.gz", File(raw), save=False)
    export.save()
    audit_record(actor=actor, action="handover_export", obj=export, after={"rows": rows})
    return export
