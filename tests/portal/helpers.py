"""Helpers of the account tests: reading pages and the links emails carry."""

import html
import re

from django.core import mail
from django.core.mail import EmailMultiAlternatives


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    """Return the page as a person reads it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def link_in(message: mail.EmailMessage, path_prefix: str) -> str:
    """Return the path of the first link of the email's text starting with ``path_prefix``."""
    return path_in(message.body, path_prefix)


def path_in(text: str, path_prefix: str) -> str:
    """Return the path of the first link of ``text`` starting with ``path_prefix``."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", text)
    assert match, f"no {path_prefix} link in: {text}"
    return match[1]


def html_part(message: mail.EmailMessage) -> str:
    assert isinstance(message, EmailMultiAlternatives)
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(content)
