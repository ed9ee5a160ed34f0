from django.http import HttpRequest
from ninja import Router, Schema

from amo.accounts.actors import actor_for

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
    actor = actor_for(request.user)
    return {
        "email": request.user.email,  # type: ignore[union-attr]
        "full_name": request.user.full_name,  # type: ignore[union-attr]
        "language": request.user.preferred_language,  # type: ignore[union-attr]
        "memberships": [
            {
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "organisation": str(m.organisation) if m.organisation else None,
            }
            for m in actor.memberships
        ],
    }
