"""The organisations of the scheme (DOMAIN.md §2-3): who registers, aggregates, pays, cares.

The channel of an institution, its aggregator, its contribution regime and where its
students deposit care files all follow from its category: data rows, never code.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amo.common import clock


class Region(models.Model):
    """One of Morocco's twelve regions (2015 division); routes delegations and providers."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_fr


class City(models.Model):
    """A city's name in both languages: institutions, offices and providers keep the French name as
    they always did; the Arabic pages show this table's Arabic name for it (issue 13, item 12)."""

    name_fr = models.CharField(_("name (French)"), max_length=80, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=80)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name_fr


class Aggregator(models.Model):
    """ONOUSC, OFPPT or ANAM: gathers its channel's validated requests for CNOPS."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)

    class Meta:
        verbose_name = _("aggregator")
        verbose_name_plural = _("aggregators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class DepositChannel(models.TextChoices):
    ONOUSC_OFFICES = "onousc_offices", _("ONOUSC offices")
    OFPPT_OFFICES = "ofppt_offices", _("OFPPT offices")
    # The address itself is a dated parameter (cnops_postal_address), shown beside this label.
    CNOPS_MAIL = "cnops_mail", _("By mail to CNOPS")


class Channel(models.Model):
    """A registration channel: its portal, its aggregator, where care files go."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    description_fr = models.TextField(_("who it is for (French)"), blank=True)
    description_ar = models.TextField(_("who it is for (Arabic)"), blank=True)
    portal_url = models.URLField(_("historical registration portal"), blank=True)
    aggregator = models.ForeignKey(
        Aggregator, verbose_name=_("aggregator"), on_delete=models.PROTECT, related_name="channels"
    )
    deposit_channel = models.CharField(_("care files deposited at"), max_length=32, choices=DepositChannel.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_fr


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class ContributionRegime(models.TextChoices):
    STATE_FUNDED = "state_funded", _("State pays, except fee-paying tracks")
    COLLECTED_BY_INSTITUTION = (
        "collected",
        _("Contribution collected by the institution and transferred by the legal entity"),
    )


class InstitutionCategory(models.Model):
    """One of the categories listed by CNOPS, mapped to its channel and contribution regime."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="categories")
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    age_limit_exempt = models.BooleanField(
        _("no age limit"),
        default=False,
        help_text=_("True for the final cycle of traditional education."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("institution category")
        verbose_name_plural = _("institution categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_fr

    def contribution_regime_on(self, on: dt.date) -> str:
        """Who pays for this category's students on a date: its dated row then in force (DOMAIN.md §5:
        "the State currently pays ... and may ask them to contribute"). Without a row the law's rule
        applies: the contribution is collected (law 116-12, DOMAIN.md §5); the State's exemption is the exception."""
        row = (
            self.regimes.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )
        return row.regime if row is not None else ContributionRegime.COLLECTED_BY_INSTITUTION.value

    @property
    def contribution_regime(self) -> str:
        """Today's regime, for the pages and the reference API (the dues read the year's start)."""
        return self.contribution_regime_on(clock.today())

    def get_contribution_regime_display(self) -> str:
        return str(ContributionRegime(self.contribution_regime).label)


class CategoryContributionRegime(models.Model):
    """Whether a category's students pay, as dated data (issue 13, rule 6): the State's exemption of
    public-sector students is a policy that can end (DOMAIN.md §5), so each row says from when to
    when (both days included) it holds and on what text. Read on the academic year's first day."""

    category = models.ForeignKey(
        InstitutionCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="regimes"
    )
    regime = models.CharField(_("contribution regime"), max_length=16, choices=ContributionRegime.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("category contribution regime")
        verbose_name_plural = _("category contribution regimes")
        ordering = ["category", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["category", "valid_from"], name="category_regime_from_unique")]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.regime} ({self.valid_from})"


class LegalLaw(models.TextChoices):
    PUBLIC = "public", _("Public law")
    PRIVATE = "private", _("Private law")


class LegalEntity(models.Model):
    """The owner of institutions: asks for affiliation, signs lists, pays contributions."""

    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    law = models.CharField(_("legal form"), max_length=16, choices=LegalLaw.choices)
    ice = models.CharField(_("ICE"), max_length=15, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["ice"], condition=~models.Q(ice=""), name="legal_entity_ice_unique")
        ]

    def __str__(self) -> str:
        return self.name_fr


class Institution(models.Model):
    """A higher-education or vocational-training institution."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=250)
    name_ar = models.CharField(_("name (Arabic)"), max_length=250)
    city = models.CharField(_("city"), max_length=80)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="institutions")
    category = models.ForeignKey(
        InstitutionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    legal_entity = models.ForeignKey(
        LegalEntity,
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    on_eligible_list = models.BooleanField(_("on the eligible list"), default=True)
    affiliated_on = models.DateField(_("affiliated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_fr"]
        indexes = [models.Index(fields=["legal_entity", "name_fr"])]

    def __str__(self) -> str:
        return self.name_fr


class OfficeKind(models.TextChoices):
    CENTRAL = "central", _("Central office")
    DELEGATION = "delegation", _("Regional delegation")


class CnopsOffice(models.Model):
    """CNOPS's central office or one of its regional delegations (a configurable list)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OfficeKind.choices)
    city = models.CharField(_("city"), max_length=80)
    regions = models.ManyToManyField(Region, verbose_name=_("regions served"), blank=True, related_name="cnops_offices")

    class Meta:
        verbose_name = _("CNOPS office")
        verbose_name_plural = _("CNOPS offices")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name_fr


class DepositPoint(models.Model):
    """Where students leave paper care files: an ONOUSC or OFPPT office, CNOPS's mail room."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    deposit_channel = models.CharField(_("deposit channel"), max_length=32, choices=DepositChannel.choices)
    city = models.CharField(_("city"), max_length=80)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="deposit_points"
    )

    class Meta:
        verbose_name = _("deposit point")
        verbose_name_plural = _("deposit points")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_fr


class ProviderKind(models.TextChoices):
    CLINIC = "clinic", _("Private clinic")
    CANCER_CENTRE = "cancer_centre", _("Cancer centre")
    DIALYSIS_CENTRE = "dialysis_centre", _("Dialysis centre")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other care provider")


class CareProvider(models.Model):
    """A clinic or centre that sends PEC requests and bills CNOPS."""

    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProviderKind.choices)
    inpe = models.CharField(_("INPE"), max_length=12, unique=True)
    ice = models.CharField(_("ICE"), max_length=15, blank=True)
    city = models.CharField(_("city"), max_length=80)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="providers")

    class Meta:
        verbose_name = _("care provider")
        verbose_name_plural = _("care providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AffiliationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AffiliationRejectReason(models.TextChoices):
    NOT_ON_ELIGIBLE_LIST = "not_on_eligible_list", _("An institution is not on the eligible list")
    INCOMPLETE_FILE = "incomplete_file", _("The file is incomplete")
    WRONG_LEGAL_ENTITY = "wrong_legal_entity", _("The legal entity does not own the institution")
    OTHER = "other", _("Other reason (see comment)")


class AffiliationRequest(models.Model):
    """A legal entity's request that CNOPS affiliate some of its listed institutions."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    legal_entity = models.ForeignKey(
        LegalEntity,
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="affiliation_requests",
    )
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions"), related_name="affiliation_requests"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AffiliationStatus.choices,
        default=AffiliationStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=32, choices=AffiliationRejectReason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    certificate = models.ForeignKey(
        "documents.Document",
        verbose_name=_("affiliation certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("affiliation request")
        verbose_name_plural = _("affiliation requests")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return self.number
