import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from amo.accounts.actors import Actor
from amo.organisations.access import (
    affiliation_scope,
    deposit_point_scope,
    institution_scope,
    legal_entity_scope,
    provider_scope,
)
from amo.organisations.models import (
    AffiliationRequest,
    CareProvider,
    CategoryContributionRegime,
    Channel,
    City,
    ContributionRegime,
    DepositPoint,
    Institution,
    InstitutionCategory,
    LegalEntity,
)


def contribution_regimes_on(on: dt.date) -> dict[int, str]:
    """Every category's contribution regime on a date (the academic year's first day for the dues), by
    category id, from the dated rows (issue 13, rule 6); a category without a row in force owes the
    contribution, the law's rule (InstitutionCategory.contribution_regime_on says the same for one)."""
    regimes = dict.fromkeys(
        InstitutionCategory.objects.values_list("pk", flat=True), ContributionRegime.COLLECTED_BY_INSTITUTION.value
    )
    rows = (
        CategoryContributionRegime.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("category_id", "valid_from")
        .values_list("category_id", "regime")
    )
    for category_id, regime in rows:  # the latest start wins: it comes last
        regimes[category_id] = regime
    return regimes


@functools.cache
def city_names_ar() -> dict[str, str]:
    """Every known city's Arabic name by its French name, kept by the process; cleared when a city is
    saved or deleted here (another process sees a new city at its next start: cities seldom change)."""
    return dict(City.objects.values_list("name_fr", "name_ar"))


def city_local_name(name: str, language: str) -> str:
    """A city as the reader's language writes it: the Arabic name when known, the name as kept otherwise."""
    if language.startswith("ar"):
        return city_names_ar().get(name.strip(), name)
    return name


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.select_related("aggregator").prefetch_related("categories")


def channel_entry_list() -> QuerySet[Channel]:
    """The channels as the registration's entries show them (with their aggregator)."""
    return Channel.objects.select_related("aggregator")


def category_list() -> QuerySet[InstitutionCategory]:
    return InstitutionCategory.objects.select_related("channel__aggregator")


def institution_list_for_actor(actor: Actor, *, search: str = "", channel: str = "") -> QuerySet[Institution]:
    qs = Institution.objects.filter(institution_scope(actor)).select_related(
        "category__channel", "legal_entity", "region"
    )
    if search:
        qs = qs.filter(Q(name_fr__icontains=search) | Q(name_ar__icontains=search) | Q(code__iexact=search))
    if channel:
        qs = qs.filter(category__channel__code=channel)
    return qs.distinct().order_by("name_fr")


def institution_public_list(*, search: str = "") -> QuerySet[Institution]:
    """The public catalogue of eligible institutions (what a student picks from)."""
    qs = Institution.objects.filter(on_eligible_list=True).select_related("category__channel")
    if search:
        qs = qs.filter(Q(name_fr__icontains=search) | Q(name_ar__icontains=search) | Q(city__icontains=search))
    return qs.order_by("name_fr")


def institution_registrable_list(*, channel: str = "") -> QuerySet[Institution]:
    """The institutions a student can register at today: listed and affiliated (of one channel
    when it is given), by name."""
    qs = Institution.objects.filter(on_eligible_list=True, affiliated_on__isnull=False).select_related("category")
    if channel:
        qs = qs.filter(category__channel__code=channel)
    return qs.order_by("name_fr")


def legal_entity_list_for_actor(actor: Actor) -> QuerySet[LegalEntity]:
    return (
        LegalEntity.objects.filter(legal_entity_scope(actor))
        .distinct()
        .annotate(institution_count=Count("institutions", distinct=True))
        .order_by("name_fr")
    )


def affiliation_list_for_actor(actor: Actor, *, status: str = "") -> QuerySet[AffiliationRequest]:
    qs = (
        AffiliationRequest.objects.filter(affiliation_scope(actor))
        .select_related("legal_entity", "certificate")
        .annotate(institution_count=Count("institutions"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at")


def affiliable_institutions(entity: LegalEntity) -> QuerySet[Institution]:
    """The entity's listed institutions neither affiliated nor awaiting a decision."""
    return (
        entity.institutions.filter(on_eligible_list=True, affiliated_on__isnull=True)
        .exclude(affiliation_requests__status="submitted")
        .select_related("category")
        .order_by("name_fr")
    )


def provider_list_for_actor(actor: Actor) -> QuerySet[CareProvider]:
    return CareProvider.objects.filter(provider_scope(actor)).select_related("region")


def deposit_point_list_for_actor(actor: Actor) -> QuerySet[DepositPoint]:
    return DepositPoint.objects.filter(deposit_point_scope(actor)).select_related("region")


def institution_get(pk: int | None) -> Institution | None:
    return Institution.objects.filter(pk=pk).first() if pk else None


def legal_entity_ids_of_institutions(institution_ids: Iterable[int]) -> list[int]:
    """The legal entities of these institutions (an institution agent's, to read its entity's lists)."""
    return list(Institution.objects.filter(pk__in=list(institution_ids)).values_list("legal_entity_id", flat=True))


def institution_list_of_entity(entity: LegalEntity, *, among: Any) -> QuerySet[Institution]:
    """The institutions of a legal entity among these ids (a list or a query of ids), by code."""
    return Institution.objects.filter(legal_entity=entity, pk__in=among).order_by("code")
