"""Phone numbers: validated with ``phonenumbers`` and stored in E.164 ("+33612345678")."""

import phonenumbers

DEFAULT_REGION = "FR"


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number that can be dialled."""


def to_e164(raw: str) -> str:
    """Return ``raw`` (any French or international format) in E.164, or raise InvalidPhoneNumber."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def possible_e164(raw: str) -> str | None:
    """Return ``raw`` in E.164 if it could be a phone number (looser, for search), else None."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """Return a stored number as people read it: "06 12 34 56 78" in France, "+44 20…" abroad."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
