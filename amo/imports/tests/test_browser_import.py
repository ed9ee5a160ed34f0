"""An institution agent uploads a list in Chromium, in French and in Arabic: the valid rows are
applied, the job page gives the figures, and the error report names each refused row."""

from typing import Any

import pytest

from amo.enrollment.models import RegistrationRequest
from amo.enrollment.tests.factories import open_year
from amo.imports.tests.test_imports import GOOD, HEADER, csv_bytes
from amo.web.tests.browser import ARTIFACTS, login, require_chromium

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_institution_uploads_a_list_and_reads_its_error_report(
    world: Any, live_server: Any, browser: Any, tmp_path: Any, language: str
) -> None:
    institution = world.mine.institution
    institution.affiliated_on = open_year().starts_on
    institution.save(update_fields=["affiliated_on"])
    bad = ["CD654321", *GOOD[1:]]
    bad[HEADER.index("birth_date")] = "31/02/2005"
    content = csv_bytes([GOOD, bad, GOOD]).decode().replace("\r\n", "\n").encode("cp1256")
    path = tmp_path / "liste.csv"
    path.write_bytes(content)

    page = login(browser, live_server.url, "institution@example.ma", language)
    page.goto(live_server.url + "/imports/")
    page.set_input_files('input[name="file"]', str(path))
    page.select_option('select[name="academic_year_id"]', label=open_year().code)
    page.click('[data-testid="upload-submit"]')
    page.wait_for_selector('[data-testid="rows-total"]')
    assert page.inner_text('[data-testid="rows-total"]') == "3"
    assert page.inner_text('[data-testid="rows-created"]') == "1"
    assert page.inner_text('[data-testid="rows-error"]') == "2"
    # The rejected rows are on the page too, each with its reasons (issue 13, item 11).
    rows = page.locator('[data-testid="rejected-rows"] tbody tr')
    assert rows.count() == 2
    assert rows.nth(0).inner_text().startswith("3") and rows.nth(1).inner_text().startswith("4")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"import-job-{language}.png"), full_page=True)
    with page.expect_download() as download:
        page.click('a[href$="errors.csv"]')
    report = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    assert report[1].startswith("3;birth_date")
    assert report[2].startswith("4;id_number")
    if language == "fr":
        assert "Date non comprise" in report[1] and "(ligne 2)" in report[2]
    else:
        assert "(السطر 2)" in report[2]
    assert RegistrationRequest.objects.filter(student__id_number="AB123456", status="validated").count() == 1
