"""Residents' account pages: sign-up and its confirmation, emailed sign-in links, password reset,
profile. None of them says whether an account exists for an address; none is indexed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.portal.accounts import actions, oidc, ratelimit, tokens
from guichet.portal.accounts.access import require_resident
from guichet.portal.accounts.forms import (
    AccountLoginForm,
    EmailForm,
    ProfileForm,
    ResidentPasswordResetForm,
    SignUpForm,
)
from guichet.portal.accounts.links import AccountLinks
from guichet.portal.models import ExternalIdentity
from guichet.residents.actions import update_resident
from guichet.residents.choices import Language

# The session keys of pages that follow each other.
SIGNED_UP_EMAIL = "portal.account.signed_up_email"
MAGIC_LINK_TOKEN = "portal.account.magic_link_token"  # noqa: S105 - a session key, not a secret

# Every account view passes through this: it answers a header too, for non-HTML clients.
ViewFunction = Callable[..., HttpResponseBase]


def noindex(view: ViewFunction) -> ViewFunction:
    """Tell search engines not to index or follow the page (its template says it too)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def resident_language() -> str:
    """Return the language of the page being used, as a resident's preferred language."""
    language = (translation.get_language() or "")[:2]
    return language if language in Language.values else Language.FRENCH


def after_login_url() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def log_in(request: HttpRequest, user: User) -> None:
    """Open a session for ``user``, who proved who they are otherwise than by password."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


class LoginOptionsMixin:
    """The shared login page's extras: email or identifier, limits, the other ways in."""

    authentication_form = AccountLoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        config = oidc.provider_config()
        context["oidc_provider_name"] = config.name if config else ""
        return context

    @method_decorator(noindex)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# Sign-up and confirmation ------------------------------------------------------------------


@noindex
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(after_login_url())
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wait = ratelimit.SIGN_UP.hit(ratelimit.client_address(request), data["email"])
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
        else:
            actions.sign_up_resident(
                actions.SignUp(
                    civility=data["civility"],
                    first_names=data["first_names"],
                    usage_name=data["usage_name"],
                    birth_date=data["birth_date"],
                    email=data["email"],
                    password=data["password1"],
                    language=resident_language(),
                ),
                links=AccountLinks.for_request(request),
            )
            request.session[SIGNED_UP_EMAIL] = data["email"]
            return redirect("portal:account:sign_up_done")
    return render(request, "portal/account/sign_up.html", {"form": form})


@noindex
def sign_up_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGNED_UP_EMAIL, "")
    return render(
        request,
        "portal/account/sign_up_done.html",
        {"email": email, "form": EmailForm(initial={"email": email})},
    )


@noindex
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account/terms.html")


