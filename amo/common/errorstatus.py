"""The one place where a refused operation becomes an HTTP status, for the API's exception
handler and the pages alike: services raise coded errors (`DomainError`), each code has a kind
(declared in its app's errors.py), and each kind one status."""

from amo.common.errors import DomainError, ErrorKind

STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 400,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.TOO_MANY: 429,
}


def http_status(error: DomainError) -> int:
    return STATUS_OF_KIND[error.kind]
