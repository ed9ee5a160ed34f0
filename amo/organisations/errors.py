from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import register_codes


@register_codes
class OrganisationError(models.TextChoices):
    NO_INSTITUTION = "affiliation_no_institution", _("Choose at least one institution.")
    NOT_OWNED = (
        "affiliation_not_owned",
        _("An institution chosen does not belong to this legal entity."),
    )
    NOT_ELIGIBLE = (
        "affiliation_not_eligible",
        _("An institution chosen is not on the list of eligible institutions."),
    )
    ALREADY_AFFILIATED = (
        "affiliation_already_affiliated",
        _("An institution chosen is already affiliated."),
    )
    ALREADY_PENDING = (
        "affiliation_already_pending",
        _("An institution chosen is already in a request awaiting decision."),
    )
    REASON_REQUIRED = "affiliation_reason_required", _("A rejection needs a reason.")
    ICE_REQUIRED = "legal_entity_ice_required", _("A legal entity of private law needs its ICE.")
