"""The providers' rights lookup by document number (GET /api/coverage/lookup, bearer token of a
care provider's agent) served by gunicorn with 1,500,000 insured students in PostgreSQL, next to
a bare Django view returning {"ok": true} served by the same gunicorn, settings and middleware,
in the same run.

Prints rights_lookup and bare_json_view (requests per second) with their 99th percentile
latency. Each is driven for 10 s, after a 2 s warm-up, by wrk (Debian package `wrk`, needed on
the machine that runs the benchmark) with 8 connections; the lookup asks for random document
numbers of insured students, one in 20 insured by no one. gunicorn runs 2 sync workers with
debug off, as in production. BENCH_ROWS sets the number of insured students; they are made on
the server (generate_series) and kept between runs when their count is right."""

import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

STUDENTS = int(os.environ.get("BENCH_ROWS", "1500000"))
PREFIX = "LK"  # the document numbers of this benchmark's students: LK0000001, LK0000002...
ON = "2027-01-15"
WORKERS = 2
WORKER_CLASS = "sync"  # faster than gthread (4 threads) here: bare view 3,400 against 2,100 req/s
CONNECTIONS = 8
WARM_UP, DURATION = 2, 10
ROOT = Path(__file__).resolve().parent.parent

# The same settings as production, with a URLconf that adds the bare view in front of the
# platform's own URLs (config/urls.py is left as it is).
SETTINGS_MODULE = """
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_lookup_urls"
STATIC_ROOT = %(static)r  # an empty folder: no collected static files are needed here
"""
URLS_MODULE = """
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as platform


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare), *platform]
"""

# wrk: random document numbers (1 in 20 of no insured student), then one line of figures.
WRK_SCRIPT = """
local students, prefix, on, path = %(students)d, "%(prefix)s", "%(on)s", "%(path)s"
local token = "%(token)s"
local seed = 7
function setup(thread)
  thread:set("seed", seed)
  seed = seed + 1
end
function init(args)
  math.randomseed(seed)
  if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end
function request()
  if path ~= "/api/coverage/lookup" then return wrk.format("GET", path) end
  local n = math.random(1, students)
  local number = string.format((math.random(1, 20) == 1) and "NX%%07d" or (prefix .. "%%07d"), n)
  return wrk.format("GET", path .. "?id_number=" .. number .. "&on=" .. on)
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(99), latency:percentile(50), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def _ensure_insured(year_id: int, institution_id: int, entity_id: int) -> None:
    """STUDENTS students with a validated request, an insured number and open rights for the year
    (one in 20 suspended since November); kept when already there."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM coverage_insured WHERE id_number LIKE %s", [PREFIX + "%"])
        if cursor.fetchone()[0] == STUDENTS:
            return
        started = time.perf_counter()
        with transaction.atomic():
            mine = f"(SELECT id FROM enrollment_student WHERE id_type = 'cin' AND id_number LIKE '{PREFIX}%%')"
            cursor.execute(
                f"DELETE FROM coverage_rightsperiod WHERE insured_id IN (SELECT id FROM coverage_insured WHERE student_id IN {mine})"
            )
            cursor.execute(f"DELETE FROM coverage_insured WHERE student_id IN {mine}")
            cursor.execute(f"DELETE FROM enrollment_registrationrequest WHERE student_id IN {mine}")
            cursor.execute(f"DELETE FROM enrollment_student WHERE id IN {mine}")
            cursor.execute(
                "INSERT INTO enrollment_student (id_type, id_number, massar, last_name, first_name, last_name_ar, "
                "first_name_ar, birth_date, birth_place, sex, nationality, address, email, phone, rib, updated_at) "
                "SELECT 'cin', %s || lpad(g::text, 7, '0'), '', 'Bench', 'Insured', '', '', date '2003-01-01' + (g %% 1500)::int, '', "
                "'F', 'Marocaine', '', '', '', '', now() FROM generate_series(1, %s) g",
                [PREFIX, STUDENTS],
            )
            cursor.execute(
                "INSERT INTO enrollment_registrationrequest (student_id, academic_year_id, institution_id, aggregator_id, "
                "track, fee_paying, registered_on, status, source, no_other_coverage, submitted_at, decided_at, "
                "reject_reason, comment) "
                "SELECT s.id, %s, %s, 1, '', false, date '2026-09-15', 'validated', 'upload', true, now(), now(), '', '' "
                f"FROM enrollment_student s WHERE s.id IN {mine}",
                [year_id, institution_id],
            )
            cursor.execute(
                "INSERT INTO coverage_insured (student_id, number, id_number, created_at) "
                "SELECT s.id, 'BL' || substr(s.id_number, 3), s.id_number, now() "
                f"FROM enrollment_student s WHERE s.id IN {mine}"
            )
            cursor.execute(
                "INSERT INTO coverage_rightsperiod (insured_id, request_id, institution_id, legal_entity_id, "
                "academic_year_id, starts_on, ends_on, status, suspensions, notice_reason, opened_at) "
                "SELECT i.id, r.id, r.institution_id, %s, r.academic_year_id, date '2026-10-01', date '2027-09-30', "
                "CASE WHEN i.id %% 20 = 0 THEN 'suspended' ELSE 'open' END, "
                "CASE WHEN i.id %% 20 = 0 THEN '2026-11-01:' ELSE '' END, '', now() "
                "FROM coverage_insured i JOIN enrollment_registrationrequest r "
                "ON r.student_id = i.student_id AND r.academic_year_id = %s "
                f"WHERE i.student_id IN {mine}",
                [entity_id, year_id],
            )
        for table in (
            "enrollment_student",
            "enrollment_registrationrequest",
            "coverage_insured",
            "coverage_rightsperiod",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"# {STUDENTS} insured students made in {time.perf_counter() - started:.1f} s", flush=True)


