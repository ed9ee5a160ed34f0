"""Every dashboard says what to do next (issue 13, item 9): the student's file and its one
action, what a legal entity owes and by when, CNOPS's work queues counted as their pages count."""

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amo.contributions.tests.factories import csv_statement
from amo.enrollment.services import registration_decide, registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.web.dashboards import student_next_step

pytestmark = pytest.mark.django_db


def _request(status: str, **more: Any) -> SimpleNamespace:
    return SimpleNamespace(pk=7, status=status, signed_form_id=None, **more)


@pytest.mark.parametrize(
    ("status", "contribution", "url"),
    [
        ("to_correct", "awaited", ("enrollment:my_request_correct", 7)),
        ("rejected", "not_computed", ("enrollment:entries",)),
        ("refused_anam", "exempt", ("enrollment:my_requests",)),
        ("suspended", "overdue", ("enrollment:my_requests",)),
        ("sent_to_cnops", "overdue", ("enrollment:my_requests",)),
        ("closed", "paid", ("enrollment:entries",)),
        ("expired", "paid", ("enrollment:entries",)),
        ("pending_anam", "exempt", ("enrollment:my_requests",)),
    ],
)
def test_the_students_next_step_follows_the_status(status: str, contribution: str, url: tuple[Any, ...]) -> None:
    step = student_next_step(_request(status), contribution)
    assert step.url == reverse(url[0], args=url[1:]) and str(step.text) and str(step.action)


def test_an_insured_student_is_offered_the_certificate() -> None:
    step = student_next_step(_request("insured"), "exempt", SimpleNamespace(pk=3))
    assert step.url == reverse("coverage:certificate", args=[3])


def test_a_student_without_request_is_offered_to_register() -> None:
    assert student_next_step(None, "").url == reverse("enrollment:entries")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_students_dashboard_shows_the_status_reason_and_action_not_always_register(
    world: Any, language: str
) -> None:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="higher_education", data=registration_input(world.mine.institution)
    )
    registration_decide(actor=world.users["institution"], request=request, target="to_correct", comment="Massar erroné")
    client = world.client("student")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/dashboard/").content.decode()
    section = html.split('data-testid="section-student"', 1)[1]
    assert "Massar erroné" in section
    action = re.search(r'<a class="button" href="([^"]+)" data-testid="next-action">', section)
    assert action and action.group(1) == reverse("enrollment:my_request_correct", args=[request.pk])
    assert f'href="{reverse("enrollment:entries")}"' not in section  # no "Register" while a request runs


def test_the_private_legal_entity_sees_what_it_owes_and_its_deadline_and_no_affiliation_offer(
    private: Any, private_agent: Any
) -> None:
    entity, dues = private
    html = private_agent.get("/dashboard/").content.decode()
    owed = html.split('data-testid="owed"', 1)[1].split("</div>", 1)[0]
    assert "800,00" in owed and "2 étudiants" in owed
    assert dues[0].due_on.strftime("%d/%m/%Y") in owed
    assert reverse("organisations:affiliation_new", args=[entity.pk]) not in html  # every institution affiliated


def test_cnops_work_queues_count_as_the_pages_they_link_to(world: Any, private: Any) -> None:
    cnops = world.client("cnops")
    statement = csv_statement(("2026-10-06", "VIR SANS REFERENCE", "800,00"))
    cnops.post("/contributions/cnops/", {"file": SimpleUploadedFile("r.csv", statement)})
    html = cnops.get("/dashboard/").content.decode()
    to_reconcile = re.search(r'data-testid="queue-to-reconcile">(\d+)<', html)
    ready = re.search(r'data-testid="queue-ready-for-anam">(\d+)<', html)
    assert to_reconcile and ready
    assert int(to_reconcile.group(1)) == 1
    assert "VIR SANS REFERENCE" in cnops.get("/contributions/cnops/").content.decode()
    assert int(ready.group(1)) == cnops.get("/eligibility/").context["ready"]
