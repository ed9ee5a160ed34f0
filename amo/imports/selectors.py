"""Reads of imports: the jobs an actor may see."""

import csv
import io
from itertools import islice

from django.db.models import QuerySet

from amo.accounts.actors import Actor
from amo.imports import access
from amo.imports.models import ImportJob


def jobs_for_actor(actor: Actor) -> QuerySet[ImportJob]:
    """The import jobs within the actor's perimeter, latest first (the model's order)."""
    return ImportJob.objects.filter(access.job_scope(actor)).select_related("academic_year")


REPORT_SHOWN = 20


def report_first_rows(job: ImportJob, count: int = REPORT_SHOWN) -> list[tuple[str, list[str]]]:
    """The first rows of the job's error report (line order), each with the reasons of its line,
    as the report says them (in the uploader's language): what the job's page shows before the
    whole CSV is downloaded. Reads only those rows of the file."""
    if not job.error_report:
        return []
    with job.error_report.open("rb") as handle, io.TextIOWrapper(handle, encoding="utf-8-sig", newline="") as text:
        rows = islice(csv.reader(text, delimiter=";"), 1, count + 1)  # after the header
        return [(row[0], row[1].split(" | ")) for row in rows if len(row) >= 2]
