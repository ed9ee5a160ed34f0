"""A registration season's mix against gunicorn (2 sync workers, debug off, as in production) and
the task worker, on PostgreSQL, loopback only: anonymous visitors, care providers looking rights
up, students signing in and submitting their registration, institution agents deciding, CNOPS
agents reading their dashboards.

Each step runs BENCH_SEASON_USERS virtual users (default 10, 30 and 50) for BENCH_SEASON_SECONDS
(default 30 s) each; every user waits 0.5 to 1.5 s (a person reading) between two requests.
The load is made by Python threads with `requests` (one session per user; the students' and
agents' sign-in is a real form post with its CSRF token), which keeps a student's whole path
(sign in, form, submit, then fetch the signed form, waiting for it while it is being prepared)
in one readable loop; wrk (bench_lookup) cannot follow such a path.

Prints season_mix (requests per second over all steps), season_mix_p95 and _p99 (ms),
season_mix_errors (5xx, refused connections, and any answer the path did not expect),
bare_json_view (wrk against the same gunicorn, as in bench_lookup) and season_check: once the
worker has done its work, every submit and decision answered as done is in the database exactly
once, every signed form exists, and every e-mail was written once and received once by the local
SMTP server (aiosmtpd) the benchmark starts."""

import datetime as dt
import itertools
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from django.db import transaction

from benchmarks import bench_lookup

