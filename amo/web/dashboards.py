"""What each role sees first: one section per membership, built from selectors, each saying
what to do next (the student's file, what a legal entity owes, CNOPS's work queues)."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.claims import selectors as claims
from amo.common.clock import today
from amo.contributions import selectors as contributions
from amo.coverage import selectors as coverage
from amo.eligibility.selectors import ready_for_check
from amo.enrollment import extensions
from amo.enrollment import selectors as enrollment
from amo.organisations import selectors as org
from amo.referentials.selectors import academic_year_chosen


@dataclass(frozen=True)
class NextStep:
    """What a student reads first: where the file stands and the one thing to do, if any."""

    text: Promise | str
    action: Promise | str = ""
    url: str = ""


# Statuses after which the student registers again (a new academic year, or a new request).
_REGISTER_AGAIN = frozenset({"rejected", "closed", "expired"})


def student_next_step(request: Any, contribution: str, rights: Any = None) -> NextStep:
    """The student's next step for their latest request (None: no request yet). `rights`: its rights period, if any."""
    if request is None:
        return NextStep(
            _("You have no request yet: register through your channel's entry."),
            _("Register"),
            reverse("enrollment:entries"),
        )
    status = request.status
    mine = reverse("enrollment:my_requests")
    if status == "to_correct":
        return NextStep(
            _("Your institution sent your request back: correct it and send it again."),
            _("Correct my request"),
            reverse("enrollment:my_request_correct", args=[request.pk]),
        )
    if status == "rejected":
        return NextStep(
            _("Your request was rejected (the reason is on your file)."), _("Register"), reverse("enrollment:entries")
        )
    if status == "refused_anam":
        return NextStep(
            _("ANAM found another basic coverage: if your situation has changed, ask for a new check."),
            _("Ask for a new check"),
            mine,
        )
    if status in ("insured", "closure_notice") and rights is not None:
        text = (
            _("Your rights are open: download your coverage certificate when a care provider asks for it.")
            if status == "insured"
            else _("CNOPS will close your rights unless you send a proof before the date on your file.")
        )
        return NextStep(
            text, _("Download my coverage certificate (PDF)"), reverse("coverage:certificate", args=[rights.pk])
        )
    if status == "suspended" or contribution == "overdue":
        return NextStep(
            _(
                "Your contribution has not reached CNOPS: your rights wait for it. "
                "Ask your institution, which pays it to CNOPS."
            ),
            _("Follow my requests"),
            mine,
        )
    if status in _REGISTER_AGAIN:
        return NextStep(
            _("Your rights have ended: register for the new academic year."),
            _("Register"),
            reverse("enrollment:entries"),
        )
    waiting = {
        "submitted": _("Your institution checks your request. Nothing to do meanwhile."),
        "validated": _("Your institution validated your request; its list goes to CNOPS. Nothing to do meanwhile."),
        "in_list": _("Your request is in your channel's list for CNOPS. Nothing to do meanwhile."),
        "sent_to_cnops": _(
            "CNOPS has your request; it checks the contribution, then asks ANAM. Nothing to do meanwhile."
        ),
        "pending_anam": _("ANAM checks that you have no other basic coverage; you will get an e-mail."),
    }
    text = waiting.get(status, _("Follow your request on its page."))
    if request.signed_form_id:
        return NextStep(
            text, _("Download my signed form (PDF)"), reverse("enrollment:request_form_pdf", args=[request.pk])
        )
    return NextStep(text, _("Follow my requests"), mine)


def legal_entity_owed(entity: Any) -> dict[str, Any]:
    """What a legal entity owes for the open academic year (contributions' selector)."""
    year = academic_year_chosen()
    return contributions.owed_by_entity(entity, year, today()) if year else {}


@dataclass
class Section:
    role: str
    role_label: str
    organisation: Any
    template: str
    data: dict[str, Any] = field(default_factory=dict)


def dashboard_sections(actor: Actor) -> list[Section]:
    sections = []
    for m in actor.memberships:
        data: dict[str, Any] = {"membership": m}
        if m.role == Role.STUDENT and actor.user is not None:
            data["requests"] = list(enrollment.request_list_for_student(actor.user)[:3])
            latest = data["requests"][0] if data["requests"] else None
            data["next"] = student_next_step(
                latest,
                contributions.contribution_of(latest) if latest else "",
                extensions.step_read(extensions.RIGHTS, latest) if latest else None,
            )
            data["can_register"] = latest is None or latest.status in _REGISTER_AGAIN
        elif m.role == Role.LEGAL_ENTITY_AGENT and m.legal_entity:
            data["institutions"] = org.institution_list_for_actor(actor).filter(legal_entity=m.legal_entity)
            data["affiliable"] = org.affiliable_institutions(m.legal_entity).count()
            data["affiliations"] = org.affiliation_list_for_actor(actor)[:5]
            data["owed"] = legal_entity_owed(m.legal_entity)
        elif m.role == Role.INSTITUTION_AGENT:
            data["institution"] = m.institution
            data["pending"] = (
                enrollment.request_list_for_actor(actor, status="submitted").filter(institution=m.institution).count()
            )
        elif m.role == Role.AGGREGATOR_AGENT:
            data["institution_count"] = org.institution_list_for_actor(actor).count()
            data["channels"] = org.channel_list().filter(aggregator=m.aggregator)
            data["waiting"] = (
                enrollment.request_list_for_actor(actor, status="validated")
                .filter(aggregator=m.aggregator, aggregation_list__isnull=True)
                .count()
            )
        elif m.role == Role.MEDICAL_CONTROLLER:
            data["provider_count"] = org.provider_list_for_actor(actor).count()
        elif m.role in (Role.CNOPS_AGENT, Role.CNOPS_ADMIN):
            data["pending_affiliations"] = org.affiliation_list_for_actor(actor, status="submitted").count()
            data["institution_count"] = org.institution_list_for_actor(actor).count()
            data["provider_count"] = org.provider_list_for_actor(actor).count()
            year = academic_year_chosen()
            data["sent"] = enrollment.request_list_for_actor(
                actor, received=True, year=year.code if year else ""
            ).count()
            if actor.is_cnops_central:
                # The work queues, counted as the pages they link to count them.
                data["to_reconcile"] = contributions.review_queue().count()
                data["ready_for_anam"] = ready_for_check(year).count() if year else 0
                data["letters_waiting"] = coverage.letters_waiting().count()
                data["year"] = year
                data["care"] = claims.queue_counts()
        elif m.role == Role.DEPOSIT_POINT_AGENT:
            data["deposit_point"] = m.deposit_point
            data["care"] = claims.queue_counts(m.deposit_point_id) if m.deposit_point_id else {}
        elif m.role == Role.PROVIDER_AGENT:
            data["provider"] = m.provider
        sections.append(
            Section(
                role=m.role,
                role_label=str(m.get_role_display()),
                organisation=m.organisation,
                template=f"web/dashboard/{m.role}.html",
                data=data,
            )
        )
    return sections
