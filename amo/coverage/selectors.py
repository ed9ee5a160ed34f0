"""Reads of coverage: publications and their lines, the rights lookup, a student's whole file,
the hand-over's lines."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from amo.common import clock
from amo.common.text import colon, local_name
from amo.coverage import rules
from amo.coverage.models import HandoverExport, Insured, Letter, LookupLog, Publication, RightsPeriod
from amo.eligibility.models import Reason, Scheme, Verdict
from amo.enrollment.models import RegistrationRequest, Student
from amo.notifications.models import OutboxMessage
from amo.referentials.rules import REGIME_ENDED, regime_ended_problem
from amo.referentials.selectors import parameter_int, regime_end


def publications(entity_ids: list[int] | None) -> QuerySet[Publication]:
    qs = Publication.objects.select_related("legal_entity", "batch")
    return qs if entity_ids is None else qs.filter(legal_entity_id__in=entity_ids)


def student_by_document(number: str) -> Student | None:
    clean = "".join(number.split()).upper()
    return Student.objects.filter(id_number=clean).order_by("id_type").first() if clean else None


def insured_by_document(number: str) -> Insured | None:
    """The insured student of a document number (a CIN), whatever their rights today."""
    clean = "".join(number.split()).upper()
    return Insured.objects.select_related("student").filter(id_number=clean).first() if clean else None


def student_file(student: Student) -> dict[str, Any]:
    """Everything about one student on one page (the call centre's view)."""

    from amo.contributions.selectors import status_of

    requests = list(
        student.requests.select_related("institution", "academic_year", "due__line__transfer")
        .prefetch_related("events")
        .order_by("-submitted_at")
    )
    today = clock.today()
    return {
        "student": student,
        "requests": [(r, status_of(getattr(r, "due", None), today)) for r in requests],
        "verdicts": Verdict.objects.filter(entry__request__student=student)
        .select_related("batch", "entry")
        .order_by("-batch__sent_at"),
        "periods": periods_of(student),
        "emails": OutboxMessage.objects.filter(to__iexact=student.email).order_by("-created_at")[:20]
        if student.email
        else [],
    }


def periods_of(student: Student) -> QuerySet[RightsPeriod]:
    return (
        RightsPeriod.objects.filter(insured__student=student)
        .select_related("institution", "academic_year", "certificate", "insured")
        .prefetch_related("events")
        .order_by("-starts_on")
    )


def handover_exports() -> QuerySet[HandoverExport]:
    return HandoverExport.objects.all()


def lookup_log(id_number: str = "") -> QuerySet[LookupLog]:
    """The rights lookup log, latest first; only one document number's when given."""
    qs = LookupLog.objects.order_by("-at", "-id")
    clean = "".join(id_number.split()).upper()[:20]  # as student_by_document reads a number
    return qs.filter(id_number=clean) if clean else qs


def reason_label(reason: str, scheme: str) -> str:
    label = str(Reason(reason).label) if reason in Reason.values else reason
    if scheme in Scheme.values:
        label = f"{label}{colon()} {Scheme(scheme).label}"
    return label


@dataclass(frozen=True)
class PublicationRow:
    institution_code: str
    institution: str
    last_name: str
    first_name: str
    masked_id: str
    outcome: str
    reason: str
    insured_number: str
    starts_on: dt.date | None
    ends_on: dt.date | None


def publication_rows(publication: Publication, institution_id: int | None = None) -> Iterator[PublicationRow]:
    """The publication's lines, registered first then refused, by institution and name."""
    qs = (
        Verdict.objects.filter(
            batch_id=publication.batch_id, entry__request__institution__legal_entity_id=publication.legal_entity_id
        )
        .select_related("entry__request__student", "entry__request__institution")
        .order_by("-outcome", "entry__request__institution__code", "entry__request__student__last_name", "entry_id")
    )
    if institution_id is not None:
        qs = qs.filter(entry__request__institution_id=institution_id)
    periods = {
        p["request_id"]: p
        for p in RightsPeriod.objects.filter(
            batch_id=publication.batch_id, legal_entity_id=publication.legal_entity_id
        ).values("request_id", "starts_on", "ends_on", "insured__number")
    }
    for v in qs.iterator(chunk_size=2000):
        request = v.entry.request
        student = request.student
        period = periods.get(request.pk)
        yield PublicationRow(
            institution_code=request.institution.code,
            institution=local_name(request.institution),
            last_name=student.last_name,
            first_name=student.first_name,
            masked_id=rules.mask_id(student.id_number),
            outcome=v.outcome,
            reason=reason_label(v.reason, v.scheme) if v.outcome == "refused" else "",
            insured_number=period["insured__number"] if period else "",
            starts_on=period["starts_on"] if period else None,
            ends_on=period["ends_on"] if period else None,
        )


def publication_csv(publication: Publication, institution_id: int | None = None) -> Iterator[str]:
    from amo.common.csvfiles import csv_stream
    from amo.common.csvfiles import neutralise as safe_cell

    columns = [
        _("Institution code"),
        _("Institution"),
        _("Last name"),
        _("First name"),
        _("Document number (masked)"),
        _("Result"),
        _("Reason"),
        _("Insured number"),
        _("Covered from"),
        _("Covered until"),
    ]
    registered, refused = _("Registered"), _("Refused")
    rows = (
        [
            safe_cell(row.institution_code),
            safe_cell(row.institution),
            safe_cell(row.last_name),
            safe_cell(row.first_name),
            row.masked_id,
            registered if row.outcome == "accepted" else refused,
            row.reason,
            row.insured_number,
            row.starts_on.isoformat() if row.starts_on else "",
            row.ends_on.isoformat() if row.ends_on else "",
        ]
        for row in publication_rows(publication, institution_id)
    )
    return csv_stream(columns, rows, bom=True)


def publication_pdf(publication: Publication, institution_id: int | None = None) -> bytes:
    from amo.documents.services import render_pdf

    rows = list(publication_rows(publication, institution_id))
    institution = None
    if institution_id is not None:
        from amo.organisations.models import Institution

        institution = Institution.objects.filter(pk=institution_id).first()
    return render_pdf(
        "coverage/publication_pdf.html",
        {
            "publication": publication,
            "institution": institution,
            "registered": [r for r in rows if r.outcome == "accepted"],
            "refused": [r for r in rows if r.outcome == "refused"],
        },
    )


# ----------------------------------------------------------------------------------------------
# Lookup by CIN (providers, call centre) and the student's whole file.


@dataclass(frozen=True)
class Lookup:
    id_number: str
    on: dt.date
    covered: bool
    since: dt.date | None
    until: dt.date | None
    institution_fr: str
    institution_ar: str
    status: str
    # Law 54.23: "regime_ended" once the regime's last day (ended_on) has passed, or when the
    # rights found end with it; "" otherwise.
    reason: str = ""
    ended_on: dt.date | None = None


LOOKUP_SQL = (
    "SELECT p.starts_on, p.ends_on, p.status, p.suspensions, p.closed_on, p.maintained_until, "
    "inst.name_fr, inst.name_ar FROM coverage_insured i "
    "JOIN coverage_rightsperiod p ON p.insured_id = i.id "
    "JOIN organisations_institution inst ON inst.id = p.institution_id "
    "WHERE i.id_number = %s ORDER BY p.starts_on"
)


def rights_lookup(*, id_number: str, on: dt.date) -> Lookup:
    """Covered or not on a date and, only when covered, since when (over renewed periods without
    a gap), until when, through which institution: outside a period the answer is "not covered"
    and nothing more. One query: this is the providers' hot path."""
    number = "".join(id_number.split()).upper()
    end = regime_end(on)
    if regime_ended_problem(on, end):
        # The same answer for every number (it tells nothing of a person): nobody is covered by
        # the student regime after its last day; care received until then stays payable.
        return Lookup(number, on, False, None, None, "", "", "", REGIME_ENDED, end)
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP_SQL, [number])
        rows = cursor.fetchall()
    facts = [(rules.PeriodFacts(r[0], r[1], r[2], r[3], r[4], r[5]), r[6], r[7]) for r in rows]
    for p, name_fr, name_ar in facts:
        if rules.covered_on(p, on):
            since = rules.covered_since([f[0] for f in facts], on)
            until = rules.covered_until(p)
            with_regime = (REGIME_ENDED, end) if until == end else ("", None)
            return Lookup(number, on, True, since, until, name_fr, name_ar, p.status, *with_regime)
    return Lookup(number, on, False, None, None, "", "", "")