STEPS = [int(n) for n in os.environ.get("BENCH_SEASON_USERS", "10,30,50").split(",")]
SECONDS = int(os.environ.get("BENCH_SEASON_SECONDS", "30"))
THINK = (0.5, 1.5)
DOCUMENT_WAIT = 60  # seconds a student waits for their signed form before it counts as an error
# The roles of ten users in a row: 3 anonymous, 2 providers, 3 students, 1 institution agent, 1 CNOPS agent.
ROLES = [
    "anonymous",
    "provider",
    "student",
    "anonymous",
    "agent",
    "student",
    "provider",
    "anonymous",
    "cnops",
    "student",
]
POOL = 3000  # student accounts made for one run (far more than the submits of a run)
PASSWORD = "Season-Bench-2026"  # noqa: S105 - the benchmark's own accounts
CIN_PREFIX = "QS"
ROOT = Path(__file__).resolve().parent.parent


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.routes: dict[str, list[float]] = {}  # "GET /registration/requests/{id}/form.pdf" -> latencies
        self.errors: list[str] = []
        self.submits: list[str] = []  # CIN of each submit answered as done
        self.decisions: list[int] = []  # request ids decided (validated) with a 200
        self.documents = 0  # signed forms fetched

    def record(self, route: str, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.routes.setdefault(route, []).append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


class User:
    def __init__(self, base: str, stats: Stats, stop: float) -> None:
        self.base, self.stats, self.stop = base, stats, stop
        self.session = requests.Session()

    def get(self, path: str, expect: tuple[int, ...] = (200,), **kwargs) -> requests.Response | None:
        return self.call("GET", path, expect, **kwargs)

    def call(self, method: str, path: str, expect: tuple[int, ...], **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=60, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            self.stats.error(f"{method} {path}: {type(exc).__name__}")
            return None
        route = re.sub(r"\d+", "{id}", path.split("?", 1)[0])
        self.stats.record(f"{method} {route}", time.perf_counter() - started)
        if response.status_code not in expect:
            self.stats.error(f"{method} {path}: {response.status_code}")
            return None
        return response

    def post_form(self, path: str, data: dict[str, str], expect: tuple[int, ...] = (302,)) -> requests.Response | None:
        token = self.session.cookies.get("csrftoken", "")
        return self.call(
            "POST", path, expect, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": self.base}
        )

    def think(self) -> bool:
        time.sleep(random.uniform(*THINK))
        return time.monotonic() < self.stop

    def sign_in(self, email: str) -> bool:
        if self.get("/accounts/login/") is None:
            return False
        return self.post_form("/accounts/login/", {"username": email, "password": PASSWORD}) is not None


def anonymous(user: User, _world: dict) -> None:
    pages = ["/", "/registration/", "/static/web/app.css", "/verify/", "/registration/entry/higher_education/"]
    while user.think():
        user.get(random.choice(pages))


def provider(user: User, world: dict) -> None:
    headers = {"Authorization": f"Bearer {world['provider_key']}"}
    while user.think():
        n = random.randint(1, bench_lookup.STUDENTS)
        number = f"NX{n:07d}" if random.randint(1, 20) == 1 else f"{bench_lookup.PREFIX}{n:07d}"
        user.get(f"/api/coverage/lookup?id_number={number}&on={bench_lookup.ON}", headers=headers)


def student(user: User, world: dict) -> None:
    """One student after another: sign in, open the form, submit, fetch the signed form."""
    while time.monotonic() < user.stop:
        email, cin, n = next(world["students"])
        user.session = requests.Session()
        if not user.sign_in(email) or not user.think():
            continue
        if user.get("/registration/entry/higher_education/") is None or not user.think():
            continue
        form = {
            "id_type": "cin",
            "id_number": cin,
            "massar": "",
            "last_name": "Saison",
            "first_name": f"Etudiant {n}",
            "birth_date": "2004-05-10",
            "birth_place": "Rabat",
            "sex": "F" if n % 2 else "M",
            "nationality": "Marocaine",
            "address": "Agdal, Rabat",
            "email": email,
            "phone": "0612345678",
            "institution_id": str(world["institution_id"]),
            "track": "Licence",
            "academic_year_id": str(world["year_id"]),
            "registered_on": world["registered_on"],
            "no_other_coverage": "1",
            "consent": "on",
            "acknowledged": "on",
        }
        if user.post_form("/registration/entry/higher_education/", form) is None:
            continue
        with user.stats.lock:
            user.stats.submits.append(cin)
        user.get("/registration/my/")
        listed = user.get("/api/registration/requests")
        if listed is None:
            continue
        pk = listed.json()["items"][0]["id"]
        with world["lock"]:
            world["queue"].append(pk)
        deadline = time.monotonic() + DOCUMENT_WAIT
        while True:  # the signed form: there at once, or "being prepared" (202, or 404 before issue 14)
            time.sleep(1)
            answer = user.get(f"/registration/requests/{pk}/form.pdf", expect=(200, 202, 404))
            if answer is not None and answer.status_code == 200:
                with user.stats.lock:
                    user.stats.documents += 1
                break
            if answer is None or time.monotonic() > deadline:
                user.stats.error(f"signed form of request {pk} not ready after {DOCUMENT_WAIT} s")
                break
        user.think()


def agent(user: User, world: dict) -> None:
    """The institution's queue (page), then one submitted request validated through the API."""
    if not user.sign_in(world["agent_email"]):
        return
    headers = {"Authorization": f"Bearer {world['agent_key']}"}
    while user.think():
        user.get("/registration/institution/")
        if not user.think():
            break
        listed = user.get("/api/registration/requests?status=submitted&limit=20", headers=headers)
        if listed is None:
            continue
        with world["lock"]:  # a request of this run (earlier runs left theirs in the queue)
            pk = world["queue"].pop(0) if world["queue"] else None
        if pk and user.call(
            "POST", f"/api/registration/requests/{pk}/decision", (200,), json={"action": "validated"}, headers=headers
        ):
            with user.stats.lock:
                user.stats.decisions.append(pk)


def cnops(user: User, world: dict) -> None:
    if not user.sign_in(world["cnops_email"]):
        return
    while user.think():
        user.get(random.choice(["/registration/cnops/", "/dashboard/"]))


def setup(run: str) -> dict:
    """The season's institution (affiliated, on the eligible list), its agent, a CNOPS agent, a
    provider (bench_lookup's, with its insured students) and a pool of verified students."""
    from django.contrib.auth.hashers import make_password

    from amo.accounts.models import Membership, Role
    from amo.accounts.models import User as Account
    from amo.accounts.services import api_token_create, membership_grant
    from amo.common import clock
    from amo.enrollment.models import Student
    from amo.organisations.models import CnopsOffice, Institution, InstitutionCategory, LegalEntity, Region
    from amo.referentials.models import AcademicYear

    provider_key = bench_lookup.setup()
    year = AcademicYear.objects.filter(registration_open=True).order_by("-starts_on").first()
    assert year is not None, "no academic year open for registration"
    with transaction.atomic():
        entity, _ = LegalEntity.objects.get_or_create(name_fr="Bench season university", defaults={"law": "public"})
        institution, _ = Institution.objects.get_or_create(
            code="BENCH-SEASON",
            defaults={
                "name_fr": "Faculté de la saison",
                "name_ar": "كلية الموسم",
                "city": "Rabat",
                "region": Region.objects.get(code="04"),
                "category": InstitutionCategory.objects.get(code="univ"),
                "legal_entity": entity,
            },
        )
        Institution.objects.filter(pk=institution.pk).update(on_eligible_list=True, affiliated_on=year.starts_on)
        office = CnopsOffice.objects.order_by("pk").first()
        hashed = make_password(PASSWORD)
        people = {}
        for kind, role, organisation in (
            ("agent", Role.INSTITUTION_AGENT, {"institution": institution}),
            ("cnops", Role.CNOPS_AGENT, {"cnops_office": office}),
        ):
            email = f"season-{kind}@bench.example.ma"
            account = Account.objects.filter(email=email).first() or Account.objects.create_user(email, PASSWORD)
            account.password = hashed
            account.save(update_fields=["password"])
            membership_grant(actor=None, user=account, role=role, **organisation)
            people[kind] = account
        _token, agent_key = api_token_create(user=people["agent"], name="season bench")
        now = clock.now()
        accounts = Account.objects.bulk_create(
            Account(email=f"season-{run}-{n}@bench.example.ma", password=hashed, email_verified_at=now)
            for n in range(POOL)
        )
        Membership.objects.bulk_create(Membership(user=a, role=Role.STUDENT) for a in accounts)
        last = (
            Student.objects.filter(id_number__startswith=CIN_PREFIX)
            .order_by("-id_number")
            .values_list("id_number", flat=True)
            .first()
        )
    first = int(last[len(CIN_PREFIX) :]) + 1 if last else 1
    assert first + POOL < 1_000_000, "season CIN numbers used up: drop the benchmark database"
    students = ((f"season-{run}-{n}@bench.example.ma", f"{CIN_PREFIX}{first + n:06d}", n) for n in range(POOL))
    return {
        "provider_key": provider_key,
        "agent_key": agent_key,
        "agent_email": people["agent"].email,
        "cnops_email": people["cnops"].email,
        "institution_id": institution.pk,
        "year_id": year.pk,
        "registered_on": (year.starts_on + dt.timedelta(days=14)).isoformat(),
        "students": _locked(students),
        "lock": threading.Lock(),
        "queue": [],
        "run": run,
    }


def _locked(iterator):
    lock = threading.Lock()

    class Locked:
        def __next__(self):
            with lock:
                return next(iterator)

    return Locked()


def _step(base: str, world: dict, users: int, stats: Stats) -> None:
    stop = time.monotonic() + SECONDS
    kinds = {"anonymous": anonymous, "provider": provider, "student": student, "agent": agent, "cnops": cnops}
    threads = [
        threading.Thread(target=kinds[role], args=(User(base, stats, stop), world), daemon=True)
        for role in itertools.islice(itertools.cycle(ROLES), users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + DOCUMENT_WAIT + 60)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def _drain(seconds: int = 180) -> bool:
    """Wait for the worker to finish every task (documents, e-mails)."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            return True
        time.sleep(1)
    return False


def _check(world: dict, stats: Stats, inbox: list[str]) -> str:
    """Nothing written lost or doubled: the database against what the answers said was done."""
    from amo.enrollment.models import RegistrationEvent, RegistrationRequest
    from amo.notifications.models import OutboxMessage

    problems = []
    drained = _drain()
    if not drained:
        problems.append("the worker did not finish within 180 s")
    mine = RegistrationRequest.objects.filter(student__email__startswith=f"season-{world['run']}-")
    submitted = sorted(mine.values_list("student__id_number", flat=True))
    if submitted != sorted(stats.submits):
        problems.append(f"{len(stats.submits)} submits answered, {len(submitted)} requests in the database")
    events = RegistrationEvent.objects.filter(request__in=mine)
    if (n := events.filter(status="submitted").count()) != len(stats.submits):
        problems.append(f"{n} 'submitted' events for {len(stats.submits)} submits")
    if (n := events.filter(status="validated").count()) != len(stats.decisions) or (
        mine.filter(status="validated").count() != len(stats.decisions)
    ):
        problems.append(f"{n} 'validated' events for {len(stats.decisions)} decisions")
    if (n := mine.filter(signed_form__isnull=False).count()) != len(stats.submits):
        problems.append(f"{n} signed forms for {len(stats.submits)} submits")
    outbox = OutboxMessage.objects.filter(to__startswith=f"season-{world['run']}-")
    expected = len(stats.submits) + len(stats.decisions)
    if (n := outbox.count()) != expected:
        problems.append(f"{n} e-mails written, {expected} expected")
    if (n := outbox.filter(status="sent").count()) != expected:
        problems.append(f"{n} e-mails sent, {expected} expected")
    received = [to for to in inbox if to.startswith(f"season-{world['run']}-")]
    if len(received) != expected or len(set(received)) * 2 < len(received):
        problems.append(f"{len(received)} e-mails received by the SMTP server, {expected} expected")
    summary = (
        f"{len(stats.submits)} submits, {len(stats.decisions)} decisions, {stats.documents} signed forms fetched, "
        f"{expected} e-mails"
    )
    return f"ok ({summary})" if not problems else f"FAILED ({summary}): " + "; ".join(problems)


def run() -> None:
    from aiosmtpd.controller import Controller

    if bench_lookup.shutil.which("wrk") is None:
        raise SystemExit("bench_season measures bare_json_view with wrk: apt-get install wrk")
    from amo.common import clock

    run = clock.now().strftime("%Y%m%d%H%M%S")
    world = setup(run)
    from django_tasks_db.models import DBTaskResult

    # Tasks the other benchmarks left enqueued (no worker ran then) would take this worker's time.
    stale, _ = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).delete()
    if stale:
        print(f"# {stale} tasks left by earlier benchmarks dropped from the benchmark database", flush=True)
    inbox: list[str] = []

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            inbox.extend(envelope.rcpt_tos)
            return "250 OK"

    smtp_port = bench_lookup._free_port()
    smtp = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    port = bench_lookup._free_port()
    base = f"http://127.0.0.1:{port}"
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="amo-bench-season-") as name:
        tmp = Path(name)
        (tmp / "bench_lookup_settings.py").write_text(
            bench_lookup.SETTINGS_MODULE % {"static": str(tmp / "static")}, encoding="utf-8"
        )
        (tmp / "bench_lookup_urls.py").write_text(bench_lookup.URLS_MODULE, encoding="utf-8")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_lookup_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
            "AMO_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": base,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "ERROR",
            "COVERAGE_LOOKUPS_PER_MINUTE": "0",
            "AXES_FAILURE_LIMIT": "1000",
        }
        python = sys.executable
        subprocess.run(  # noqa: S603 - static files served by WhiteNoise, as in production
            [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    str(Path(python).with_name("gunicorn")),
                    "config.wsgi:application",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={bench_lookup.WORKERS}",
                    f"--worker-class={bench_lookup.WORKER_CLASS}",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(  # noqa: S603 - the task worker, as in production
                [python, "manage.py", "db_worker", "--interval", "1", "--no-reload"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(base + "/bench/bare", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.2)
            assert requests.get(base + "/static/web/app.css", timeout=5).status_code == 200, "static files not served"
            bench_lookup._wrk(base, "/bench/bare", "", bench_lookup.WARM_UP, tmp)
            bare_rate, bare_p99 = bench_lookup._wrk(base, "/bench/bare", "", bench_lookup.DURATION, tmp)[:2]
            stats = Stats()
            started = time.monotonic()
            for users in STEPS:
                before = len(stats.latencies)
                step_started = time.monotonic()
                _step(base, world, users, stats)
                step = stats.latencies[before:]
                print(
                    f"# season {users} users, {SECONDS} s: {len(step) / (time.monotonic() - step_started):.1f} req/s, "
                    f"p95 {_percentile(step, 0.95):.0f} ms, p99 {_percentile(step, 0.99):.0f} ms",
                    flush=True,
                )
            elapsed = time.monotonic() - started
            check = _check(world, stats, inbox)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            smtp.stop()
    # Where the workers' time went: each route's count, median, p95 and total, the costliest first.
    for route, values in sorted(stats.routes.items(), key=lambda item: -sum(item[1]))[:12]:
        print(
            f"# {route}: {len(values)} requests, median {_percentile(values, 0.5):.0f} ms, "
            f"p95 {_percentile(values, 0.95):.0f} ms, {sum(values):.0f} s in all"
        )
    for error in sorted(set(stats.errors))[:10]:
        print(f"# error: {error} (x{stats.errors.count(error)})")
    print(
        f"season_mix: {len(stats.latencies) / elapsed:.1f} req/s ({'/'.join(map(str, STEPS))} users, {SECONDS} s each)"
    )
    print(f"season_mix_p95: {_percentile(stats.latencies, 0.95):.0f} ms")
    print(f"season_mix_p99: {_percentile(stats.latencies, 0.99):.0f} ms")
    print(f"season_mix_errors: {len(stats.errors)}")
    print(f"bare_json_view: {bare_rate:.0f} req/s (p99 {bare_p99:.1f} ms, same gunicorn)")
    print(f"season_check: {check}")
    if not check.startswith("ok"):
        raise SystemExit(1)
