"""The regime's parameters in force, for the templates rendered below the app that holds them.

Letterheads (documents) and e-mails (notifications) name the managing body and quote figures that
are dated parameters (amo.referentials), an upper layer: referentials registers its reader at
start-up (ReferentialsConfig.ready) and every PDF and e-mail gets `regime` in its context, as pages
get it from the `regime` context processor. Read lazily: a template that quotes nothing costs nothing.
"""

from collections.abc import Callable
from typing import Any

from django.utils.functional import SimpleLazyObject

RegimeReader = Callable[[], dict[str, Any]]

_reader: list[RegimeReader] = []


def regime_reader_register(reader: RegimeReader) -> None:
    _reader[:] = [reader]


def regime_context() -> Any:
    """The parameters in force today (key -> typed value, and `managing_body_name`), read on first use."""

    def read() -> dict[str, Any]:
        if not _reader:
            raise RuntimeError("No regime reader registered: is amo.referentials installed?")
        return _reader[0]()

    return SimpleLazyObject(read)
