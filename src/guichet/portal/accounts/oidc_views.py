"""Login with an OpenID Connect provider: start, return, link to an account, or create one.

Whatever goes wrong — provider down, state mismatch, a token that does not verify — the person
gets a page in French with "Réessayer" and the other ways to log in, never an error 500. Only
"Se déconnecter" ends the session at the provider too, when it offers RP-initiated logout (an
``end_session_endpoint``, as FranceConnect does): the provider sends the person back to the
portal's home page, which must be registered there as a post-logout redirect URI.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.organisation.models import User
from guichet.portal.accounts import actions, oidc
from guichet.portal.accounts.access import active_resident_accounts_with_email
from guichet.portal.accounts.forms import LinkIdentityForm, TermsForm
from guichet.portal.accounts.views import after_login_url, log_in, noindex, resident_language
from guichet.portal.models import ExternalIdentity

logger = logging.getLogger(__name__)

# What the session keeps between leaving for the provider and coming back…
REQUEST_KEY = "portal.oidc.request"
# …and, for a first login, the identity the provider vouched for, until linked or used.
IDENTITY_KEY = "portal.oidc.identity"
IDENTITY_MAX_AGE = 15 * 60
# For a session opened through the provider: its ID token, to end the session there at logout.
ID_TOKEN_KEY = "portal.oidc.id_token"  # noqa: S105 - a session key, not a secret


def _config_or_404() -> oidc.ProviderConfig:
    config = oidc.provider_config()
    if config is None:
        raise Http404
    return config


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:account:oidc_callback"))


def _error(
    request: HttpRequest, config: oidc.ProviderConfig, problem: str, *, status: int = 400
) -> HttpResponse:
    """Render the page explaining what went wrong, with a way to try again and the others."""
    texts = {
        "unavailable": _(
            "%(provider)s ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
            "connectez-vous autrement."
        ),
        "invalid": _(
            "La réponse de %(provider)s n'a pas pu être vérifiée. Réessayez ; si le problème "
            "persiste, connectez-vous autrement."
        ),
        "expired": _(
            "Cette demande de connexion a expiré ou a été ouverte dans un autre onglet. Réessayez."
        ),
        "cancelled": _("Vous avez annulé la connexion avec %(provider)s."),
        "closed": _(
            "Le compte lié à cette identité %(provider)s ne peut plus être utilisé. "
            "Adressez-vous à l'accueil de la mairie."
        ),
        "already_linked": _(
            "Ce compte est déjà lié à une autre identité %(provider)s. Connectez-vous avec "
            "celle-ci, ou avec votre mot de passe."
        ),
    }
    return render(
        request,
        "portal/account/oidc_error.html",
        {
            "message": texts[problem] % {"provider": config.name},
            "oidc_provider_name": config.name,
        },
        status=status,
    )


@noindex
def start(request: HttpRequest) -> HttpResponse:
    """Send the person to the provider, keeping state, nonce and PKCE verifier in the session."""
    config = _config_or_404()
    try:
        authorization = oidc.start_authorization(config, redirect_uri=_callback_url(request))
    except oidc.OidcError as exc:
        logger.warning("OpenID Connect login could not start: %s", exc.reason)
        return _error(request, config, "unavailable", status=502)
    request.session[REQUEST_KEY] = {
        "state": authorization.state,
        "nonce": authorization.nonce,
        "verifier": authorization.code_verifier,
    }
    return redirect(authorization.url)


@noindex
def callback(request: HttpRequest) -> HttpResponse:
    """Check the provider's answer, then log in, link, or offer to create the account."""
    config = _config_or_404()
    pending = request.session.pop(REQUEST_KEY, None)
    if request.GET.get("error") == "access_denied":
        return _error(request, config, "cancelled", status=200)
    state = request.GET.get("state", "")
    if not isinstance(pending, dict) or not constant_time_compare(state, pending.get("state", "")):
        logger.warning("OpenID Connect return refused: state missing or not ours")
        return _error(request, config, "expired")
    code = request.GET.get("code")
    if request.GET.get("error") or not code:
        logger.warning("OpenID Connect return refused: the provider sent no code")
        return _error(request, config, "invalid")
    try:
        identity = oidc.finish_authorization(
            config,
            code=code,
            code_verifier=pending["verifier"],
            nonce=pending["nonce"],
            redirect_uri=_callback_url(request),
        )
    except oidc.OidcError as exc:
        logger.warning("OpenID Connect login refused: %s", exc.reason)
        unavailable = exc.failure is oidc.Failure.UNAVAILABLE
        return _error(
            request,
            config,
            "unavailable" if unavailable else "invalid",
            status=502 if unavailable else 400,
        )
    return _continue_with(request, config, identity)