def setup() -> str:
    """The data, a care provider's agent and their API token (the key)."""
    from amo.accounts.models import Role, User
    from amo.accounts.services import api_token_create, membership_grant
    from amo.organisations.models import CareProvider, Institution, InstitutionCategory, LegalEntity, Region
    from amo.referentials.models import AcademicYear

    with transaction.atomic():
        region = Region.objects.get(code="04")
        entity, _ = LegalEntity.objects.get_or_create(name_fr="Bench lookup university", defaults={"law": "public"})
        institution, _ = Institution.objects.get_or_create(
            code="BENCH-LOOKUP",
            defaults={
                "name_fr": "Faculté du banc d'essai",
                "name_ar": "كلية",
                "city": "Rabat",
                "region": region,
                "category": InstitutionCategory.objects.get(code="univ"),
                "legal_entity": entity,
            },
        )
        provider, _ = CareProvider.objects.get_or_create(
            inpe="BENCH000001",
            defaults={"name": "Clinique du banc d'essai", "kind": "clinic", "city": "Rabat", "region": region},
        )
        user = User.objects.filter(email="bench-provider@example.ma").first() or User.objects.create_user(
            "bench-provider@example.ma", "x"
        )
        membership_grant(actor=None, user=user, role=Role.PROVIDER_AGENT, provider=provider)
        _token, key = api_token_create(user=user, name="bench")
    year = AcademicYear.objects.get(code="2026-2027")
    _ensure_insured(year.pk, institution.pk, entity.pk)
    return key


def _open_one() -> str:
    """The document number of an insured student whose rights are open."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id_number FROM coverage_insured i JOIN coverage_rightsperiod p ON p.insured_id = i.id "
            "WHERE i.id_number LIKE %s AND p.status = 'open' ORDER BY i.id DESC LIMIT 1",
            [PREFIX + "%"],
        )
        return str(cursor.fetchone()[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, key: str) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        client.request("GET", path, headers={"Authorization": f"Bearer {key}"})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def _wrk(base: str, path: str, key: str, seconds: int, tmp: Path) -> tuple[float, float, float, int, int]:
    """Requests per second, p99 and median in ms, non-2xx answers, socket errors."""
    script = tmp / "bench.lua"
    script.write_text(
        WRK_SCRIPT % {"students": STUDENTS, "prefix": PREFIX, "on": ON, "path": path, "token": key}, encoding="utf-8"
    )
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration_us, p99_us, p50_us, status_errors, socket_errors = (int(v) for v in line.split()[1:])
    return requests / (duration_us / 1e6), p99_us / 1000, p50_us / 1000, status_errors, socket_errors


def run() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench_lookup drives the load with wrk: apt-get install wrk")
    key = setup()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="amo-bench-lookup-") as name:
        tmp = Path(name)
        (tmp / "static").mkdir()
        (tmp / "bench_lookup_settings.py").write_text(
            SETTINGS_MODULE % {"static": str(tmp / "static")}, encoding="utf-8"
        )
        (tmp / "bench_lookup_urls.py").write_text(URLS_MODULE, encoding="utf-8")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_lookup_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
            "AMO_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_KEEP_IN_OUTBOX": "1",  # no SMTP server here: production settings refuse to start without
            "SECURE_SSL_REDIRECT": "0",  # wrk speaks plain HTTP to gunicorn
            "LOG_LEVEL": "ERROR",
            # one account asks as fast as it can: no per-account rate (it would answer 429); every lookup is logged
            "COVERAGE_LOOKUPS_PER_MINUTE": "0",
        }
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                f"--worker-class={WORKER_CLASS}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            lookup = f"/api/coverage/lookup?id_number={_open_one()}&on={ON}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, body = _get(port, lookup, key)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            answer = json.loads(body)
            assert status == 200 and answer["covered"] is True, (status, body)
            status, body = _get(port, f"/api/coverage/lookup?id_number=NX0000001&on={ON}", key)
            assert status == 200 and json.loads(body)["covered"] is False, (status, body)
            print(f"# gunicorn, {WORKERS} {WORKER_CLASS} workers: {lookup} -> {answer}", flush=True)
            figures = {}
            for label, path, token in (
                ("bare_json_view", "/bench/bare", ""),
                ("rights_lookup", "/api/coverage/lookup", key),
            ):
                _wrk(base, path, token, WARM_UP, tmp)
                figures[label] = _wrk(base, path, token, DURATION, tmp)
                rate, p99, p50, bad, errors = figures[label]
                print(
                    f"# {label}: {rate:.0f} req/s, median {p50:.1f} ms, p99 {p99:.1f} ms, "
                    f"{bad} non-2xx answers, {errors} socket errors",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    lookup_rate, lookup_p99 = figures["rights_lookup"][:2]
    bare_rate, bare_p99 = figures["bare_json_view"][:2]
    print(
        f"rights_lookup: {lookup_rate:.0f} req/s ({STUDENTS} insured students, {lookup_rate / bare_rate:.0%} of the bare view)"
    )
    print(f"rights_lookup_p99: {lookup_p99:.1f} ms")
    print(f"bare_json_view: {bare_rate:.0f} req/s")
    print(f"bare_json_view_p99: {bare_p99:.1f} ms")
