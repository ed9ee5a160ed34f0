"""Bad input of the exchange (issue: registry and verdict files with unknown identities,
duplicates, wrong dates, unknown schemes, truncated lines; a verdict for a student never sent;
the same file twice): clear reasons, nothing applied twice, nothing half-applied."""

import datetime as dt
import random
from typing import Any

import pytest

from amo.common.errors import DomainError
from amo.eligibility import registry, rules, services
from amo.eligibility.models import CheckBatch, CheckEntry, CoveredPerson, RegistryLoad, Verdict
from amo.eligibility.tests.conftest import certified
from amo.enrollment.tests.factories import open_year
from amo.referentials.models import CoverageScheme

SCHEMES = ("art114", "cnops", "cnss", "far", "tadamon")

pytestmark = pytest.mark.django_db
HEADER = "id_number;birth_date;scheme;role;starts_on;ends_on;action\n"
GOOD = "AB100001;2005-03-14;cnss;insured;2020-01-01;;\n"


def test_every_bad_registry_line_has_its_reason_and_nothing_is_applied(world: Any, registry_file: Any) -> None:
    registry.registry_load(
        actor=None, path=registry_file(HEADER + GOOD, "first.csv"), filename="first.csv", kind="full"
    )
    bad = HEADER + (
        "AB200002;2005-03-14;cnss;insured;2020-01-01;;\n"  # fine, but the file is refused as a whole
        "A!;2005-03-14;cnss;insured;2020-01-01;;\n"  # malformed identity
        "AB300003;2005-13-45;cnss;insured;2020-01-01;;\n"  # wrong date
        "AB400004;2005-03-14;mutuelle;insured;2020-01-01;;\n"  # unknown scheme
        "AB500005;2005-03-14;cnss;spouse;2020-01-01;;\n"  # unknown role
        "AB600006;2005-03-14\n"  # truncated
        "AB200002;2005-03-14;cnss;insured;2021-01-01;;\n"  # duplicate of line 2
        "AB700007;2005-03-14;cnss;insured;2020-01-01;2019-01-01;\n"  # ends before it starts
        "\n"
        "AB800008;2005-03-14;cnss;insured;2020-01-01;;remove\n"  # unknown action
    )
    load = registry.registry_load(
        actor=None, path=registry_file(bad, "bad.csv"), filename="bad.csv", kind="incremental"
    )
    assert not load.applied_ok and load.applied == 0
    assert load.errors == [
        [3, "line_id_number"],
        [4, "line_date"],
        [5, "line_scheme"],
        [6, "line_role"],
        [7, "line_truncated"],
        [8, "line_duplicate"],
        [9, "line_dates_order"],
        [11, "line_action"],
    ]
    assert list(CoveredPerson.objects.values_list("id_number", flat=True)) == ["AB100001"]


@pytest.mark.today("2026-11-25")
def test_a_scheme_ended_in_the_referential_is_refused_in_the_registry(registry_file: Any) -> None:
    """The schemes are dated referential rows (issue 13, rule 6; DOMAIN.md §2, ANAM's check): one
    ended before today is no longer a scheme a registry line may name."""
    CoverageScheme.objects.filter(code="far").update(valid_to=dt.date(2026, 1, 1))
    load = registry.registry_load(
        actor=None,
        path=registry_file(HEADER + "CD100001;;far;dependant;2020-01-01;;\n", "f.csv"),
        filename="f.csv",
        kind="full",
    )
    assert load.errors == [[2, "line_scheme"]]
    CoverageScheme.objects.filter(code="far").update(valid_to=None)
    load = registry.registry_load(
        actor=None,
        path=registry_file(HEADER + "CD100001;;far;dependant;2020-01-01;;\n", "g.csv"),
        filename="g.csv",
        kind="full",
    )
    assert load.errors == [] and load.applied == 1


def test_a_full_load_replaces_and_an_end_action_is_refused_in_it(registry_file: Any) -> None:
    registry.registry_load(actor=None, path=registry_file(HEADER + GOOD, "a.csv"), filename="a.csv", kind="full")
    load = registry.registry_load(
        actor=None,
        path=registry_file(HEADER + "AB100001;;cnss;insured;2020-01-01;2026-01-01;end\n", "b.csv"),
        filename="b.csv",
        kind="full",
    )
    assert load.errors == [[2, "line_end_in_full_load"]]
    other = HEADER + "CD100001;;far;dependant;2020-01-01;;\n"
    registry.registry_load(actor=None, path=registry_file(other, "c.csv"), filename="c.csv", kind="full")
    assert list(CoveredPerson.objects.values_list("id_number", "scheme")) == [("CD100001", "far")]


