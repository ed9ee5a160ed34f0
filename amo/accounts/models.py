"""Users log in by e-mail; memberships give them a role in one organisation."""

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common import clock


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        """E-mail addresses are matched without regard to case."""
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="fr",
        choices=[("fr", "Français"), ("ar", "العربية")],
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=clock.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    INSTITUTION_AGENT = "institution_agent", _("Institution agent")
    LEGAL_ENTITY_AGENT = "legal_entity_agent", _("Legal entity agent")
    AGGREGATOR_AGENT = "aggregator_agent", _("Aggregator agent")
    CNOPS_AGENT = "cnops_agent", _("CNOPS agent")
    MEDICAL_CONTROLLER = "medical_controller", _("Medical controller")
    DEPOSIT_POINT_AGENT = "deposit_point_agent", _("Deposit point agent")
    PROVIDER_AGENT = "provider_agent", _("Care provider agent")
    CNOPS_ADMIN = "cnops_admin", _("CNOPS administrator")
    CALL_CENTRE_AGENT = "call_centre_agent", _("Call-centre agent")


class Membership(models.Model):
    """A user's role in one organisation; the organisation field set is the role's (rules.py)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    legal_entity = models.ForeignKey(
        "organisations.LegalEntity",
        verbose_name=_("legal entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    aggregator = models.ForeignKey(
        "organisations.Aggregator",
        verbose_name=_("aggregator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    cnops_office = models.ForeignKey(
        "organisations.CnopsOffice",
        verbose_name=_("CNOPS office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    deposit_point = models.ForeignKey(
        "organisations.DepositPoint",
        verbose_name=_("deposit point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    provider = models.ForeignKey(
        "organisations.CareProvider",
        verbose_name=_("care provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()}"

    @property
    def organisation(self) -> models.Model | None:
        from amo.accounts.rules import ROLE_ORGANISATION_FIELD

        field = ROLE_ORGANISATION_FIELD[Role(self.role)]
        return getattr(self, field) if field else None


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