# A lookup is a consultation of personal data (law 09-08): each one is logged, and an account
# may make at most settings.COVERAGE_LOOKUPS_PER_MINUTE in any minute. The log is kept


HANDOVER_COLUMNS = [
    "id_type",
    "id_number",
    "massar",
    "last_name",
    "first_name",
    "last_name_ar",
    "first_name_ar",
    "birth_date",
    "sex",
    "nationality",
    "email",
    "phone",
    "rib",
    "academic_year",
    "institution_code",
    "registration_status",
    "contribution",
    "anam_outcome",
    "anam_reason",
    "insured_number",
    "rights_status",
    "covered_from",
    "covered_until",
    # Law 54.23: where the student goes once the regime ends, and why (rules.destination_after_regime).
    "destination",
    "destination_reason",
]


def handover_rows() -> Iterator[list[Any]]:
    """Every student's file, one line per academic year: identity, institution, request status,
    contribution, last ANAM verdict and rights (law 54.23 hand-over). One query, streamed."""
    from django.db.models import OuterRef, Subquery

    from amo.contributions.rules import contribution_status

    today = clock.today()
    last_verdict = Verdict.objects.filter(entry__request=OuterRef("pk")).order_by("-entry_id")
    qs = (
        RegistrationRequest.objects.annotate(
            anam_outcome=Subquery(last_verdict.values("outcome")[:1]),
            anam_reason=Subquery(last_verdict.values("reason")[:1]),
        )
        .order_by("id")
        .values_list(
            "student__id_type",
            "student__id_number",
            "student__massar",
            "student__last_name",
            "student__first_name",
            "student__last_name_ar",
            "student__first_name_ar",
            "student__birth_date",
            "student__sex",
            "student__nationality",
            "student__email",
            "student__phone",
            "student__rib",
            "academic_year__code",
            "institution__code",
            "status",
            "due__kind",
            "due__line__transfer__status",
            "due__due_on",
            "anam_outcome",
            "anam_reason",
            "rights__insured__number",
            "rights__status",
            "rights__starts_on",
            "rights__ends_on",
            "rights__suspensions",
            "rights__closed_on",
            "rights__maintained_until",
            "institution__category__age_limit_exempt",
        )
    )
    regime_ends_on = regime_end(today)
    dependant_limit = parameter_int("dependant_age_limit_years", regime_ends_on)
    yield HANDOVER_COLUMNS
    for row in qs.iterator(chunk_size=5000):
        identity, (kind, transfer, due_on), verdict = row[:16], row[16:19], row[19:21]
        number, status, starts, ends, suspensions, closed, maintained, no_age_limit = row[21:]
        going = rules.destination_after_regime(
            rules.HandoverFacts(birth_date=identity[7], state_paid=kind == "exempt", age_limit_exempt=no_age_limit),
            regime_ends_on,
            dependant_limit,
        )
        until = (
            rules.covered_until(rules.PeriodFacts(starts, ends, status, suspensions, closed, maintained))
            if starts
            else None
        )
        yield [
            *[v.isoformat() if isinstance(v, dt.date) else v for v in identity],
            contribution_status(kind, transfer, due_on, today) if kind else "not_computed",
            verdict[0] or "",
            verdict[1] or "",
            number or "",
            status or "",
            starts.isoformat() if starts else "",
            until.isoformat() if until else "",
            going.destination,
            going.reason,
        ]


