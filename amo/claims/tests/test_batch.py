"""The national run's set-based liquidation is only a faster road to `rules.liquidate_line`:
on random lines (every reason, rights suspended for a while, keys and drugs known and unknown,
rates changing in the middle, duplicates, deposits around day 60), each line the database
decides must come out exactly as the pure rule decides it (base, rate, amount, reason).
Run on SQLite here and on PostgreSQL by `make test-postgres`."""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from amo.claims import batch, rules, services
from amo.claims.models import CareFile, CareLine
from amo.claims.tests.conftest import RIGHTS_OPEN, Claims
from amo.common.models import AuditEvent
from amo.coverage.models import RightsPeriod
from amo.referentials.models import NgapKey, ReimbursementRate

pytestmark = [pytest.mark.django_db, pytest.mark.today(RIGHTS_OPEN)]
D = dt.date
KINDS = ["ordinary", "ordinary", "ordinary", "dental", "costly_drugs", "ald_exemption"]
LETTERS = ["C", "CS", "V", "VS", "K", "K", "Z", "QQ"]
DRUGS = ["M001", "M002", "M003", "NOPE"]
CATEGORIES = ["", "", "", "", "dialysis", "cancer", "ald", "dental"]


def _random_lines(rng: random.Random, claims: Claims, files: int) -> list[int]:
    ids = []
    for _ in range(files):
        first = D(2026, 9, 20) + dt.timedelta(days=rng.randint(0, 70))
        care_file = CareFile.objects.create(
            number=f"DOS-T-{rng.random()}"[:20],
            student=claims.student,
            kind=rng.choice(KINDS),
            first_act_on=first,
            declared_amount=Decimal("100"),
            status="received",
            deposit_point=claims.world.mine.deposit_point,
            deposited_on=first + dt.timedelta(days=rng.choice([0, 10, 59, 60, 61, 62, 90])),
        )
        ids.append(care_file.pk)
        for _ in range(rng.randint(1, 5)):
            drug = rng.random() < 0.35
            CareLine.objects.create(
                care_file=care_file,
                student_id_ref=claims.student.pk,
                kind="drug" if drug else "act",
                act_on=first + dt.timedelta(days=rng.randint(0, 5)),
                practitioner_inpe=rng.choice(["11111", "22222"]),
                sector=rng.choice(["private", "public"]),
                category=rng.choice(CATEGORIES),
                letter="" if drug else rng.choice(LETTERS),
                coefficient=None if drug else Decimal(rng.choice(["0.5", "1", "1.5", "2", "3", "12.25", "700"])),
                drug_code=rng.choice(DRUGS) if drug else "",
                quantity=rng.randint(1, 4) if drug else None,
                amount_paid=Decimal(rng.randint(1, 300000)) / 100,
                care_form_present=rng.random() > 0.1,
                prescription_present=rng.random() > 0.1,
            )
    return ids


def _pure(file_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    out = {}
    for line in CareLine.objects.filter(care_file_id__in=file_ids).select_related("care_file").order_by("pk"):
        deadline = 60
        facts, _used = services.line_facts(line, line.care_file, deadline)
        d = rules.liquidate_line(facts)
        out[line.pk] = (d.base, d.rate.quantize(Decimal("0.0001")), d.reimbursed, d.reason)
    return out


SUSPENSIONS = [
    "2026-11-10:2026-11-15",  # a suspension that ended: covered before and after
    "2026-10-01:2026-10-03;2026-11-10:2026-11-15;2026-12-01:",  # three spans, the last still open
    # four spans: more than the SQL reads, decided by coverage's rule line by line
    "2026-10-01:2026-10-02;2026-10-10:2026-10-11;2026-11-10:2026-11-15;2026-11-25:2026-11-26",
]


@pytest.mark.parametrize(("seed", "suspensions"), [(1, SUSPENSIONS[0]), (2, SUSPENSIONS[1]), (3, SUSPENSIONS[2])])
def test_the_batch_path_decides_every_line_as_the_pure_rule(claims: Claims, seed: int, suspensions: str) -> None:
    claims.today("2026-12-20")
    rng = random.Random(seed)
    period = RightsPeriod.objects.get()
    period.suspensions = suspensions
    period.save(update_fields=["suspensions"])
    # the specialist's tariff changes on 1 November: acts before keep the old value
    old = NgapKey.objects.get(letter="CS", sector="private")
    old.valid_to = D(2026, 10, 31)
    old.save(update_fields=["valid_to"])
    NgapKey.objects.create(
        letter="CS",
        label="CS",
        sector="private",
        value=Decimal("175.50"),
        coefficient_min=1,
        coefficient_max=2,
        category="consultation",
        valid_from=D(2026, 11, 1),
    )
    ReimbursementRate.objects.filter(category="dental").delete()  # no rate: no_rate
    file_ids = _random_lines(rng, claims, 60)
    expected = _pure(file_ids)
    batch.lines_decide(file_ids)
    got = {
        pk: (base, (rate or Decimal(0)).quantize(Decimal("0.0001")), reimbursed, reason)
        for pk, base, rate, reimbursed, reason in CareLine.objects.filter(care_file_id__in=file_ids).values_list(
            "pk", "base", "rate", "reimbursed", "reason"
        )
    }
    wrong = {pk: (expected[pk], got[pk]) for pk in expected if expected[pk] != got[pk]}
    assert not wrong, list(wrong.items())[:5]
    reasons = Counter(v[3] for v in expected.values())
    # the comparison means something only if the lines went through most roads
    assert reasons[""] >= 5 and len(reasons) >= 9, reasons


def test_a_run_settles_the_files_and_confirms_those_below_the_threshold(
    claims: Claims, django_capture_on_commit_callbacks: Any
) -> None:
    claims.today("2026-11-20")
    small = claims.received_file(D(2026, 11, 2))
    services.care_line_add(
        actor=None,
        care_file=small,
        kind="act",
        act_on=D(2026, 11, 2),
        practitioner_inpe="123456",
        amount_paid=Decimal("80"),
        letter="C",
        coefficient=Decimal("1"),
    )
    big = claims.received_file(D(2026, 11, 2))
    services.care_line_add(
        actor=None,
        care_file=big,
        kind="act",
        act_on=D(2026, 11, 3),
        practitioner_inpe="123456",
        amount_paid=Decimal("9000"),
        letter="K",
        coefficient=Decimal("300"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = batch.liquidation_run_start(actor=claims.world.users["cnops"])
    run.refresh_from_db()
    assert (run.status, run.files_done, run.lines_done) == ("done", 2, 2)
    small.refresh_from_db()
    big.refresh_from_db()
    assert (small.status, small.total_reimbursed) == ("confirmed", Decimal("64.00"))  # C 80 × 80 %
    # K 22.50 × 300 = 6,750 at 90 % (private hospitalisation) = 6,075 > 5,000: a second agent confirms
    assert (big.status, big.total_reimbursed, big.needs_confirmation) == ("liquidated", Decimal("6075.00"), True)
    assert AuditEvent.objects.filter(action="care_file_liquidated", object_id=str(big.pk)).exists()
