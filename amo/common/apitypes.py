"""The API's shared types, used by every app's endpoints: the error answer (ErrorOut), and the
numbers the API takes, bounded in its schema: a number no database can take (above 2^63 on
SQLite and PostgreSQL) is refused as invalid input (422) instead of reaching a query."""

from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination as _NinjaLimitOffsetPagination

from amo.common.textrules import FORBIDDEN_ONE_LINE

MAX_LIMIT = 1000  # rows per page
MAX_OFFSET = 1_000_000_000  # far beyond any list, far below any integer limit of a database
MAX_ID = 2**63 - 1  # the largest key a database keeps (BIGINT on PostgreSQL, INTEGER on SQLite)


# Every error the API answers: a stable code, its message in the caller's language, and the
# messages of each invalid field. (No docstring: it would enter the OpenAPI schema.)
class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


# An object's key given in a body (a list of ids, an id to link to)
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]


class LimitOffsetPagination(_NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


# Text the API takes in a query or a code: the characters the shared text rule refuses on one
# line (NUL, control characters, bidi and invisible marks) are refused in the schema (422)
# instead of reaching a query.
ONE_LINE = "^[^" + FORBIDDEN_ONE_LINE[1:] + "*$"

QueryText = Annotated[str, Field(max_length=100, pattern=ONE_LINE)]
