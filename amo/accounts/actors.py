"""The actor: a user with their active memberships, read once per request.

Every access_* helper and selector takes an Actor, so the perimeter is decided in one place.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from amo.accounts.models import Membership, Role, User
from amo.accounts.rules import BACK_OFFICE_ROLES, ROLE_JOBS, Job
from amo.common.errors import Forbidden

# Who does an operation that a service records (audit, timeline): the signed-in user of a page
# or an API call (`signed_in(request)`), or None for the platform itself (a task, a command).
# An Actor (below) is that user with their memberships, for perimeter decisions.
ActingUser = User | None


def signed_in(request: HttpRequest) -> User:
    """The user of a page or an API operation that requires a login (login_required, the API's
    authentication): typed as the platform's User. An anonymous request here is refused."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Forbidden
    return user


@dataclass(frozen=True)
class Actor:
    user: User | None
    memberships: tuple[Membership, ...] = field(default_factory=tuple)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    def has_role(self, *roles: Role | str) -> bool:
        return any(m.role in roles for m in self.memberships)

    def ids(self, role: Role | str, field_name: str) -> set[int]:
        return {
            getattr(m, f"{field_name}_id")
            for m in self.memberships
            if m.role == role and getattr(m, f"{field_name}_id")
        }

    @property
    def jobs(self) -> frozenset[str]:
        """The jobs of the actor's roles (rules.ROLE_JOBS), for pages: `"rights_lookup" in actor.jobs`."""
        return frozenset(job.value for m in self.memberships for job in ROLE_JOBS.get(Role(m.role), ()))

    def does(self, job: Job) -> bool:
        return job.value in self.jobs

    def does_centrally(self, job: Job) -> bool:
        """The job, for the whole nation: done by a member of CNOPS's central office."""
        return any(
            job in ROLE_JOBS.get(Role(m.role), ()) and m.cnops_office is not None and m.cnops_office.kind == "central"
            for m in self.memberships
        )

    @property
    def is_cnops_central(self) -> bool:
        """CNOPS's central back office (an agent or administrator of the central office) sees
        the nation. A medical controller or a call-centre agent of that office is not in it."""
        return self.does_centrally(Job.BACK_OFFICE)

    def delegation_region_ids(self, *roles: Role) -> set[int]:
        """Regions of the delegations where the actor has one of the roles (by default, a role
        of the back office)."""
        wanted = roles or tuple(BACK_OFFICE_ROLES)
        out: set[int] = set()
        for m in self.memberships:
            if m.role in wanted and m.cnops_office and m.cnops_office.kind == "delegation":
                out.update(r.pk for r in m.cnops_office.regions.all())
        return out

    @property
    def is_cnops(self) -> bool:
        """CNOPS's back office, central or of a delegation."""
        return self.does(Job.BACK_OFFICE)

    @property
    def is_anam(self) -> bool:
        """An agent of ANAM, which both aggregates a channel's lists and keeps the registry of
        other coverages (the exchange of the other-coverage check)."""
        return any(
            m.role == Role.AGGREGATOR_AGENT and m.aggregator is not None and m.aggregator.code == "ANAM"
            for m in self.memberships
        )

    @property
    def is_cnops_admin(self) -> bool:
        return self.does(Job.ADMINISTRATION)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))


ANONYMOUS = Actor(user=None)


def actor_for(user: User | AnonymousUser | None) -> Actor:
    """The actor of a user (anonymous users have no membership), cached on the user object."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return ANONYMOUS
    cached = user.__dict__.get("_amo_actor")
    if isinstance(cached, Actor):
        return cached
    memberships = tuple(
        Membership.objects.filter(user=user, is_active=True)
        .select_related(
            "institution",
            "legal_entity",
            "aggregator",
            "cnops_office",
            "deposit_point",
            "provider",
        )
        .prefetch_related("cnops_office__regions")
    )
    actor = Actor(user=user, memberships=memberships)
    user.__dict__["_amo_actor"] = actor
    return actor
