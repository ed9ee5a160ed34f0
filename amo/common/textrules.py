"""Pure rules of the text people type or send: names, free text, e-mail addresses.

One rule for every entry: the page's form, the API's schema and the list import all call
these functions, so that none of them keeps what another refuses. No Django import here (the
import's row checker is pure); `amo.common.validators` wraps them for forms and schemas.
Each check returns the stable code of the first problem found, or None.
"""

import re
from dataclasses import dataclass

# Characters that have no place in a name or a text kept in a file: control characters (NUL
# included), the bidirectional marks, embeddings, overrides and isolates (they make "Ali"
# display as something else: LRM, RLM, the Arabic letter mark ALM included), the invisible format
# characters (soft hyphen, zero-width space, joiner and non-joiner: a name written in Arabic or
# Latin letters needs none of them, and a name made only of them looks blank), the zero-width
# no-break space, lone surrogates and the two non-characters.
# (Polars' strings cannot hold a lone surrogate: its pattern leaves them out.)
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff"
FORBIDDEN_ONE_LINE = f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]"
_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")
# A text of several lines keeps its line breaks and tabs.
_MULTI_LINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")

# Arabic script in every Unicode block it has (letters, presentation forms).
ARABIC_LETTERS = "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]"
LATIN_LETTERS = "[A-Za-z]"
_ARABIC = re.compile(ARABIC_LETTERS)
_LATIN = re.compile(LATIN_LETTERS)

LATIN, ARABIC = "latin", "arabic"


@dataclass(frozen=True)
class TextRule:
    """What a text field takes: at most `max_length` characters (as its column in the database:
    SQLite does not enforce it, so we do), one line unless `multi_line`, and for a name given in
    one script, no letter of the other."""

    max_length: int
    required: bool = False
    script: str = ""  # LATIN: no Arabic letter; ARABIC: no Latin letter
    multi_line: bool = False


# What a person writes beside a decision, a certification or a request: lines, within reason.
COMMENT = TextRule(2000, multi_line=True)


def text_problem(value: str, rule: TextRule) -> str | None:
    """The code of what is wrong with a text (given without its surrounding spaces), or None.
    An empty optional text is right."""
    if not value or value.isspace():
        return "text_required" if rule.required else None
    if (_MULTI_LINE if rule.multi_line else _ONE_LINE).search(value):
        return "text_control"
    if len(value) > rule.max_length:
        return "text_too_long"
    if rule.script == LATIN and _ARABIC.search(value):
        return "latin_script"
    if rule.script == ARABIC and _LATIN.search(value):
        return "arabic_script"
    return None


EMAIL_MAX_LENGTH = 254
# Letters, digits and the usual signs of RFC 5322's dot-atom, in ASCII; a domain of labels and a
# top-level domain of at least two letters. The same pattern serves Python and Polars.
_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$"
_EMAIL = re.compile(EMAIL_PATTERN)


def email_problem(value: str) -> str | None:
    """The code of what is wrong with an e-mail address, or None (an empty one is right)."""
    if not value:
        return None
    if len(value) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(value):
        return "email_format"
    return None
