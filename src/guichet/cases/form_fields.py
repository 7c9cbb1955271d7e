"""One page of a form as a Django form, rendered by ``cases/form/page.html``.

How a filing view uses it (views belong to the views' modules, not here)::

    definition = parse_definition(draft.form_version.definition)
    page = ...  # one of visible_pages(definition, draft.data)
    form = build_page_form(definition, page, resident=draft.resident, answers=draft.data,
                           data=request.POST or None, files=request.FILES or None,
                           autocomplete=not filed_by_an_agent)
    if request.method == "POST" and form.is_valid():
        answers, uploads = page_answers(form)  # every key of the page, None when empty
        answers |= store_pending_uploads(draft.resident, uploads, actor=request.user,
                                         channel=draft.channel)
        ...  # merge into the draft through an action, go to the next visible page
    # A page sent with errors may still be saved with partial_page_answers(form).

The template is included inside ``<form method="post" enctype="multipart/form-data"
novalidate>``, after the page's heading and intro, which the view's template draws with its
buttons: ``{% include "cases/form/page.html" %}`` draws the error summary, the note on required
fields, the sections and fields. The page loads ``cases/conditions.js`` (static) for the
conditional fields; a script that fills inputs without events calls
``window.guichetConditions.refresh()``.

Each definition field becomes one Django field named by its key, except ``address``
(``<key>__street``, ``<key>__postal_code``, ``<key>__city``), ``location`` (``<key>__address``,
``<key>__latitude``, ``<key>__longitude``) and ``file`` (``<key>``, the choice of a document
already on file, and ``<key>__upload``). Definition keys never hold "__", so names cannot clash.
The Django fields only carry the input; ``form_values.check_answer`` judges every answer, as it
does for the API, after ``form_conditions`` has dropped the hidden ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guichet.cases.form_conditions import (
    answers_before_page,
    browser_condition,
    condition_holds,
)
from guichet.cases.form_prefill import ResidentFile, load_resident_file, prefill_from_file
from guichet.cases.form_rendering import SectionView, error_summary, page_sections
from guichet.cases.form_schema import Field, FormDefinition, Page
from guichet.cases.form_uploads import DocumentUploadField, PendingUpload
from guichet.cases.form_values import check_answer
from guichet.residents.forms import DateInput
from guichet.residents.models import Document, HouseholdMember, Resident
from guichet.residents.phones import display as display_phone

# Choices shown as radio buttons up to this many options, as a list beyond.
MAX_RADIOS = 5
NEW_UPLOAD = "new"
UPLOAD_SUFFIX = "__upload"
PARTS = {
    "address": ("street", "postal_code", "city"),
    "location": ("address", "latitude", "longitude"),
}
# The browser fills these fields from the person's own details (RGAA 11.13).
AUTOCOMPLETE = {
    "resident.civility": "honorific-prefix",
    "resident.first_names": "given-name",
    "resident.usage_name": "family-name",
    "resident.birth_date": "bday",
    "resident.email": "email",
    "resident.phone": "tel",
    "resident.postal_code": "postal-code",
    "resident.city": "address-level2",
}
ADDRESS_AUTOCOMPLETE = {
    "street": "street-address",
    "postal_code": "postal-code",
    "city": "address-level2",
}


def _only_missing(error: ValidationError) -> bool:
    """Return whether the error only says that answers are missing (an emptied field)."""
    if hasattr(error, "error_dict"):
        errors = [item for items in error.error_dict.values() for item in items]
    else:
        errors = error.error_list
    return all(item.code == "required" for item in errors)


def _choice_widget(count: int) -> forms.Widget:
    return forms.RadioSelect() if count <= MAX_RADIOS else forms.Select()


def _member_label(member: HouseholdMember) -> str:
    person = member.resident
    details = [member.get_relation_display()]
    if person.birth_date:
        details.append(
            _("naissance le %(date)s") % {"date": date_format(person.birth_date, "j F Y")}
        )
    return f"{person.first_names} {person.usage_name.upper()} ({', '.join(details)})"


def _document_label(document: Document) -> str:
    label = _("Utiliser la pièce déjà fournie : %(kind)s — %(name)s") % {
        "kind": document.get_kind_display(),
        "name": document.original_name,
    }
    if document.valid_until:
        label += " " + _("(valable jusqu'au %(date)s)") % {
            "date": date_format(document.valid_until, "j F Y")
        }
    return label


def _decimal_text(value: Any) -> str:
    return str(value).replace(".", ",") if value not in (None, "") else ""


class PageForm(forms.Form):
    """The inputs of one page; ``clean`` keeps the shown answers in ``answers`` and ``uploads``."""

    def __init__(
        self,
        definition: FormDefinition,
        page: Page,
        *,
        resident_file: ResidentFile,
        answers: Mapping[str, Any],
        data: Any = None,
        files: Any = None,
        autocomplete: bool = True,
    ) -> None:
        self.definition = definition
        self.page = page
        self.resident_file = resident_file
        self.references = resident_file.references()
        self.autocomplete = autocomplete
        self.answers_before = answers_before_page(definition, page, answers)
        self.answers: dict[str, Any] = {}
        self.uploads: list[PendingUpload] = []
        self._sections: list[SectionView] | None = None
        self.shown_fields = [
            item
            for item in page.fields
            if item.condition is None
            or browser_condition(item.condition, page, self.answers_before, definition) is not False
        ]
        known = {**prefill_from_file(definition, resident_file), **answers}
        super().__init__(data=data, files=files, initial=self._initial(known))
        for item in self.shown_fields:
            self._add_fields(item)

    # Building -------------------------------------------------------------------------------

    def _autocomplete(self, source: str) -> dict[str, str]:
        if not self.autocomplete or source not in AUTOCOMPLETE:
            return {"autocomplete": "off"} if source else {}
        return {"autocomplete": AUTOCOMPLETE[source]}

    def _add_fields(self, item: Field) -> None:
        label = item.label
        attrs = self._autocomplete(item.prefill)
        if item.required and item.type not in ("choice", "multichoice", "household_member"):
            attrs["aria-required"] = "true"
        kind = item.type
        if kind in ("text", "email", "phone", "number", "date"):
            widgets = {
                "text": forms.TextInput,
                "email": forms.EmailInput,
                "phone": forms.TextInput,
                "number": forms.TextInput,
                "date": DateInput,
            }
            if kind == "phone":
                attrs.update({"type": "tel", "inputmode": "tel"})
            if kind == "number":
                mode = "decimal" if item.validation.decimals else "numeric"
                attrs.update({"inputmode": mode, "spellcheck": "false"})
            if kind == "email":
                attrs["spellcheck"] = "false"
            self.fields[item.key] = forms.CharField(
                label=label, required=False, widget=widgets[kind](attrs=attrs)
            )
        elif kind == "textarea":
            self.fields[item.key] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={**attrs, "rows": 6})
            )
        elif kind == "checkbox":
            self.fields[item.key] = forms.BooleanField(
                label=label, required=False, widget=forms.CheckboxInput(attrs=attrs)
            )
        elif kind in ("choice", "multichoice"):
            choices = [(option.value, option.label) for option in item.options]
            if kind == "multichoice":
                self.fields[item.key] = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                self._add_choice(item, choices, attrs)
        elif kind == "household_member":
            members = self.resident_file.members_for(item)
            choices = [(str(member.resident.uuid), _member_label(member)) for member in members]
            self._add_choice(item, choices, {})
        elif kind == "file":
            self._add_file_fields(item)
        else:
            self._add_part_fields(item)

    def _add_choice(
        self, item: Field, choices: list[tuple[str, str]], attrs: dict[str, str]
    ) -> None:
        widget = _choice_widget(len(choices))
        if isinstance(widget, forms.Select):
            choices = [("", _("— Choisissez —")), *choices]
            widget.attrs.update(attrs)
        self.fields[item.key] = forms.ChoiceField(
            label=item.label,
            required=False,
            choices=choices,
            widget=widget,
            error_messages={
                "invalid_choice": _(
                    "Cette réponse ne fait pas partie des choix proposés : choisissez-en une."
                )
            },
        )

    def _add_file_fields(self, item: Field) -> None:
        documents = self.resident_file.documents_of_kind(item.document_kind)
        if documents:
            choices = [(str(document.uuid), _document_label(document)) for document in documents]
            choices.append((NEW_UPLOAD, _("Envoyer une nouvelle pièce")))
            self.fields[item.key] = forms.ChoiceField(
                label=item.label, required=False, choices=choices, widget=forms.RadioSelect
            )
        limit = filesizeformat(settings.GUICHET_MAX_UPLOAD_BYTES)
        self.fields[item.key + UPLOAD_SUFFIX] = DocumentUploadField(
            label=_("Nouvelle pièce (PDF, JPEG ou PNG, %(limit)s au plus)") % {"limit": limit}
            if documents
            else _("Fichier (PDF, JPEG ou PNG, %(limit)s au plus)") % {"limit": limit},
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/jpeg,image/png"}
            ),
        )

    def _add_part_fields(self, item: Field) -> None:
        attrs = {"aria-required": "true"} if item.required else {}
        if item.type == "address":
            labels = {
                "street": _("Numéro et voie"),
                "postal_code": _("Code postal"),
                "city": _("Commune"),
            }
        else:
            labels = {
                "address": _("Adresse ou description du lieu"),
                "latitude": _("Latitude (facultatif)"),
                "longitude": _("Longitude (facultatif)"),
            }
        for part, label in labels.items():
            part_attrs = dict(attrs) if part in ("street", "postal_code", "city", "address") else {}
            if item.type == "address" and item.prefill:
                part_attrs.update(
                    {"autocomplete": ADDRESS_AUTOCOMPLETE[part]}
                    if self.autocomplete
                    else {"autocomplete": "off"}
                )
            if part in ("postal_code", "latitude", "longitude"):
                part_attrs["inputmode"] = "numeric" if part == "postal_code" else "decimal"
            self.fields[f"{item.key}__{part}"] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs=part_attrs)
            )

    def _initial(self, known: Mapping[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for item in self.page.fields:
            value = known.get(item.key)
            if value is None:
                continue
            if item.type in PARTS and isinstance(value, dict):
                for part in PARTS[item.type]:
                    part_value = value.get(part, "")
                    if part in ("latitude", "longitude"):
                        part_value = _decimal_text(part_value)
                    initial[f"{item.key}__{part}"] = part_value
            elif item.type == "file" and isinstance(value, dict):
                if str(value.get("document")) in self.resident_file.documents:
                    initial[item.key] = str(value["document"])
            elif item.type == "phone" and isinstance(value, str):
                initial[item.key] = display_phone(value)
            elif item.type == "number":
                initial[item.key] = _decimal_text(value)
            else:
                initial[item.key] = value
        return initial

    # Cleaning -------------------------------------------------------------------------------

    def input_names(self, item: Field) -> list[str]:
        """Return the names of the inputs that carry a definition field's answer."""
        if item.type in PARTS:
            return [f"{item.key}__{part}" for part in PARTS[item.type]]
        if item.type == "file":
            return [name for name in (item.key, item.key + UPLOAD_SUFFIX) if name in self.fields]
        return [item.key]

    def _raw(self, item: Field) -> Any:
        data = self.cleaned_data
        if item.type in PARTS:
            return {part: data.get(f"{item.key}__{part}", "") for part in PARTS[item.type]}
        if item.type == "file":
            choice = data.get(item.key) or ""
            return {"document": choice} if choice and choice != NEW_UPLOAD else None
        return data.get(item.key)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        known = dict(self.answers_before)
        # Every field of the page gets an answer, None when hidden or left empty, so that
        # merging the page into a draft also clears what the resident removed.
        self.answers = {item.key: None for item in self.page.fields}
        for item in self.shown_fields:
            names = self.input_names(item)
            if item.condition is not None and not condition_holds(
                item.condition, known, self.definition
            ):
                # Hidden: whatever was sent for it is neither judged nor kept.
                for name in names:
                    self.errors.pop(name, None)
                continue
            if any(name in self.errors for name in names):
                # Not understood (a file that is no PDF, an unknown choice): keep the old answer.
                del self.answers[item.key]
                continue
            upload = cleaned.get(item.key + UPLOAD_SUFFIX) if item.type == "file" else None
            try:
                if upload:
                    value: Any = {"document": NEW_UPLOAD}
                    self.uploads.append(PendingUpload(item.key, upload, item.document_kind))
                else:
                    value = check_answer(item, self._raw(item), self.references)
            except ValidationError as error:
                self._add_answer_error(item, error)
                if not _only_missing(error):
                    del self.answers[item.key]
                continue
            if value is not None:
                known[item.key] = value
                if not upload:
                    self.answers[item.key] = value
        if self.errors:
            self._ask_files_again()
        return cleaned

    def _add_answer_error(self, item: Field, error: ValidationError) -> None:
        if item.type in PARTS and hasattr(error, "error_dict"):
            for part, errors in error.error_dict.items():
                self.add_error(f"{item.key}__{part}", errors)
            return
        if item.type in PARTS:
            self.add_error(self.input_names(item)[0], error)
        elif item.type == "file":
            name = item.key if item.key in self.fields else item.key + UPLOAD_SUFFIX
            if item.key in self.fields and self.cleaned_data.get(item.key) == NEW_UPLOAD:
                name = item.key + UPLOAD_SUFFIX
            self.add_error(name, error)
        else:
            self.add_error(item.key, error)

    def _ask_files_again(self) -> None:
        # A browser never sends a file twice: when the page comes back with errors, the
        # resident must choose the file again, and should be told why it is gone.
        for upload in self.uploads:
            self.answers.pop(upload.field_key, None)
            name = upload.field_key + UPLOAD_SUFFIX
            if name not in self.errors:
                self.add_error(
                    name,
                    _(
                        "Choisissez à nouveau ce fichier : il n'a pas pu être gardé, car la page "
                        "contient d'autres erreurs."
                    ),
                )
        self.uploads = []

    # Rendering ------------------------------------------------------------------------------

    @property
    def has_required(self) -> bool:
        return any(item.required for item in self.shown_fields)

    def sections(self) -> list[SectionView]:
        """Return the page's sections and shown fields, ready for ``page.html``."""
        if self._sections is None:
            self._sections = page_sections(self)
        return self._sections

    def error_summary(self) -> list[tuple[str, str, str]]:
        """Return (input id, label, message) for every error, in the page's order."""
        return error_summary(self.sections())


