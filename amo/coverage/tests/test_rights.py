"""Rights over time (DOMAIN.md §6; SOURCES.md: CNOPS's pages on closure after a registered letter
and 30 days, law 65-00 art. 34 on the 6-month maintenance, law 54.23 on the regime's end)."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from amo.common import clock
from amo.common.errors import DomainError
from amo.contributions.models import Due
from amo.coverage import rules, selectors, services
from amo.coverage.models import HandoverExport, RightsPeriod
from amo.eligibility import registry
from amo.eligibility import services as eligibility
from amo.eligibility.tests.conftest import certified
from amo.enrollment.tests.factories import open_year
from amo.notifications.models import OutboxMessage
from amo.referentials.services import parameter_set

# The regime's last day as the referentials load it (law 54.23, SOURCES.md §0: lematin.ma, 4 Feb 2026).
REGIME_END = dt.date(2027, 2, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def insured(world: Any, django_capture_on_commit_callbacks: Any, settings: Any) -> list[RightsPeriod]:
    """Two students with open rights (exempt contribution), e-mails sent through the outbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    certified(world, [("AB100001", dt.date(2005, 3, 14)), ("AB100002", dt.date(2004, 6, 1))])
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.batch_send(actor=world.users["cnops"], academic_year=open_year())
    return list(RightsPeriod.objects.order_by("id"))


def test_each_student_gets_a_bilingual_email_with_the_certificate(insured: list[RightsPeriod]) -> None:
    sent = [m for m in mail.outbox if "AE" in m.body]
    assert len(sent) == 2
    message = sent[0]
    subject, hello = "Your health insurance rights are open", "Hello %(name)s,"
    with translation.override("fr"):
        fr = (translation.gettext(subject), translation.gettext(hello) % {"name": "Salma"})
    student = next(p.insured.student for p in insured if p.insured.student.email in message.to)
    with translation.override("ar"):  # the Arabic part greets by the Arabic first name when there is one
        ar = (translation.gettext(subject), translation.gettext(hello) % {"name": student.first_name_ar or "Salma"})
    assert fr[0] != ar[0] and fr[0] in message.subject and ar[0] in message.subject
    assert fr[1] in message.body and ar[1] in message.body
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and content[:4] == b"%PDF" and name.startswith("coverage_certificate-")
    period = insured[0]
    assert period.certificate is not None and OutboxMessage.objects.filter(attachment=period.certificate).exists()


