from django.http import HttpRequest
from ninja import Router, Schema

from amo.accounts.actors import actor_for, signed_in

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    role_label: str
    organisation: str | None


class MeOut(Schema):
    email: str
    full_name: str
    language: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="Who am I, with my roles")
def me(request: HttpRequest) -> dict[str, object]:
    user = signed_in(request)
    actor = actor_for(user)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.preferred_language,
        "memberships": [
            {
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "organisation": str(m.organisation) if m.organisation else None,
            }
            for m in actor.memberships
        ],
    }
