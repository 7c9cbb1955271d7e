"""Forms of the residents' account pages: every error in French, saying what to do."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, UsernameField
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.portal.accounts import emails
from guichet.portal.accounts.ratelimit import LOGIN, client_address, too_many_attempts_message
from guichet.portal.forms import LoginForm
from guichet.residents.actions import normalize_email
from guichet.residents.choices import Civility
from guichet.residents.forms import (
    DATE_INPUT_FORMATS,
    DateInput,
    check_birth_date,
    check_name,
    clean_phone_number,
)
from guichet.residents.models import Resident

EMAIL_ERRORS = {
    "required": _("Saisissez votre adresse électronique."),
    "invalid": _(
        "Cette adresse électronique n'est pas valide : elle doit ressembler à "
        "prenom.nom@exemple.fr."
    ),
}
PASSWORD_MISMATCH = _("Les deux mots de passe ne sont pas identiques : saisissez-les à nouveau.")
PENDING_ACCOUNT = _(
    "Votre adresse électronique n'est pas encore confirmée : ouvrez le lien que nous vous avons "
    "envoyé par courriel, ou demandez-en un nouveau."
)


def email_field(label: Any = None, **kwargs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("Adresse électronique"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


class EmailForm(forms.Form):
    """Ask for an address: to receive a sign-in link, a new confirmation link, a reset link."""

    email = email_field()

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


def terms_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("J'ai lu et j'accepte les conditions d'utilisation du service"),
        error_messages={
            "required": _("Cochez la case pour accepter les conditions d'utilisation.")
        },
    )


class SignUpForm(forms.Form):
    civility = forms.ChoiceField(
        label=_("Civilité"),
        choices=[
            (Civility.MADAME, _("Madame")),
            (Civility.MONSIEUR, _("Monsieur")),
            ("", _("Je ne souhaite pas le préciser")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    first_names = forms.CharField(
        label=_("Prénoms"),
        max_length=200,
        help_text=_("Tous vos prénoms, dans l'ordre de l'état civil."),
        error_messages={"required": _("Saisissez votre ou vos prénoms.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    usage_name = forms.CharField(
        label=_("Nom d'usage"),
        max_length=200,
        help_text=_("Le nom que vous utilisez au quotidien."),
        error_messages={"required": _("Saisissez votre nom d'usage.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Par exemple 14/07/1985."),
        error_messages={
            "required": _("Saisissez votre date de naissance."),
            "invalid": _(
                "Cette date n'existe pas ou n'est pas au bon format : saisissez-la comme "
                "14/07/1985."
            ),
        },
        widget=DateInput(attrs={"autocomplete": "bday"}),
    )
    email = email_field(help_text=_("Nous y enverrons un lien pour confirmer votre adresse."))
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html,
        error_messages={"required": _("Choisissez un mot de passe.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        help_text=_("Saisissez le même mot de passe, pour vérification."),
        error_messages={"required": _("Saisissez à nouveau le mot de passe choisi.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = terms_field()

    def clean_first_names(self) -> str:
        return check_name(self.cleaned_data["first_names"])

    def clean_usage_name(self) -> str:
        return check_name(self.cleaned_data["usage_name"])

    def clean_birth_date(self) -> datetime.date | None:
        return check_birth_date(self.cleaned_data["birth_date"])

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", forms.ValidationError(PASSWORD_MISMATCH, "mismatch"))
        elif password1:
            # The validators compare the password with the person's name and address.
            candidate = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_names", ""),
                last_name=cleaned.get("usage_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def login_username(identifier: str) -> str:
    """Return the identifier to authenticate: an email typed is the one account's with it."""
    if "@" not in identifier:
        return identifier
    email = normalize_email(identifier)
    if User.objects.filter(username=email).exists():
        return email
    usernames = list(
        User.objects.filter(email__iexact=email).values_list("username", flat=True)[:2]
    )
    return usernames[0] if len(usernames) == 1 else identifier


