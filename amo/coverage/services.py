"""Rights of insured students: opened from ANAM's accepted verdicts, announced with a coverage
certificate, published per legal entity, then kept true over time (suspension, closure after a
notice, maintenance, expiry, renewal) and read by providers and the call centre."""

import csv
import datetime as dt
import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.services import audit_record
from amo.common.text import colon
from amo.coverage import rules
from amo.coverage.errors import CoverageError as E
from amo.coverage.models import (
    ClosureReason,
    HandoverExport,
    LookupLog,
    Publication,
    RightsEvent,
    RightsEventKind,
    RightsPeriod,
    RightsStatus,
)
from amo.documents.services import both_languages, document_issue
from amo.eligibility.models import CheckBatch, Reason, Scheme, Verdict
from amo.enrollment.models import RegistrationRequest, RegistrationStatus
from amo.enrollment.services import bulk_timeline_events, notify_student, timeline_event
from amo.notifications.services import email_queue
from amo.referentials.selectors import parameter_date, parameter_int


def rights_open_for_batch(*, batch: CheckBatch) -> int:
    """Open the rights of every accepted student of a batch, set-based (called inside the
    transaction that applies the verdicts). Returns the number of periods opened."""
    today = clock.today()
    year = batch.academic_year
    starts, ends = rules.period_bounds(
        year.starts_on, year.ends_on, today, parameter_int("coverage_max_months", year.starts_on)
    )
    now = clock.now()
    # New insured, in one statement: the number derives from the student's id (rules.insured_number,
    # written here in each database's SQL).
    if connection.vendor == "postgresql":
        number = "'AE' || lpad(s.id::text, 9, '0') || lpad((98 - (s.id::bigint * 100) %% 97)::text, 2, '0')"
    else:
        number = "'AE' || substr('000000000' || s.id, -9, 9) || substr('00' || (98 - (s.id * 100) %% 97), -2, 2)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO coverage_insured (student_id, number, id_number, created_at) "
            f"SELECT DISTINCT s.id, {number}, s.id_number, %s "
            "FROM eligibility_checkentry e JOIN eligibility_verdict v ON v.entry_id = e.id "
            "JOIN enrollment_registrationrequest r ON r.id = e.request_id "
            "JOIN enrollment_student s ON s.id = r.student_id "
            "WHERE v.batch_id = %s AND v.outcome = 'accepted' "
            "AND NOT EXISTS (SELECT 1 FROM coverage_insured i WHERE i.student_id = s.id)",
            [now, batch.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO coverage_rightsperiod (insured_id, request_id, institution_id, legal_entity_id, "
            "academic_year_id, starts_on, ends_on, status, suspensions, notice_reason, opened_at, batch_id) "
            "SELECT i.id, r.id, r.institution_id, inst.legal_entity_id, r.academic_year_id, %s, %s, 'open', '', '', "
            "%s, %s FROM eligibility_checkentry e JOIN eligibility_verdict v ON v.entry_id = e.id "
            "JOIN enrollment_registrationrequest r ON r.id = e.request_id "
            "JOIN organisations_institution inst ON inst.id = r.institution_id "
            "JOIN coverage_insured i ON i.student_id = r.student_id "
            "WHERE v.batch_id = %s AND v.outcome = 'accepted' "
            "AND NOT EXISTS (SELECT 1 FROM coverage_rightsperiod p WHERE p.request_id = r.id)",
            [starts, ends, now, batch.pk, batch.pk],
        )
        opened = int(cursor.rowcount)
        cursor.execute(
            "INSERT INTO coverage_rightsevent (period_id, kind, effective_on, at, reason, comment, actor_id) "
            "SELECT id, 'opened', starts_on, %s, '', '', NULL FROM coverage_rightsperiod WHERE batch_id = %s",
            [now, batch.pk],
        )
    RegistrationRequest.objects.filter(rights__batch_id=batch.pk).update(status=RegistrationStatus.INSURED)
    bulk_timeline_events(
        "id IN (SELECT request_id FROM coverage_rightsperiod WHERE batch_id = %s)",
        [batch.pk],
        RegistrationStatus.INSURED,
        None,
    )
    return opened


# ----------------------------------------------------------------------------------------------
# After a batch: certificates and e-mails to students, publication lists to legal entities.


def _certificate_title(number: str) -> str:
    return f"{_('Coverage certificate')} {number}"


def certificate_issue(*, period: RightsPeriod) -> Any:
    """The coverage certificate (bilingual PDF with its verification code), issued once."""
    if period.certificate_id:
        return period.certificate
    with transaction.atomic():
        period = (
            RightsPeriod.objects.select_for_update(of=("self",))
            .select_related("insured__student", "institution", "academic_year", "legal_entity", "certificate")
            .get(pk=period.pk)
        )
        if period.certificate_id:  # issued meanwhile by another request or the worker
            return period.certificate
        return _certificate_render(period)


def _certificate_render(period: RightsPeriod) -> Any:
    student = period.insured.student
    with translation.override("fr"):
        period.certificate = document_issue(
            kind="coverage_certificate",
            template="coverage/certificate.html",
            context={"period": period, "student": student, "insured": period.insured},
            title=both_languages(partial(_certificate_title, period.insured.number)),
            holder=f"{student.last_name} {student.first_name}",
            obj=period,
        )
    period.save(update_fields=["certificate"])
    return period.certificate


def _reason_label(reason: str, scheme: str) -> str:
    label = str(Reason(reason).label) if reason in Reason.values else reason
    if scheme in Scheme.values:
        label = f"{label}{colon()} {Scheme(scheme).label}"
    return label


class _Detail:
    """A reason rendered lazily, in the language the e-mail is written in."""

    def __init__(self, reason: str, scheme: str) -> None:
        self.reason, self.scheme = reason, scheme

    def __str__(self) -> str:
        return _reason_label(self.reason, self.scheme)


def students_notify(*, batch_id: int, chunk: int = 200) -> int:
    """E-mail each student of an applied batch: rights opened (French and Arabic, with the
    certificate) or refused with the reason. Each verdict is claimed before its e-mail is
    written, in the same transaction, so two workers never announce it twice; a student whose
    certificate fails is logged and left for the next run, the others go on."""
    import logging

    done, last = 0, 0
    while True:
        verdicts = list(
            Verdict.objects.filter(batch_id=batch_id, notified=False, entry_id__gt=last)
            .select_related("entry__request__student__user", "entry__request__academic_year")
            .order_by("entry_id")[:chunk]
        )
        if not verdicts:
            return done
        for verdict in verdicts:
            last = verdict.entry_id
            try:
                with transaction.atomic():
                    if not Verdict.objects.filter(pk=verdict.pk, notified=False).update(notified=True):
                        continue  # another worker announced it
                    _announce(verdict)
            except Exception:  # one student's failure must not stop the batch's other e-mails
                logging.getLogger(__name__).exception("verdict %s not announced", verdict.pk)
                continue
            done += 1


def _announce(verdict: Verdict) -> None:
    request = verdict.entry.request
    if verdict.outcome != "accepted":
        notify_student(request, detail=_Detail(verdict.reason, verdict.scheme))
        return
    period = RightsPeriod.objects.filter(request=request).first()
    if period is None:
        return
    document = certificate_issue(period=period)
    if request.student.email:
        email_queue(
            to=request.student.email,
            template="coverage/email/rights_opened",
            context={"period": period, "student": request.student, "insured": period.insured},
            language="fr",
            attachment=document,
        )


def publications_create(*, batch_id: int) -> list[Publication]:
    """One publication list per legal entity of the batch, e-mailed to its agents."""
    from amo.accounts.models import Membership, Role

    batch = CheckBatch.objects.get(pk=batch_id)
    counts: dict[int, dict[str, int]] = {}
    for entity_id, outcome, n in _entity_outcomes(batch):
        counts.setdefault(entity_id, {"accepted": 0, "refused": 0})[outcome] = n
    created = []
    for entity_id, c in sorted(counts.items()):
        with transaction.atomic():
            publication, new = Publication.objects.get_or_create(
                legal_entity_id=entity_id,
                batch=batch,
                defaults={
                    "number": f"PUB-{batch.number}-{entity_id:05d}",
                    "registered": c["accepted"],
                    "refused": c["refused"],
                },
            )
            if new:
                agents = Membership.objects.filter(
                    role=Role.LEGAL_ENTITY_AGENT, legal_entity_id=entity_id, is_active=True, user__is_active=True
                ).select_related("user")
                for m in agents:
                    email_queue(
                        to=m.user.email,
                        template="coverage/email/publication",
                        context={"publication": publication},
                        language=getattr(m.user, "preferred_language", "") or "fr",
                    )
                publication.sent_at = clock.now()
                publication.save(update_fields=["sent_at"])
                created.append(publication)
    return created


def _entity_outcomes(batch: CheckBatch) -> list[tuple[int, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inst.legal_entity_id, v.outcome, COUNT(*) FROM eligibility_verdict v "
            "JOIN eligibility_checkentry e ON e.id = v.entry_id "
            "JOIN enrollment_registrationrequest r ON r.id = e.request_id "
            "JOIN organisations_institution inst ON inst.id = r.institution_id "
            "WHERE v.batch_id = %s GROUP BY inst.legal_entity_id, v.outcome",
            [batch.pk],
        )
        return [(int(a), str(b), int(c)) for a, b, c in cursor.fetchall()]


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
            institution=request.institution.name_fr,
            last_name=student.last_name,
            first_name=student.first_name,
            masked_id=rules.mask_id(student.id_number),
            outcome=v.outcome,
            reason=_reason_label(v.reason, v.scheme) if v.outcome == "refused" else "",
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


def after_batch_now(*, batch_id: int) -> None:
    publications_create(batch_id=batch_id)
    students_notify(batch_id=batch_id)


# ----------------------------------------------------------------------------------------------
# Rights over time.


def _move(
    period: RightsPeriod,
    status: str,
    kind: str,
    on: dt.date,
    actor: ActingUser = None,
    reason: str = "",
    comment: str = "",
    detail: Any = "",
) -> RightsPeriod:
    """Change a period's status with its event, the request's timeline and an e-mail."""
    period.status = status
    period.save()
    RightsEvent.objects.create(
        period=period,
        kind=kind,
        effective_on=on,
        reason=reason,
        comment=comment[:2000],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    request = period.request
    request.status = rules.REQUEST_STATUS[status]
    request.save(update_fields=["status"])
    timeline_event(request, request.status, actor, reason=reason, comment=comment[:2000])
    notify_student(request, detail=detail)
    return period


def _locked(period: RightsPeriod) -> RightsPeriod:
    return (
        RightsPeriod.objects.select_for_update(of=("self",)).select_related("request__student__user").get(pk=period.pk)
    )


@transaction.atomic
def rights_suspend_or_resume(*, period: RightsPeriod, contribution: str, today: dt.date) -> RightsPeriod | None:
    period = _locked(period)
    target = rules.follow_contribution(period.status, contribution)
    if target == rules.SUSPENDED:
        period.suspensions = rules.suspend(period.suspensions, today)
        return _move(
            period, RightsStatus.SUSPENDED, RightsEventKind.SUSPENDED, today, detail=_("contribution not received")
        )
    if target == rules.OPEN:
        period.suspensions = rules.resume(period.suspensions, today)
        return _move(period, RightsStatus.OPEN, RightsEventKind.RESUMED, today, detail=_("contribution received"))
    return None


def rights_follow_contributions(*, today: dt.date | None = None) -> int:
    """Suspend open rights whose due is found unpaid; reopen them once it is received."""
    from amo.contributions.selectors import status_of

    today = today or clock.today()
    changed = 0
    candidates = RightsPeriod.objects.filter(status__in=(RightsStatus.OPEN, RightsStatus.SUSPENDED)).filter(
        Q(status=RightsStatus.SUSPENDED)
        | Q(request__due__isnull=True)
        | (Q(request__due__kind="due") & ~Q(request__due__line__transfer__status__in=("received", "overpaid")))
    )
    for period in candidates.select_related("request__due__line__transfer").iterator(chunk_size=2000):
        due = getattr(period.request, "due", None)
        if rights_suspend_or_resume(period=period, contribution=status_of(due, today), today=today):
            changed += 1
    return changed


def rights_report_other_coverage(*, report_table: str, actor: ActingUser = None) -> int:
    """ANAM's update reports persons newly covered elsewhere (a table of document numbers and,
    when known, birth dates): each insured student with open or suspended rights among them, of
    the same birth date, gets a notice (registered letter) and closure_notice_days to prove
    otherwise. A period whose status has moved on meanwhile is left as it is."""
    today = clock.today()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM coverage_rightsperiod p "
            "JOIN coverage_insured i ON i.id = p.insured_id "
            "JOIN enrollment_student st ON st.id = i.student_id "
            "WHERE p.status IN ('open', 'suspended') AND EXISTS "
            f"(SELECT 1 FROM {report_table} x WHERE x.id_number = i.id_number "
            "AND (x.birth_date IS NULL OR x.birth_date = st.birth_date))"
        )
        ids = [row[0] for row in cursor.fetchall()]
    done = 0
    for period in RightsPeriod.objects.filter(pk__in=ids).iterator(chunk_size=2000):
        try:
            rights_notice(period=period, reason=ClosureReason.OTHER_COVERAGE_REGISTRY, actor=actor, today=today)
        except DomainError:
            continue
        done += 1
    return done


@transaction.atomic
def rights_notice(
    *, period: RightsPeriod, reason: str, actor: ActingUser = None, comment: str = "", today: dt.date | None = None
) -> RightsPeriod:
    today = today or clock.today()
    period = _locked(period)
    if period.status not in (RightsStatus.OPEN, RightsStatus.SUSPENDED):
        raise DomainError(E.NOT_OPEN)
    period.notice_reason = reason
    period.notice_on = today
    days = parameter_int("closure_notice_days", today)
    period.notice_until = rules.notice_deadline(today, days)
    return _move(
        period,
        RightsStatus.NOTICE,
        RightsEventKind.NOTICE,
        today,
        actor,
        reason,
        comment,
        detail=_NoticeDetail(reason, today + dt.timedelta(days=days)),
    )


class _NoticeDetail:
    def __init__(self, reason: str, deadline: dt.date) -> None:
        self.reason, self.deadline = reason, deadline

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return _("%(reason)s. Without a proof of the contrary by %(deadline)s, your rights will be closed.") % {
            "reason": ClosureReason(self.reason).label,
            "deadline": date_format(self.deadline, "SHORT_DATE_FORMAT"),
        }


@transaction.atomic
def rights_proof_received(*, period: RightsPeriod, actor: ActingUser, comment: str = "") -> RightsPeriod:
    """CNOPS received the student's proof: the notice is lifted, rights go on."""
    period = _locked(period)
    if period.status != RightsStatus.NOTICE:
        raise DomainError(E.NO_NOTICE)
    period.notice_reason = ""
    period.notice_on = None
    period.notice_until = None
    status = (
        RightsStatus.SUSPENDED
        if rules.parse_suspensions(period.suspensions)[-1:]
        and rules.parse_suspensions(period.suspensions)[-1][1] is None
        else RightsStatus.OPEN
    )
    period = _move(
        period, status, RightsEventKind.PROOF, clock.today(), actor, "proof", comment, detail=_("proof received")
    )
    audit_record(actor=actor, action="rights_proof", obj=period, after={"status": period.status})
    return period


@transaction.atomic
def rights_close(
    *, period: RightsPeriod, actor: ActingUser = None, reason: str = "", today: dt.date | None = None
) -> RightsPeriod:
    """Close now, rights maintained maintenance_months (law 65-00 art. 34)."""
    today = today or clock.today()
    period = _locked(period)
    if period.status not in (RightsStatus.OPEN, RightsStatus.SUSPENDED, RightsStatus.NOTICE):
        raise DomainError(E.NOT_OPEN)
    period.closed_on = today
    period.maintained_until = rules.maintenance_end(today, parameter_int("maintenance_months", today))
    reason = reason or period.notice_reason
    period.notice_reason = reason
    label = ClosureReason(reason).label if reason in ClosureReason.values else ""
    return _move(
        period,
        RightsStatus.CLOSED,
        RightsEventKind.CLOSED,
        today,
        actor,
        reason,
        detail=_ClosedDetail(label, period.maintained_until),
    )


class _ClosedDetail:
    def __init__(self, label: Any, until: dt.date) -> None:
        self.label, self.until = label, until

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return _("%(reason)s. Your rights are maintained until %(until)s.") % {
            "reason": self.label,
            "until": date_format(self.until, "SHORT_DATE_FORMAT"),
        }


def rights_student_reports_coverage(*, actor: ActingUser, period: RightsPeriod) -> RightsPeriod:
    """The student declares another coverage: no notice is needed, rights close now."""
    return rights_close(period=period, actor=actor, reason=ClosureReason.OTHER_COVERAGE_STUDENT)


def rights_studies_stopped(*, actor: ActingUser, period: RightsPeriod, comment: str = "") -> RightsPeriod:
    """The institution reports the student stopped studying: notice, then closure."""
    return rights_notice(period=period, reason=ClosureReason.STUDIES_STOPPED, actor=actor, comment=comment)


def _close_after_notice(period: RightsPeriod, today: dt.date) -> bool:
    """Close a period whose notice ran out, if it is still under notice once locked (a proof may
    have come in since the daily pass read it)."""
    with transaction.atomic():
        period = _locked(period)
        if period.status != RightsStatus.NOTICE or period.notice_until is None or period.notice_until > today:
            return False
        rights_close(period=period, today=today)
        return True


def _expire(period: RightsPeriod, today: dt.date) -> bool:
    """Expire a period past its end, if it is still open, suspended or under notice once locked
    (a period closed meanwhile keeps its maintained rights)."""
    with transaction.atomic():
        period = _locked(period)
        if period.status not in rules.EXPIRABLE or period.ends_on >= today:
            return False
        _move(
            period,
            RightsStatus.EXPIRED,
            RightsEventKind.EXPIRED,
            period.ends_on,
            detail=_("end of the coverage period"),
        )
        return True


def rights_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily pass (`manage.py coverage_daily`): contributions, notices past the deadline the
    student was given, periods at their end, and the hand-over export once the regime has ended.
    Each period is checked again once locked: the pass may run while students and agents act."""
    today = today or clock.today()
    figures = {"suspended_or_resumed": rights_follow_contributions(today=today), "closed": 0, "expired": 0}
    # A notice still running at the period's end: the period expires (no maintenance is added
    # after the academic year); one whose deadline came first closes.
    for period in RightsPeriod.objects.filter(status__in=rules.EXPIRABLE, ends_on__lt=today).iterator(chunk_size=2000):
        figures["expired"] += _expire(period, today)
    for period in RightsPeriod.objects.filter(status=RightsStatus.NOTICE, notice_until__lte=today).iterator(
        chunk_size=2000
    ):
        figures["closed"] += _close_after_notice(period, today)
    end = parameter_date("regime_end_date", today)
    figures["handover"] = 0
    if today > end and not HandoverExport.objects.exists():
        figures["handover"] = handover_export(actor=None).rows
    figures["lookups_purged"] = lookup_log_purge(today=today)
    return figures


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
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP_SQL, [number])
        rows = cursor.fetchall()
    facts = [(rules.PeriodFacts(r[0], r[1], r[2], r[3], r[4], r[5]), r[6], r[7]) for r in rows]
    for p, name_fr, name_ar in facts:
        if rules.covered_on(p, on):
            since = rules.covered_since([f[0] for f in facts], on)
            return Lookup(number, on, True, since, rules.covered_until(p), name_fr, name_ar, p.status)
    return Lookup(number, on, False, None, None, "", "", "")


# A lookup is a consultation of personal data (law 09-08): each one is logged, and an account
# may make at most settings.COVERAGE_LOOKUPS_PER_MINUTE in any minute. The log is kept
# LOOKUP_LOG_RETENTION_DAYS, then deleted by the daily pass (README: Rights lookup log).
LOOKUP_WINDOW = dt.timedelta(minutes=1)
LOOKUP_LOG_RETENTION_DAYS = 365


def rights_lookup_logged(*, actor: ActingUser, id_number: str, on: dt.date, channel: str) -> Lookup:
    """A lookup made by an account (page or API): refused beyond the account's rate, logged with
    who asked, which number, for which day, and the answer."""
    now = clock.now()
    limit = int(getattr(settings, "COVERAGE_LOOKUPS_PER_MINUTE", 60))
    # Counted up to the limit only: at a provider's full rate the window holds thousands of rows.
    # 0 means no limit here (a deployment that limits the rate in front of the platform).
    if limit and LookupLog.objects.filter(user=actor, at__gt=now - LOOKUP_WINDOW).order_by()[:limit].count() >= limit:
        raise DomainError(E.LOOKUP_RATE)
    found = rights_lookup(id_number=id_number, on=on)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Committed without waiting for the disk: the log row is a lookup's only write, and a
            # crash of the database server may lose its last fraction of a second of entries, never
            # a state (decision 0007, addendum: 919 -> 1,204 lookups/s).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        LookupLog.objects.create(
            at=now,
            user=actor,
            user_email=getattr(actor, "email", "")[:254],
            id_number=found.id_number[:20],
            on=on,
            covered=found.covered,
            channel=channel,
        )
    return found


def lookup_log_purge(*, today: dt.date) -> int:
    """Delete the log's entries older than the retention period (the only deletion it knows)."""
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=LOOKUP_LOG_RETENTION_DAYS), dt.time()))
    deleted, _by_model = LookupLog.objects.filter(at__lt=cutoff).delete()
    return deleted


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
        )
    )
    yield HANDOVER_COLUMNS
    for row in qs.iterator(chunk_size=5000):
        identity, (kind, transfer, due_on), verdict = row[:16], row[16:19], row[19:21]
        number, status, starts, ends, suspensions, closed, maintained = row[21:]
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
        ]


