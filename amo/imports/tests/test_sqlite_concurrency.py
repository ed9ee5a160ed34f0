"""On SQLite (the embedded platform), a long list must not take the platform down: while an
import reads, checks and applies a file, logins and API calls wait their turn (busy timeout,
short transactions) instead of failing with "database is locked".

The scene is played in a separate process on a file-based SQLite database (the tests' database
is in memory, where connections do not wait for each other): the database is copied from the
tests' one, the busy timeout is set to 3 seconds, and reading each row of an XLSX list takes
0.25 s (8 s in all, far longer than the timeout), each chunk transaction 0.3 s more (shorter)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

SCENE = r"""
import json, threading, time, traceback
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.db import connection
from django.test import Client
from openpyxl import Workbook
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.accounts.models import Role
from amo.accounts.services import api_token_create, membership_grant, user_create
from amo.enrollment.tests.factories import open_year
from amo.imports import services
from amo.organisations.tests.factories import InstitutionFactory, category, region

year = open_year()
institution = InstitutionFactory(region=region("04"), category=category("univ"), affiliated_on=year.starts_on)
agent = user_create(actor=None, email="agent@example.ma", password="Correct-Horse-42")
membership_grant(actor=None, user=agent, role=Role.INSTITUTION_AGENT, institution=institution)
book = Workbook()
sheet = book.active
sheet.append(["id_number", "last_name", "first_name", "birth_date", "sex", "registered_on", "no_other_coverage"])
for n in range(ROWS):
    sheet.append([f"AB{n:06d}", "Bennani", "Salma", "2005-03-14", "F", "2026-09-20", "oui"])
book.save(FILE)
job = services.import_job_create(
    actor=agent,
    upload=SimpleUploadedFile("liste.xlsx", open(FILE, "rb").read()),
    academic_year=year,
    institution=institution,
)
keys = [api_token_create(user=agent, name=f"t{n}")[1] for n in range(100)]  # fresh: the first use is stamped
connection.close()

reading = threading.Event()
real_stage, real_lines = services._stage_one, getattr(services, "_apply_lines", None)

def slow_stage(*args, **kwargs):
    reading.set()
    time.sleep(0.25)
    return real_stage(*args, **kwargs)

def slow_chunk(*args, **kwargs):
    time.sleep(0.3)  # inside the chunk's transaction: the write lock is held
    return real_lines(*args, **kwargs)

services._stage_one = slow_stage
if real_lines is not None:
    services._apply_lines = slow_chunk
    services.APPLY_CHUNK = 4
outcome = {}

def run():
    try:
        outcome["job"] = services.import_run(job_id=job.pk).status
    except Exception as exc:
        outcome["job"] = repr(exc)
    finally:
        connection.close()

worker = threading.Thread(target=run)
worker.start()
reading.wait(10)
calls = []
while worker.is_alive() and keys:
    key = keys.pop()
    for name, call in (
        ("login", lambda: Client().post("/accounts/login/", {"username": "agent@example.ma", "password": "Correct-Horse-42"})),
        ("api", lambda: Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"})),
    ):
        try:
            calls.append([name, call().status_code])
        except Exception as exc:
            calls.append([name, repr(exc)[:200]])
    connection.close()
worker.join()
from amo.enrollment.models import RegistrationRequest
outcome["requests"] = RegistrationRequest.objects.count()
outcome["calls"] = calls
print("OUTCOME " + json.dumps(outcome))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the single writer is SQLite's")
@pytest.mark.django_db(transaction=True)  # no transaction open: the database can be copied
def test_logins_and_api_calls_succeed_while_a_long_import_runs_on_sqlite(tmp_path: Path, reference_data: Any) -> None:
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)  # the migrated schema and the reference data
    target.close()
    env = {
        **os.environ,
        "AMO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "SQLITE_BUSY_TIMEOUT": "3",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    script = SCENE.replace("ROWS", "32").replace("FILE", repr(str(tmp_path / "liste.xlsx")))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("OUTCOME ")]
    assert lines, done.stderr[-3000:]
    outcome = json.loads(lines[-1].removeprefix("OUTCOME "))
    assert outcome["job"] == "done" and outcome["requests"] == 32, outcome
    assert len(outcome["calls"]) >= 4, outcome  # the calls were made while the import ran
    assert [call for call in outcome["calls"] if call[1] not in (200, 302)] == []
