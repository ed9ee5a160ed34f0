"""Medical control at scale: the controller's queue page and the provider's requests page with
BENCH_ROWS (default 1,000,000) PEC requests in PostgreSQL, next to a bare page of the same run
(the public /verify/ form: the site's layout, no query of its own); then decisions through the API
(POST /api/approvals/requests/{id}/refuse, a controller's bearer token) under gunicorn, next to a
bare JSON view served by the same gunicorn, settings and middleware.

Prints controller_queue_page and provider_requests_page (ms, median of 20 loads of the first
page, in-process through Django's test client, the session of a logged-in controller or
provider), bare_page (ms), decision_api and bare_json_view (requests per second, wrk, 8
connections, 10 s after a 2 s warm-up; every decision is a different request, so each one
writes: the status, the audit row, the e-mails queued and the document's task). The requests are
made on the server (generate_series) over 12 offices and 60 providers, a third of them still to
decide; they are kept between runs when their count is right."""

import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
DECISIONS = 60000  # fresh requests in the bench office for the decision API (more than 10 s can decide)
OFFICES, PROVIDERS = 12, 60
WORKERS, CONNECTIONS, WARM_UP, DURATION = 2, 8, 2, 10
ROOT = Path(__file__).resolve().parent.parent

SETTINGS_MODULE = """
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_approvals_urls"
STATIC_ROOT = %(static)r
"""
URLS_MODULE = """
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as platform


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare), *platform]
"""
# One wrk thread: each request decides the next fresh request (ids first + 1, first + 2, ...).
WRK_SCRIPT = """
local first, path, token = %(first)d, "%(path)s", "%(token)s"
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  n = 0
end
function request()
  if path == "/bench/bare" then return wrk.format("GET", path) end
  n = n + 1
  return wrk.format("POST", string.format(path, first + n), nil, '{"reason": "duplicate"}')
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def _world() -> dict[str, object]:
    from amo.accounts.models import Role, User
    from amo.accounts.services import membership_grant
    from amo.organisations.models import CareProvider, CnopsOffice, Region

    region = Region.objects.get(code="06")
    offices = []
    for n in range(OFFICES):
        office, _ = CnopsOffice.objects.get_or_create(
            code=f"BENCH-DR{n:02d}",
            defaults={"name_fr": f"Délégation banc {n}", "name_ar": "مندوبية", "kind": "delegation", "city": "X"},
        )
        offices.append(office)
    providers = []
    for n in range(PROVIDERS):
        provider, _ = CareProvider.objects.get_or_create(
            inpe=f"BENCHAP{n:04d}",
            defaults={"name": f"Clinique banc {n}", "kind": "clinic", "city": "Casablanca", "region": region},
        )
        providers.append(provider)
    users = {}
    for email, role, field, org in (
        ("bench-controller@example.ma", Role.MEDICAL_CONTROLLER, "cnops_office", offices[0]),
        ("bench-clinic@example.ma", Role.PROVIDER_AGENT, "provider", providers[0]),
    ):
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, "x")
        membership_grant(actor=None, user=user, role=role, **{field: org})
        users[email] = user
    return {"offices": offices, "providers": providers, **users}


def _insured_id() -> int:
    """One insured student (the requests' student; the pages do not read their rights)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM coverage_insured ORDER BY id LIMIT 1")
        row = cursor.fetchone()
        if row:
            return int(row[0])
        cursor.execute(
            "INSERT INTO enrollment_student (id_type, id_number, massar, last_name, first_name, last_name_ar, "
            "first_name_ar, birth_date, birth_place, sex, nationality, address, email, phone, rib, updated_at) "
            "VALUES ('cin', 'BA999999', '', 'Bench', 'Approvals', '', '', date '2004-01-01', '', 'F', 'Marocaine', "
            "'', '', '', '', now()) RETURNING id"
        )
        student = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO coverage_insured (student_id, number, id_number, created_at) "
            "VALUES (%s, 'AEBENCH', 'BA999999', now()) RETURNING id",
            [student],
        )
        return int(cursor.fetchone()[0])


def _insert(cursor: object, count: int, office_sql: str, provider_sql: str, status_sql: str, number: str) -> None:
    cursor.execute(  # type: ignore[attr-defined]
        "INSERT INTO approvals_approvalrequest (number, source, provider_id, care_file_ref, insured_id, kind_id, "
        "urgent, planned_from, diagnosis_id, planned_acts, quote, office_id, status, submitted_at, due_at, "
        "question, question_withdrawn, answer, sessions_used, partial, comment, waiting) "
        f"SELECT '{number}' || lpad(g::text, 9, '0'), 'provider', {provider_sql}, '', %(insured)s, %(kind)s, "
        "g %% 7 = 0, date '2027-01-15', %(diagnosis)s, 'K 50', 12000, "
        f"{office_sql}, {status_sql}, now() - (g %% 2000) * interval '1 hour', "
        "now() - (g %% 2000) * interval '1 hour' + interval '72 hours', '', false, '', 0, false, '', "
        f"{status_sql} = 'information_requested' "
        "FROM generate_series(1, %(count)s) g",
        ATTRS | {"count": count},
    )


ATTRS: dict[str, object] = {}


