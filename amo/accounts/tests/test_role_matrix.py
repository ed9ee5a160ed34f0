"""The perimeter matrix of roles × actions: every role against every page and API operation.

The routes come from the URL configuration and the OpenAPI schema: a route that is not
classified below fails `test_every_route_is_in_the_matrix`, so a new page or endpoint cannot
ship without saying who may use it. Each persona then calls every route on one object of each
kind from world.mine's side (amo/accounts/tests/roles.py, `whole_chain`): a role of the route
is answered (anything but 401, 403, 404 and 5xx: a refused action, 409 or 422, still means
the role may act), every other role gets 403 or 404. A list answered to everyone (scoped by
perimeter) shows the chain's object to the roles of the route and nothing of it to the others.

The jobs (DOMAIN.md, "Actors"; amo/accounts/rules.py, ROLE_JOBS): the back office of CNOPS's
central office (agent, administrator) works on the nation, a delegation's agent on its regions;
the administrator also administers (parameters, outbox, hand-over export, ANAM's files when
relayed); the medical controller decides prior approvals and PEC (the approvals app: the queue of its
office), looks rights up and sees the providers of its perimeter, nothing of registration; a
care provider sends its PEC requests and reads their decisions;
the call centre looks rights up and reads a student's whole file; ANAM aggregates its channel
and answers the check.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from amo.accounts.tests.roles import add_personas, whole_chain
from amo.api.api import api
from amo.claims import services as claims
from amo.claims.models import CareFile, LiquidationRun
from amo.common.clock import now, today
from amo.enrollment.models import Student
from amo.referentials.models import DrugList

pytestmark = pytest.mark.django_db

ROLE_PERSONAS = [
    "student",
    "institution",
    "legal_entity",
    "aggregator",  # ONOUSC
    "anam",  # ANAM: aggregator and other-coverage registry
    "cnops",  # CNOPS agent, central office
    "delegation",  # CNOPS agent of a regional delegation
    "controller",  # medical controller of a delegation
    "controller_central",  # medical controller of the central office
    "admin",  # CNOPS administrator
    "call_centre",
    "deposit_point",
    "provider",
    "nobody",  # logged in, no role
]

PUBLIC = "public"  # anyone, logged in or not
ANY = "any"  # any logged-in user, with or without a role
NOT_CALLED = "not called"  # classified, but not called here (the reason is beside it)

CENTRAL = {"cnops", "admin"}
BACK_OFFICE = CENTRAL | {"delegation"}
LOOKUP = BACK_OFFICE | {"controller", "controller_central", "call_centre", "provider"}
REQUEST_READERS = {"student", "institution", "legal_entity", "aggregator"} | BACK_OFFICE
LIST_READERS = {"aggregator"} | CENTRAL
UPLOADERS = {"institution", "aggregator", "anam"} | CENTRAL
EXCHANGE = CENTRAL | {"anam"}
ANSWER = {"admin", "anam"}
PERIOD_READERS = {"student", "institution", "call_centre"} | CENTRAL
PUBLICATION_READERS = {"legal_entity", "institution"} | CENTRAL
CARE_FILE_READERS = {"student", "deposit_point", "call_centre"} | CENTRAL
STATEMENT_READERS = {"student", "call_centre"} | CENTRAL
SLIP_READERS = {"deposit_point"} | CENTRAL
CARE_LOOKUP = {"call_centre"} | CENTRAL
ENTITY_READERS = {"legal_entity"} | CENTRAL
# Medical control (issue 16): the provider its own requests, the controllers of the office the
# request is routed to (world.mine's delegation: not the central office's), the back office and
# the call centre the decision, the student their own; the medicine to the provider and controller.
APPROVAL_READERS = {"provider", "controller", "student", "call_centre"} | BACK_OFFICE
MEDICAL = {"provider", "controller"}
FIGURES = {"controller", "controller_central"} | BACK_OFFICE


def _pec(_chain: dict[str, Any]) -> dict[str, Any]:
    return {
        "id_number": "AB100001",
        "kind": "surgery",
        "planned_from": "2026-12-20",
        "diagnosis": "N18.5",
        "planned_acts": "K 50",
        "quote": "100.00",
    }


@dataclass(frozen=True)
class Case:
    method: str
    url: str  # formatted with the chain's keys
    who: str | frozenset[str]
    data: Any = None  # a form, a JSON body, or a function of the chain giving one
    json: bool = False
    sees: str = ""  # lists answered to everyone: a text of the page, or "items" for the API
    visitors: bool = False  # also answered to anonymous visitors (a page inviting them to sign up)
    reached: str = ""  # the code of a 404 that the service answers (the perimeter let the call through)


def case(method: str, url: str, who: Any, **kwargs: Any) -> Case:
    return Case(method, url, who if isinstance(who, str) else frozenset(who), **kwargs)


def _list_file(chain: dict[str, Any]) -> dict[str, Any]:
    content = (
        "institution_code;id_number;last_name;first_name;birth_date;sex;registered_on;no_other_coverage;email\n"
        f"{chain['institution_code']};AB777777;Alaoui;Omar;2005-01-01;M;2026-09-20;oui;omar@example.ma\n"
    ).encode()
    return {"file": SimpleUploadedFile("liste.csv", content)}


def _statement(_chain: dict[str, Any]) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("releve.csv", b"Date;Libelle;Montant\n08/10/2026;VIR X;1,00\n")}


def _registry(_chain: dict[str, Any]) -> dict[str, Any]:
    head = b"id_number;birth_date;scheme;role;starts_on;ends_on\n"
    return {"file": SimpleUploadedFile("registre.csv", head + b"AB888888;2004-05-01;cnss;insured;2010-01-01;\n")}


def _drugs(_chain: dict[str, Any]) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("medicaments.csv", b"code;nom;ppv;pbr\nM1;Doliprane 1 g;20,00;18,00\n")}


def _care_chain(world: Any, student_id: int) -> dict[str, int]:
    """The student's care files at Alice's deposit point: one deposited, one pre-declared, one on
    a slip sent to CNOPS, one received by CNOPS; and a national run."""
    student, point, agent = Student.objects.get(pk=student_id), world.mine.deposit_point, world.users["deposit_point"]

    def deposited() -> CareFile:
        return claims.care_file_create_at_deposit(
            actor=agent,
            deposit_point=point,
            student=student,
            kind="ordinary",
            first_act_on=today(),
            declared_amount=Decimal("100"),
        )

    care_file = deposited()
    pre = claims.care_file_predeclare(
        actor=None, student=student, kind="ordinary", first_act_on=today(), declared_amount=Decimal("50")
    )
    received = deposited()
    done = claims.slip_prepare(actor=agent, deposit_point=point, files=CareFile.objects.filter(pk=received.pk))
    claims.slip_send(actor=agent, slip=done)
    claims.slip_receive(actor=world.users["cnops"], slip=done)
    sent = claims.slip_prepare(actor=agent, deposit_point=point, files=CareFile.objects.filter(pk=deposited().pk))
    claims.slip_send(actor=agent, slip=sent)
    return {
        "care_file": care_file.pk,
        "care_file_pre": pre.pk,
        "care_file_received": received.pk,
        "slip": sent.pk,
        "run": LiquidationRun.objects.create().pk,
    }


def _verdicts(_chain: dict[str, Any]) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("verdicts.csv", b"entry;outcome;reason;scheme\n")}


# Pages, by their pattern in the URL configuration.
PAGES: dict[str, list[Case]] = {
    "": [case("GET", "/", PUBLIC)],
    "health/": [case("GET", "/health/", PUBLIC)],  # for a load balancer: one word per check
    "dashboard/": [case("GET", "/dashboard/", ANY)],
    "accounts/login/": [case("GET", "/accounts/login/", PUBLIC)],
    "accounts/logout/": [case("POST", "/accounts/logout/", NOT_CALLED)],  # ends the session
    "accounts/password-reset/": [case("GET", "/accounts/password-reset/", PUBLIC)],
    "accounts/password-reset/sent/": [case("GET", "/accounts/password-reset/sent/", PUBLIC)],
    "accounts/reset/<uidb64>/<token>/": [case("GET", "", NOT_CALLED)],  # a link of an e-mail
    "accounts/reset/done/": [case("GET", "/accounts/reset/done/", PUBLIC)],
    "accounts/signup/": [case("GET", "/accounts/signup/", PUBLIC)],
    "accounts/signup/sent/": [case("GET", "/accounts/signup/sent/", PUBLIC)],
    "accounts/verify/<str:token>/": [case("GET", "", NOT_CALLED)],  # a link of an e-mail
    "accounts/verify-resend/": [case("GET", "/accounts/verify-resend/", PUBLIC)],
    "accounts/tokens/": [case("GET", "/accounts/tokens/", ANY)],
    "accounts/tokens/<int:pk>/revoke/": [case("POST", "/accounts/tokens/{token}/revoke/", {"student"})],
    "organisations/catalogue/": [case("GET", "/organisations/catalogue/", PUBLIC)],
    "organisations/institutions/": [
        case(
            "GET",
            "/organisations/institutions/",
            {"institution", "legal_entity", "aggregator", "delegation"} | CENTRAL,
            sees="{institution_name}",
        )
    ],
    "organisations/institutions/<int:pk>/": [
        case(
            "GET",
            "/organisations/institutions/{institution}/",
            {"institution", "legal_entity", "aggregator", "delegation"} | CENTRAL,
        )
    ],
    "organisations/legal-entities/": [
        case(
            "GET",
            "/organisations/legal-entities/",
            {"legal_entity", "aggregator", "delegation"} | CENTRAL,
            sees="{legal_entity_name}",
        )
    ],
    "organisations/legal-entities/<int:pk>/": [
        case(
            "GET",
            "/organisations/legal-entities/{legal_entity}/",
            {"legal_entity", "aggregator", "delegation"} | CENTRAL,
        ),
        case("POST", "/organisations/legal-entities/{legal_entity}/", {"legal_entity"}, data={"email": "x"}),
    ],
    "organisations/legal-entities/<int:entity_pk>/affiliation/new/": [
        case("GET", "/organisations/legal-entities/{legal_entity}/affiliation/new/", {"legal_entity"}),
        case("POST", "/organisations/legal-entities/{legal_entity}/affiliation/new/", {"legal_entity"}, data={}),
    ],
    "organisations/affiliations/": [
        case("GET", "/organisations/affiliations/", ENTITY_READERS, sees="{affiliation_number}")
    ],
    "organisations/affiliations/<int:pk>/": [case("GET", "/organisations/affiliations/{affiliation}/", ENTITY_READERS)],
    "organisations/affiliations/<int:pk>/approve/": [
        case("POST", "/organisations/affiliations/{affiliation_waiting}/approve/", CENTRAL)
    ],
    "organisations/affiliations/<int:pk>/reject/": [
        case("POST", "/organisations/affiliations/{affiliation_waiting}/reject/", CENTRAL, data={"reason": "x"})
    ],
    "organisations/affiliations/<int:pk>/certificate.pdf": [
        case("GET", "/organisations/affiliations/{affiliation}/certificate.pdf", ENTITY_READERS)
    ],
    "organisations/providers/": [
        case(
            "GET",
            "/organisations/providers/",
            {"provider", "delegation", "controller", "controller_central"} | CENTRAL,
            sees="{provider_name}",
        )
    ],
    "organisations/deposit-points/": [
        case(
            "GET",
            "/organisations/deposit-points/",
            {"deposit_point", "delegation"} | CENTRAL,
            sees="{deposit_point_name}",
        )
    ],
    "approvals/": [case("GET", "/approvals/", {"provider"}, sees="{approval_number}")],
    "approvals/new/": [
        case("GET", "/approvals/new/", {"provider"}),
        case("POST", "/approvals/new/", {"provider"}, data={}),
    ],
    "approvals/queue/": [case("GET", "/approvals/queue/", {"controller"}, sees="{approval_number}")],
    "approvals/mine/": [case("GET", "/approvals/mine/", {"student"}, sees="{approval_number}")],
    "approvals/figures/": [case("GET", "/approvals/figures/", FIGURES)],
    "approvals/figures.csv": [case("GET", "/approvals/figures.csv", FIGURES)],
    "approvals/<int:pk>/": [case("GET", "/approvals/{approval}/", APPROVAL_READERS)],
    "approvals/<int:pk>/take/": [case("POST", "/approvals/{approval}/take/", {"controller"})],
    "approvals/<int:pk>/release/": [case("POST", "/approvals/{approval}/release/", {"controller"})],
    "approvals/<int:pk>/agree/": [case("POST", "/approvals/{approval}/agree/", {"controller"}, data={})],
    "approvals/<int:pk>/refuse/": [case("POST", "/approvals/{approval}/refuse/", {"controller"}, data={})],
    "approvals/<int:pk>/ask/": [case("POST", "/approvals/{approval}/ask/", {"controller"}, data={})],
    "approvals/<int:pk>/ask/withdraw/": [case("POST", "/approvals/{approval_info}/ask/withdraw/", {"controller"})],
    "approvals/<int:pk>/confirm/": [case("POST", "/approvals/{approval}/confirm/", {"controller"})],
    "approvals/<int:pk>/answer/": [case("POST", "/approvals/{approval_info}/answer/", {"provider"}, data={})],
    "approvals/<int:pk>/withdraw/": [case("POST", "/approvals/{approval_decided}/withdraw/", {"provider"})],
    "approvals/<int:pk>/decision.pdf": [case("GET", "/approvals/{approval_decided}/decision.pdf", APPROVAL_READERS)],
    "approvals/<int:pk>/attachments/<int:attachment_pk>/": [
        case("GET", "/approvals/{approval}/attachments/{approval_attachment}/", MEDICAL)
    ],
    "registration/": [case("GET", "/registration/", PUBLIC)],
    "registration/entry/<slug:channel>/": [
        case("GET", "/registration/entry/{channel}/", {"student"}, visitors=True),
        case("POST", "/registration/entry/{channel}/", {"student"}, data={}, visitors=True),
    ],
    "registration/claim/": [
        case("GET", "/registration/claim/", {"student"}),
        case("POST", "/registration/claim/", {"student"}, data={"id_type": "cin", "id_number": "AB100001"}),
    ],
    "registration/claim/<str:token>/": [case("GET", "", NOT_CALLED)],  # a link of an e-mail
    "registration/my/rib/": [
        case("GET", "/registration/my/rib/", {"student"}),
        case("POST", "/registration/my/rib/", {"student"}, data={"rib": "190780211150000213210096"}),
    ],
    "registration/my/rib/<str:token>/": [case("GET", "", NOT_CALLED)],  # a link of an e-mail
    "registration/institution/link-account/": [
        case("GET", "/registration/institution/link-account/", {"institution"}),
        case(
            "POST",
            "/registration/institution/link-account/",
            {"institution"},
            data={"id_type": "cin", "id_number": "AB100001", "email": "x@example.ma"},
        ),
    ],
    "registration/my/": [case("GET", "/registration/my/", {"student"}, sees="{institution_name}")],
    "registration/my/<int:pk>/correct/": [
        case("GET", "/registration/my/{request}/correct/", {"student"}),
        case("POST", "/registration/my/{request}/correct/", {"student"}, data={}),
    ],
    "registration/requests/<int:pk>/": [case("GET", "/registration/requests/{request}/", REQUEST_READERS)],
    "registration/requests/<int:pk>/decide/": [
        case("POST", "/registration/requests/{request}/decide/", {"institution"}, data={"decision": "x"})
    ],
    "registration/requests/<int:pk>/duplicates/<int:duplicate>/": [
        case(
            "POST", "/registration/requests/{request}/duplicates/{duplicate}/", {"institution"}, data={"decision": "x"}
        )
    ],
    "registration/requests/<int:pk>/form.pdf": [
        case("GET", "/registration/requests/{request}/form.pdf", REQUEST_READERS)
    ],
    "registration/institution/": [case("GET", "/registration/institution/", {"institution"})],
    "registration/institution/bulk/": [case("POST", "/registration/institution/bulk/", {"institution"}, data={})],
    "registration/aggregator/": [case("GET", "/registration/aggregator/", {"aggregator", "anam"})],
    "registration/aggregator/close/": [
        case("POST", "/registration/aggregator/close/", {"aggregator", "anam"}, data={"academic_year_id": "{year_pk}"})
    ],
    "registration/lists/<int:pk>/": [case("GET", "/registration/lists/{list}/", LIST_READERS)],
    "registration/lists/<int:pk>/send/": [case("POST", "/registration/lists/{list}/send/", {"aggregator"})],
    "registration/lists/<int:pk>/export.<str:fmt>": [
        case("GET", "/registration/lists/{list}/export.csv", LIST_READERS)
    ],
    "registration/legal-entity/": [
        case("GET", "/registration/legal-entity/", {"legal_entity"}),
        case("POST", "/registration/legal-entity/", {"legal_entity"}, data={}),
    ],
    "registration/legal-entity/to-certify.csv": [
        case("GET", "/registration/legal-entity/to-certify.csv", {"legal_entity"})
    ],
    "registration/cnops/": [case("GET", "/registration/cnops/", BACK_OFFICE)],
    "imports/": [
        case("GET", "/imports/", UPLOADERS),
        case("POST", "/imports/", UPLOADERS, data=lambda c: {**_list_file(c), "academic_year_id": c["year_pk"]}),
    ],
    "imports/format/": [case("GET", "/imports/format/", PUBLIC)],
    "imports/format/template.csv": [case("GET", "/imports/format/template.csv", PUBLIC)],
    "imports/<int:pk>/": [case("GET", "/imports/{job}/", {"institution"} | CENTRAL)],
    "imports/<int:pk>/errors.csv": [case("GET", "/imports/{job}/errors.csv", {"institution"} | CENTRAL)],
    "contributions/": [
        case("GET", "/contributions/", {"legal_entity"}),
        case("POST", "/contributions/", {"legal_entity"}, data={}),
    ],
    "contributions/receipts/<int:pk>.pdf": [case("GET", "/contributions/receipts/{receipt}.pdf", ENTITY_READERS)],
    "contributions/cnops/": [
        case("GET", "/contributions/cnops/", CENTRAL),
        case("POST", "/contributions/cnops/", CENTRAL, data=_statement),
    ],
    "contributions/cnops/demo-statement.csv": [case("GET", "/contributions/cnops/demo-statement.csv", CENTRAL)],
    "contributions/credits/<int:pk>/match/": [
        case("POST", "/contributions/credits/{credit}/match/", CENTRAL, data={"transfer_id": "{transfer}"})
    ],
    "contributions/credits/<int:pk>/dismiss/": [
        case("POST", "/contributions/credits/{credit}/dismiss/", CENTRAL, data={"comment": "x"})
    ],
    "eligibility/": [case("GET", "/eligibility/", EXCHANGE)],
    "eligibility/format/": [case("GET", "/eligibility/format/", PUBLIC)],
    "eligibility/send/": [case("POST", "/eligibility/send/", CENTRAL, data={"academic_year": "{year}"})],
    "eligibility/batches/<int:pk>/students.csv": [case("GET", "/eligibility/batches/{batch}/students.csv", EXCHANGE)],
    "eligibility/batches/<int:pk>/verdicts.csv": [case("GET", "/eligibility/batches/{batch}/verdicts.csv", EXCHANGE)],
    "eligibility/batches/<int:pk>/verdicts/": [
        case("POST", "/eligibility/batches/{batch}/verdicts/", ANSWER, data=_verdicts)
    ],
    "eligibility/registry/": [
        case("POST", "/eligibility/registry/", ANSWER, data=lambda c: {**_registry(c), "kind": "incremental"})
    ],
    "eligibility/registry/<int:pk>/errors.csv": [
        case("GET", "/eligibility/registry/{registry_load}/errors.csv", EXCHANGE)
    ],
    "eligibility/requests/<int:pk>/recheck/": [
        case("POST", "/eligibility/requests/{request}/recheck/", {"student"} | CENTRAL, data={})
    ],
    "coverage/lookup/log/": [case("GET", "/coverage/lookup/log/", {"admin"})],
    "coverage/lookup/": [case("GET", "/coverage/lookup/?id_number=AB100001", LOOKUP)],
    "coverage/students/<int:pk>/": [case("GET", "/coverage/students/{student}/", {"call_centre"} | CENTRAL)],
    "coverage/publications/": [case("GET", "/coverage/publications/", PUBLICATION_READERS)],
    "coverage/publications/<int:pk>/": [case("GET", "/coverage/publications/{publication}/", PUBLICATION_READERS)],
    "coverage/publications/<int:pk>.csv": [
        case("GET", "/coverage/publications/{publication}.csv", PUBLICATION_READERS)
    ],
    "coverage/publications/<int:pk>.pdf": [
        case("GET", "/coverage/publications/{publication}.pdf", PUBLICATION_READERS)
    ],
    "coverage/rights/<int:pk>/certificate.pdf": [
        case("GET", "/coverage/rights/{period}/certificate.pdf", PERIOD_READERS)
    ],
    "coverage/rights/<int:pk>/report-coverage/": [
        case("POST", "/coverage/rights/{period}/report-coverage/", {"student"})
    ],
    "coverage/rights/<int:pk>/studies-stopped/": [
        case("POST", "/coverage/rights/{period}/studies-stopped/", {"institution"} | CENTRAL, data={"comment": "x"})
    ],
    "coverage/rights/<int:pk>/proof/": [case("POST", "/coverage/rights/{period}/proof/", CENTRAL, data={})],
    "coverage/letters/": [
        case("GET", "/coverage/letters/", CENTRAL),
        case("POST", "/coverage/letters/", CENTRAL, data={"institution": "{institution}", "action": "sent"}),
    ],
    "coverage/letters/<int:pk>.pdf": [case("GET", "/coverage/letters/{institution}.pdf", CENTRAL)],
    "coverage/outbox/": [case("GET", "/coverage/outbox/", {"admin"})],
    "coverage/handover/": [
        case("GET", "/coverage/handover/", {"admin"}),
        case("POST", "/coverage/handover/", {"admin"}),
    ],
    "coverage/handover/<int:pk>/": [case("GET", "/coverage/handover/{handover}/", {"admin"})],
    "referentials/parameters/": [
        case("GET", "/referentials/parameters/", ANY),
        case("POST", "/referentials/parameters/", {"admin"}, data={}),
    ],
    "referentials/parameters/<str:key>/": [case("GET", "/referentials/parameters/age_limit_years/", ANY)],
    "referentials/care/": [case("GET", "/referentials/care/", ANY)],
    "claims/": [case("GET", "/claims/", {"student"}), case("POST", "/claims/", {"student"}, data={})],
    "claims/files/<int:pk>/": [case("GET", "/claims/files/{care_file}/", CARE_FILE_READERS)],
    "claims/files/<int:pk>/cover.pdf": [case("GET", "/claims/files/{care_file}/cover.pdf", {"student"})],
    "claims/files/<int:pk>/receipt.pdf": [case("GET", "/claims/files/{care_file}/receipt.pdf", {"deposit_point"})],
    "claims/files/<int:pk>/statement.pdf": [case("GET", "/claims/files/{care_file}/statement.pdf", STATEMENT_READERS)],
    "claims/files/<int:pk>/deposit/": [case("POST", "/claims/files/{care_file_pre}/deposit/", {"deposit_point"})],
    "claims/files/<int:pk>/lines/": [case("POST", "/claims/files/{care_file_received}/lines/", CENTRAL, data={})],
    "claims/files/<int:pk>/liquidate/": [case("POST", "/claims/files/{care_file_received}/liquidate/", CENTRAL)],
    "claims/files/<int:pk>/confirm/": [case("POST", "/claims/files/{care_file_received}/confirm/", CENTRAL)],
    "claims/deposit/": [case("GET", "/claims/deposit/?q=AB100001", {"deposit_point"})],
    "claims/deposit/new/": [case("POST", "/claims/deposit/new/", {"deposit_point"}, data={})],
    "claims/deposit/slip/": [case("POST", "/claims/deposit/slip/", {"deposit_point"}, data={})],
    "claims/slips/<int:pk>/": [case("GET", "/claims/slips/{slip}/", SLIP_READERS)],
    "claims/slips/<int:pk>/pdf": [case("GET", "/claims/slips/{slip}/pdf", SLIP_READERS)],
    "claims/slips/<int:pk>/send/": [case("POST", "/claims/slips/{slip}/send/", {"deposit_point"})],
    "claims/slips/<int:pk>/receive/": [case("POST", "/claims/slips/{slip}/receive/", CENTRAL, data={})],
    "claims/cnops/": [case("GET", "/claims/cnops/", CENTRAL)],
    "claims/runs/": [case("POST", "/claims/runs/", CENTRAL)],
    "claims/runs/<int:pk>/": [case("GET", "/claims/runs/{run}/", CENTRAL)],
    "claims/lookup/": [case("GET", "/claims/lookup/?q=AB100001", CARE_LOOKUP)],
    "referentials/drugs/": [
        case("GET", "/referentials/drugs/", {"admin"}),
        case("POST", "/referentials/drugs/", {"admin"}, data=lambda c: {**_drugs(c), "valid_from": "2030-01-01"}),
    ],
    "referentials/drugs/<int:pk>/": [case("GET", "/referentials/drugs/{drug_list}/", {"admin"})],
    "verify/": [case("GET", "/verify/", PUBLIC)],
    "verify/<str:code>/": [case("GET", "/verify/{code}/", PUBLIC)],
    "i18n/setlang/": [case("POST", "", NOT_CALLED)],  # Django's language switch
    # Only where the settings mount it (no mail server, debug): its access is the mailbox's own.
    "demo/mailbox/": [case("GET", "", NOT_CALLED)],
    "demo/mailbox/<int:pk>/": [case("GET", "", NOT_CALLED)],
    "demo/mailbox/<int:pk>/files/<int:file_pk>/": [case("GET", "", NOT_CALLED)],
}
NOT_PAGES = ("admin/", "api/")  # Django's admin (staff only, its own checks); the API below

REQUEST_BODY = {
    "id_number": "AB100001",
    "last_name": "Bennani",
    "first_name": "Salma",
    "birth_date": "2005-03-14",
    "birth_place": "Rabat",
    "sex": "F",
    "address": "Agdal",
    "email": "student@example.ma",
    "phone": "0612345678",
    "institution_id": "{institution}",
    "academic_year": "{year}",
    "registered_on": "2026-09-20",
    "no_other_coverage": True,
    "consent": True,
    "acknowledged": True,
}

# API operations, by method and path in the OpenAPI schema.
API: dict[tuple[str, str], Case] = {
    ("POST", "/api/registration/claims"): case(
        "POST", "/api/registration/claims", {"student"}, data={"id_type": "cin", "id_number": "AB900009"}, json=True
    ),
    ("POST", "/api/registration/claims/confirm"): case(
        "POST", "/api/registration/claims/confirm", {"student"}, data={"token": "x"}, json=True
    ),
    ("GET", "/api/registration/me/rib"): case("GET", "/api/registration/me/rib", {"student"}),
    ("POST", "/api/registration/me/rib"): case(
        "POST", "/api/registration/me/rib", {"student"}, data={"rib": "011780100000123456789009"}, json=True
    ),
    ("POST", "/api/registration/me/rib/confirm"): case(
        "POST", "/api/registration/me/rib/confirm", {"student"}, data={"token": "x"}, json=True
    ),
    ("POST", "/api/registration/claims/links"): case(
        "POST",
        "/api/registration/claims/links",
        {"institution"},
        data={"id_type": "cin", "id_number": "AB100001", "email": "x@example.ma"},
        json=True,
        reached="claim_student_unknown",  # the chain's student has an account: the service says so
    ),
    ("GET", "/api/accounts/me"): case("GET", "/api/accounts/me", ANY),
    ("GET", "/api/organisations/channels"): case("GET", "/api/organisations/channels", PUBLIC),
    ("GET", "/api/organisations/categories"): case("GET", "/api/organisations/categories", PUBLIC),
    ("GET", "/api/organisations/institutions"): case(
        "GET",
        "/api/organisations/institutions",
        {"institution", "legal_entity", "aggregator", "delegation"} | CENTRAL,
        sees="items",
    ),
    ("GET", "/api/organisations/institutions/{pk}"): case(
        "GET",
        "/api/organisations/institutions/{institution}",
        {"institution", "legal_entity", "aggregator", "delegation"} | CENTRAL,
    ),
    ("GET", "/api/organisations/legal-entities"): case(
        "GET", "/api/organisations/legal-entities", {"legal_entity", "aggregator", "delegation"} | CENTRAL, sees="items"
    ),
    ("GET", "/api/organisations/legal-entities/{pk}"): case(
        "GET",
        "/api/organisations/legal-entities/{legal_entity}",
        {"legal_entity", "aggregator", "delegation"} | CENTRAL,
    ),
    ("PUT", "/api/organisations/legal-entities/{pk}/contact"): case(
        "PUT", "/api/organisations/legal-entities/{legal_entity}/contact", {"legal_entity"}, data={}, json=True
    ),
    ("GET", "/api/organisations/affiliations"): case(
        "GET", "/api/organisations/affiliations", ENTITY_READERS, sees="items"
    ),
    ("POST", "/api/organisations/affiliations"): case(
        "POST",
        "/api/organisations/affiliations",
        {"legal_entity"},
        data={"legal_entity_id": "{legal_entity}", "institution_ids": ["{institution_fresh}"]},
        json=True,
    ),
    ("GET", "/api/organisations/affiliations/{pk}"): case(
        "GET", "/api/organisations/affiliations/{affiliation}", ENTITY_READERS
    ),
    ("POST", "/api/organisations/affiliations/{pk}/approve"): case(
        "POST", "/api/organisations/affiliations/{affiliation_waiting}/approve", CENTRAL, data={}, json=True
    ),
    ("POST", "/api/organisations/affiliations/{pk}/reject"): case(
        "POST",
        "/api/organisations/affiliations/{affiliation_waiting}/reject",
        CENTRAL,
        data={"reason": "incomplete_file"},
        json=True,
    ),
    ("GET", "/api/organisations/affiliations/{pk}/certificate"): case(
        "GET", "/api/organisations/affiliations/{affiliation}/certificate", ENTITY_READERS
    ),
    ("GET", "/api/organisations/providers"): case(
        "GET",
        "/api/organisations/providers",
        {"provider", "delegation", "controller", "controller_central"} | CENTRAL,
        sees="items",
    ),
    ("GET", "/api/organisations/deposit-points"): case(
        "GET", "/api/organisations/deposit-points", {"deposit_point", "delegation"} | CENTRAL, sees="items"
    ),
    ("GET", "/api/referentials/parameters"): case("GET", "/api/referentials/parameters", ANY),
    ("POST", "/api/referentials/parameters"): case(
        "POST",
        "/api/referentials/parameters",
        {"admin"},
        data={"key": "age_limit_years", "value": "abc", "valid_from": "2030-01-01"},
        json=True,
    ),
    ("GET", "/api/referentials/academic-years"): case("GET", "/api/referentials/academic-years", PUBLIC),
    ("GET", "/api/referentials/drug-lists"): case("GET", "/api/referentials/drug-lists", {"admin"}),
    ("GET", "/api/claims/files"): case("GET", "/api/claims/files", {"student"}),
    ("POST", "/api/claims/files"): case(
        "POST",
        "/api/claims/files",
        {"student"},
        data={"kind": "ordinary", "first_act_on": "2030-01-01", "declared_amount": "10"},
        json=True,
    ),
    ("GET", "/api/claims/files/{file_id}"): case("GET", "/api/claims/files/{care_file}", CARE_FILE_READERS),
    ("GET", "/api/claims/files/{file_id}/statement.pdf"): case(
        "GET", "/api/claims/files/{care_file}/statement.pdf", STATEMENT_READERS
    ),
    ("GET", "/api/claims/lookup"): case("GET", "/api/claims/lookup?q=AB100001", CARE_LOOKUP),
    ("POST", "/api/claims/deposits"): case(
        "POST",
        "/api/claims/deposits",
        {"deposit_point"},
        data={"number": "DOS-0000-0000000"},
        json=True,
        reached="care_file_not_found",
    ),
    ("GET", "/api/claims/deposits"): case("GET", "/api/claims/deposits", {"deposit_point"}),
    ("POST", "/api/claims/slips"): case("POST", "/api/claims/slips", {"deposit_point"}, data={"files": []}, json=True),
    ("GET", "/api/claims/slips/{slip_id}"): case("GET", "/api/claims/slips/{slip}", SLIP_READERS),
    ("POST", "/api/claims/slips/{slip_id}/send"): case(
        "POST", "/api/claims/slips/{slip}/send", {"deposit_point"}, json=True
    ),
    ("POST", "/api/claims/slips/{slip_id}/receive"): case(
        "POST", "/api/claims/slips/{slip}/receive", CENTRAL, data={}, json=True
    ),
    ("POST", "/api/claims/files/{file_id}/lines"): case(
        "POST",
        "/api/claims/files/{care_file_received}/lines",
        CENTRAL,
        data={"kind": "act", "act_on": "2030-01-01", "practitioner_inpe": "12345", "amount_paid": "10"},
        json=True,
    ),
    ("POST", "/api/claims/files/{file_id}/liquidate"): case(
        "POST", "/api/claims/files/{care_file_received}/liquidate", CENTRAL, json=True
    ),
    ("POST", "/api/claims/files/{file_id}/confirm"): case(
        "POST", "/api/claims/files/{care_file_received}/confirm", CENTRAL, json=True
    ),
    ("POST", "/api/claims/runs"): case("POST", "/api/claims/runs", CENTRAL, json=True),
    ("GET", "/api/claims/runs/{run_id}"): case("GET", "/api/claims/runs/{run}", CENTRAL),
    ("POST", "/api/referentials/drug-lists"): case(
        "POST", "/api/referentials/drug-lists", {"admin"}, data=lambda c: {**_drugs(c), "valid_from": "2031-01-01"}
    ),
    ("GET", "/api/referentials/drug-lists/{list_id}"): case(
        "GET", "/api/referentials/drug-lists/{drug_list}", {"admin"}
    ),
    ("GET", "/api/documents/verify/{code}"): case("GET", "/api/documents/verify/{code}", PUBLIC),
    ("POST", "/api/registration/entries/{channel}/requests"): case(
        "POST", "/api/registration/entries/{channel}/requests", {"student"}, data=REQUEST_BODY, json=True
    ),
    ("GET", "/api/registration/requests"): case("GET", "/api/registration/requests", REQUEST_READERS, sees="items"),
    ("GET", "/api/registration/requests/{pk}"): case("GET", "/api/registration/requests/{request}", REQUEST_READERS),
    ("GET", "/api/registration/requests/{pk}/form.pdf"): case(
        "GET", "/api/registration/requests/{request}/form.pdf", REQUEST_READERS
    ),
    ("POST", "/api/registration/requests/{pk}/decision"): case(
        "POST",
        "/api/registration/requests/{request}/decision",
        {"institution"},
        data={"action": "validated"},
        json=True,
    ),
    ("POST", "/api/registration/requests/decisions"): case(
        "POST",
        "/api/registration/requests/decisions",
        {"institution"},
        data={"action": "validated", "ids": ["{request}"]},
        json=True,
    ),
    ("POST", "/api/registration/imports"): case(
        "POST", "/api/registration/imports", UPLOADERS, data=lambda c: {**_list_file(c), "academic_year": c["year"]}
    ),
    ("GET", "/api/registration/imports/{pk}"): case(
        "GET", "/api/registration/imports/{job}", {"institution"} | CENTRAL
    ),
    ("GET", "/api/registration/imports/{pk}/errors.csv"): case(
        "GET", "/api/registration/imports/{job}/errors.csv", {"institution"} | CENTRAL
    ),
    ("POST", "/api/registration/lists"): case(
        "POST", "/api/registration/lists", {"aggregator", "anam"}, data={"academic_year": "{year}"}, json=True
    ),
    ("GET", "/api/registration/lists"): case("GET", "/api/registration/lists", LIST_READERS, sees="items"),
    ("GET", "/api/registration/lists/{pk}"): case("GET", "/api/registration/lists/{list}", LIST_READERS),
    ("GET", "/api/registration/lists/{pk}/requests"): case(
        "GET", "/api/registration/lists/{list}/requests", LIST_READERS
    ),
    ("POST", "/api/registration/lists/{pk}/send"): case(
        "POST", "/api/registration/lists/{list}/send", {"aggregator"}, data={}, json=True
    ),
    ("POST", "/api/registration/certifications"): case(
        "POST", "/api/registration/certifications", {"legal_entity"}, data={"academic_year": "{year}"}, json=True
    ),
    ("GET", "/api/registration/certifications/pending"): case(
        "GET", "/api/registration/certifications/pending", {"legal_entity"}
    ),
    ("GET", "/api/registration/totals"): case(
        "GET", "/api/registration/totals", {"institution", "legal_entity", "aggregator", "anam"} | BACK_OFFICE
    ),
    ("GET", "/api/contributions/reference"): case("GET", "/api/contributions/reference?year={year}", {"legal_entity"}),
    ("GET", "/api/contributions/dues"): case("GET", "/api/contributions/dues", ENTITY_READERS, sees="items"),
    ("POST", "/api/contributions/transfers"): case(
        "POST",
        "/api/contributions/transfers",
        {"legal_entity"},
        data={"academic_year": "{year}", "bank_reference": "VIR-002", "amount": "1.00", "transferred_on": "2026-10-02"},
        json=True,
    ),
    ("GET", "/api/contributions/transfers"): case("GET", "/api/contributions/transfers", ENTITY_READERS, sees="items"),
    ("POST", "/api/contributions/statements"): case("POST", "/api/contributions/statements", CENTRAL, data=_statement),
    ("GET", "/api/contributions/statements"): case("GET", "/api/contributions/statements", CENTRAL),
    ("GET", "/api/contributions/credits/review"): case("GET", "/api/contributions/credits/review", CENTRAL),
    ("POST", "/api/contributions/credits/{pk}/match"): case(
        "POST", "/api/contributions/credits/{credit}/match", CENTRAL, data={"transfer_id": "{transfer}"}, json=True
    ),
    ("POST", "/api/contributions/credits/{pk}/dismiss"): case(
        "POST", "/api/contributions/credits/{credit}/dismiss", CENTRAL, data={"comment": "x"}, json=True
    ),
    ("GET", "/api/contributions/receipts"): case("GET", "/api/contributions/receipts", ENTITY_READERS, sees="items"),
    ("GET", "/api/contributions/receipts/{pk}/pdf"): case(
        "GET", "/api/contributions/receipts/{receipt}/pdf", ENTITY_READERS
    ),
    ("GET", "/api/contributions/totals"): case("GET", "/api/contributions/totals", ENTITY_READERS, sees="items"),
    ("POST", "/api/eligibility/batches"): case(
        "POST", "/api/eligibility/batches", CENTRAL, data={"academic_year": "{year}"}, json=True
    ),
    ("GET", "/api/eligibility/batches"): case("GET", "/api/eligibility/batches", EXCHANGE),
    ("GET", "/api/eligibility/batches/{batch_id}"): case("GET", "/api/eligibility/batches/{batch}", EXCHANGE),
    ("GET", "/api/eligibility/batches/{batch_id}/entries"): case(
        "GET", "/api/eligibility/batches/{batch}/entries", EXCHANGE
    ),
    ("GET", "/api/eligibility/batches/{batch_id}/exchange.csv"): case(
        "GET", "/api/eligibility/batches/{batch}/exchange.csv", EXCHANGE
    ),
    ("POST", "/api/eligibility/batches/{batch_id}/verdicts"): case(
        "POST", "/api/eligibility/batches/{batch}/verdicts", ANSWER, data=[], json=True
    ),
    ("GET", "/api/eligibility/batches/{batch_id}/verdicts"): case(
        "GET", "/api/eligibility/batches/{batch}/verdicts", EXCHANGE
    ),
    ("POST", "/api/eligibility/batches/{batch_id}/verdicts.csv"): case(
        "POST", "/api/eligibility/batches/{batch}/verdicts.csv", ANSWER, data=_verdicts
    ),
    ("POST", "/api/eligibility/registry"): case("POST", "/api/eligibility/registry", ANSWER, data=_registry),
    ("GET", "/api/eligibility/registry/loads"): case("GET", "/api/eligibility/registry/loads", EXCHANGE),
    ("POST", "/api/eligibility/requests/{request_id}/recheck"): case(
        "POST", "/api/eligibility/requests/{request}/recheck", {"student"} | CENTRAL, data={}, json=True
    ),
    ("GET", "/api/coverage/lookup"): case("GET", "/api/coverage/lookup?id_number=AB100001", LOOKUP),
    ("GET", "/api/coverage/mine"): case("GET", "/api/coverage/mine", {"student"}, sees="items"),
    ("GET", "/api/coverage/rights/{period_id}/certificate.pdf"): case(
        "GET", "/api/coverage/rights/{period}/certificate.pdf", PERIOD_READERS
    ),
    ("POST", "/api/coverage/rights/{period_id}/other-coverage"): case(
        "POST", "/api/coverage/rights/{period}/other-coverage", {"student"}, data={}, json=True
    ),
    ("POST", "/api/coverage/rights/{period_id}/studies-stopped"): case(
        "POST", "/api/coverage/rights/{period}/studies-stopped", {"institution"} | CENTRAL, data={}, json=True
    ),
    ("POST", "/api/coverage/rights/{period_id}/proof"): case(
        "POST", "/api/coverage/rights/{period}/proof", CENTRAL, data={}, json=True
    ),
    ("GET", "/api/coverage/publications"): case("GET", "/api/coverage/publications", ENTITY_READERS, sees="items"),
    ("GET", "/api/coverage/publications/{publication_id}.csv"): case(
        "GET", "/api/coverage/publications/{publication}.csv", PUBLICATION_READERS
    ),
    ("GET", "/api/coverage/publications/{publication_id}.pdf"): case(
        "GET", "/api/coverage/publications/{publication}.pdf", PUBLICATION_READERS
    ),
    ("GET", "/api/coverage/letters"): case("GET", "/api/coverage/letters", CENTRAL),
    ("POST", "/api/coverage/letters/{institution_id}/prepare"): case(
        "POST", "/api/coverage/letters/{institution}/prepare", CENTRAL, data={}, json=True
    ),
    ("GET", "/api/coverage/letters/{institution_id}.pdf"): case(
        "GET", "/api/coverage/letters/{institution}.pdf", CENTRAL
    ),
    ("POST", "/api/coverage/letters/{institution_id}/sent"): case(
        "POST", "/api/coverage/letters/{institution}/sent", CENTRAL, data={}, json=True
    ),
    ("GET", "/api/coverage/outbox"): case("GET", "/api/coverage/outbox", {"admin"}),
    ("GET", "/api/coverage/lookup/log"): case("GET", "/api/coverage/lookup/log", {"admin"}),
    ("GET", "/api/coverage/handover"): case("GET", "/api/coverage/handover", {"admin"}),
    ("POST", "/api/coverage/handover"): case("POST", "/api/coverage/handover", {"admin"}, data={}, json=True),
    ("GET", "/api/coverage/handover/{export_id}"): case("GET", "/api/coverage/handover/{handover}", {"admin"}),
    ("POST", "/api/approvals/requests"): case("POST", "/api/approvals/requests", {"provider"}, data=_pec),
    ("GET", "/api/approvals/requests"): case("GET", "/api/approvals/requests", {"provider"}, sees="items"),
    ("GET", "/api/approvals/queue"): case("GET", "/api/approvals/queue", {"controller"}, sees="items"),
    ("GET", "/api/approvals/mine"): case("GET", "/api/approvals/mine", {"student"}, sees="items"),
    ("GET", "/api/approvals/figures"): case("GET", "/api/approvals/figures", FIGURES),
    ("GET", "/api/approvals/requests/{pk}"): case("GET", "/api/approvals/requests/{approval}", APPROVAL_READERS),
    ("POST", "/api/approvals/requests/{pk}/take"): case(
        "POST", "/api/approvals/requests/{approval}/take", {"controller"}, data={}, json=True
    ),
    ("POST", "/api/approvals/requests/{pk}/release"): case(
        "POST", "/api/approvals/requests/{approval}/release", {"controller"}, data={}, json=True
    ),
    ("POST", "/api/approvals/requests/{pk}/agree"): case(
        "POST",
        "/api/approvals/requests/{approval}/agree",
        {"controller"},
        data={"ceiling": "1.00", "valid_from": "2026-12-01", "valid_to": "2026-12-31"},
        json=True,
    ),
    ("POST", "/api/approvals/requests/{pk}/refuse"): case(
        "POST", "/api/approvals/requests/{approval}/refuse", {"controller"}, data={"reason": "duplicate"}, json=True
    ),
    ("POST", "/api/approvals/requests/{pk}/information"): case(
        "POST", "/api/approvals/requests/{approval}/information", {"controller"}, data={"question": "x"}, json=True
    ),
    ("POST", "/api/approvals/requests/{pk}/information/withdraw"): case(
        "POST", "/api/approvals/requests/{approval_info}/information/withdraw", {"controller"}, data={}, json=True
    ),
    ("POST", "/api/approvals/requests/{pk}/confirm"): case(
        "POST", "/api/approvals/requests/{approval}/confirm", {"controller"}, data={"confirm": True}, json=True
    ),
    ("POST", "/api/approvals/requests/{pk}/answer"): case(
        "POST", "/api/approvals/requests/{approval_info}/answer", {"provider"}, data={"answer": "x"}
    ),
    ("POST", "/api/approvals/requests/{pk}/withdraw"): case(
        "POST", "/api/approvals/requests/{approval_decided}/withdraw", {"provider"}, data={}, json=True
    ),
    ("GET", "/api/approvals/requests/{pk}/decision.pdf"): case(
        "GET", "/api/approvals/requests/{approval_decided}/decision.pdf", APPROVAL_READERS
    ),
    ("GET", "/api/approvals/requests/{pk}/attachments/{attachment_id}"): case(
        "GET", "/api/approvals/requests/{approval}/attachments/{approval_attachment}", MEDICAL
    ),
}


def _page_patterns() -> set[str]:
    def walk(patterns: list[Any], prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return {route for route in walk(get_resolver().url_patterns) if not route.startswith(NOT_PAGES)}


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return {(method.upper(), path) for path, operations in schema["paths"].items() for method in operations}


def test_every_route_is_in_the_matrix(settings: Any) -> None:
    """A new page or endpoint fails here until the matrix says who may use it."""
    pages = _page_patterns() - {
        "demo/mailbox/",
        "demo/mailbox/<int:pk>/",
        "demo/mailbox/<int:pk>/files/<int:file_pk>/",
    }  # mounted only in some settings
    assert sorted(pages - PAGES.keys()) == [], "pages missing from the matrix"
    assert (
        sorted(
            PAGES.keys()
            - pages
            - {"demo/mailbox/", "demo/mailbox/<int:pk>/", "demo/mailbox/<int:pk>/files/<int:file_pk>/"}
        )
        == []
    ), "pages gone"
    operations = _api_operations()
    assert sorted(operations - API.keys()) == [], "API operations missing from the matrix"
    assert sorted(API.keys() - operations) == [], "API operations gone"


def _fill(value: Any, chain: dict[str, Any]) -> Any:
    if callable(value):
        return value(chain)
    if isinstance(value, str):
        filled = value.format(**chain)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(v, chain) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, chain) for k, v in value.items()}
    return value


def _call(client: Client, c: Case, chain: dict[str, Any]) -> Any:
    url = c.url.format(**chain)
    data = _fill(c.data, chain)
    if c.method == "GET":
        return client.get(url)
    if c.json:
        return client.generic(c.method, url, json.dumps(data if data is not None else {}), "application/json")
    return client.post(url, data or {})


def _seen(c: Case, response: Any, chain: dict[str, Any]) -> bool:
    if c.sees == "items":
        body = response.json()
        return bool(body["items"] if isinstance(body, dict) else body)
    return c.sees.format(**chain) in response.content.decode()


def _verdict(persona: str, c: Case, response: Any, chain: dict[str, Any]) -> str:
    """An empty string when the answer is the expected one, else what is wrong."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if c.who in (PUBLIC, ANY):
        return "" if status not in (401, 403, 404) else f"refused ({status}) though open to every user"
    allowed = persona in c.who
    if c.sees:
        if allowed:
            return "" if status == 200 and _seen(c, response, chain) else f"does not see its own ({status})"
        refused = status in (403, 404) or (status == 200 and not _seen(c, response, chain))
        return "" if refused else f"sees what is not its job ({status})"
    if allowed:
        if status == 404 and c.reached and c.json and response.json().get("code") == c.reached:
            return ""
        return "" if status not in (401, 403, 404, 405) else f"refused ({status}) though it is its job"
    return "" if status in (403, 404) else f"answered {status} though it is not its job"


