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


# Unicode isolates (UAX #9) for plain text, where no <bdi> exists (text e-mails, messages): a run
# keeps its own direction and does not reorder its neighbours (a URL's slashes, a code's hyphen,
# an ellipsis or a full stop at a run's end).
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


def ltr_run(value: Any) -> str:
    """A left-to-right run (a URL, a code such as EMSI-CASA, a number) isolated in any text."""
    return f"{LRI}{value}{PDI}"


def own_run(value: Any) -> str:
    """A run in its own direction, found from its first strong letter (a comment, a name)."""
    return f"{FSI}{value}{PDI}"
