from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amo.accounts.actors import actor_for
from amo.organisations import selectors as org_selectors
from amo.web.dashboards import dashboard_sections


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"channels": org_selectors.channel_list()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    return render(request, "web/dashboard.html", {"sections": dashboard_sections(actor)})
