"""Forms of the administration area; they validate, the actions in ``actions.py`` change state."""

from __future__ import annotations

import datetime
import itertools
import re
from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from guichet.organisation.actions import OpeningPeriod
from guichet.organisation.choices import Role, SiteKind, Weekday
from guichet.organisation.models import Agent, Department, Site, User

_PHONE = re.compile(r"^\+?[0-9 .()-]{4,20}$")
_LONGEST_CLOSURE_DAYS = 366
# Agents' logins: lower-case ASCII, so they are typed the same way on every keyboard.
USERNAME_PATTERN = r"^[a-z0-9.@_-]+$"
# Words the administration URLs use next to slugs ("sites/nouveau/").
RESERVED_SLUGS = {"nouveau"}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _slug_field(help_text: StrOrPromise) -> forms.SlugField:
    return forms.SlugField(
        label=pgettext_lazy("slug", "Identifiant"),
        max_length=50,
        help_text=help_text,
        error_messages={
            "invalid": _(
                "L'identifiant ne peut contenir que des lettres minuscules sans accents, des "
                "chiffres et des tirets, par exemple « mairie-annexe-nord »."
            )
        },
    )


class SiteForm(forms.Form):
    """A site's details; the slug is asked only when the site is created."""

    slug = _slug_field(_("Utilisé dans les adresses des pages ; il ne pourra plus être modifié."))
    name = forms.CharField(label=_("Nom"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de site"), choices=SiteKind.choices)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("Code postal"), max_length=10, required=False)
    city = forms.CharField(label=_("Commune"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        help_text=_("Par exemple 01 49 80 92 94."),
    )
    accessibility = forms.CharField(
        label=_("Accessibilité"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Accès pour les personnes à mobilité réduite, boucle magnétique…"),
    )
    is_active = forms.BooleanField(
        label=_("Site ouvert au public (décocher pour le masquer)"), required=False, initial=True
    )

    def __init__(self, *args: Any, site: Site | None = None, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, **kwargs)
        if site is not None:
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS or Site.objects.filter(slug=slug).exists():
            raise ValidationError(
                _("Un autre site utilise déjà cet identifiant ; choisissez-en un autre.")
            )
        return slug

    def clean_postal_code(self) -> str:
        value: str = self.cleaned_data["postal_code"].strip()
        if value and not re.fullmatch(r"\d{5}", value):
            raise ValidationError(_("Le code postal compte cinq chiffres, par exemple 94000."))
        return value

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        if value and not _PHONE.fullmatch(value):
            raise ValidationError(
                _("Saisissez un numéro de téléphone avec des chiffres, par exemple 01 49 80 92 94.")
            )
        return value


class OpeningHoursForm(forms.Form):
    """One opening period; a blank row is ignored."""

    weekday = forms.TypedChoiceField(
        label=_("Jour"), choices=[("", "—"), *Weekday.choices], coerce=int
    )
    opens_at = forms.TimeField(
        label=_("Ouverture"),
        widget=TimeInput(),
        error_messages={"invalid": _("Saisissez une heure au format 09:00.")},
    )
    closes_at = forms.TimeField(
        label=_("Fermeture"),
        widget=TimeInput(),
        error_messages={"invalid": _("Saisissez une heure au format 17:30.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error(
                "closes_at",
                _("L'heure de fermeture doit être après l'heure d'ouverture (%(opens)s).")
                % {"opens": opens_at.strftime("%H:%M")},
            )
        return cleaned

    def period(self) -> OpeningPeriod | None:
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        return OpeningPeriod(data["weekday"], data["opens_at"], data["closes_at"])


def is_marked_for_deletion(form: forms.Form) -> bool:
    """Return whether a formset row has its "delete" box ticked (valid or not)."""
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class BaseOpeningHoursFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(form.errors for form in self.forms if not is_marked_for_deletion(form)):
            return
        by_day: dict[int, list[OpeningPeriod]] = {}
        for form in self.forms:
            period = form.period()
            if period is not None:
                by_day.setdefault(period.weekday, []).append(period)
        for weekday, periods in by_day.items():
            periods.sort(key=lambda p: p.opens_at)
            for before, after in itertools.pairwise(periods):
                if after.opens_at < before.closes_at:
                    raise ValidationError(
                        _(
                            "Deux plages horaires du %(day)s se chevauchent : corrigez-les ou "
                            "fusionnez-les."
                        )
                        % {"day": Weekday(weekday).label.lower()}
                    )

    def periods(self) -> list[OpeningPeriod]:
        return [p for form in self.forms if (p := form.period()) is not None]


OpeningHoursFormSet = forms.formset_factory(
    OpeningHoursForm,
    formset=BaseOpeningHoursFormSet,
    extra=3,
    can_delete=True,
    max_num=28,
    validate_max=True,
)


def opening_hours_formset(site: Site | None, data: Any = None) -> BaseOpeningHoursFormSet:
    """Return the formset for a site's hours, pre-filled with the current ones."""
    initial = []
    if site is not None:
        initial = [
            {"weekday": p.weekday, "opens_at": p.opens_at, "closes_at": p.closes_at}
            for p in site.opening_hours.order_by("weekday", "opens_at")
        ]
    return cast(
        BaseOpeningHoursFormSet, OpeningHoursFormSet(data, initial=initial, prefix="horaires")
    )


class ClosureForm(forms.Form):
    too_long_message = _(
        "Une fermeture exceptionnelle dure au plus un an ; pour fermer le site, "
        "décochez « Site ouvert au public »."
    )

    start_date = forms.DateField(
        label=_("Fermé du"),
        widget=DateInput(),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 24/12/2026.")},
    )
    end_date = forms.DateField(
        label=_("au (inclus)"),
        widget=DateInput(),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 02/01/2027.")},
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=200,
        help_text=_("Affiché aux usagers, par exemple « Travaux » ou « Pont de l'Ascension »."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: datetime.date | None = cleaned.get("start_date")
        end: datetime.date | None = cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error(
                    "end_date", _("La date de fin doit être le même jour que le début ou après.")
                )
            elif (end - start).days > _LONGEST_CLOSURE_DAYS:
                self.add_error("end_date", self.too_long_message)
        return cleaned


class CityClosureForm(ClosureForm):
    """A closure of the whole administration; same dates and checks as a site's closure."""

    too_long_message = _("Une fermeture de l'administration dure au plus un an.")

    reason = forms.CharField(
        label=_("Motif"),
        max_length=200,
        help_text=_(
            "Par exemple « Pont de l'Ascension » ou « Fermeture entre Noël et le Jour de l'an »."
        ),
    )


class DepartmentForm(forms.Form):
    slug = _slug_field(
        _("Utilisé par le catalogue des démarches ; il ne pourra plus être modifié.")
    )
    name = forms.CharField(label=_("Nom"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    email = forms.EmailField(
        label=_("Courriel du service"),
        required=False,
        error_messages={
            "invalid": _("Saisissez une adresse courriel valide, par exemple etat-civil@ville.fr.")
        },
    )
    confidential = forms.BooleanField(
        label=_("Service confidentiel"),
        required=False,
        help_text=_(
            "Les autres agents voient qu'un échange a eu lieu, pas son contenu "
            "(par exemple le CCAS)."
        ),
    )

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if department is not None:
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS or Department.objects.filter(slug=slug).exists():
            raise ValidationError(
                _("Un autre service utilise déjà cet identifiant ; choisissez-en un autre.")
            )
        return slug


class AgentForm(forms.Form):
    """An agent's account and profile; username and password only when the agent is created."""

    username = forms.RegexField(
        label=_("Identifiant de connexion"),
        max_length=150,
        regex=USERNAME_PATTERN,
        help_text=_(
            "Lettres minuscules sans accents, chiffres et . _ - ; par exemple « marie.durand »."
        ),
        error_messages={
            "invalid": _(
                "L'identifiant ne peut contenir que des lettres minuscules sans accents, des "
                "chiffres et les signes . _ - @, par exemple « marie.durand »."
            )
        },
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Courriel professionnel"),
        required=False,
        error_messages={
            "invalid": _(
                "Saisissez une adresse courriel valide, par exemple marie.durand@ville.fr."
            )
        },
    )
    job_title = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites où l'agent travaille"),
        queryset=Site.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Services de l'agent"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password = forms.CharField(
        label=_("Mot de passe initial"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Laissez vide pour qu'un mot de passe provisoire soit généré et affiché une fois."
        ),
    )

    def __init__(
        self, *args: Any, agent: Agent | None = None, actor: Agent | None = None, **kwargs: Any
    ) -> None:
        self.agent = agent
        self.actor = actor
        super().__init__(*args, **kwargs)
        if agent is not None:
            del self.fields["username"]
            del self.fields["password"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("Cet identifiant est déjà pris ; ajoutez par exemple une initiale ou un chiffre.")
            )
        return username

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if password:
            user = User(
                username=self.data.get("username", ""),
                first_name=self.data.get("first_name", ""),
                last_name=self.data.get("last_name", ""),
            )
            validate_password(password, user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role in {Role.RECEPTION, Role.HELPER} and not cleaned.get("sites"):
            self.add_error("sites", _("Choisissez au moins un site où cet agent reçoit le public."))
        if role == Role.DEPARTMENT and not cleaned.get("departments"):
            self.add_error(
                "departments", _("Choisissez au moins un service pour un agent de service.")
            )
        if (
            self.agent is not None
            and self.actor is not None
            and self.agent.pk == self.actor.pk
            and role
            and role != Role.ADMIN
        ):
            self.add_error(
                "role",
                _(
                    "Vous ne pouvez pas retirer vos propres droits d'administrateur : "
                    "demandez-le à un autre administrateur."
                ),
            )
        return cleaned
