"""The bank's answer to a credit-transfer file: an ISO 20022 payment status report (pain.002).

Read as a stream (any size in bounded memory), whatever its version (001.03 to 001.14 keep the
same element names): the group's status, then one line per transaction with its status
(`RJCT` rejected, `ACSC` settled, `ACCP`/`ACSP`/`ACTC` accepted, `PDNG` pending), its reason
code and the reason's label in French and Arabic. A line whose end-to-end id was not in the file
sent (`known` says which ids were) is reported with `known=False`, never dropped nor crashed on:
the caller shows it. A file that is not a status report is refused whole.
"""

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from amo.common.errors import DomainError
from amo.common.payments.errors import PaymentFileError as E
from amo.common.payments.reasons import reason_label

REJECTED = "RJCT"


@dataclass(frozen=True)
class ReturnLine:
    end_to_end_id: str
    status: str
    reason_code: str
    reason_fr: str
    reason_ar: str
    known: bool
    detail: str = ""  # the bank's own words (AddtlInf), when it gave some

    @property
    def rejected(self) -> bool:
        return self.status == REJECTED


@dataclass(frozen=True)
class StatusReport:
    message_id: str
    original_message_id: str
    group_status: str
    group_reason: str
    lines: list[ReturnLine] = field(default_factory=list)

    @property
    def rejected(self) -> list[ReturnLine]:
        return [line for line in self.lines if line.rejected and line.known]

    @property
    def unknown(self) -> list[ReturnLine]:
        return [line for line in self.lines if not line.known]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, *path: str) -> Element | None:
    found: Element | None = element
    for name in path:
        if found is None:
            return None
        found = next((c for c in found if _local(c.tag) == name), None)
    return found


def _text(element: Element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _reason(element: Element) -> tuple[str, str]:
    """The first reason of a status: its code (`Rsn/Cd`, or a bank's proprietary `Rsn/Prtry`)
    and the bank's text."""
    info = _child(element, "StsRsnInf")
    if info is None:
        return "", ""
    code = _text(info, "Rsn", "Cd") or _text(info, "Rsn", "Prtry")
    return code, _text(info, "AddtlInf")


def read_pain002(source: str | Path | IO[bytes], *, known: Container[str] | Callable[[str], bool]) -> StatusReport:
    """Read the report; `known` holds (or tells) the end-to-end ids of the transfers sent."""
    is_known: Callable[[str], bool] = known if callable(known) else known.__contains__
    lines: list[ReturnLine] = []
    header: dict[str, Any] = {"message_id": "", "original_message_id": "", "group_status": "", "group_reason": ""}
    root_seen = False
    try:
        for event, element in iterparse(source, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if name != "Document":
                        raise DomainError(E.RETURN_UNREADABLE)
                continue
            if name == "GrpHdr":
                header["message_id"] = _text(element, "MsgId")
            elif name == "OrgnlGrpInfAndSts":
                header["original_message_id"] = _text(element, "OrgnlMsgId")
                header["group_status"] = _text(element, "GrpSts")
                header["group_reason"] = _reason(element)[0]
            elif name == "TxInfAndSts":
                e2e = _text(element, "OrgnlEndToEndId")
                code, detail = _reason(element)
                lines.append(
                    ReturnLine(
                        end_to_end_id=e2e,
                        status=_text(element, "TxSts"),
                        reason_code=code,
                        reason_fr=reason_label(code, "fr"),
                        reason_ar=reason_label(code, "ar"),
                        known=bool(e2e) and is_known(e2e),
                        detail=detail,
                    )
                )
                element.clear()
    except (ParseError, DefusedXmlException, UnicodeDecodeError) as exc:
        raise DomainError(E.RETURN_UNREADABLE) from exc
    if not root_seen or not (header["original_message_id"] or lines):
        raise DomainError(E.RETURN_UNREADABLE)
    return StatusReport(lines=lines, **header)
