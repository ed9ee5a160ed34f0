"""Small rules of written text shared by pages, e-mails and files."""

from django.utils.translation import get_language


def colon() -> str:
    """A colon after a label, as the active language writes it: French puts a no-break space
    before it, Arabic and English do not."""
    return "\u00a0:" if (get_language() or "").startswith("fr") else ":"