def test_an_unknown_layout_is_refused(registry_file: Any) -> None:
    with pytest.raises(DomainError) as exc:
        registry.registry_load(actor=None, path=registry_file("cin;regime\nAB1;cnss\n"), filename="x.csv", kind="full")
    assert exc.value.code == "exchange_layout"
    assert not RegistryLoad.objects.filter(applied_ok=True).exists()


def test_incremental_update_and_end(registry_file: Any) -> None:
    registry.registry_load(actor=None, path=registry_file(HEADER + GOOD, "a.csv"), filename="a.csv", kind="full")
    update = HEADER + "AB100001;;cnss;insured;2020-01-01;2026-06-30;end\nEF1234;;tadamon;insured;2026-01-01;;\n"
    load = registry.registry_load(actor=None, path=registry_file(update, "u.csv"), filename="u.csv", kind="incremental")
    assert (load.applied, load.ended) == (1, 1)
    assert CoveredPerson.objects.get(id_number="AB100001").ends_on == dt.date(2026, 6, 30)


@pytest.fixture
def batch(world: Any) -> CheckBatch:
    certified(world, [("AB100001", dt.date(2005, 3, 14)), ("AB200002", dt.date(2004, 1, 1))])
    return services.batch_send(actor=world.users["cnops"], academic_year=open_year())


def _file(batch: CheckBatch, lines: list[str]) -> bytes:
    return ("batch;entry;outcome;reason;scheme\n" + "".join(f"{batch.number};{line}\n" for line in lines)).encode()


def test_bad_verdict_files_are_refused_whole(world: Any, batch: CheckBatch) -> None:
    first, second = CheckEntry.objects.filter(batch=batch).order_by("id").values_list("id", flat=True)
    cases = {
        "verdict_unknown_entry": [f"{first};accepted;;", f"{second};accepted;;", "999999;accepted;;"],
        "verdict_duplicate": [f"{first};accepted;;", f"{first};accepted;;", f"{second};accepted;;"],
        "verdict_outcome": [f"{first};perhaps;;", f"{second};accepted;;"],
        "verdict_reason": [f"{first};refused;not_a_reason;", f"{second};accepted;;"],
        "verdict_scheme": [f"{first};refused;covered_insured;", f"{second};accepted;;"],
        "line_truncated": [f"{first};accepted", f"{second};accepted;;"],
    }
    with pytest.raises(DomainError) as exc:  # the report names the file's own line numbers
        services.verdicts_receive_file(
            actor=world.users["cnops"],
            batch=batch,
            content=_file(batch, [f"{first};perhaps;;", f"{second};accepted;;", "777;accepted;;"]),
        )
    assert exc.value.fields["lines"] == ["2: verdict_outcome", "4: verdict_unknown_entry"]
    for code, lines in cases.items():
        with pytest.raises(DomainError) as exc:
            services.verdicts_receive_file(actor=world.users["cnops"], batch=batch, content=_file(batch, lines))
        assert exc.value.code == "exchange_file_errors" and any(code in line for line in exc.value.fields["lines"]), (
            code
        )
    with pytest.raises(DomainError) as exc:
        services.verdicts_receive_file(
            actor=world.users["cnops"], batch=batch, content=_file(batch, [f"{first};accepted;;"])
        )
    assert exc.value.code == "verdict_incomplete"
    assert not Verdict.objects.exists()
    good = _file(batch, [f"{first};accepted;;", f"{second};refused;covered_dependant;cnops"])
    services.verdicts_receive_file(actor=world.users["cnops"], batch=batch, content=good)
    with pytest.raises(DomainError) as exc:
        services.verdicts_receive_file(actor=world.users["cnops"], batch=batch, content=good)
    assert exc.value.code == "file_already_applied"
    assert Verdict.objects.count() == 2


def test_a_refused_student_is_sent_again_after_correcting(world: Any, batch: CheckBatch) -> None:
    first, second = CheckEntry.objects.filter(batch=batch).order_by("id").values_list("id", flat=True)
    good = _file(batch, [f"{first};accepted;;", f"{second};refused;covered_dependant;cnops"])
    services.verdicts_receive_file(actor=world.users["cnops"], batch=batch, content=good)
    services.verdicts_apply(batch_id=batch.pk)
    refused = CheckEntry.objects.get(pk=second).request
    refused.refresh_from_db()
    assert refused.status == "refused_anam"
    with pytest.raises(DomainError):
        services.recheck_request(actor=None, request=CheckEntry.objects.get(pk=first).request)
    services.recheck_request(actor=refused.student.user, request=refused, comment="fin de la couverture CNOPS")
    again = services.batch_send(actor=world.users["cnops"], academic_year=open_year())
    assert again.sent_count == 1 and again.number.endswith("00002")


