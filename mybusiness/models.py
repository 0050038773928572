from __future__ import annotations

import uuid
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Now
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from mybusiness.roles import CLOUD_TEAM_GROUP, SALES_ADMIN_GROUP, Role


class Partner(models.Model):
    """An integrator partner company; every partner-facing object belongs to one."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("raison sociale"), max_length=200)
    is_active = models.BooleanField(_("actif"), default=True, db_default=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.STAFF, partner=None)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Email addresses are compared without case: « Jean@X.fr » is « jean@x.fr ».
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address.

    A partner user or partner admin belongs to exactly one partner; vendor staff
    (sales admin, cloud team) belong to none and get their rights from groups.
    """

    # Used in URLs instead of the sequential primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partenaire"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(
        _("rôle"), max_length=20, choices=Role.choices, default=Role.PARTNER_USER, db_default=Role.PARTNER_USER
    )
    language = models.CharField(
        _("langue"), max_length=5, choices=[("fr", _("Français")), ("en", _("English"))], default="fr", db_default="fr"
    )
    # The columns the user chose in each browse list, {list key: [column, ...]}
    # (``mybusiness.browse.preferences``): read with the user, so a list costs no query for it.
    browse_columns = models.JSONField(
        _("colonnes choisies par liste"), default=dict, db_default={}, blank=True, editable=False
    )
    is_staff = models.BooleanField(_("accès à l'administration"), default=False, db_default=False)
    is_active = models.BooleanField(_("actif"), default=True, db_default=True)
    # Part of the session's signature (``get_session_auth_hash``): moving it on ends every open session,
    # so a deactivated user or company stays out after reactivation until they log in again.
    session_generation = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Whether the user confirmed an authenticator application (kept by the services that enrol and disable):
    # read on every request with the user, so asking for the second factor costs no query.
    two_factor_enabled = models.BooleanField(
        _("double authentification activée"), default=False, db_default=False, editable=False
    )
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now, db_default=Now())

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # A partner role always has a partner; vendor staff never has one.
            models.CheckConstraint(
                condition=(Q(role=Role.STAFF) & Q(partner__isnull=True))
                | (Q(role__in=[Role.PARTNER_USER, Role.PARTNER_ADMIN]) & Q(partner__isnull=False)),
                name="user_partner_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)

    def _session_hash(self, secret: str | None = None) -> str:
        # Django's hash of the password, with the session generation: a new password or a new
        # generation (deactivation, mybusiness.services) and the sessions signed before are refused.
        return salted_hmac(
            "mybusiness.User.get_session_auth_hash", f"{self.password}:{self.session_generation}",
            secret=secret, algorithm="sha256",
        ).hexdigest()

    @property
    def is_partner(self) -> bool:
        return self.is_active and self.role in (Role.PARTNER_USER, Role.PARTNER_ADMIN) and self.partner_id is not None

    @property
    def is_partner_admin(self) -> bool:
        return self.is_partner and self.role == Role.PARTNER_ADMIN

    @cached_property
    def _group_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def is_sales_admin(self) -> bool:
        return self.is_active and self.is_staff and (self.is_superuser or SALES_ADMIN_GROUP in self._group_names)

    @property
    def is_cloud_team(self) -> bool:
        return self.is_active and self.is_staff and (self.is_superuser or CLOUD_TEAM_GROUP in self._group_names)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec définitif")


class OutboxEmail(models.Model):
    """An email recorded in the transaction of the change it announces, then sent by a Celery task.

    It is rendered when it is recorded (in its recipient's language), so that sending it
    needs nothing but this row. ``mybusiness.emails`` records, sends and sweeps them.
    """

    template = models.CharField(_("modèle"), max_length=200)
    to = models.TextField(_("destinataires"), help_text=_("Adresses séparées par des virgules."))
    subject = models.CharField(_("objet"), max_length=500)
    body = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING, db_default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now, db_default=Now(), editable=False)
    # When the sweep queues it again if it is still unsent (pushed back after each failure).
    retry_at = models.DateTimeField(_("nouvel essai le"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("dernier essai le"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("échecs d'envoi"), default=0, db_default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail de la boîte d'envoi")
        verbose_name_plural = _("boîte d'envoi des e-mails")
        ordering = ["-created_at"]
        indexes = [
            # The sweep's question: which unsent emails are due again?
            models.Index(fields=["retry_at"], condition=Q(status="pending"), name="outbox_pending_retry_idx"),
            # The purge's question: which sent emails are old enough to go?
            models.Index(fields=["sent_at"], condition=Q(status="sent"), name="outbox_sent_at_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.to.split(",") if address.strip()]



class ApiScope(models.TextChoices):
    READ = "read", _("lecture seule")
    WRITE = "write", _("lecture et écriture")


class ApiKey(models.Model):
    """A partner's key to the REST API (``mybusiness.api``), created by a partner admin.

    The key itself is shown once; only its SHA-256 is kept (a random 256-bit key needs no slow hash) with
    its first characters, so that the admin recognises it in the list. A request made with it acts as the
    admin who created it, scoped to their company like any page; deactivating that admin stops the key.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, verbose_name=_("partenaire"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créée par"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("début de la clé"), max_length=16, unique=True)
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("droits"), max_length=10, choices=ApiScope.choices, default=ApiScope.READ)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_default=Now(), editable=False)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    # The form's creation key: a double click on « Créer » makes one key (``services.api_key_create``).
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    @property
    def can_write(self) -> bool:
        return self.scope == ApiScope.WRITE


class ApiIdempotentRequest(models.Model):
    """The answer to a POST sent with an ``Idempotency-Key``, kept so that the same request sent again
    gets the same answer without a second change (``mybusiness.api.idempotent``)."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # The method, path and body's SHA-256: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    # None while the first request runs.
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_key_unique")]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created_idx")]

    def __str__(self) -> str:
        return self.key