def test_the_rights_email_starts_in_the_language_the_student_chose(
    world: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # Issue 13, item 12: the e-mail began in French, subject included, for a student who chose Arabic.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    [request] = certified(world, [("AB100001", dt.date(2005, 3, 14))])
    user = request.student.user
    user.preferred_language = "ar"
    user.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.batch_send(actor=world.users["cnops"], academic_year=open_year())
    [message] = [m for m in mail.outbox if "AE" in m.body]
    with translation.override("ar"):
        arabic_subject = translation.gettext("Your health insurance rights are open")
    assert message.subject.startswith(arabic_subject)
    assert message.body.lstrip().startswith("مرحباً")


def test_lookup_by_document_number(insured: list[RightsPeriod]) -> None:
    period = insured[0]
    found = selectors.rights_lookup(id_number="ab 100001", on=period.starts_on)
    assert (found.covered, found.since, found.until) == (True, period.starts_on, period.ends_on)
    assert found.institution_fr == period.institution.name_fr
    assert not selectors.rights_lookup(id_number="AB100001", on=period.ends_on + dt.timedelta(days=1)).covered
    assert not selectors.rights_lookup(id_number="ZZ999999", on=period.starts_on).covered


def test_rights_are_suspended_while_a_due_is_unpaid_then_resume(insured: list[RightsPeriod]) -> None:
    period = insured[0]
    Due.objects.filter(request=period.request).update(kind="due", amount=400)  # e.g. the track was fee-paying
    day = period.starts_on + dt.timedelta(days=1)  # tests run on any date: everything from the period
    assert services.rights_follow_contributions(today=day) == 1
    period.refresh_from_db()
    period.request.refresh_from_db()
    assert (period.status, period.request.status) == ("suspended", "suspended")
    assert not selectors.rights_lookup(id_number="AB100001", on=day).covered
    Due.objects.filter(request=period.request).update(kind="exempt", amount=0)
    assert services.rights_follow_contributions(today=day + dt.timedelta(days=10)) == 1
    period.refresh_from_db()
    assert period.status == "open"
    found = selectors.rights_lookup(id_number="AB100001", on=day + dt.timedelta(days=10))
    assert found.covered and found.since == day + dt.timedelta(days=10)  # covered again, since the resumption
    assert not selectors.rights_lookup(id_number="AB100001", on=day + dt.timedelta(days=5)).covered
    assert [e.kind for e in period.events.all()] == ["opened", "suspended", "resumed"]


@pytest.mark.today("2026-11-15")  # the registry's coverage starts on 1 November 2026
def test_registry_update_sends_a_notice_then_rights_close_after_thirty_days(
    insured: list[RightsPeriod], world: Any, registry_file: Any
) -> None:
    update = "id_number;birth_date;scheme;role;starts_on;ends_on;action\nAB100001;2005-03-14;cnss;insured;2026-11-01;;upsert\n"
    load = registry.registry_load(
        actor=world.users["admin"], path=registry_file(update), filename="u.csv", kind="incremental"
    )
    assert (load.applied_ok, load.notices) == (True, 1)
    period = RightsPeriod.objects.get(pk=insured[0].pk)
    today = clock.today()
    assert (period.status, period.notice_reason, period.notice_on) == ("notice", "other_coverage_registry", today)
    assert services.rights_daily(today=today + dt.timedelta(days=29))["closed"] == 0
    assert services.rights_daily(today=today + dt.timedelta(days=30))["closed"] == 1
    period.refresh_from_db()
    # Maintained six months (law 65-00 art. 34), never past the regime's last day (law 54.23).
    until = min(rules.add_months(today + dt.timedelta(days=30), 6), REGIME_END)
    assert period.status == "closed" and period.maintained_until == until
    assert selectors.rights_lookup(id_number="AB100001", on=until).covered
    assert not selectors.rights_lookup(id_number="AB100001", on=until + dt.timedelta(days=1)).covered
    # the same file again changes nothing
    with pytest.raises(DomainError) as exc:
        registry.registry_load(
            actor=world.users["admin"], path=registry_file(update), filename="u.csv", kind="incremental"
        )
    assert exc.value.code == "file_already_applied"


def test_a_proof_lifts_the_notice(insured: list[RightsPeriod], world: Any) -> None:
    period = services.rights_studies_stopped(actor=world.users["institution"], period=insured[1], comment="abandon")
    assert period.status == "notice"
    period = services.rights_proof_received(
        period=period, actor=world.users["cnops"], comment="certificat de scolarité"
    )
    assert period.status == "open" and period.request.status == "insured"
    with pytest.raises(DomainError):
        services.rights_proof_received(period=period, actor=world.users["cnops"])


def test_the_student_reports_another_coverage(insured: list[RightsPeriod], world: Any) -> None:
    period = services.rights_student_reports_coverage(actor=world.users["student"], period=insured[0])
    assert period.status == "closed" and period.closed_on == clock.today()
    last = period.request.events.last()
    assert last is not None and last.status == "closed"


def test_periods_expire_at_their_end(insured: list[RightsPeriod]) -> None:
    end = insured[0].ends_on
    assert services.rights_daily(today=end)["expired"] == 0
    assert services.rights_daily(today=end + dt.timedelta(days=1))["expired"] == 2
    assert set(RightsPeriod.objects.values_list("status", flat=True)) == {"expired"}


def test_after_the_regime_ends_no_new_batch_and_a_handover_export(world: Any, insured: list[RightsPeriod]) -> None:
    today = clock.today()
    parameter_set(
        actor=world.users["admin"],
        key="regime_end_date",
        value=(today - dt.timedelta(days=1)).isoformat(),
        valid_from=today,
    )
    with pytest.raises(DomainError) as exc:
        eligibility.batch_send(actor=world.users["cnops"], academic_year=open_year())
    assert exc.value.code == "regime_ended"
    figures = services.rights_daily(today=today)
    assert figures["handover"] >= 2
    export = HandoverExport.objects.get()
    import gzip

    lines = gzip.decompress(export.file.read()).decode().splitlines()
    assert lines[0].startswith("id_type;id_number") and any("AB100001" in line and "AE" in line for line in lines)
    assert services.rights_daily(today=today)["handover"] == 0  # once


@pytest.mark.today("2026-10-15")
def test_renewal_with_re_registration(
    world: Any, insured: list[RightsPeriod], django_capture_on_commit_callbacks: Any
) -> None:
    """Next year's request opens a new period for the same insured number; a provider sees the
    student covered since the first period, without a gap. The first period opens on 15 October
    (the clock is frozen there: the first period's start, hence the expectation, follows the date)."""
    from amo.enrollment.services import registration_decide, registration_submit
    from amo.enrollment.tests.factories import listed_and_certified, registration_input
    from amo.referentials.models import AcademicYear, RegimeParameter

    first = insured[0]
    # Renewal as it works while the regime runs: its end (law 54.23) is put after the next year.
    RegimeParameter.objects.filter(key="regime_end_date").update(value="2028-08-31")
    RightsPeriod.objects.filter(pk=first.pk).update(ends_on=dt.date(2027, 8, 31))
    AcademicYear.objects.update(registration_open=False)
    year = AcademicYear.objects.create(
        code="2027-2028", starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2028, 8, 31), registration_open=True
    )
    student = first.insured.student
    data = registration_input(
        world.mine.institution,
        id_number=student.id_number,
        email=student.email,
        massar="",
        birth_date=student.birth_date,
        academic_year_id=year.pk,
        registered_on=dt.date(2027, 9, 15),
    )
    assert student.user is not None
    request = registration_submit(actor=student.user, entry_channel="", data=data)
    registration_decide(actor=world.users["institution"], request=request, target="validated")
    listed_and_certified(world, year)
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.batch_send(actor=world.users["cnops"], academic_year=year)
    second = RightsPeriod.objects.get(request=request)
    first.refresh_from_db()
    assert (first.starts_on, first.ends_on) == (dt.date(2026, 10, 15), dt.date(2027, 8, 31))
    assert second.insured_id == first.insured_id
    assert (second.starts_on, second.ends_on) == (dt.date(2027, 9, 1), dt.date(2028, 8, 31))
    found = selectors.rights_lookup(id_number=student.id_number, on=second.starts_on)
    assert (found.covered, found.since, found.until) == (True, dt.date(2026, 10, 15), dt.date(2028, 8, 31))