def test_the_sql_answer_agrees_with_the_pure_rules_on_random_data(world: Any) -> None:
    """The registry's one-statement answer and rules.verdict decide the same for every student;
    the age measured on each entry's own reference date (decision 0004), birthdays on the day
    before, on and after it, and 29 February, in a common and a leap year."""
    rng = random.Random(20261125)
    year = open_year()
    batch = CheckBatch.objects.create(
        number="T",
        academic_year=year,
        reference_date=dt.date(2026, 10, 1),
        age_limit=30,
        sent_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    )
    numbers = [f"AB{n:06d}" for n in range(60)]
    registry_rows = []
    for number in numbers:
        for scheme in rng.sample(SCHEMES, rng.randint(0, 2)):
            registry_rows.append(
                CoveredPerson(
                    id_number=number,
                    birth_date=rng.choice([None, dt.date(2004, 1, 1), dt.date(1970, 1, 1)]),
                    scheme=scheme,
                    role=rng.choice(rules.ROLES),
                    starts_on=rng.choice([dt.date(2010, 1, 1), dt.date(2026, 10, 1), dt.date(2026, 10, 2)]),
                    ends_on=rng.choice([None, dt.date(2026, 9, 30), dt.date(2026, 10, 1)]),
                )
            )
    CoveredPerson.objects.bulk_create(registry_rows)
    entries = CheckEntry.objects.bulk_create(
        CheckEntry(
            batch=batch,
            request_id=n,
            id_type="cin",
            id_number=rng.choice(numbers),
            birth_date=rng.choice(
                [
                    dt.date(2004, 1, 1),
                    dt.date(1990, 1, 1),
                    dt.date(1995, 8, 31),
                    dt.date(1995, 9, 1),
                    dt.date(1995, 9, 2),
                    dt.date(1996, 2, 29),
                    dt.date(1997, 2, 28),
                    dt.date(1997, 3, 1),
                ]
            ),
            age_exempt=rng.random() < 0.2,
            age_reference_date=rng.choice(
                [dt.date(2026, 9, 1), dt.date(2027, 2, 28), dt.date(2027, 3, 1), dt.date(2028, 2, 29)]
            ),
        )
        for n in range(1, 301)
    )
    registry.batch_answer(batch_id=batch.pk)
    got = {v.entry_id: (v.outcome, v.reason, v.scheme) for v in Verdict.objects.filter(batch=batch)}
    seen: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.pk):
        coverages = [
            rules.Coverage(c.scheme, c.role, c.birth_date, c.starts_on, c.ends_on)
            for c in registry_rows
            if c.id_number == entry.id_number
        ]
        expected = rules.verdict(
            birth_date=entry.birth_date,
            age_limit=30,
            age_exempt=entry.age_exempt,
            reference_date=batch.reference_date,
            age_reference_date=entry.age_reference_date,
            coverages=coverages,
            first_in_batch=entry.id_number not in seen,
        )
        seen.add(entry.id_number)
        assert got[entry.pk] == expected, (entry.id_number, coverages)
    assert {v[1] for v in got.values()} >= {
        "",
        "duplicate",
        "covered_insured",
        "covered_dependant",
        "identity_not_found",
        "age",
    }


def test_only_the_student_or_cnops_central_asks_for_a_new_check(world: Any, batch: CheckBatch) -> None:
    from django.test import Client

    from amo.accounts.services import api_token_create

    first, second = CheckEntry.objects.filter(batch=batch).order_by("id").values_list("id", flat=True)
    answer = _file(batch, [f"{first};refused;covered_insured;cnss", f"{second};refused;covered_dependant;cnops"])
    services.verdicts_receive_file(actor=world.users["cnops"], batch=batch, content=answer)
    services.verdicts_apply(batch_id=batch.pk)
    mine, theirs = (CheckEntry.objects.get(pk=pk).request for pk in (first, second))

    def bearer(user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    api = Client()
    url = f"/api/eligibility/requests/{theirs.pk}/recheck"
    outsiders: list[Any] = [mine.student.user, world.users["institution"]]  # another student, an institution
    for outsider in outsiders:
        assert (
            api.post(url, {"comment": ""}, content_type="application/json", headers=bearer(outsider)).status_code == 404
        )
        page = Client()
        page.force_login(outsider)
        assert page.post(f"/eligibility/requests/{theirs.pk}/recheck/").status_code == 404
    response = api.post(url, {"comment": "fin"}, content_type="application/json", headers=bearer(theirs.student.user))
    assert (response.status_code, response.json()["status"]) == (200, "sent_to_cnops")
    central = Client()
    central.force_login(world.users["cnops"])
    assert central.post(f"/eligibility/requests/{mine.pk}/recheck/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == "sent_to_cnops"
