from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amo.documents.rules import display_code
from amo.documents.selectors import document_by_code


def verify(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("documents:verify_code", code=code[:40])
    return render(request, "documents/verify.html", {})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    document = document_by_code(code)
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "code": display_code(document.code) if document else code,
            "searched": True,
        },
        status=200 if document else 404,
    )