def _continue_with(
    request: HttpRequest, config: oidc.ProviderConfig, identity: actions.ProviderIdentity
) -> HttpResponse:
    external = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if external is not None:
        user = external.user
        if not user.is_active or user.agent_or_none is not None or not _has_file(user):
            return _error(request, config, "closed", status=403)
        actions.record_identity_use(external)
        _log_in_with(request, user, identity)
        return redirect(after_login_url())
    current = request.user
    if isinstance(current, User) and current.is_authenticated and _is_resident(current):
        # A resident already logged in chose to link the provider from their profile.
        return _link_and_log_in(request, config, current, identity, to_profile=True)
    _keep_identity(request, identity)
    if identity.email and active_resident_accounts_with_email(identity.email).exists():
        return redirect("portal:account:oidc_link")
    return redirect("portal:account:oidc_sign_up")


def _log_in_with(request: HttpRequest, user: User, identity: actions.ProviderIdentity) -> None:
    log_in(request, user)
    if identity.id_token:
        request.session[ID_TOKEN_KEY] = identity.id_token


def _has_file(user: User) -> bool:
    return hasattr(user, "resident") and user.resident.is_active


def _is_resident(user: User) -> bool:
    return user.is_active and user.agent_or_none is None and _has_file(user)


def _keep_identity(request: HttpRequest, identity: actions.ProviderIdentity) -> None:
    values: dict[str, Any] = dataclasses.asdict(identity)
    values["birth_date"] = identity.birth_date.isoformat() if identity.birth_date else None
    values["at"] = int(time.time())
    request.session[IDENTITY_KEY] = values


def _kept_identity(request: HttpRequest) -> actions.ProviderIdentity | None:
    values = request.session.get(IDENTITY_KEY)
    if not isinstance(values, dict) or time.time() - values.get("at", 0) > IDENTITY_MAX_AGE:
        return None
    birth_date = values.get("birth_date")
    return actions.ProviderIdentity(
        issuer=values["issuer"],
        subject=values["subject"],
        first_names=values["first_names"],
        usage_name=values["usage_name"],
        birth_date=datetime.date.fromisoformat(birth_date) if birth_date else None,
        email=values["email"],
        id_token=str(values.get("id_token", "")),
    )


def _link_and_log_in(
    request: HttpRequest,
    config: oidc.ProviderConfig,
    user: User,
    identity: actions.ProviderIdentity,
    *,
    to_profile: bool = False,
) -> HttpResponse:
    if ExternalIdentity.objects.filter(user=user, issuer=identity.issuer).exists():
        return _error(request, config, "already_linked", status=409)
    try:
        actions.link_identity(user, identity)
    except IntegrityError:  # the same identity was linked a moment ago (double click)
        return _error(request, config, "expired")
    request.session.pop(IDENTITY_KEY, None)
    _log_in_with(request, user, identity)
    messages.success(
        request,
        _("Votre compte est maintenant lié à %(provider)s.") % {"provider": config.name},
    )
    return redirect("portal:account:profile" if to_profile else after_login_url())


@noindex
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """Ask once for the password of the account with the provider's address, then link it.

    Linking silently would hand the account to whoever controls an identity at the provider
    with that address; the password proves the account is theirs.
    """
    config = _config_or_404()
    identity = _kept_identity(request)
    if identity is None:
        return _error(request, config, "expired")
    user = active_resident_accounts_with_email(identity.email).order_by("pk").first()
    if user is None:
        return redirect("portal:account:oidc_sign_up")
    form = LinkIdentityForm(
        request.POST if request.method == "POST" else None, user=user, request=request
    )
    if request.method == "POST" and form.is_valid():
        return _link_and_log_in(request, config, user, identity)
    return render(
        request,
        "portal/account/oidc_link.html",
        {"form": form, "identity": identity, "oidc_provider_name": config.name},
    )


@noindex
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Show what the provider told us and create the account once the terms are accepted."""
    config = _config_or_404()
    identity = _kept_identity(request)
    if identity is None:
        return _error(request, config, "expired")
    form = TermsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.create_account_from_identity(identity, language=resident_language())
        except IntegrityError:  # created a moment ago by a double click: log in again
            return _error(request, config, "expired")
        request.session.pop(IDENTITY_KEY, None)
        _log_in_with(request, user, identity)
        messages.success(request, _("Votre compte a été créé."))
        return redirect(after_login_url())
    return render(
        request,
        "portal/account/oidc_sign_up.html",
        {"form": form, "identity": identity, "oidc_provider_name": config.name},
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out of Guichet, then, after a login through the provider, out of the provider too.

    The local session ends first, whatever the provider does; if it cannot be reached, the
    person is told how to close their session there.
    """
    id_token = request.session.get(ID_TOKEN_KEY, "")
    auth_logout(request)
    home = resolve_url(settings.LOGOUT_REDIRECT_URL)
    config = oidc.provider_config()
    if not isinstance(id_token, str) or not id_token or config is None:
        return redirect(home)
    try:
        url = oidc.logout_url(
            config, id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(home)
        )
    except oidc.OidcError as exc:
        logger.warning("OpenID Connect logout at the provider impossible: %s", exc.reason)
        messages.warning(
            request,
            _(
                "Vous êtes déconnecté de Guichet, mais %(provider)s n'a pas pu être joint : "
                "pour fermer aussi votre session chez lui, fermez votre navigateur."
            )
            % {"provider": config.name},
        )
        return redirect(home)
    return redirect(url or home)
