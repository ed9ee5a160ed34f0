"""The error report is written to disk as rows are refused, never built in memory: a list with
many refused rows (the probe's 200 MB file had the worker reach 2.5 GB) keeps the worker's
memory bounded, whatever the number of rows."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.enrollment.tests.factories import open_year
from amo.imports import services, vectorised
from amo.imports.tests.test_imports import GOOD, HEADER, csv_bytes, institution, report_rows  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

REFUSED = 12_000


def test_the_error_report_of_many_refused_rows_is_written_in_bounded_memory(
    world,
    institution,  # noqa: F811
    monkeypatch,
) -> None:
    # The file is read by small batches here, so that what remains of the memory is the report's.
    monkeypatch.setattr(vectorised, "BATCH_BYTES", 64 << 10)
    bad = list(GOOD)
    bad[HEADER.index("sex")] = "X"  # refused while reading, row by row
    rows = [GOOD, *([f"CD{n:06d}", *bad[1:]] for n in range(REFUSED)), GOOD]  # the last one repeats the first
    job = services.import_job_create(
        actor=world.users["institution"],
        upload=SimpleUploadedFile("liste.csv", csv_bytes(rows)),
        academic_year=open_year(),
        institution=institution,
    )
    tracemalloc.start()
    try:
        services.import_run(job_id=job.pk)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_error) == ("done", 1, REFUSED + 1)
    assert job.error_report.size > 1_500_000  # the report itself: megabytes
    lines = [row[0] for row in report_rows(job)]
    assert lines == [str(n) for n in range(3, REFUSED + 4)]  # in line order, the duplicate last
    assert peak < 5_000_000  # constant: the batch read, the 1 MB copy buffers
