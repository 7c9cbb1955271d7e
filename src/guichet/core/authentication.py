"""How API clients authenticate (settings ``REST_FRAMEWORK``)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class AgentTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reading the user's agent profile in the same query.

    Every endpoint asks next whether the caller is an agent (``get_agent``): the join saves that
    second query on each call. Accounts without a profile (residents) get none, as before.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        try:
            token = Token.objects.select_related("user", "user__agent").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Jeton invalide.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Compte inactif ou supprimé."))
        return (token.user, token)
