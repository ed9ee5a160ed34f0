"""Personas of the roles × actions matrix beyond the world's: CNOPS's medical controller and
call-centre agent of the central office, and an agent of ANAM (aggregator and other-coverage
registry)."""

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from amo.accounts.models import Role
from amo.accounts.services import api_token_create
from amo.approvals import rules as approval_rules
from amo.approvals import services as approval_services
from amo.approvals.models import ApprovalRequest, Attachment, RequestKind
from amo.common import clock
from amo.contributions import services as contributions
from amo.contributions.models import Credit, Due, Receipt
from amo.contributions.tests.factories import csv_statement
from amo.coverage.models import Insured, Publication, RightsPeriod
from amo.coverage.services import handover_export
from amo.eligibility import registry
from amo.eligibility import services as eligibility
from amo.eligibility.contract import VerdictRow
from amo.eligibility.models import CheckEntry
from amo.enrollment.models import AggregationList
from amo.enrollment.services import registration_decide, registration_submit
from amo.enrollment.tests.factories import listed_and_certified, open_year, registration_input
from amo.imports import services as imports
from amo.organisations.models import Aggregator, CnopsOffice
from amo.organisations.services import affiliation_approve, affiliation_submit
from amo.organisations.tests.factories import InstitutionFactory
from amo.referentials.models import Icd10Code
from conftest import make_user


def approval_chain(world: Any, student_id: int) -> dict[str, Any]:
    """Three PEC requests of world.mine's provider for the chain's student, routed to world.mine's
    delegation: one waiting with an attachment, one waiting for information, one agreed with its
    decision's PDF. Built as rows (the planned dates need not be ahead of the run's clock)."""
    now = clock.now()
    common = {
        "source": "provider",
        "provider": world.mine.provider,
        "insured": Insured.objects.get(student_id=student_id),
        "kind": RequestKind.objects.get(code="surgery"),
        "planned_from": clock.today(),
        "diagnosis": Icd10Code.objects.get(code="N18.5"),
        "planned_acts": "K 50",
        "quote": Decimal("9000.00"),
        "office": world.mine.delegation,
        "submitted_at": now,
        "due_at": now + dt.timedelta(hours=72),
    }
    waiting = ApprovalRequest.objects.create(number="PEC2026M0000001", status=approval_rules.SUBMITTED, **common)
    attachment = Attachment(
        request=waiting, name="cr.pdf", content_type="application/pdf", size=5, sha256="0" * 64, uploaded_at=now
    )
    attachment.file.save("attachment", SimpleUploadedFile("x", b"%PDF-"), save=False)
    attachment.save()
    information = ApprovalRequest.objects.create(
        number="PEC2026M0000002",
        status=approval_rules.INFORMATION,
        question="?",
        waiting_since=now,
        waiting=True,
        **common,
    )
    agreed = ApprovalRequest.objects.create(
        number="PEC2026M0000003",
        status=approval_rules.AGREED,
        ceiling=Decimal("9000.00"),
        valid_from=clock.today(),
        valid_to=clock.today(),
        decided_at=now,
        **common,
    )
    approval_services.decision_document_issue(request_id=agreed.pk)
    return {
        "approval": waiting.pk,
        "approval_number": waiting.number,
        "approval_attachment": attachment.pk,
        "approval_info": information.pk,
        "approval_decided": agreed.pk,
    }


def add_personas(world: Any) -> Any:
    central = CnopsOffice.objects.get(code="CENTRAL")
    world.users["controller_central"] = make_user(
        "controller-central@example.ma", Role.MEDICAL_CONTROLLER, cnops_office=central
    )
    world.users["call_centre"] = make_user("call-centre@example.ma", Role.CALL_CENTRE_AGENT, cnops_office=central)
    world.users["anam"] = make_user(
        "anam@example.ma", Role.AGGREGATOR_AGENT, aggregator=Aggregator.objects.get(code="ANAM")
    )
    return world


