"""Forms of the residents' side of requests: messages, cancellation, tracking, consent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from guichet.cases.access import format_tracking_code
from guichet.residents.uploads import check_document_file

MAX_ATTACHMENTS = 5
MAX_MESSAGE_LENGTH = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, each checked by content and size like documents."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Joignez au plus %(count)d fichiers à un message.") % {"count": MAX_ATTACHMENTS}
            )
        cleaned = [super(AttachmentsField, self).clean(file, initial) for file in files]
        for file in cleaned:
            check_document_file(file)
        return cleaned


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_MESSAGE_LENGTH,
        error_messages={"required": _("Écrivez votre message avant de l'envoyer.")},
    )
    attachments = AttachmentsField(
        label=_("Pièces jointes (facultatif)"),
        required=False,
        help_text=_("PDF, JPEG ou PNG, 5 fichiers au plus."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi retirez-vous votre demande ? (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Code de suivi"),
        max_length=30,
        help_text=_(
            "12 lettres et chiffres, indiqués sur votre accusé de dépôt "
            "(par exemple ABCD-EFGH-JKLM)."
        ),
        error_messages={"required": _("Saisissez le code de suivi de votre demande.")},
    )

    def clean_code(self) -> str:
        formatted = format_tracking_code(self.cleaned_data["code"])
        if formatted is None:
            raise ValidationError(
                _(
                    "Un code de suivi compte 12 lettres et chiffres. Vérifiez-le sur votre accusé "
                    "de dépôt."
                )
            )
        return formatted


class ReviewForm(forms.Form):
    """The last page: the resident confirms, and says which changes go to their file."""

    def __init__(self, *args: Any, changes: dict[str, tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changes = changes
        for name in changes:
            self.fields[f"update_{name}"] = forms.BooleanField(required=False, initial=True)

    def profile_updates(self) -> dict[str, Any]:
        return {
            name: new
            for name, (_old, new) in self.changes.items()
            if self.cleaned_data.get(f"update_{name}")
        }
