"""Residents' portal accounts: sign-ups awaiting confirmation and identities at OIDC providers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingAccount(models.Model):
    """A login created by sign-up whose email address is not confirmed yet.

    The user stays inactive (Django refuses every kind of login) until the link sent to the
    address is opened; the row then goes. An account deactivated for any other reason has no
    such row, so a confirmation link can never reactivate it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_account"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compte en attente de confirmation")

    def __str__(self) -> str:
        return str(self.user)


class ExternalIdentity(models.Model):
    """A resident's identity at an OpenID Connect provider (FranceConnect…), tied to their login."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    # The provider's issuer URL and its stable identifier of the person ("sub" claim).
    issuer = models.CharField(_("fournisseur d'identité"), max_length=255)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identité externe")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_once"),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="external_identity_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
