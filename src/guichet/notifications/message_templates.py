"""Which template a message uses: the database's version, else the one shipped with Guichet.

The shipped file (content/templates.yaml) holds the defaults. ``guichet
load-notification-templates`` copies them into the database, where supervisors edit them; a row in
the database always wins over the file, and the file fills the gaps (a new event of a release
works before the command has run). An inactive row counts as absent, without falling back to the
file: a supervisor who switches a message off switches it off.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from guichet.core.process_cache import KeptValue
from guichet.notifications.choices import MessageChannel
from guichet.notifications.events import EVENTS
from guichet.notifications.models import MessageTemplate
from guichet.notifications.rendering import TemplateText, check_template
from guichet.notifications.sandbox import MessageTemplateError
from guichet.residents.choices import Language

DEFAULT_TEMPLATES_FILE = Path(__file__).resolve().parent / "content" / "templates.yaml"
FALLBACK_LANGUAGE = Language.FRENCH.value

TemplateKey = tuple[str, str, str]  # event, channel, language


@dataclass
class TemplateFile:
    templates: dict[TemplateKey, TemplateText] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_templates_file(path: Path | None = None) -> TemplateFile:
    """Return the valid templates of a YAML file, and an error line for each invalid one."""
    path = path or DEFAULT_TEMPLATES_FILE
    result = TemplateFile()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        result.errors.append(
            _("%(where)s : lecture impossible : %(error)s") % {"where": path, "error": exc}
        )
        return result
    if not isinstance(data, dict):
        result.errors.append(
            _("%(where)s : le fichier doit associer des événements à des canaux") % {"where": path}
        )
        return result
    for event, channels in data.items():
        if event not in EVENTS:
            result.errors.append(_("%(where)s : événement inconnu") % {"where": f"{path}: {event}"})
            continue
        for channel, languages in _mapping(channels, f"{path}: {event}", result.errors).items():
            where = f"{path}: {event}/{channel}"
            if channel not in EVENTS[event].channels:
                result.errors.append(
                    _("%(where)s : cet événement n'est pas envoyé sur ce canal") % {"where": where}
                )
                continue
            for language, values in _mapping(languages, where, result.errors).items():
                text = _template_text(event, channel, language, values, result.errors, where)
                if text is not None:
                    result.templates[(event, channel, language)] = text
    return result


def _mapping(value: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    errors.append(_("%(where)s : une liste de clés et de valeurs est attendue") % {"where": where})
    return {}


def _template_text(
    event: str, channel: str, language: str, values: Any, errors: list[str], where: str
) -> TemplateText | None:
    where = f"{where}/{language}"
    if language not in Language.values:
        errors.append(_("%(where)s : langue inconnue") % {"where": where})
        return None
    if not isinstance(values, dict) or not str(values.get("body") or "").strip():
        errors.append(_("%(where)s : le texte (body) est obligatoire") % {"where": where})
        return None
    subject = str(values.get("subject") or "").strip()
    if channel == MessageChannel.EMAIL and not subject:
        errors.append(_("%(where)s : un courriel doit avoir un objet (subject)") % {"where": where})
        return None
    text = TemplateText(event, channel, language, subject, str(values["body"]).strip())
    try:
        check_template(text)
    except MessageTemplateError as exc:
        errors.append(f"{where} : {exc}")
        return None
    return text


@functools.cache
def shipped_templates() -> dict[TemplateKey, TemplateText]:
    """Return the templates shipped with Guichet (read once per process)."""
    shipped = read_templates_file(DEFAULT_TEMPLATES_FILE)
    if shipped.errors:
        raise ImproperlyConfigured("; ".join(shipped.errors))
    return shipped.templates


def template_text(template: MessageTemplate) -> TemplateText:
    return TemplateText(
        template.event, template.channel, template.language, template.subject, template.body
    )


def _overrides() -> dict[TemplateKey, TemplateText | None]:
    """Return the templates stored in the database (None for those switched off)."""
    return {
        (row.event, row.channel, row.language): template_text(row) if row.is_active else None
        for row in MessageTemplate.objects.all()
    }


# The stored templates, kept by each process until one changes: every notification resolves its
# template, supervisors edit them a few times a year (KeptValue).
stored_templates = KeptValue("message-templates", _overrides)


def resolve_template(event: str, channel: str, language: str) -> TemplateText | None:
    """Return the template of ``event`` on ``channel`` in ``language``, else French, else None."""
    languages = [language] if language == FALLBACK_LANGUAGE else [language, FALLBACK_LANGUAGE]
    stored = stored_templates.get()
    for candidate in languages:
        key = (event, channel, candidate)
        if key in stored:
            text = stored[key]
            if text is not None:
                return text
            continue
        shipped = shipped_templates().get(key)
        if shipped is not None:
            return shipped
    return None