# ----------------------------------------------------------------------------------------------
# Letters to students without e-mail (issue 13, rule 4).


def letters_waiting() -> QuerySet[Letter]:
    """The letters not yet printed and sent: the dashboard's count is this queryset's."""
    return Letter.objects.filter(printed_at__isnull=True)


@dataclass(frozen=True)
class LettersOfInstitution:
    institution_id: int
    code: str
    name_fr: str
    name_ar: str
    waiting: int
    rights_opened: int
    closure_notices: int
    in_pdf: int


def letters_by_institution() -> list[LettersOfInstitution]:
    """Per institution, the letters waiting (by kind) and how many are already in its PDF."""
    rows = (
        letters_waiting()
        .values("institution_id", "institution__code", "institution__name_fr", "institution__name_ar")
        .annotate(
            waiting=Count("id"),
            rights_opened=Count("id", filter=Q(kind="rights_opened")),
            closure_notices=Count("id", filter=Q(kind="closure_notice")),
            in_pdf=Count("id", filter=Q(document__isnull=False)),
        )
        .order_by("institution__code")
    )
    return [
        LettersOfInstitution(
            institution_id=r["institution_id"],
            code=r["institution__code"],
            name_fr=r["institution__name_fr"],
            name_ar=r["institution__name_ar"],
            waiting=r["waiting"],
            rights_opened=r["rights_opened"],
            closure_notices=r["closure_notices"],
            in_pdf=r["in_pdf"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class RightsOn:
    """A student's rights on one day, as care files need them: covered or not (a maintained
    period counts as covered, a suspended or closed one does not), and where the student's care
    files are deposited (the channel of the institution of their latest period)."""

    covered: bool
    deposit_channel: str


def rights_of_student_on(student_id: int, on: dt.date) -> RightsOn:
    periods = list(
        RightsPeriod.objects.filter(insured__student_id=student_id)
        .select_related("institution__category__channel")
        .order_by("-starts_on")
    )
    covered = any(
        rules.covered_on(
            rules.PeriodFacts(p.starts_on, p.ends_on, p.status, p.suspensions, p.closed_on, p.maintained_until), on
        )
        for p in periods
    )
    channel = periods[0].institution.category.channel.deposit_channel if periods else ""
    return RightsOn(covered=covered, deposit_channel=channel)
