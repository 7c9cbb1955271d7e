"""The receipt (accusé de dépôt) of a case: a PDF the resident keeps, prints or is handed.

It says what was filed, when, on which channel, which department answers and by when, how to
follow the case, and repeats the answers. Text is drawn with Debian's DejaVu fonts (package
``fonts-dejavu-core``) so every French character prints; without them, with the PDF core font
Helvetica and the text brought down to Latin-1.
"""

from __future__ import annotations

import secrets
import unicodedata
from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from guichet.cases.models import Case

FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")
_UNICODE_FAMILY = "DejaVu"
_CORE_FAMILY = "helvetica"
_LINE = 5.5
_LABEL_SIZE = 10
# Characters a Latin-1 core font lacks but French text often holds, and their nearest form.
_LATIN1_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u20ac": "EUR",
        "\u2009": " ",
        "\u202f": " ",
        "\u2022": "-",
    }
)

Summary = list[tuple[str, list[tuple[str, str]]]]


def render_receipt_pdf(case: Case, summary: Summary, *, city_name: str, tracking_url: str) -> bytes:
    """Return the A4 PDF receipt of ``case``, with ``summary`` as (section, [(label, value)]).

    Dates are shown in Europe/Paris time, in the active language. The agent who filed on the
    resident's behalf is not named: the receipt belongs to the resident.
    """
    reference = _clean(case.reference)
    pdf = _ReceiptDocument(
        footer=_("%(city)s — Accusé de dépôt %(reference)s")
        % {"city": city_name, "reference": reference},
    )
    pdf.set_title(_("Accusé de dépôt %(reference)s") % {"reference": reference})
    pdf.set_subject(case.procedure.title)
    pdf.set_author(city_name)
    pdf.set_creator("Guichet")
    pdf.set_producer("Guichet")
    pdf.set_lang(get_language() or "fr")
    pdf.add_page()
    _write_header(pdf, case, city_name=city_name, tracking_url=tracking_url)
    _write_answers(pdf, summary)
    return bytes(pdf.output())


def _write_header(pdf: _ReceiptDocument, case: Case, *, city_name: str, tracking_url: str) -> None:
    pdf.paragraph(city_name, size=13, bold=True)
    pdf.paragraph(_("Accusé de dépôt"), size=20, bold=True)
    pdf.paragraph(
        _(
            "Votre demande a bien été déposée. Conservez ce document : la référence et le code "
            "de suivi vous permettent de suivre votre demande et de la citer si vous nous "
            "contactez."
        )
    )
    pdf.ln(2)
    submitted = timezone.localtime(case.submitted_at, timezone.get_default_timezone())
    channel = str(case.get_channel_display())
    if case.filed_on_behalf:
        channel = _("%(channel)s, déposée par un agent") % {"channel": channel}
    pdf.answer(_("Démarche"), case.procedure.title)
    pdf.answer(_("Référence"), case.reference)
    pdf.answer(_("Code de suivi"), case.tracking_code)
    pdf.answer(_("Suivre votre demande"), tracking_url, link=tracking_url)
    pdf.answer(
        _("Déposée le"),
        _("%(date)s à %(time)s")
        % {
            "date": formats.date_format(submitted, "j F Y"),
            "time": formats.time_format(submitted, "H:i"),
        },
    )
    pdf.answer(_("Canal"), channel)
    pdf.answer(_("Service"), case.department.name)
    if case.due_date is not None:
        pdf.ln(2)
        pdf.paragraph(
            _("Réponse au plus tard le %(date)s.")
            % {"date": formats.date_format(case.due_date, "l j F Y")},
            bold=True,
        )


def _write_answers(pdf: _ReceiptDocument, summary: Summary) -> None:
    if not summary:
        return
    pdf.ln(4)
    pdf.heading(_("Vos réponses"), size=14)
    for title, answers in summary:
        if title:
            pdf.heading(title, size=12)
        for label, value in answers:
            pdf.answer(label, value)
        pdf.ln(2)


class _ReceiptDocument(FPDF):
    """An A4 page set with the receipt's fonts, text helpers and footer."""

    def __init__(self, *, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        # A random alias: an answer cannot contain it, so no answer is replaced by a page count.
        self.pages_alias = "{" + secrets.token_hex(8) + "}"
        self.alias_nb_pages(self.pages_alias)
        regular = FONT_DIRECTORY / "DejaVuSans.ttf"
        bold = FONT_DIRECTORY / "DejaVuSans-Bold.ttf"
        self.unicode = regular.is_file() and bold.is_file()
        if self.unicode:
            self.add_font(_UNICODE_FAMILY, "", str(regular))
            self.add_font(_UNICODE_FAMILY, "B", str(bold))
        self.footer_text = footer

    def text_for_font(self, text: str) -> str:
        """Return ``text`` without control characters, in Latin-1 when only core fonts exist."""
        text = _clean(text)
        return text if self.unicode else _latin1(text)

    def use_font(self, *, size: float = _LABEL_SIZE, bold: bool = False) -> None:
        family = _UNICODE_FAMILY if self.unicode else _CORE_FAMILY
        self.set_font(family, "B" if bold else "", size)

    def paragraph(self, text: str, *, size: float = _LABEL_SIZE, bold: bool = False) -> None:
        self.use_font(size=size, bold=bold)
        self.multi_cell(
            0,
            size * 0.5,
            self.text_for_font(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(1)

    def heading(self, text: str, *, size: float) -> None:
        # A heading never ends a page alone: it moves to the next page with its first answer.
        if self.will_page_break(size + 2 * _LINE):
            self.add_page()
        self.ln(1)
        self.paragraph(text, size=size, bold=True)

    def answer(self, label: str, value: str, *, link: str = "") -> None:
        """Write "label : value", the value flowing on as many lines and pages as it needs."""
        self.use_font(bold=True)
        self.write(_LINE, self.text_for_font(_("%(label)s : ") % {"label": label}))
        self.use_font()
        text = self.text_for_font(str(value)) or self.text_for_font("—")
        self.write(_LINE, text, link=link)
        self.ln(_LINE + 1)

    def footer(self) -> None:
        self.set_y(-14)
        self.use_font(size=8)
        self.set_text_color(90, 90, 90)
        page = _("page %(page)s sur %(pages)s") % {
            "page": self.page_no(),
            "pages": self.pages_alias,
        }
        self.cell(0, 6, self.text_for_font(f"{self.footer_text} — {page}"), align="C")
        self.set_text_color(0, 0, 0)


def _clean(text: str) -> str:
    """Drop what cannot be printed or would mislead: control, format and surrogate characters.

    Line breaks are kept, tabs become spaces; bidirectional overrides and zero-width characters
    (category Cf) are dropped so that a value cannot reorder or hide the text around it.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(
        char
        for char in text
        if char == "\n" or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )


def _latin1(text: str) -> str:
    """Return ``text`` in characters a Latin-1 font draws, keeping accents where it can."""
    text = text.translate(_LATIN1_REPLACEMENTS)
    characters = []
    for char in text:
        if ord(char) < 256:
            characters.append(char)
            continue
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", char)
            if ord(part) < 256 and not unicodedata.combining(part)
        )
        characters.append(base or "?")
    return "".join(characters)
