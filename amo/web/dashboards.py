"""What each role sees first: one section per membership, built from selectors."""

from dataclasses import dataclass, field
from typing import Any

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.enrollment import selectors as enrollment
from amo.organisations import selectors as org
from amo.referentials.selectors import academic_year_chosen


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
            data["requests"] = enrollment.request_list_for_student(actor.user)[:3]
        elif m.role == Role.LEGAL_ENTITY_AGENT and m.legal_entity:
            data["institutions"] = org.institution_list_for_actor(actor).filter(legal_entity=m.legal_entity)
            data["affiliable"] = org.affiliable_institutions(m.legal_entity).count()
            data["affiliations"] = org.affiliation_list_for_actor(actor)[:5]
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
        elif m.role == Role.DEPOSIT_POINT_AGENT:
            data["deposit_point"] = m.deposit_point
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
