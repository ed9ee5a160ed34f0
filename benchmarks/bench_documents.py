"""Issuing an affiliation certificate (render, hash, store, record) next to bare WeasyPrint."""

import time

from django.db import transaction

ROUNDS = 20


def run() -> None:
    from weasyprint import HTML

    from amo.documents.services import document_issue
    from amo.organisations.models import Institution, InstitutionCategory, LegalEntity, Region

    with transaction.atomic():
        entity, _ = LegalEntity.objects.get_or_create(
            name_fr="Bench entity", defaults={"law": "public", "name_ar": "شخص معنوي"}
        )
        institutions = [
            Institution.objects.get_or_create(
                code=f"BENCH-{n}",
                defaults={
                    "name_fr": f"Établissement {n}",
                    "name_ar": "كلية العلوم بالرباط",
                    "city": "Rabat",
                    "region": Region.objects.get(code="04"),
                    "category": InstitutionCategory.objects.get(code="univ"),
                    "legal_entity": entity,
                },
            )[0]
            for n in range(5)
        ]
    bare_html = "<p style='font-family: Noto Naskh Arabic'>شهادة انخراط</p><p>Attestation d'affiliation</p>"
    HTML(string=bare_html).write_pdf()  # warm fonts
    started = time.perf_counter()
    for _ in range(ROUNDS):
        HTML(string=bare_html).write_pdf()
    bare = (time.perf_counter() - started) / ROUNDS * 1000
    started = time.perf_counter()
    for _ in range(ROUNDS):
        with transaction.atomic():
            document_issue(
                kind="affiliation_certificate",
                template="organisations/affiliation_certificate.html",
                context={
                    "request": type("R", (), {"number": "AFF-BENCH"})(),
                    "entity": entity,
                    "institutions": institutions,
                    "decided_on": None,
                },
                title="bench",
                holder=entity.name_fr,
                obj=entity,
            )
    issued = (time.perf_counter() - started) / ROUNDS * 1000
    print(f"affiliation_certificate_issue: {issued:.0f} ms")
    print(f"weasyprint_bare_page: {bare:.0f} ms")
