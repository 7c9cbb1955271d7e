from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from guichet.notifications.choices import Event, MessageChannel, NotificationStatus
from guichet.notifications.events import spec
from guichet.notifications.models import MessageTemplate
from guichet.notifications.rendering import TemplateText
from guichet.notifications.sandbox import MessageTemplateError, check_variables, compile_template

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
STUCK = "stuck"
BODY_MAX_LENGTH = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _with_all(label: StrOrPromise, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class OutboxFilterForm(forms.Form):
    """Filters of the outbox: status (or stuck), channel, event, dates, recipient or object."""

    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=_with_all(
            _("Tous les états"),
            [*NotificationStatus.choices, (STUCK, _("Bloquée en cours d'envoi"))],
        ),
    )
    channel = forms.ChoiceField(
        label=_("Canal"),
        required=False,
        choices=_with_all(_("Tous les canaux"), MessageChannel.choices),
    )
    event = forms.ChoiceField(
        label=_("Événement"),
        required=False,
        choices=_with_all(_("Tous les événements"), Event.choices),
    )
    date_from = forms.DateField(
        label=_("Créée à partir du"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )
    date_to = forms.DateField(
        label=_("Créée jusqu'au"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )
    q = forms.CharField(
        label=_("Destinataire ou objet concerné"),
        required=False,
        max_length=200,
        help_text=_(
            "Adresse électronique, numéro de téléphone ou référence (par exemple d'une demande)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("La date de fin doit être après la date de début."))
        return data


def template_version(template: MessageTemplate) -> str:
    """Return a token that changes whenever ``template`` is saved (to detect concurrent edits)."""
    return template.updated_at.isoformat()


class MessageTemplateForm(forms.Form):
    """A supervisor's edit of a template: the texts are checked before anything is saved."""

    subject = forms.CharField(label=_("Objet du courriel"), max_length=200)
    body = forms.CharField(
        label=_("Texte du message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true", "class": "template-body"}),
        help_text=_(
            "Texte brut : une ligne vide sépare deux paragraphes, les adresses web deviennent des "
            "liens dans les courriels. Variables entre doubles accolades, par exemple "
            "{{ reference }}."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Envoyer ce message"),
        required=False,
        help_text=_(
            "Décoché, ce message n'est plus envoyé dans cette langue ; le message en français est "
            "utilisé à la place s'il est actif."
        ),
    )
    comment = forms.CharField(
        label=_("Motif de la modification"),
        help_text=_("Facultatif. Il apparaît dans l'historique."),
        max_length=300,
        required=False,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, template: MessageTemplate, **kwargs: Any) -> None:
        self.template = template
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if template.channel != MessageChannel.EMAIL:
            del self.fields["subject"]
            self.fields["body"].label = _("Texte du SMS")
            self.fields["body"].help_text = _(
                "Restez court : un SMS compte 160 caractères, 70 seulement si le texte contient un "
                "caractère hors de l'alphabet des SMS (ê, â, î, ô, û, ç…). Variables entre doubles "
                "accolades, par exemple {{ reference }}."
            )
            self.fields["body"].widget.attrs["rows"] = 4

    @classmethod
    def initial_for(cls, template: MessageTemplate) -> dict[str, Any]:
        return {
            "subject": template.subject,
            "body": template.body,
            "is_active": template.is_active,
            "version": template_version(template),
        }

    def _check(self, name: str) -> None:
        source = self.cleaned_data.get(name)
        if source is None:
            return
        try:
            check_variables(compile_template(source), spec(self.template.event).variables)
        except MessageTemplateError as exc:
            self.add_error(name, str(exc))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("subject", "body"):
            if name in self.fields:
                self._check(name)
        if self.data.get("version") != template_version(self.template):
            editor = self.template.updated_by
            who = editor.display_name() if editor else _("le chargement des modèles par défaut")
            raise ValidationError(
                _(
                    "Ce modèle a été modifié par %(who)s pendant que vous le modifiiez. Vos "
                    "saisies sont conservées ci-dessous : comparez-les avec la version actuelle "
                    "(voir l'historique), puis enregistrez à nouveau."
                ),
                params={"who": who},
                code="conflict",
            )
        return cleaned

    def template_text(self) -> TemplateText:
        """Return the typed texts (valid form only) as a template source, for the preview."""
        return TemplateText(
            event=self.template.event,
            channel=self.template.channel,
            language=self.template.language,
            subject=self.cleaned_data.get("subject", ""),
            body=self.cleaned_data["body"],
        )
