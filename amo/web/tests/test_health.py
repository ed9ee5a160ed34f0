"""The health endpoint, the request id and the structured log lines (README: Production)."""

import datetime as dt
import logging
from typing import Any

from django.test import Client

from amo.common import clock
from amo.common.logs import KeyValueFormatter, RequestIdFilter, request_id
from amo.notifications.models import OutboxMessage


def test_health_answers_one_word_per_check_and_nothing_else(db: Any) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok", "outbox": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_a_task_waiting_unclaimed_is_a_stalled_worker(db: Any, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from amo.enrollment.tasks import signed_form_render

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    signed_form_render.enqueue(1)
    assert Client().get("/health/").status_code == 200  # just enqueued: the worker has time
    DBTaskResult.objects.update(enqueued_at=clock.now() - dt.timedelta(minutes=settings.HEALTH_WORKER_MINUTES + 1))
    response = Client().get("/health/")
    assert response.status_code == 503 and response.json()["worker"] == "stalled"
    assert response.json()["status"] == "failing"
    # A worker that claimed a task lately is alive, however long the queue.
    DBTaskResult.objects.update(started_at=clock.now())
    assert Client().get("/health/").json()["worker"] == "ok"


def test_an_email_waiting_too_long_is_an_outbox_behind_unless_kept_on_purpose(db: Any, settings: Any) -> None:
    message = OutboxMessage.objects.create(to="a@example.ma", subject="s", body_text="t", language="fr")
    assert Client().get("/health/").status_code == 200
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=clock.now() - dt.timedelta(hours=2))
    response = Client().get("/health/")
    assert response.status_code == 503 and response.json()["outbox"] == "behind"
    settings.EMAIL_KEEP_IN_OUTBOX = True
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json()["outbox"] == "kept"


def test_a_plain_incoming_request_id_is_kept_and_anything_else_replaced(db: Any) -> None:
    client = Client()
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-0123456789")["X-Request-ID"] == "lb-0123456789"
    for bad in ('x" level=ERROR', "a\nb-12345678", "short", "x" * 200):
        replaced = client.get("/health/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert replaced != bad and len(replaced) == 32 and replaced.isalnum()
    assert len(client.get("/")["X-Request-ID"]) == 32  # every answer has one


def test_log_lines_are_key_value_with_the_request_id() -> None:
    record = logging.LogRecord("amo.test", logging.WARNING, __file__, 1, 'upload "list.csv"\nrefused', None, None)
    token = request_id.set("req-12345678")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert " level=WARNING logger=amo.test request_id=req-12345678 " in line
    assert line.endswith('msg="upload \\"list.csv\\"\\nrefused"')