def setup() -> dict[str, object]:
    from amo.approvals.models import ApprovalRequest, RequestKind
    from amo.referentials.models import Icd10Code

    world = _world()
    offices = [o.pk for o in world["offices"]]  # type: ignore[attr-defined]
    providers = [p.pk for p in world["providers"]]  # type: ignore[attr-defined]
    ATTRS.update(
        insured=_insured_id(),
        kind=RequestKind.objects.get(code="dialysis_series").pk,
        diagnosis=Icd10Code.objects.get(code="N18.5").pk,
    )
    bench = ApprovalRequest.objects.filter(number__startswith="BQ")
    if bench.count() != ROWS:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM approvals_approvalrequest WHERE number LIKE 'BQ%%' OR number LIKE 'BD%%'")
            office = f"(ARRAY{offices})[1 + g %% {OFFICES}]"
            provider = f"(ARRAY{providers})[1 + (g / 7) %% {PROVIDERS}]"
            status = "(ARRAY['submitted','agreed','refused','information_requested','agreed','withdrawn'])[1 + g %% 6]"
            _insert(cursor, ROWS, office, provider, status, "BQ")
        print(f"# {ROWS} PEC requests made in {time.perf_counter() - started:.1f} s", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:  # fresh requests for the decisions
        cursor.execute("DELETE FROM approvals_approvalrequest WHERE number LIKE 'BD%%'")
        _insert(cursor, DECISIONS, str(offices[0]), str(providers[1]), "'submitted'", "BD")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE approvals_approvalrequest")
    return world


def _median_ms(client: object, path: str, expect: bytes) -> float:
    times = []
    for _ in range(22):
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and expect in response.content, (path, response.status_code)
    return statistics.median(times[2:])


def _pages(world: dict[str, object]) -> None:
    from django.test import Client

    controller, clinic, bare = Client(), Client(), Client()
    controller.force_login(world["bench-controller@example.ma"])  # type: ignore[arg-type]
    clinic.force_login(world["bench-clinic@example.ma"])  # type: ignore[arg-type]
    queue = _median_ms(controller, "/approvals/queue/", b'data-testid="overdue"')
    mine = _median_ms(clinic, "/approvals/", b"BQ")
    page = _median_ms(bare, "/verify/", b"<form")
    print(f"controller_queue_page: {queue:.1f} ms (bare_page: {page:.1f} ms, {ROWS} requests)", flush=True)
    print(f"provider_requests_page: {mine:.1f} ms (bare_page: {page:.1f} ms, {ROWS} requests)", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wrk(base: str, path: str, first: int, token: str, seconds: int, tmp: Path) -> tuple[float, float, int, int]:
    script = tmp / "bench.lua"
    script.write_text(WRK_SCRIPT % {"first": first, "path": path, "token": token}, encoding="utf-8")
    url = base + (path if path == "/bench/bare" else "/api/approvals/queue")
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration_us, p99_us, status_errors, socket_errors = (int(v) for v in line.split()[1:])
    return requests / (duration_us / 1e6), p99_us / 1000, status_errors, socket_errors


def _decisions(world: dict[str, object]) -> None:
    from amo.accounts.services import api_token_create
    from amo.approvals.models import ApprovalRequest

    _token, key = api_token_create(user=world["bench-controller@example.ma"], name="bench")  # type: ignore[arg-type]
    first = ApprovalRequest.objects.filter(number__startswith="BD").order_by("pk").values_list("pk", flat=True)[0] - 1
    decide = "/api/approvals/requests/%d/refuse"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="amo-bench-approvals-") as name:
        tmp = Path(name)
        (tmp / "static").mkdir()
        (tmp / "bench_approvals_settings.py").write_text(
            SETTINGS_MODULE % {"static": str(tmp / "static")}, encoding="utf-8"
        )
        (tmp / "bench_approvals_urls.py").write_text(URLS_MODULE, encoding="utf-8")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_approvals_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
            "AMO_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_KEEP_IN_OUTBOX": "1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
        }
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                "--worker-class=sync",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(300):  # gunicorn's socket is open before its workers have loaded Django
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    probe.request("GET", "/bench/bare")
                    if probe.getresponse().status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            _wrk(base, "/bench/bare", 0, key, WARM_UP, tmp)
            bare, bare_p99, _s, _e = _wrk(base, "/bench/bare", 0, key, DURATION, tmp)
            warm, *_rest = _wrk(base, decide, first, key, WARM_UP, tmp)
            first += int(warm * WARM_UP) + 100
            rate, p99, status_errors, socket_errors = _wrk(base, decide, first, key, DURATION, tmp)
        finally:
            server.terminate()
            server.wait(timeout=30)
    refused = ApprovalRequest.objects.filter(number__startswith="BD", status="refused").count()
    print(
        f"decision_api: {rate:.0f} req/s (p99 {p99:.1f} ms, {status_errors} non-2xx, {socket_errors} socket errors; "
        f"{refused} requests refused in all) bare_json_view: {bare:.0f} req/s (p99 {bare_p99:.1f} ms)",
        flush=True,
    )


def run() -> None:
    world = setup()
    _pages(world)
    if shutil.which("wrk") is None:
        raise SystemExit("bench_approvals drives the decisions with wrk: apt-get install wrk")
    _decisions(world)