def build_page_form(
    definition: FormDefinition,
    page: Page,
    *,
    resident: Resident,
    answers: Mapping[str, Any],
    data: Any = None,
    files: Any = None,
    autocomplete: bool = True,
) -> PageForm:
    """Return the form of ``page``, filled from ``answers`` then from the resident's file.

    ``autocomplete`` is False when an agent fills the form for the resident: the browser would
    otherwise offer the agent's own name and address.
    """
    return PageForm(
        definition,
        page,
        resident_file=load_resident_file(resident),
        answers=answers,
        data=data,
        files=files,
        autocomplete=autocomplete,
    )


def page_answers(form: PageForm) -> tuple[dict[str, Any], list[PendingUpload]]:
    """Return the page's answers in their stored shapes, and the new pieces sent with it.

    Every field of the page has a key, None when hidden or left empty: merged into a draft,
    the page replaces what it held. A new piece's answer comes from ``store_pending_uploads``.
    """
    if not form.is_valid():
        raise ValueError("page_answers() needs a valid form")
    return dict(form.answers), list(form.uploads)


def partial_page_answers(form: PageForm) -> dict[str, Any]:
    """Return the answers of a page that may hold errors: the fields in error are left out.

    A field merely left empty counts as answered with None (the resident cleared it); a field
    whose input was wrong keeps, once merged, its previous answer.
    """
    form.is_valid()
    return dict(form.answers)
