from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amo.accounts.actors import actor_for, signed_in
from amo.common.downloads import CSV, download
from amo.common.errors import DomainError, NotFound, label_for
from amo.imports import access, selectors
from amo.imports.forms import UploadForm
from amo.imports.services import import_job_create
from amo.referentials.selectors import academic_year_get, academic_year_open


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    institution = access.access_upload(actor)
    year = academic_year_open()
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"academic_year_id": year.pk if year else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                actor=signed_in(request),
                upload=form.cleaned_data["file"],
                academic_year=academic_year_get(pk=form.cleaned_data["academic_year_id"]),
                institution=institution,
            )
        except DomainError as exc:
            form.add_error("academic_year_id" if "academic_year_id" in exc.fields else "file", exc.message)
        else:
            messages.success(request, _("File received: it is being checked. This page shows the result."))
            return redirect("imports:job", pk=job.pk)
    jobs = selectors.jobs_for_actor(actor)[:20]
    return render(request, "imports/upload.html", {"form": form, "institution": institution, "jobs": jobs})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.access_job(actor_for(request.user), pk)
    file_error = ""
    if job.file_error:
        file_error = str(label_for(job.file_error))
        if "%(columns)s" in file_error:
            file_error = file_error % {"columns": job.file_error_detail}
    rejected = selectors.report_first_rows(job) if job.rows_error else []
    return render(request, "imports/job.html", {"job": job, "file_error": file_error, "rejected": rejected})


@login_required
def job_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = access.access_job(actor_for(request.user), pk)
    if not job.error_report:
        raise NotFound()
    return download(job.error_report.open("rb"), f"erreurs-{job.pk}.csv", CSV)


COLUMN_HELP = {
    "id_type": gettext_lazy("cin (default), residence_card or passport"),
    "id_number": gettext_lazy(
        "CIN: 1-2 letters and up to 6 digits; residence card or passport: 5-20 letters and digits"
    ),
    "massar": gettext_lazy("1 letter and 9 digits (optional)"),
    "last_name": gettext_lazy("Latin script"),
    "first_name": gettext_lazy("Latin script"),
    "last_name_ar": gettext_lazy("Arabic script (optional)"),
    "first_name_ar": gettext_lazy("Arabic script (optional)"),
    "birth_date": gettext_lazy("YYYY-MM-DD, DD/MM/YYYY or an Excel date"),
    "birth_place": gettext_lazy("optional"),
    "sex": gettext_lazy("F or M"),
    "nationality": gettext_lazy("optional, Moroccan by default"),
    "address": gettext_lazy("optional"),
    "email": gettext_lazy("optional; the student is e-mailed at each step"),
    "phone": gettext_lazy("optional; 05, 06 or 07 and 8 digits, or +212"),
    "rib": gettext_lazy("optional; 24 digits with a valid key"),
    "institution_code": gettext_lazy("required in a channel or national file; ignored otherwise"),
    "track": gettext_lazy("optional"),
    "fee_paying": gettext_lazy("oui/non (1/0)"),
    "registered_on": gettext_lazy("date of (re-)registration, within the academic year"),
    "no_other_coverage": gettext_lazy("oui: the student signed the declaration of no other coverage"),
}


def file_format(request: HttpRequest) -> HttpResponse:
    from amo.imports.rules import COLUMNS, REQUIRED

    columns = [(name, aliases[1:], name in REQUIRED, COLUMN_HELP[name]) for name, aliases in COLUMNS.items()]
    return render(request, "imports/format.html", {"columns": columns})


def file_template(request: HttpRequest) -> HttpResponseBase:
    from amo.imports.rules import COLUMNS

    header = ";".join(COLUMNS)
    example = (
        "cin;CD987654;R139000000;Bennani;Salma;بناني;سلمى;2005-03-14;Rabat;F;Marocaine;Agdal, Rabat;"
        "salma@example.ma;0612345678;;;Licence SMI;non;2026-09-20;oui"
    )
    return download("\ufeff" + header + "\n" + example + "\n", "modele-liste-etudiants.csv", CSV)
