"""The rules of each field type: one answer in, its stored JSON shape out (docs/forms.md).

``check_answer`` is the single place where an answer is judged, whether it comes from a page of
the form in a browser or from the JSON API: it returns the answer as stored (``None`` when not
given) or raises ``ValidationError`` with a French message saying what to do. Parts of an address
or a location fail with an error dict keyed by the part ("postal_code"), so the form can put the
message next to the right input.
"""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.cases.form_conditions import is_empty
from guichet.cases.form_prefill import FileReferences
from guichet.cases.form_schema import Field
from guichet.residents.actions import normalize_email
from guichet.residents.phones import InvalidPhoneNumber, to_e164

DATE_INPUT_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# A date outside these years is a typing slip ("0214" for 2014), whatever the form allows.
EARLIEST_YEAR = 1850
LATEST_YEAR = 2200
NUMBER_PATTERN = re.compile(r"^[+-]?\d{1,15}(?:[.,]\d{1,12})?$")
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")
ADDRESS_PARTS = ("street", "postal_code", "city")
# The resident file's column sizes: an address answer can be copied back there.
STREET_MAX_LENGTH = 300
CITY_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


def _required_message(field: Field) -> str:
    messages = {
        "choice": _("Choisissez une réponse."),
        "multichoice": _("Cochez au moins une réponse."),
        "checkbox": _("Cochez cette case pour continuer."),
        "date": _("Saisissez une date, par exemple 14/07/1985."),
        "file": _(
            "Joignez la pièce demandée (PDF, JPEG ou PNG) ou choisissez une pièce déjà fournie."
        ),
        "address": _("Saisissez l'adresse : numéro et voie, code postal et commune."),
        "household_member": _("Choisissez la personne concernée."),
        "location": _("Indiquez l'adresse du lieu."),
    }
    return messages.get(field.type, _("Ce champ est obligatoire : saisissez votre réponse."))


def check_answer(field: Field, value: Any, file: FileReferences) -> Any:
    """Return ``value`` as stored for ``field``, ``None`` if not given, or raise ValidationError."""
    if field.type == "checkbox":
        return _check_checkbox(field, value)
    if isinstance(value, str):
        value = value.strip()
    if is_empty(value):
        if field.required:
            raise ValidationError(_required_message(field), code="required")
        return None
    checker = _CHECKERS[field.type]
    return checker(field, value, file)


