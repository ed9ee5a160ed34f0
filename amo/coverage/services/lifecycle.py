"""The rights over time: opened from ANAM's accepted verdicts, suspended and resumed with the
contribution, closed after a notice or at once, maintained, expired. Each change goes through
rules.TRANSITIONS and writes its event, its audit row and, through enrollment, the request's
status and timeline."""

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser
from amo.common import clock
from amo.common.errors import DomainError, ErrorCode
from amo.common.services import audit_record, audit_record_set
from amo.coverage import rules
from amo.coverage.errors import CoverageError as E
from amo.coverage.models import (
    ClosureReason,
    HandoverExport,
    LetterKind,
    RightsEvent,
    RightsEventKind,
    RightsPeriod,
    RightsStatus,
)
from amo.coverage.services.handover import handover_export
from amo.coverage.services.letters import letter_record
from amo.coverage.services.lookup import lookup_log_purge
from amo.eligibility.models import CheckBatch
from amo.enrollment.models import RegistrationRequest, RegistrationStatus, Student
from amo.enrollment.services import registration_move, registrations_move
from amo.referentials.rules import REGIME_ENDED
from amo.referentials.selectors import parameter_int, regime_end


def rights_open_for_batch(*, batch: CheckBatch) -> int:
    """Open the rights of every accepted student of a batch, set-based (called inside the
    transaction that applies the verdicts). Returns the number of periods opened."""
    today = clock.today()
    year = batch.academic_year
    starts, ends = rules.period_bounds(
        year.starts_on,
        year.ends_on,
        today,
        parameter_int("coverage_max_months", year.starts_on),
        regime_end(today),
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
            "SELECT i.id, r.id, r.institution_id, inst.legal_entity_id, r.academic_year_id, %s, %s, %s, '', '', "
            "%s, %s FROM eligibility_checkentry e JOIN eligibility_verdict v ON v.entry_id = e.id "
            "JOIN enrollment_registrationrequest r ON r.id = e.request_id "
            "JOIN organisations_institution inst ON inst.id = r.institution_id "
            "JOIN coverage_insured i ON i.student_id = r.student_id "
            "WHERE v.batch_id = %s AND v.outcome = 'accepted' "
            "AND NOT EXISTS (SELECT 1 FROM coverage_rightsperiod p WHERE p.request_id = r.id)",
            [starts, ends, RightsStatus.OPEN, now, batch.pk, batch.pk],
        )
        opened = int(cursor.rowcount)
        cursor.execute(
            "INSERT INTO coverage_rightsevent (period_id, kind, effective_on, at, reason, comment, actor_id) "
            "SELECT id, %s, starts_on, %s, '', '', NULL FROM coverage_rightsperiod WHERE batch_id = %s",
            [RightsEventKind.OPENED, now, batch.pk],
        )
    audit_record_set(
        actor=None,
        action="rights_open",
        objects=RightsPeriod.objects.filter(batch_id=batch.pk),
        before={},
        after={"status": RightsStatus.OPEN, "batch": batch.pk},
    )
    registrations_move(
        actor=None,
        requests=RegistrationRequest.objects.filter(rights__batch_id=batch.pk),
        target=RegistrationStatus.INSURED,
        action="registration_insured",
    )
    return opened


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
    action: str = "",
) -> RightsPeriod:
    """Change a period's status through rules.TRANSITIONS (else a coded refusal), with its event
    and audit row; enrollment moves the request with it (its timeline, its audit row, the
    student's e-mail)."""
    before = period.status
    if not rules.can_transition(before, status):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
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
    audit_record(
        actor=actor,
        action=action or f"rights_{kind}",
        obj=period,
        before={"status": before},
        after={"status": status},
        reason=f"{reason} {comment}".strip(),
    )
    registration_move(
        actor=actor,
        request=period.request,
        target=rules.REQUEST_STATUS[status],
        reason=reason,
        comment=comment,
        detail=detail,
    )
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


