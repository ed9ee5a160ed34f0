from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from amo.accounts.actors import actor_for
from amo.common.middleware import no_store
from amo.organisations import selectors as org_selectors
from amo.web.dashboards import dashboard_sections
from amo.web.health import health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"channels": org_selectors.channel_list()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    return render(request, "web/dashboard.html", {"sections": dashboard_sections(actor)})


def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer and a monitor, no login: 200 or 503 and one word per check (health.py)."""
    healthy, checks = health_report()
    response = JsonResponse({"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503)
    no_store(response)
    return response
