"""The claims world: Alice's side has one insured student (rights open from 1 October 2026),
the deposit point of her channel (ONOUSC offices) and a drug list."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from amo.claims import services
from amo.claims.models import CareFile
from amo.eligibility import services as eligibility
from amo.eligibility.tests.conftest import certified
from amo.enrollment.models import Student
from amo.enrollment.tests.factories import open_year
from amo.referentials.models import Drug, DrugList

D = dt.date
RIGHTS_OPEN = "2026-10-01"


@dataclass
class Claims:
    world: Any
    student: Student
    traveller: Any

    def today(self, day: str) -> None:
        self.traveller.move_to(dt.datetime.fromisoformat(f"{day}T10:00+01:00"))

    def received_file(self, first_act_on: dt.date, *, kind: str = "ordinary", amount: str = "300") -> CareFile:
        """A file deposited today at Alice's deposit point, sent on a slip and received by CNOPS."""
        users, point = self.world.users, self.world.mine.deposit_point
        care_file = services.care_file_create_at_deposit(
            actor=users["deposit_point"],
            deposit_point=point,
            student=self.student,
            kind=kind,
            first_act_on=first_act_on,
            declared_amount=Decimal(amount),
        )
        slip = services.slip_prepare(
            actor=users["deposit_point"], deposit_point=point, files=CareFile.objects.filter(pk=care_file.pk)
        )
        services.slip_send(actor=users["deposit_point"], slip=slip)
        services.slip_receive(actor=users["cnops"], slip=slip)
        care_file.refresh_from_db()
        return care_file


def drug_list() -> DrugList:
    version = DrugList.objects.create(
        valid_from=D(2026, 1, 1), filename="gmr.csv", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    Drug.objects.create(
        drug_list=version, code="M001", name="Doliprane", ppv=Decimal("20.00"), pbr=Decimal("18.35"), kind="princeps"
    )
    Drug.objects.create(
        drug_list=version,
        code="M002",
        name="Vitamine",
        ppv=Decimal("30.00"),
        pbr=Decimal("30.00"),
        kind="princeps",
        reimbursable=False,
    )
    Drug.objects.create(
        drug_list=version,
        code="M003",
        name="Anticancéreux",
        ppv=Decimal("9000.00"),
        pbr=Decimal("9000.00"),
        kind="princeps",
        needs_agreement=True,
    )
    return version


@pytest.fixture
def claims(world: Any, django_capture_on_commit_callbacks: Any, _today_of_the_test: Any, settings: Any) -> Claims:
    """Run with @pytest.mark.today(RIGHTS_OPEN): the rights open that day."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _today_of_the_test is not None, "mark the test with @pytest.mark.today(RIGHTS_OPEN)"
    [request] = certified(world, [("AB100001", D(2005, 3, 14))])
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.batch_send(actor=world.users["cnops"], academic_year=open_year())
    drug_list()
    return Claims(world=world, student=request.student, traveller=_today_of_the_test)