def whole_chain(world: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """One object of every kind on world.mine's side, each reached by the roles of its step: the
    student's fee-paying request validated, listed, sent, certified; its contribution declared,
    received with a receipt, and a credit left to review; an import job with a refused row;
    an affiliation approved and another waiting; the ANAM check answered, rights open and the
    publication list; the registry loaded; a hand-over export."""
    users = world.users
    year = open_year()
    institution = world.mine.institution
    institution.affiliated_on = year.starts_on
    institution.save(update_fields=["affiliated_on"])
    with django_capture_on_commit_callbacks(execute=True):
        request = registration_submit(
            actor=users["student"],
            entry_channel="",
            data=registration_input(institution, id_number="AB100001", email="student@example.ma", fee_paying=True),
        )
        registration_decide(actor=users["institution"], request=request, target="validated")
        listed_and_certified(world, year, references="VIR-001")
        due = Due.objects.get(request=request)
        transfer = contributions.transfer_declare(
            actor=users["legal_entity"],
            legal_entity=world.mine.legal_entity,
            academic_year=year,
            bank_reference="VIR-001",
            amount=Decimal(due.amount),
            transferred_on=dt.date(2026, 10, 1),
            due_ids=[due.pk],
        )
        reference = transfer.payment_reference.reference
        contributions.statement_import(
            actor=users["cnops"],
            content=csv_statement(
                ("06/10/2026", f"VIR {reference} VIR-001", f"{due.amount:.2f}".replace(".", ",")),
                ("07/10/2026", "VIR INCONNU", "123,00"),
            ),
            filename="releve.csv",
        )
        contributions.receipts_render_now(transfer_ids=[transfer.pk])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "registry.csv"  # a line in error, for the load's error report
            path.write_text("id_number;birth_date;scheme;role;starts_on;ends_on\nAB999999;2004-05-01;cnss;x;;\n")
            load = registry.registry_load(actor=users["admin"], path=path, filename="r.csv", kind="incremental")
        batch = eligibility.batch_send(actor=users["cnops"], academic_year=year)
        entry = CheckEntry.objects.get(batch=batch, request=request)
        eligibility.verdicts_receive(actor=users["admin"], batch=batch, rows=[VerdictRow(entry.pk, "accepted", "", "")])
        job = imports.import_job_create(
            actor=users["institution"],
            upload=SimpleUploadedFile(
                "liste.csv",
                b"id_number;last_name;first_name;birth_date;sex;registered_on;no_other_coverage;email\n"
                b"12AB;Alaoui;Omar;2005-01-01;M;2026-09-20;oui;omar@example.ma\n",
            ),
            academic_year=year,
            institution=institution,
        )
        imports.import_run(job_id=job.pk)
        approved = affiliation_submit(
            actor=users["legal_entity"],
            legal_entity=world.mine.legal_entity,
            institution_ids=[InstitutionFactory.create(legal_entity=world.mine.legal_entity).pk],
        )
        affiliation_approve(actor=users["cnops"], request=approved)
        waiting = affiliation_submit(
            actor=users["legal_entity"],
            legal_entity=world.mine.legal_entity,
            institution_ids=[InstitutionFactory.create(legal_entity=world.mine.legal_entity).pk],
        )
        export = handover_export(actor=users["admin"])
    request.refresh_from_db()
    approvals = approval_chain(world, request.student_id)
    receipt = Receipt.objects.get(transfer=transfer)
    return {
        "year": year.code,
        "year_pk": year.pk,
        "request": request.pk,
        "student": request.student_id,
        "list": AggregationList.objects.get(aggregator=world.mine.aggregator).pk,
        "transfer": transfer.pk,
        "receipt": receipt.pk,
        "code": receipt.document.code if receipt.document else "X",
        "credit": Credit.objects.exclude(outcome="exact").get().pk,
        "batch": batch.pk,
        "registry_load": load.pk,
        "period": RightsPeriod.objects.get().pk,
        "publication": Publication.objects.get().pk,
        "job": job.pk,
        "affiliation": approved.pk,
        "affiliation_waiting": waiting.pk,
        "affiliation_number": approved.number,
        "handover": export.pk,
        "institution": institution.pk,
        "institution_fresh": InstitutionFactory.create(legal_entity=world.mine.legal_entity).pk,
        "legal_entity": world.mine.legal_entity.pk,
        "institution_name": institution.name_fr,
        "legal_entity_name": world.mine.legal_entity.name_fr,
        "provider_name": getattr(world.mine.provider, "name_fr", None) or world.mine.provider.name,
        "deposit_point_name": getattr(world.mine.deposit_point, "name_fr", None) or world.mine.deposit_point.name,
        "token": api_token_create(user=users["student"], name="matrix")[0].pk,
        **approvals,
    }
