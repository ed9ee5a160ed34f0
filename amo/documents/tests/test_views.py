import shutil
import subprocess

import pytest

from amo.organisations.services import affiliation_approve, affiliation_certificate_render_now, affiliation_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(world):
    world.mine.institution.name_ar = "كلية العلوم بالرباط"
    world.mine.institution.save(update_fields=["name_ar"])
    request = affiliation_submit(
        actor=world.users["legal_entity"],
        legal_entity=world.mine.legal_entity,
        institution_ids=[world.mine.institution.pk],
    )
    affiliation_approve(actor=world.users["cnops"], request=request)
    return affiliation_certificate_render_now(request_id=request.pk)  # the worker, after the commit


def test_the_public_page_verifies_a_code_typed_in_any_form(client, certificate) -> None:
    typed = certificate.code.lower()[:4] + " " + certificate.code.lower()[4:]
    response = client.get("/verify/", {"code": typed}, follow=True)
    assert 'data-testid="verified"' in response.content.decode()
    assert certificate.sha256 in response.content.decode()
    api = client.get(f"/api/documents/verify/{certificate.code}")
    assert api.status_code == 200 and api.json()["sha256"] == certificate.sha256


def test_an_unknown_code_is_not_verified(client) -> None:
    response = client.get("/verify/ABCD-EFGH-JKLM/")
    assert response.status_code == 404 and 'data-testid="not-verified"' in response.content.decode()
    assert client.get("/api/documents/verify/ABCDEFGHJKLM").json()["code"] == "not_found"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_certificate_embeds_an_arabic_font_and_arabic_text_in_reading_order(certificate, world) -> None:
    path = certificate.file.path
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    assert "Noto-Naskh-Arabic" in fonts
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    assert world.mine.institution.name_ar in text
    assert world.mine.legal_entity.name_fr in text