@noindex
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the address given at sign-up; say plainly why a link does not work."""
    check = tokens.VERIFY_EMAIL.check(token)
    outcome = "invalid"
    if check.is_valid and check.user is not None and actions.confirm_sign_up(check.user):
        outcome = "confirmed"
    elif check.user is not None and check.status is not tokens.TokenStatus.INVALID:
        if check.user.is_active:
            outcome = "already_confirmed"
        elif check.status is tokens.TokenStatus.EXPIRED:
            outcome = "expired"
        else:
            outcome = "replaced"
    # An authentic link, even expired, says which address to send a new one to.
    email = check.user.email if check.user is not None and outcome != "invalid" else ""
    return render(
        request,
        "portal/account/verify.html",
        {"outcome": outcome, "form": EmailForm(initial={"email": email})},
    )


@noindex
@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = ratelimit.RESEND_VERIFICATION.hit(email)
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
        else:
            actions.resend_verification(email, links=AccountLinks.for_request(request))
            request.session[SIGNED_UP_EMAIL] = email
            return redirect("portal:account:resend_verification_done")
    return render(request, "portal/account/resend_verification.html", {"form": form})


@noindex
def resend_verification_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/account/resend_verification_done.html",
        {"email": request.session.get(SIGNED_UP_EMAIL, "")},
    )


# Sign-in by emailed link ---------------------------------------------------------------------


@noindex
@require_http_methods(["GET", "POST"])
def magic_link(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = ratelimit.MAGIC_LINK.hit(ratelimit.client_address(request), email)
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
        else:
            actions.send_magic_links(email, links=AccountLinks.for_request(request))
            return redirect("portal:account:magic_link_sent")
    return render(request, "portal/account/magic_link.html", {"form": form})


@noindex
def magic_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account/magic_link_sent.html")


@noindex
def magic_link_open(request: HttpRequest, token: str) -> HttpResponse:
    """Keep the token in the session and move on to an address without it.

    The next page asks for a click: mail filters that open links in advance do not sign
    anybody in, and the token leaves the address bar (and any Referer) at once.
    """
    request.session[MAGIC_LINK_TOKEN] = token
    return redirect("portal:account:magic_link_confirm")


def _magic_link_user(request: HttpRequest) -> tuple[User | None, str]:
    token = request.session.get(MAGIC_LINK_TOKEN)
    if not isinstance(token, str):
        return None, "invalid"
    check = tokens.MAGIC_LINK.check(token)
    if check.status is tokens.TokenStatus.EXPIRED:
        return None, "expired"
    if check.status is tokens.TokenStatus.USED:
        return None, "used"
    user = check.user
    if not check.is_valid or user is None or not user.is_active or user.agent_or_none:
        return None, "invalid"
    return user, "valid"


@noindex
@require_http_methods(["GET", "POST"])
def magic_link_confirm(request: HttpRequest) -> HttpResponse:
    user, outcome = _magic_link_user(request)
    if user is not None and request.method == "POST":
        del request.session[MAGIC_LINK_TOKEN]
        # Logging in sets last_login, which the token is bound to: it cannot serve again.
        log_in(request, user)
        return redirect(after_login_url())
    return render(
        request,
        "portal/account/magic_link_confirm.html",
        {"outcome": outcome, "account_user": user, "form": EmailForm()},
    )


# Password reset (Django's views, our templates and emails) -----------------------------------


@method_decorator(noindex, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResidentPasswordResetForm
    template_name = "portal/account/password_reset_form.html"
    success_url = reverse_lazy("portal:account:password_reset_done")

    def form_valid(self, form: ResidentPasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        wait = ratelimit.PASSWORD_RESET.hit(ratelimit.client_address(self.request), email)
        if wait:
            form.add_error(None, ratelimit.too_many_attempts_message(wait))
            return self.form_invalid(form)
        return super().form_valid(form)


@method_decorator(noindex, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/account/password_reset_done.html"


@method_decorator(noindex, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/account/password_reset_confirm.html"
    success_url = reverse_lazy("portal:account:password_reset_complete")


@method_decorator(noindex, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/account/password_reset_complete.html"


# Profile -----------------------------------------------------------------------------------


@noindex
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    resident = require_resident(request.user)
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        instance=resident,
        account_email=user.email,
    )
    if request.method == "POST" and form.is_valid():
        update_resident(resident, actor=user, channel=Channel.WEB, **form.resident_fields())
        new_email = form.cleaned_data["email"]
        if new_email and new_email != user.email.lower():
            actions.request_email_change(user, new_email, links=AccountLinks.for_request(request))
            messages.info(
                request,
                _(
                    "Pour changer d'adresse électronique, ouvrez le lien que nous venons "
                    "d'envoyer à %(email)s. Votre adresse actuelle reste valable d'ici là."
                )
                % {"email": new_email},
            )
        messages.success(request, _("Vos informations ont été enregistrées."))
        return redirect("portal:account:profile")
    config = oidc.provider_config()
    identity = (
        ExternalIdentity.objects.filter(user=user, issuer=config.issuer).first() if config else None
    )
    return render(
        request,
        "portal/account/profile.html",
        {
            "form": form,
            "resident": resident,
            "oidc_provider_name": config.name if config else "",
            "external_identity": identity,
            "nav": "account",
        },
    )


@noindex
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    require_resident(request.user)
    user = request.user
    assert isinstance(user, User)
    # An account made from a provider's identity has no password yet: it may choose one.
    has_password = user.has_usable_password()
    form: Form = (PasswordChangeForm if has_password else SetPasswordForm)(
        user, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        form.save()  # type: ignore[attr-defined]
        update_session_auth_hash(request, user)
        messages.success(request, _("Votre mot de passe a été enregistré."))
        return redirect("portal:account:profile")
    return render(
        request,
        "portal/account/password_change.html",
        {"form": form, "has_password": has_password, "nav": "account"},
    )


@noindex
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Give the account the new address once its owner opened the link sent to it."""
    check = tokens.CHANGE_EMAIL.check(token)
    new_email = (check.extra or {}).get("email")
    outcome = {
        tokens.TokenStatus.EXPIRED: "expired",
        tokens.TokenStatus.USED: "used",
    }.get(check.status, "invalid")
    if (
        check.is_valid
        and check.user is not None
        and check.user.is_active
        and isinstance(new_email, str)
    ):
        try:
            actions.change_account_email(check.user, new_email)
        except actions.EmailAlreadyUsed:
            outcome = "taken"
        else:
            outcome = "changed"
    return render(
        request,
        "portal/account/email_change.html",
        {"outcome": outcome, "email": new_email if outcome in ("changed", "taken") else ""},
    )