def _invalid(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _text_value(value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid(_("Saisissez un texte."))
    if "\x00" in value:
        raise _invalid(
            _("Ce texte contient un caractère invisible interdit : saisissez-le à nouveau.")
        )
    return value


def _check_length(field: Field, value: str) -> str:
    limit = field.max_length
    if limit is not None and len(value) > limit:
        raise ValidationError(
            _(
                "Ce texte compte %(length)s caractères, %(limit)s au plus sont acceptés : "
                "raccourcissez-le."
            )
            % {"length": len(value), "limit": limit},
            code="max_length",
        )
    minimum = field.validation.min_length
    if minimum is not None and len(value) < minimum:
        raise ValidationError(
            ngettext(
                "Saisissez au moins %(min)s caractère.",
                "Saisissez au moins %(min)s caractères.",
                minimum,
            )
            % {"min": minimum},
            code="min_length",
        )
    return value


def _check_text(field: Field, value: Any, file: FileReferences) -> str:
    # One line: line breaks pasted from elsewhere become spaces.
    text = " ".join(_text_value(value).split())
    _check_length(field, text)
    pattern = field.validation.pattern
    if pattern and not re.fullmatch(pattern, text):
        raise _invalid(field.validation.pattern_message, code="pattern")
    return text


def _check_textarea(field: Field, value: Any, file: FileReferences) -> str:
    text = _text_value(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return _check_length(field, text)


def _check_email(field: Field, value: Any, file: FileReferences) -> str:
    email = normalize_email(_text_value(value))
    message = _(
        "Cette adresse électronique n'est pas valide : elle doit ressembler à "
        "prenom.nom@exemple.fr."
    )
    if len(email) > EMAIL_MAX_LENGTH:
        raise _invalid(message)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise _invalid(message) from exc
    return email


def _check_phone(field: Field, value: Any, file: FileReferences) -> str:
    try:
        return to_e164(_text_value(value))
    except InvalidPhoneNumber as exc:
        raise _invalid(
            _(
                "Ce numéro de téléphone n'est pas valide. Saisissez un numéro français "
                "(06 12 34 56 78) ou international avec son indicatif (+44 20 7946 0958)."
            )
        ) from exc


def parse_date(value: Any) -> datetime.date | None:
    """Return the date an answer holds (ISO, or 14/07/1985 as typed), or None."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str):
        return None
    for date_format_ in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), date_format_).date()
        except ValueError:
            continue
    return None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def resolve_date_bound(bound: str, today: datetime.date | None = None) -> datetime.date:
    """Return the day a date bound means: an ISO date, "today", or "-18y", "+30d", "-6m"."""
    today = today or timezone.localdate()
    if bound == "today":
        return today
    if bound[0] in "+-":
        amount, unit = int(bound[:-1]), bound[-1]
        if unit == "d":
            return today + datetime.timedelta(days=amount)
        return _add_months(today, amount * 12 if unit == "y" else amount)
    return datetime.date.fromisoformat(bound)


def _check_date(field: Field, value: Any, file: FileReferences) -> str:
    day = parse_date(value)
    if day is None:
        raise _invalid(
            _("Cette date n'existe pas ou n'est pas au bon format : saisissez-la comme 14/07/1985.")
        )
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise _invalid(_("Vérifiez l'année de cette date : elle doit compter 4 chiffres."))
    rules = field.validation
    if isinstance(rules.min, str) and day < (earliest := resolve_date_bound(rules.min)):
        raise ValidationError(
            _("La date doit être le %(date)s ou après.") % {"date": date_format(earliest, "j F Y")},
            code="min",
        )
    if isinstance(rules.max, str) and day > (latest := resolve_date_bound(rules.max)):
        raise ValidationError(
            _("La date doit être le %(date)s ou avant.") % {"date": date_format(latest, "j F Y")},
            code="max",
        )
    return day.isoformat()


def parse_number(value: Any) -> Decimal | None:
    """Return the number an answer holds (12, 12.5, "12,5", "1 200"), or None if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = "".join(value.split())
    if not NUMBER_PATTERN.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _format_bound(bound: int | float) -> str:
    return f"{bound}".replace(".", ",")


def _check_number(field: Field, value: Any, file: FileReferences) -> int | str:
    number = parse_number(value)
    if number is None:
        raise _invalid(_("Saisissez un nombre, par exemple 12 ou 12,5, sans unité."))
    rules = field.validation
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if rules.decimals == 0 and places > 0:
        raise _invalid(_("Saisissez un nombre entier, sans virgule."))
    if places > rules.decimals:
        raise _invalid(
            ngettext(
                "Saisissez au plus %(count)s chiffre après la virgule.",
                "Saisissez au plus %(count)s chiffres après la virgule.",
                rules.decimals,
            )
            % {"count": rules.decimals}
        )
    if isinstance(rules.min, int | float) and number < Decimal(str(rules.min)):
        raise ValidationError(
            _("Saisissez un nombre supérieur ou égal à %(min)s.")
            % {"min": _format_bound(rules.min)},
            code="min",
        )
    if isinstance(rules.max, int | float) and number > Decimal(str(rules.max)):
        raise ValidationError(
            _("Saisissez un nombre inférieur ou égal à %(max)s.")
            % {"max": _format_bound(rules.max)},
            code="max",
        )
    if rules.decimals == 0:
        return int(number)
    return str(number.quantize(Decimal(1).scaleb(-rules.decimals)))


def _unknown_option() -> ValidationError:
    return _invalid(_("Cette réponse ne fait pas partie des choix proposés : choisissez-en une."))


def _check_choice(field: Field, value: Any, file: FileReferences) -> str:
    if value not in {option.value for option in field.options}:
        raise _unknown_option()
    return str(value)


def _check_multichoice(field: Field, value: Any, file: FileReferences) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise _unknown_option()
    known = [option.value for option in field.options]
    if any(item not in known for item in value):
        raise _unknown_option()
    # Stored in the options' order, each once, whatever order the boxes were sent in.
    chosen = [option for option in known if option in value]
    rules = field.validation
    if rules.min_choices is not None and len(chosen) < rules.min_choices:
        raise ValidationError(
            ngettext(
                "Cochez au moins %(count)s réponse.",
                "Cochez au moins %(count)s réponses.",
                rules.min_choices,
            )
            % {"count": rules.min_choices},
            code="min_choices",
        )
    if rules.max_choices is not None and len(chosen) > rules.max_choices:
        raise ValidationError(
            ngettext(
                "Cochez au plus %(count)s réponse.",
                "Cochez au plus %(count)s réponses.",
                rules.max_choices,
            )
            % {"count": rules.max_choices},
            code="max_choices",
        )
    return chosen


def _check_checkbox(field: Field, value: Any) -> bool | None:
    if value is None or value == "":
        value = None if not field.required else False
    elif not isinstance(value, bool):
        raise _invalid(_("Cochez la case ou laissez-la vide."))
    if field.required and value is not True:
        raise ValidationError(_required_message(field), code="required")
    return value


def _check_file(field: Field, value: Any, file: FileReferences) -> dict[str, str]:
    reference = value.get("document") if isinstance(value, dict) else None
    if not isinstance(reference, str) or file.document_kind(reference) != field.document_kind:
        raise _invalid(
            _(
                "Cette pièce n'est pas dans votre dossier, n'est plus valable ou n'est pas du "
                "type demandé : choisissez une autre pièce ou envoyez-la."
            ),
            code="unknown_document",
        )
    return {"document": reference}


def _check_household_member(field: Field, value: Any, file: FileReferences) -> str:
    if not isinstance(value, str) or value not in file.member_uuids(field):
        raise _invalid(
            _("Cette personne ne fait pas partie de votre foyer : choisissez-la dans la liste."),
            code="unknown_member",
        )
    return value


def _part(value: dict[str, Any], name: str) -> str:
    part = value.get(name)
    if part is None:
        return ""
    if not isinstance(part, str) or "\x00" in part:
        raise ValidationError({name: [_invalid(_("Saisissez un texte."))]})
    return " ".join(part.split())


def _too_long(limit: int) -> ValidationError:
    return _invalid(
        _("Ce texte compte trop de caractères, %(limit)s au plus sont acceptés : raccourcissez-le.")
        % {"limit": limit},
        code="max_length",
    )


def _check_address(field: Field, value: Any, file: FileReferences) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _invalid(_required_message(field))
    parts = {name: _part(value, name) for name in ADDRESS_PARTS}
    parts["postal_code"] = parts["postal_code"].replace(" ", "")
    errors: dict[str, list[ValidationError]] = {}
    missing = {
        "street": _("Saisissez le numéro et la voie."),
        "postal_code": _("Saisissez le code postal."),
        "city": _("Saisissez la commune."),
    }
    for name, message in missing.items():
        if not parts[name]:
            errors[name] = [_invalid(message, code="required")]
    if parts["postal_code"] and not POSTAL_CODE_PATTERN.match(parts["postal_code"]):
        errors["postal_code"] = [
            _invalid(_("Le code postal compte 5 chiffres, par exemple 94000."))
        ]
    if len(parts["street"]) > STREET_MAX_LENGTH:
        errors["street"] = [_too_long(STREET_MAX_LENGTH)]
    if len(parts["city"]) > CITY_MAX_LENGTH:
        errors["city"] = [_too_long(CITY_MAX_LENGTH)]
    if errors:
        raise ValidationError(errors)
    return parts


def parse_coordinate(value: Any, limit: int) -> float | None:
    """Return a latitude or longitude (float or "48,79") within ±limit, or None if it is not."""
    number = parse_number(value)
    if number is None or abs(number) > limit:
        return None
    return float(number)


def _check_location(field: Field, value: Any, file: FileReferences) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(_required_message(field))
    address = _part(value, "address")
    errors: dict[str, list[ValidationError]] = {}
    if not address:
        errors["address"] = [_invalid(_required_message(field), code="required")]
    elif len(address) > STREET_MAX_LENGTH:
        errors["address"] = [_too_long(STREET_MAX_LENGTH)]
    result: dict[str, Any] = {"address": address}
    latitude, longitude = value.get("latitude"), value.get("longitude")
    if not is_empty(latitude) or not is_empty(longitude):
        result["latitude"] = parse_coordinate(latitude, 90)
        result["longitude"] = parse_coordinate(longitude, 180)
        if result["latitude"] is None:
            errors["latitude"] = [
                _invalid(_("La latitude est un nombre entre -90 et 90, par exemple 48,79."))
            ]
        if result["longitude"] is None:
            errors["longitude"] = [
                _invalid(_("La longitude est un nombre entre -180 et 180, par exemple 2,46."))
            ]
    if errors:
        raise ValidationError(errors)
    return result


_CHECKERS = {
    "text": _check_text,
    "textarea": _check_textarea,
    "email": _check_email,
    "phone": _check_phone,
    "date": _check_date,
    "number": _check_number,
    "choice": _check_choice,
    "multichoice": _check_multichoice,
    "file": _check_file,
    "address": _check_address,
    "household_member": _check_household_member,
    "location": _check_location,
}


def error_messages(error: ValidationError) -> list[str]:
    """Return every message of an error, parts of an address included, as plain strings."""
    return [str(message) for message in error.messages]