def handover_export(*, actor: ActingUser) -> HandoverExport:
    """Write the hand-over file (CSV, gzip) through a temporary file: memory stays flat."""
    import tempfile

    from django.core.files import File

    from amo.common.csvfiles import neutralise as safe_cell

    rows = -1
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb") as gz:
            text = io.TextIOWrapper(gz, encoding="utf-8", newline="")
            writer = csv.writer(text, delimiter=";")
            # Text is neutralised against spreadsheet formulas, except the phone: validated, it
            # is "+212…" or "0…" and must reach the system that takes over as it is.
            verbatim = {HANDOVER_COLUMNS.index("phone")}
            for row in handover_rows():
                writer.writerow(
                    [safe_cell(v) if isinstance(v, str) and i not in verbatim else v for i, v in enumerate(row)]
                )
                rows += 1
            text.flush()
            text.detach()
        raw.seek(0)
        while chunk := raw.read(1 << 20):
            digest.update(chunk)
        raw.seek(0)
        export = HandoverExport(
            rows=rows, sha256=digest.hexdigest(), created_by=actor if getattr(actor, "pk", None) else None
        )
        export.file.save(f"handover-{clock.today().isoformat()}.csv.gz", File(raw), save=False)
    export.save()
    audit_record(actor=actor, action="handover_export", obj=export, after={"rows": rows})
    return export