# The chain's care files are deposited on its day, inside the student's rights and after the
# drug list's start: the matrix checks perimeters, not dates (make test-dates moves the clock).
CHAIN_DAY = pytest.mark.today("2026-12-01")


@pytest.fixture
def chain(world: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    add_personas(world)
    ids = whole_chain(world, django_capture_on_commit_callbacks)
    ids["institution_code"] = world.mine.institution.code
    ids["channel"] = world.mine.institution.category.channel.code
    from amo.enrollment.models import ProbableDuplicate, RegistrationRequest

    other = RegistrationRequest.objects.exclude(pk=ids["request"]).values_list("pk", flat=True).first()
    ids["duplicate"] = ProbableDuplicate.objects.create(request_id=ids["request"], other_id=other or ids["request"]).pk
    ids["drug_list"] = DrugList.objects.create(valid_from="2026-01-01", filename="guide.csv", created_at=now()).pk
    ids.update(_care_chain(world, ids["student"]))
    student = world.users["student"]
    student.email_verified_at = student.date_joined
    student.save(update_fields=["email_verified_at"])
    return ids


@CHAIN_DAY
@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_each_role_uses_the_pages_and_endpoints_of_its_job_and_no_other(
    world: Any, chain: dict[str, Any], persona: str
) -> None:
    client = world.client(persona)
    cases = [c for cases in PAGES.values() for c in cases] + list(API.values())
    # reads first: a write of the role (a list sent, rights closed) must not change what it reads
    cases = [c for c in cases if c.who != NOT_CALLED]
    cases.sort(key=lambda c: c.method != "GET")
    wrong = []
    for c in cases:
        response = _call(client, c, chain)
        problem = _verdict(persona, c, response, chain)
        if problem:
            wrong.append(f"{c.method} {c.url}: {problem}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@CHAIN_DAY
def test_an_anonymous_visitor_reaches_only_the_public_pages(chain: dict[str, Any]) -> None:
    client = Client()
    wrong = []
    for c in [c for cases in PAGES.values() for c in cases] + list(API.values()):
        if c.who == NOT_CALLED:
            continue
        status = _call(client, c, chain).status_code
        if c.who == PUBLIC or c.visitors:
            expected = status not in (401, 403, 404) and status < 500
        else:  # the API asks for credentials; a page sends to the login page
            expected = status in ((401, 403, 404) if c.url.startswith("/api/") else (302, 403, 404))
        if not expected:
            wrong.append(f"{c.method} {c.url}: {status}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_each_role_is_offered_only_menus_and_dashboard_links_it_can_use(world: Any, persona: str) -> None:
    """Every link of the main menu and of the dashboard opens for the role that is offered it."""
    import re

    add_personas(world)
    client = world.client(persona)
    html = client.get("/dashboard/").content.decode()
    nav = html.split('<nav class="main"', 1)[1].split("</nav>", 1)[0]
    section = html.split("<main>", 1)[1].split("</main>", 1)[0]
    links = set(re.findall(r'href="(/[^"#]*)"', nav + section)) - {"/api/docs"}
    assert links, persona
    refused = {}
    for link in sorted(links):
        status = client.get(link.replace("&amp;", "&")).status_code
        if status in (403, 404) or status >= 500:
            refused[link] = status
    assert refused == {}, persona


_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# The journal of reads: a rights lookup records who looked whose rights up (and counts toward the
# looker's limit). It is the one write a read makes on purpose, append-only.
_READ_JOURNALS = ('"coverage_lookuplog"',)


@CHAIN_DAY
@pytest.mark.parametrize("persona", [*ROLE_PERSONAS, "anonymous"])
def test_no_get_request_writes(world: Any, chain: dict[str, Any], persona: str) -> None:
    """A GET reads: no page and no API operation answered to a GET inserts, updates or deletes a
    row, whoever asks (a reference shown before the first transfer, a certificate issued after the
    batch, not on its first download), except the journal of rights lookups."""
    client = Client() if persona == "anonymous" else world.client(persona)
    wrong = []
    for c in [c for cases in PAGES.values() for c in cases] + list(API.values()):
        if c.method != "GET" or c.who == NOT_CALLED:
            continue
        with CaptureQueriesContext(connection) as queries:
            _call(client, c, chain)
        writes = [
            q["sql"][:120]
            for q in queries.captured_queries
            if _WRITE.match(q["sql"]) and not any(table in q["sql"][:60] for table in _READ_JOURNALS)
        ]
        if writes:
            wrong.append(f"GET {c.url}: {writes}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
