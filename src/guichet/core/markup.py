"""A small markup for catalogue texts: paragraphs, "## " headings, "- " lists, **bold**.

Everything is escaped first, so content edited by supervisors can never inject HTML.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def render(text: str, heading_level: int = 2) -> SafeString:
    """Return the HTML of ``text``; headings start at ``heading_level``."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append("<p>" + _inline(" ".join(paragraph)) + "</p>")
            paragraph.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            level = min(max(heading_level, 2), 6)
            html.append(f"<h{level}>{_inline(line[3:])}</h{level}>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:])
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308 - every piece is escaped above
