"""References kept by the application (decision 0008) are checked, and a broken one is found."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from amo.common.integrity import orphans_find, unchecked_foreign_keys
from amo.enrollment.models import RegistrationRequest

pytestmark = pytest.mark.django_db


def test_the_request_table_references_are_all_checked() -> None:
    checked = {(f.model._meta.db_table, f.column) for f in unchecked_foreign_keys()}
    for column in ("student_id", "academic_year_id", "institution_id", "aggregator_id", "aggregation_list_id"):
        assert ("enrollment_registrationrequest", column) in checked
    assert ("enrollment_student", "user_id") in checked


def test_a_clean_database_passes_and_a_request_pointing_nowhere_is_reported(world, capsys) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import open_year, registration_input

    institution = world.mine.institution
    institution.affiliated_on = open_year().starts_on
    institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="higher_education", data=registration_input(institution)
    )
    assert orphans_find() == []
    call_command("integrity_check")
    assert "none broken" in capsys.readouterr().out
    with connection.cursor() as cursor:  # what only a hand-written SQL statement could do
        cursor.execute("UPDATE enrollment_registrationrequest SET student_id = %s WHERE id = %s", [10**9, request.pk])
    [orphans] = orphans_find()
    assert (orphans.table, orphans.column, orphans.count, orphans.sample) == (
        "enrollment_registrationrequest",
        "student_id",
        1,
        [request.pk],
    )
    with pytest.raises(CommandError):
        call_command("integrity_check")
    assert "student_id: 1 row(s) point to no enrollment_student" in capsys.readouterr().err
    assert RegistrationRequest.objects.filter(pk=request.pk).exists()  # it reads, it never mends


def test_deleting_an_account_unlinks_its_student_without_a_database_trigger() -> None:
    from amo.accounts.models import User
    from amo.enrollment.models import IdType, Sex, Student

    user = User.objects.create_user("unlinked@example.ma", "x")
    student = Student.objects.create(
        user=user,
        id_type=IdType.CIN,
        id_number="ZZ998877",
        last_name="Alaoui",
        first_name="Salma",
        birth_date="2004-05-06",
        sex=Sex.FEMALE,
    )
    user.delete()  # Django's on_delete=SET_NULL, not the database, unlinks the student
    student.refresh_from_db()
    assert student.user_id is None
    assert orphans_find() == []
