"""Start-up check of what the PDF documents need from the system: WeasyPrint's libraries (Pango)
and the fonts the templates name. Without them pages work but every document fails; `make demo`
runs this check first and stops with the command that installs what is missing."""

import shutil
import subprocess
from typing import Any

from django.core.checks import CheckMessage, Warning, register

# The fonts the document templates name, and the Debian package of each.
FONTS = {"Noto Sans": "fonts-noto-core", "Noto Naskh Arabic": "fonts-noto-core", "DejaVu Sans": "fonts-dejavu-core"}
LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0"


def missing_for_documents() -> list[str]:
    """The Debian packages the documents need and this machine lacks (empty when all is there)."""
    try:
        import weasyprint  # noqa: F401 - loads Pango, which fails without the system libraries
    except OSError:
        return [*LIBRARIES.split(), *sorted(set(FONTS.values()))]
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []  # fontconfig comes with Pango; without its command the fonts cannot be listed
    # The command and its arguments are fixed here: nothing comes from a user.
    installed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    return sorted({package for family, package in FONTS.items() if family not in installed})


@register("documents")
def documents_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    missing = missing_for_documents()
    if not missing:
        return []
    return [
        Warning(
            "The PDF documents (signed forms, certificates, receipts, lists) cannot be made on this "
            "machine: system packages are missing.",
            hint=f"sudo apt-get install {' '.join(missing)}",
            id="documents.W001",
        )
    ]
