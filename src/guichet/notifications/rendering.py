"""Turn a template and its variables into the message that is queued: subject, text, HTML.

A template has one text body. The HTML part of an email is built from the rendered text —
paragraphs at blank lines, line breaks, web addresses as links — with every character escaped,
so neither a supervisor's template nor a value typed by an agent or a resident can inject HTML.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

from guichet.notifications import sandbox
from guichet.notifications.choices import MessageChannel
from guichet.notifications.events import ContextValue, example_context, spec

SUBJECT_MAX_LENGTH = 255
# Dates in messages spell the month out, in the recipient's language ("16 mars 2026").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
_BLANK_LINES = re.compile(r"\n\s*\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class TemplateText:
    """The source of one message: what a MessageTemplate row or the shipped file holds."""

    event: str
    channel: str
    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def text_values(context: dict[str, ContextValue], language: str) -> dict[str, str]:
    """Return the variables as text in ``language``, with the city's name added."""
    values: dict[str, ContextValue] = {"city": settings.GUICHET_CITY_NAME, **context}
    with translation.override(language):
        return {name: _as_text(value) for name, value in values.items()}


def _as_text(value: ContextValue) -> str:
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return date_format(value, DATE_FORMAT)
    if isinstance(value, Promise):
        return str(value)
    return value


def check_template(text: TemplateText) -> None:
    """Raise MessageTemplateError if the template fails to compile or to render examples."""
    allowed = spec(text.event).variables
    for source in (text.subject, text.body):
        sandbox.check_variables(sandbox.compile_template(source), allowed)
    render_message(text, example_context(text.event))


def render_message(
    text: TemplateText, context: dict[str, ContextValue], *, html: bool = True
) -> RenderedMessage:
    """Render the subject, text and (for emails) HTML of a message in the template's language.

    ``html=False`` leaves the HTML out: the outbox lays it out from the text when it sends the
    email (``delivery.send_email``), away from the request that queued it."""
    values = text_values(context, text.language)
    body = sandbox.render_text(sandbox.compile_template(text.body), values)
    body = _MANY_BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in body.splitlines()))
    body = body.strip()
    if text.channel != MessageChannel.EMAIL:
        return RenderedMessage(subject="", text=body, html="")
    subject = sandbox.render_text(sandbox.compile_template(text.subject), values)
    # One line: a new line in a header is refused by the mail library (header injection).
    subject = " ".join(subject.split())[:SUBJECT_MAX_LENGTH]
    if not html:
        return RenderedMessage(subject=subject, text=body, html="")
    layout = email_html(subject=subject, text=body, language=text.language)
    return RenderedMessage(subject=subject, text=body, html=layout)


# What ``urlize`` may turn into a link: an address, www., a scheme, or a bare domain of the
# generic top-level domains it knows. A line without any of these only needs escaping.
_MAY_LINK = re.compile(r"@|www\.|://|\.(?:com|edu|gov|int|mil|net|org)\b", re.IGNORECASE)


def _line_html(line: str) -> str:
    # ``urlize`` reads every word (a third of a message's rendering): skip it when it has
    # nothing to find.
    return urlize(line, autoescape=True) if _MAY_LINK.search(line) else escape(line)


def text_to_html(text: str) -> SafeString:
    """Return ``text`` as HTML paragraphs with links, every character escaped."""
    paragraphs = []
    for paragraph in _BLANK_LINES.split(text.strip()):
        lines = [_line_html(line) for line in paragraph.splitlines()]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308 - urlize escaped every line


def email_html(*, subject: str, text: str, language: str) -> str:
    """Return the full HTML document of an email whose text is ``text``."""
    with translation.override(language):
        return render_to_string(
            "notifications/email.html",
            {
                "subject": subject,
                "body": text_to_html(text),
                "language": language,
                "city_name": settings.GUICHET_CITY_NAME,
            },
        )


# The GSM 03.38 alphabet: an SMS written only with these characters holds 160 of them;
# any other character (ê, ç, î, emoji…) switches the whole SMS to UCS-2 and 70 characters.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsSize:
    characters: int
    parts: int
    unicode: bool
    per_part: int
    non_gsm: str


def sms_size(text: str) -> SmsSize:
    """Return how many characters and SMS parts ``text`` takes, and which alphabet it needs."""
    non_gsm = "".join(sorted({ch for ch in text if ch not in _GSM_BASIC | _GSM_EXTENDED}))
    if non_gsm:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    else:
        units = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    parts = 1 if units <= single else math.ceil(units / multi)
    return SmsSize(
        characters=units,
        parts=parts,
        unicode=bool(non_gsm),
        per_part=single if parts == 1 else multi,
        non_gsm=non_gsm,
    )
