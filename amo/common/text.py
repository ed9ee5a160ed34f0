"""Small rules of written text shared by pages, e-mails and files."""

from typing import Any

from django.utils.translation import get_language


def colon() -> str:
    """A colon after a label, as the active language writes it: French puts a no-break space
    before it, Arabic and English do not."""
    return "\u00a0:" if (get_language() or "").startswith("fr") else ":"


def local_name(obj: Any, prefix: str = "name") -> str:
    """The Arabic name in Arabic pages when there is one, the French name otherwise (`prefix`
    names another pair of fields, e.g. `first_name` or `description`)."""
    if obj is None:
        return ""
    if (get_language() or "fr").startswith("ar"):
        arabic = getattr(obj, f"{prefix}_ar", "")
        if arabic:
            return str(arabic)
    return str(getattr(obj, f"{prefix}_fr", None) or getattr(obj, prefix, "") or obj)
