"""schemathesis over the whole OpenAPI schema, as a student, an institution agent and a CNOPS
administrator (API tokens), on the demo data: no server error, every status code and body as the
schema declares them.

Each operation is called with valid and with invalid input (positive and negative modes). The
number of examples per operation and mode is AMO_SCHEMATHESIS_EXAMPLES (two by default, so the
suite stays quick; .ci/run asks many more on PostgreSQL) and the run stops starting operations
after AMO_SCHEMATHESIS_SECONDS. Every failure is collected, then reported together."""

import os
import time
import warnings
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from amo.accounts.models import User
from amo.accounts.services import api_token_create
from amo.web.demo import load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

PERSONAS = {
    "student": "etudiant@demo.amo.ma",
    "institution": "etablissement@demo.amo.ma",
    "admin": "admin@demo.amo.ma",
}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("AMO_SCHEMATHESIS_EXAMPLES", "2"))
SECONDS = float(os.environ.get("AMO_SCHEMATHESIS_SECONDS", "60"))


@pytest.fixture
def wsgi_app(settings: Any) -> Any:
    """Django's WSGI handler inside the test's transaction: the request signals must not close
    the test's connection (Django's test client does the same)."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(wsgi_app: Any) -> None:
    load_demo()  # the demo data, as `make demo` loads it
    tokens = {
        persona: api_token_create(user=User.objects.get(email=email), name="schemathesis")[1]
        for persona, email in PERSONAS.items()
    }
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    failures: dict[str, str] = {}
    skipped: list[str] = []
    stop_at = time.monotonic() + SECONDS
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]  # every operation of our schema resolves
    assert len(operations) > 40
    for operation in operations:  # personas inside: a run cut short by time loses operations, not a persona
        if time.monotonic() > stop_at:
            skipped.append(operation.label)
            continue
        for persona, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}", "Accept-Language": "ar"}
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                label = f"{persona} {operation.label}"
                try:
                    _explore(operation.as_strategy(generation_mode=mode), headers, failures, label)
                except Unsatisfiable:
                    pass  # nothing to make invalid (an operation without parameters, in negative mode)
                except (Exception, BaseExceptionGroup) as exc:  # a check's failure is already recorded
                    failures.setdefault(label, f"{type(exc).__name__}: {exc}"[:1500])
    if skipped:
        warnings.warn(f"schemathesis: out of time, {len(skipped)} operations not explored: {skipped}", stacklevel=1)
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())


def _explore(strategy: Any, headers: dict[str, str], failures: dict[str, str], label: str) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:
            failures.setdefault(label, str(exc)[:1500])
            raise

    run()
