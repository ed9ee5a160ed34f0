"""Probable duplicates (issue 13, rule 7: "the same person under a CIN and a passport can register
twice"): flagged on the later request when the names and birth date are the same under another
document in the same academic year, shown to its institution, decided there, never merged."""

import datetime as dt
from typing import Any

import pytest

from amo.common.errors import DomainError
from amo.enrollment.models import DuplicateDecision, ProbableDuplicate, RegistrationRequest, RegistrationStatus
from amo.enrollment.services import duplicate_decide, registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.imports.tests.test_imports import GOOD, HEADER, csv_bytes, run
from conftest import make_user

pytestmark = pytest.mark.django_db

PASSPORT = {"id_type": "passport", "id_number": "X1234567", "massar": "", "nationality": "Française"}


@pytest.fixture
def affiliated(world: Any) -> Any:
    institution = world.mine.institution
    institution.affiliated_on = open_year().starts_on
    institution.save(update_fields=["affiliated_on"])
    return institution


def _submit(actor: Any, institution: Any, **overrides: Any) -> RegistrationRequest:
    return registration_submit(
        actor=actor, entry_channel="higher_education", data=registration_input(institution, **overrides)
    )


def test_the_same_names_and_birth_date_under_a_passport_are_flagged_not_merged(world: Any, affiliated: Any) -> None:
    first = _submit(world.users["student"], affiliated)
    second = _submit(
        make_user("salma2@example.ma"),
        affiliated,
        last_name=" BENNANI ",
        first_name="salma",
        email="s2@example.ma",
        **PASSPORT,
    )
    [flag] = ProbableDuplicate.objects.all()
    assert (flag.request_id, flag.other_id, flag.decision) == (second.pk, first.pk, DuplicateDecision.PENDING)
    assert first.student_id != second.student_id  # two records kept: nothing merged
    assert RegistrationRequest.objects.filter(status=RegistrationStatus.SUBMITTED).count() == 2


def test_another_birth_date_or_another_name_is_not_flagged(world: Any, affiliated: Any) -> None:
    _submit(world.users["student"], affiliated)
    _submit(make_user("a@example.ma"), affiliated, birth_date=dt.date(2005, 3, 15), email="a@example.ma", **PASSPORT)
    _submit(
        make_user("b@example.ma"),
        affiliated,
        first_name="Salima",
        email="b@example.ma",
        **{**PASSPORT, "id_number": "Y7654321"},
    )
    assert not ProbableDuplicate.objects.exists()


def test_the_institution_keeps_both_or_rejects_the_later_one_as_a_duplicate(world: Any, affiliated: Any) -> None:
    _submit(world.users["student"], affiliated)
    second = _submit(make_user("c@example.ma"), affiliated, email="c@example.ma", **PASSPORT)
    flag = ProbableDuplicate.objects.get()
    client = world.client("institution")
    page = client.get(f"/registration/requests/{second.pk}/").content.decode()
    assert 'data-testid="probable-duplicates"' in page and 'value="duplicate"' in page
    assert (
        client.post(f"/registration/requests/{second.pk}/duplicates/{flag.pk}/", {"decision": "duplicate"}).status_code
        == 302
    )
    second.refresh_from_db()
    flag.refresh_from_db()
    assert (second.status, second.reject_reason, flag.decision) == ("rejected", "duplicate", "duplicate")
    assert flag.decided_by == world.users["institution"]
    with pytest.raises(DomainError) as err:
        duplicate_decide(actor=world.users["institution"], duplicate=flag, decision=DuplicateDecision.DISTINCT)
    assert err.value.code == "duplicate_decided"


def test_not_a_duplicate_keeps_both_requests(world: Any, affiliated: Any) -> None:
    _submit(world.users["student"], affiliated)
    second = _submit(make_user("d@example.ma"), affiliated, email="d@example.ma", **PASSPORT)
    flag = ProbableDuplicate.objects.get()
    duplicate_decide(actor=world.users["institution"], duplicate=flag, decision=DuplicateDecision.DISTINCT)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.SUBMITTED
    assert ProbableDuplicate.objects.get().decision == DuplicateDecision.DISTINCT


def test_another_institution_cannot_decide_nor_see_it(world: Any, affiliated: Any) -> None:
    from django.test import Client

    from amo.accounts.models import Role

    _submit(world.users["student"], affiliated)
    second = _submit(make_user("e@example.ma"), affiliated, email="e@example.ma", **PASSPORT)
    flag = ProbableDuplicate.objects.get()
    theirs = Client()
    theirs.force_login(make_user("agent@other.ma", Role.INSTITUTION_AGENT, institution=world.other.institution))
    url = f"/registration/requests/{second.pk}/duplicates/{flag.pk}/"
    assert theirs.post(url, {"decision": "distinct"}).status_code == 404
    assert world.client("student").post(url, {"decision": "distinct"}).status_code in (403, 404)
    assert ProbableDuplicate.objects.get().decision == DuplicateDecision.PENDING


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_imported_list_flags_its_probable_duplicates_set_based(
    world: Any, affiliated: Any, tmp_path: Any, kind: str
) -> None:
    """A row under a passport with the names and birth date of a student registered on the portal
    under a CIN, and two rows of one file that are one person under two documents."""
    _submit(world.users["student"], affiliated)  # Bennani Salma, 2005-03-14, CIN AB123456
    passport = list(GOOD)
    passport[HEADER.index("id_number")] = "X7654321"
    passport[HEADER.index("massar")] = ""
    twin_a = list(GOOD)
    twin_a[HEADER.index("id_number")] = "EE111111"
    twin_a[HEADER.index("last_name")] = "Alaoui"
    twin_a[HEADER.index("massar")] = ""
    twin_b = list(twin_a)
    twin_b[HEADER.index("id_number")] = "EE222222"
    header = [*HEADER, "id_type", "nationality"]
    rows = [[*passport, "passport", "Française"], [*twin_a, "cin", ""], [*twin_b, "cin", ""]]
    if kind == "csv":
        content = csv_bytes(rows, header=header)
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(tmp_path / "liste.xlsx")
        content = (tmp_path / "liste.xlsx").read_bytes()
    job = run(world, content, name=f"liste.{kind}", institution=affiliated)
    assert (job.rows_created, job.rows_error) == (3, 0), job.file_error
    pairs = {
        (p.request.student.id_number, p.other.student.id_number)
        for p in ProbableDuplicate.objects.select_related("request__student", "other__student")
    }
    assert pairs == {("X7654321", "AB123456"), ("EE222222", "EE111111")}
    again = run(world, content, name=f"liste.{kind}", institution=affiliated)  # the same file twice
    assert again.rows_unchanged == 3 and ProbableDuplicate.objects.count() == 2
    # An imported request is validated already: rejecting it here is refused with its reason.
    flag = ProbableDuplicate.objects.get(request__student__id_number="X7654321")
    with pytest.raises(DomainError) as err:
        duplicate_decide(actor=world.users["institution"], duplicate=flag, decision=DuplicateDecision.DUPLICATE)
    assert err.value.code == "duplicate_too_late"