def rights_report_other_coverage(*, students: QuerySet[Student], actor: ActingUser = None) -> int:
    """ANAM's update reports persons newly covered elsewhere (eligibility gives the students of the
    same document number and, when known, birth date): each of them with open or suspended rights
    gets a notice (registered letter) and closure_notice_days to prove otherwise. A period whose
    status has moved on meanwhile is left as it is."""
    today = clock.today()
    ids = list(
        RightsPeriod.objects.filter(
            status__in=rules.sources_of(RightsStatus.NOTICE), insured__student__in=students
        ).values_list("id", flat=True)
    )
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
    if not rules.can_transition(period.status, RightsStatus.NOTICE):
        raise DomainError(E.NOT_OPEN)
    period.notice_reason = reason
    period.notice_on = today
    days = parameter_int("closure_notice_days", today)
    period.notice_until = rules.notice_deadline(today, days)
    # The notice is the registered letter of DOMAIN.md §6; a student without e-mail gets it on paper
    # only, printed by CNOPS with its institution's letters (issue 13, rule 4).
    letter_record(period=period, kind=LetterKind.CLOSURE_NOTICE)
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
    return _move(
        period,
        status,
        RightsEventKind.PROOF,
        clock.today(),
        actor,
        "proof",
        comment,
        detail=_("proof received"),
        action="rights_proof",
    )


@transaction.atomic
def rights_close(
    *, period: RightsPeriod, actor: ActingUser = None, reason: str = "", today: dt.date | None = None
) -> RightsPeriod:
    """Close now, rights maintained maintenance_months (law 65-00 art. 34)."""
    today = today or clock.today()
    period = _locked(period)
    if not rules.can_transition(period.status, RightsStatus.CLOSED):
        raise DomainError(E.NOT_OPEN)
    period.closed_on = today
    # Maintained, but never past the regime's last day (law 54.23).
    period.maintained_until = min(
        rules.maintenance_end(today, parameter_int("maintenance_months", today)), regime_end(today)
    )
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
        with_regime = period.ends_on == regime_end(today)
        _move(
            period,
            RightsStatus.EXPIRED,
            RightsEventKind.EXPIRED,
            period.ends_on,
            reason=REGIME_ENDED if with_regime else "",
            detail=_("end of the student regime (law 54.23)") if with_regime else _("end of the coverage period"),
        )
        return True


def rights_end_with_regime(*, today: dt.date) -> int:
    """Law 54.23: no rights run past the regime's last day. A period (or the maintenance of a
    closed one) that reaches past it ends on it, with a REGIME_END event the student's file and
    the lookup show; the daily pass then expires it as any period at its end. Set-based and
    idempotent: run every day, it follows an end date brought forward (one put back does not
    lengthen a period already cut: its REGIME_END event says when)."""
    end = regime_end(today)
    later_end = RightsPeriod.objects.filter(ends_on__gt=end, starts_on__lte=end)
    later_maintenance = RightsPeriod.objects.filter(maintained_until__gt=end)
    ids = sorted(set(later_end.values_list("id", flat=True)) | set(later_maintenance.values_list("id", flat=True)))
    if not ids:
        return 0
    with transaction.atomic():
        for chunk in range(0, len(ids), 2000):
            RightsEvent.objects.bulk_create(
                RightsEvent(period_id=pk, kind=RightsEventKind.REGIME_END, effective_on=end, reason=REGIME_ENDED)
                for pk in ids[chunk : chunk + 2000]
            )
        audit_record_set(
            actor=None,
            action="rights_regime_end",
            objects=RightsPeriod.objects.filter(pk__in=ids),
            before={"ends_on": "ends_on", "maintained_until": "maintained_until"},
            after={"ends_on": end.isoformat(), "reason": REGIME_ENDED},
        )
        later_end.update(ends_on=end)
        later_maintenance.update(maintained_until=end)
    return len(ids)


def rights_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily pass (`manage.py coverage_daily`): contributions, notices past the deadline the
    student was given, periods at their end, and the hand-over export once the regime has ended.
    Each period is checked again once locked: the pass may run while students and agents act."""
    today = today or clock.today()
    figures = {"suspended_or_resumed": rights_follow_contributions(today=today), "closed": 0, "expired": 0}
    figures["regime_end"] = rights_end_with_regime(today=today)
    # A notice still running at the period's end: the period expires (no maintenance is added
    # after the academic year); one whose deadline came first closes.
    for period in RightsPeriod.objects.filter(status__in=rules.EXPIRABLE, ends_on__lt=today).iterator(chunk_size=2000):
        figures["expired"] += _expire(period, today)
    for period in RightsPeriod.objects.filter(status=RightsStatus.NOTICE, notice_until__lte=today).iterator(
        chunk_size=2000
    ):
        figures["closed"] += _close_after_notice(period, today)
    end = regime_end(today)
    figures["handover"] = 0
    if today > end and not HandoverExport.objects.exists():
        figures["handover"] = handover_export(actor=None).rows
    figures["lookups_purged"] = lookup_log_purge(today=today)
    return figures