def test_the_notice_tells_the_student_until_when(insured: list[RightsPeriod], world: Any, client: Any) -> None:
    period = services.rights_studies_stopped(actor=world.users["institution"], period=insured[0])
    assert period.notice_until == clock.today() + dt.timedelta(days=30)
    client.force_login(period.insured.student.user)
    page = client.get("/registration/my/").content.decode()
    assert 'data-testid="closure-notice"' in page and period.notice_until.strftime("%d/%m/%Y") in page


def test_a_list_email_is_not_sent_once_the_student_has_moved_on(insured: list[RightsPeriod]) -> None:
    from amo.enrollment.services import notify_list_students_now

    request = insured[0].request
    list_id = request.aggregation_list_id
    assert request.status == "insured" and list_id is not None
    assert notify_list_students_now(list_id=list_id, status="sent_to_cnops") == 0
    assert notify_list_students_now(list_id=list_id, status="insured") == 2


@pytest.mark.today("2026-11-15")  # the registry's coverage starts on 1 November 2026
def test_a_coverage_already_known_or_of_another_person_sends_no_notice(
    insured: list[RightsPeriod], world: Any, registry_file: Any
) -> None:
    header = "id_number;birth_date;scheme;role;starts_on;ends_on;action\n"
    first = (
        header + "AB100001;2005-03-14;cnss;insured;2026-11-01;;upsert\nAB100002;1960-01-01;far;insured;2000-01-01;;\n"
    )
    load = registry.registry_load(actor=None, path=registry_file(first, "1.csv"), filename="1.csv", kind="incremental")
    assert load.notices == 1  # AB100002 in the registry was born in 1960: another person
    period = RightsPeriod.objects.get(pk=insured[0].pk)
    services.rights_proof_received(period=period, actor=world.users["cnops"], comment="fin CNSS")
    again = first + "\n"  # the same coverage repeated in a later update
    load = registry.registry_load(actor=None, path=registry_file(again, "2.csv"), filename="2.csv", kind="incremental")
    assert load.applied_ok and load.notices == 0
    assert RightsPeriod.objects.get(pk=insured[0].pk).status == "open"


def test_every_change_of_a_period_and_of_its_request_writes_its_audit_row(insured: list[RightsPeriod], world) -> None:
    from amo.common.models import AuditEvent
    from amo.coverage.models import RightsEventKind, RightsStatus
    from amo.coverage.services import lifecycle

    def rows(action: str, obj: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [
            (a.before, a.after) for a in AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).order_by("id")
        ]

    period = insured[0]
    assert rows("rights_open", period) == [({}, {"status": "open", "batch": period.batch_id})]
    assert rows("registration_pending_anam", period.request) == [
        ({"status": "sent_to_cnops"}, {"status": "pending_anam"})
    ]
    assert rows("registration_insured", period.request) == [({"status": "pending_anam"}, {"status": "insured"})]
    period = services.rights_studies_stopped(actor=world.users["institution"], period=period, comment="abandon")
    assert rows("rights_notice", period) == [({"status": "open"}, {"status": "notice"})]
    assert rows("registration_closure_notice", period.request) == [
        ({"status": "insured"}, {"status": "closure_notice"})
    ]
    period = services.rights_close(period=period, actor=world.users["cnops"])
    assert rows("rights_closed", period) == [({"status": "notice"}, {"status": "closed"})]
    assert rows("registration_closed", period.request) == [({"status": "closure_notice"}, {"status": "closed"})]
    with pytest.raises(DomainError) as err:
        services.rights_close(period=period, actor=world.users["cnops"])
    assert err.value.code == "rights_not_open"
    # The table refuses what no service asks today: a closed period opened again.
    with pytest.raises(DomainError) as err:
        lifecycle._move(period, RightsStatus.OPEN, RightsEventKind.RESUMED, period.starts_on)
    assert err.value.code == "invalid_transition"
    period.refresh_from_db()
    assert period.status == RightsStatus.CLOSED and period.request.status == "closed"