class AccountLoginForm(LoginForm):
    """The shared login: an identifier or email, failed attempts limited, pending sign-ups told."""

    username = UsernameField(
        label=_("Identifiant ou adresse électronique"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    request: HttpRequest | None

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        # Set when the password is right but the address was never confirmed: the page then
        # offers a new confirmation link.
        self.pending_account = False

    def clean(self) -> dict[str, Any]:
        identifier = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if not identifier or not password:
            return super().clean()
        address = client_address(self.request) if self.request is not None else ""
        key = (address, identifier.lower())
        wait = LOGIN.blocked_for(*key)
        if wait:
            raise forms.ValidationError(too_many_attempts_message(wait), code="rate_limited")
        self.cleaned_data["username"] = username = login_username(identifier)
        try:
            return super().clean()
        except forms.ValidationError:
            LOGIN.hit(*key)
            pending = User.objects.filter(
                username=username, is_active=False, pending_account__isnull=False
            ).first()
            if pending is not None and pending.check_password(password):
                self.pending_account = True
                raise forms.ValidationError(PENDING_ACCOUNT, code="pending") from None
            raise


class ResidentPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email is queued in the notifications outbox.

    Django calls ``send_mail`` only for the accounts of the address typed, and the page that
    follows is the same either way: nobody learns whether an account exists.
    """

    email = email_field()

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queue the link in the outbox, from our templates rather than Django's."""
        path = reverse(
            "portal:account:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        url = f"{context['protocol']}://{context['domain']}{path}"
        emails.send_password_reset_email(context["user"], url)


# The notification channels a resident may choose on the portal.
NOTIFICATION_CHANNELS = [
    ("", _("Pas de préférence")),
    (Channel.EMAIL, _("Par courriel")),
    (Channel.SMS, _("Par SMS")),
]


class ProfileForm(forms.ModelForm):
    """Contact details, language, notification preferences and needs of the resident."""

    email = email_field(
        help_text=_(
            "Si vous la changez, nous enverrons un lien à la nouvelle adresse : elle ne "
            "remplacera l'actuelle qu'une fois ce lien ouvert."
        )
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Numéro français (06 12 34 56 78) ou international (+44 20 7946 0958)."),
    )
    preferred_channel = forms.ChoiceField(
        label=_("Comment souhaitez-vous être prévenu(e) de l'avancement de vos démarches ?"),
        choices=NOTIFICATION_CHANNELS,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Resident
        fields = [
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
            "preferred_language",
            "preferred_channel",
            "consent_email",
            "consent_sms",
            "needs_hearing",
            "needs_sight",
            "needs_mobility",
            "needs_interpreter",
        ]
        labels = {
            "address": _("Adresse"),
            "postal_code": _("Code postal"),
            "city": _("Commune"),
            "preferred_language": _("Langue dans laquelle vous préférez être contacté(e)"),
            "consent_email": _("J'accepte de recevoir des messages de la ville par courriel"),
            "consent_sms": _("J'accepte de recevoir des messages de la ville par SMS"),
            "needs_hearing": _("J'ai besoin d'un accompagnement lié à l'audition"),
            "needs_sight": _("J'ai besoin d'un accompagnement lié à la vue"),
            "needs_mobility": _("Je suis à mobilité réduite"),
            "needs_interpreter": _("J'ai besoin d'un interprète"),
        }
        widgets = {
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args: Any, account_email: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["email"] = account_email
        super().__init__(*args, **kwargs)
        # An account without an address (made from a provider's identity) may add one later.
        self.fields["email"].required = bool(account_email)
        channel = self.fields["preferred_channel"]
        assert isinstance(channel, forms.ChoiceField)
        current = self.instance.preferred_channel
        # A preference an agent noted (phone, post…) stays offered, so saving keeps it.
        if current and current not in {Channel.EMAIL, Channel.SMS}:
            channel.choices = [*NOTIFICATION_CHANNELS, (current, Channel(current).label)]

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data.get("email") or "")

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", "").strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channel = cleaned.get("preferred_channel")
        if channel == Channel.SMS:
            if "phone" in cleaned and not cleaned["phone"]:
                self.add_error(
                    "phone", _("Saisissez un numéro de téléphone pour être prévenu(e) par SMS.")
                )
            if not cleaned.get("consent_sms"):
                self.add_error("consent_sms", _("Cochez cette case pour être prévenu(e) par SMS."))
        if channel == Channel.EMAIL and not cleaned.get("consent_email"):
            self.add_error(
                "consent_email", _("Cochez cette case pour être prévenu(e) par courriel.")
            )
        return cleaned

    def _post_clean(self) -> None:
        # The actions, not the form, write the file (and the email waits for its confirmation).
        pass

    def resident_fields(self) -> dict[str, Any]:
        """Return what update_resident should write (the email is changed separately)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "email"}


class TermsForm(forms.Form):
    """The consent asked before an account is created from a provider's identity."""

    accept_terms = terms_field()


class LinkIdentityForm(forms.Form):
    """The password of the existing account an identity from a provider is to be linked to."""

    password = forms.CharField(
        label=_("Mot de passe de votre compte"),
        strip=False,
        error_messages={"required": _("Saisissez le mot de passe de votre compte.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        key = (client_address(self.request), self.user.email.lower())
        wait = LOGIN.blocked_for(*key)
        if wait:
            raise forms.ValidationError(too_many_attempts_message(wait), code="rate_limited")
        if not self.user.check_password(password):
            LOGIN.hit(*key)
            raise forms.ValidationError(
                _("Ce mot de passe n'est pas le bon. Vérifiez la saisie (majuscules comprises)."),
                code="invalid",
            )
        return password
