import datetime
import re
import zlib
from pathlib import Path

import pytest

from guichet.cases import receipt
from guichet.cases.models import Case
from guichet.cases.receipt import render_receipt_pdf
from guichet.organisation.choices import Channel
from guichet.organisation.models import Agent
from guichet.residents.models import Resident
from tests.conftest import City
from tests.factories import ProcedureFactory

TRACKING_URL = "https://guichet.example.org/suivi/K7QX-94MB/"


# Reading the PDF back ------------------------------------------------------------------------
# fpdf2 compresses its streams and draws DejaVu text as glyph codes; the ToUnicode map it embeds
# for each font turns them back into characters, as any PDF reader does to copy text.

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.DOTALL)
_STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\nendstream$", re.DOTALL)
_TEXT_OPERATION = re.compile(
    rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|\[(.*?)\]\s*TJ|(?<![A-Za-z])(ET)(?![A-Za-z])",
    re.DOTALL,
)
_LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Return each object's dictionary and (inflated) stream by object number."""
    objects = {}
    for number, body in _OBJECT.findall(pdf):
        match = _STREAM.match(body)
        dictionary, stream = (match.group(1), match.group(2)) if match else (body, b"")
        if b"/FlateDecode" in dictionary:
            stream = zlib.decompress(stream)
        objects[int(number)] = (dictionary, stream)
    return objects


def _unescape(literal: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return _ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", replace, literal, flags=re.DOTALL)


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


def pdf_text(pdf: bytes) -> str:
    """Return the text drawn on the pages, one line per text object (BT … ET)."""
    objects = _objects(pdf)
    maps: dict[int, dict[int, str]] = {}
    for number, (dictionary, _stream) in objects.items():
        if b"/Type /Font" in dictionary and (found := re.search(rb"/ToUnicode (\d+)", dictionary)):
            maps[number] = _to_unicode(objects[int(found.group(1))][1])
    font_objects = {}
    for dictionary, _stream in objects.values():
        for block in re.findall(rb"/Font\s*<<(.*?)>>", dictionary, re.DOTALL):
            for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", block):
                font_objects[name] = int(number)
    lines = []
    for _dictionary, stream in objects.values():
        if not stream or b"BT" not in stream or b"begincmap" in stream:
            continue
        cmap: dict[int, str] | None = None
        line = ""
        for font, literal, array, end in _TEXT_OPERATION.findall(stream):
            if font:
                cmap = maps.get(font_objects[font])
            elif end:
                if line:
                    lines.append(line)
                line = ""
            else:
                parts = [literal] if literal or not array else _LITERAL.findall(array)
                raw = b"".join(_unescape(part) for part in parts)
                if cmap is None:
                    line += raw.decode("latin-1")
                else:
                    codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                    line += "".join(cmap.get(code, "\ufffd") for code in codes)
    return "\n".join(lines)


def pdf_info(pdf: bytes, key: str) -> str:
    """Return an entry of the document information dictionary (title, producer…)."""
    found = re.search(rb"/" + key.encode() + rb" (<[0-9a-fA-F]+>|\((?:\\.|[^\\)])*\))", pdf)
    assert found, key
    value = found.group(1)
    if value.startswith(b"<"):
        return bytes.fromhex(value[1:-1].decode()).decode("utf-16")
    return _unescape(value[1:-1]).decode("latin-1")


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def case(city: City, resident: Resident) -> Case:
    """A school enrolment filed online by Hélène on 2 March 2026 at 14:05, Paris time."""
    return Case.objects.create(
        reference="D-2026-000123",
        tracking_code="K7QX-94MB",
        procedure=ProcedureFactory(
            slug="inscription-scolaire",
            title="Inscription scolaire en maternelle",
            department=city.education,
        ),
        resident=resident,
        channel=Channel.WEB,
        filed_by=resident.user,
        department=city.education,
        submitted_at=datetime.datetime(2026, 3, 2, 13, 5, tzinfo=datetime.UTC),
        due_date=datetime.date(2026, 5, 18),
    )


SUMMARY = [
    ("Enfant", [("Prénom", "Zoé"), ("Nom", "Lefèvre-Œuvre"), ("Né(e) le", "12/02/2022")]),
    ("Responsable légal", [("Adresse", "3 rue de l’Église, 94000 Créteil")]),
]


def render(case: Case, summary: receipt.Summary = SUMMARY) -> bytes:
    return render_receipt_pdf(case, summary, city_name="Créteil", tracking_url=TRACKING_URL)


# Tests ---------------------------------------------------------------------------------------


def test_receipt_is_a_pdf_with_the_case_identifiers(case: Case) -> None:
    """The receipt is a PDF naming the city, reference, tracking code and URL, procedure."""
    pdf = render(case)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    for expected in [
        "Créteil",
        "Accusé de dépôt",
        "D-2026-000123",
        "K7QX-94MB",
        TRACKING_URL,
        "Inscription scolaire en maternelle",
        "Éducation",
    ]:
        assert expected in text, expected
    assert TRACKING_URL.encode() in pdf  # also a link


def test_filed_time_is_shown_in_paris_time(case: Case) -> None:
    """13:05 UTC in March is shown as 14:05, in French."""
    assert "2 mars 2026 à 14:05" in pdf_text(render(case))


def test_filed_time_in_summer_moves_to_the_next_day(case: Case) -> None:
    """22:30 UTC on 1 July is 00:30 on 2 July in Paris (summer time)."""
    case.submitted_at = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)
    assert "2 juillet 2026 à 00:30" in pdf_text(render(case))


def test_due_date_is_announced_when_known(case: Case) -> None:
    """The receipt promises an answer by the due date, and says nothing when there is none."""
    assert "Réponse au plus tard le lundi 18 mai 2026." in pdf_text(render(case))
    case.due_date = None
    assert "Réponse au plus tard" not in pdf_text(render(case))


def test_channel_of_a_case_filed_by_the_resident(case: Case) -> None:
    """A case the resident filed online shows the channel alone."""
    text = pdf_text(render(case))
    assert "En ligne" in text
    assert "déposée par un agent" not in text


def test_case_filed_on_behalf_says_so_without_naming_the_agent(
    case: Case, reception_agent: Agent
) -> None:
    """A case filed at the counter by an agent says so, and the agent's name is not printed."""
    case.channel = Channel.COUNTER
    case.filed_by = reception_agent.user
    text = pdf_text(render(case))
    assert "Accueil physique, déposée par un agent" in text
    user = reception_agent.user
    for name in (user.username, user.first_name, user.last_name):
        assert name not in text


def test_answers_are_printed_with_accents(case: Case) -> None:
    """Section titles, labels and values print with their French characters."""
    text = pdf_text(render(case))
    for expected in [
        "Vos réponses",
        "Enfant",
        "Prénom :",
        "Zoé",
        "Lefèvre-Œuvre",
        "Né(e) le :",
        "3 rue de l’Église, 94000 Créteil",
    ]:
        assert expected in text, expected


def test_hostile_values_print_as_plain_text(case: Case) -> None:
    """PDF syntax, markup and the page alias print as typed; control characters are dropped."""
    summary = [
        (
            "Section ) ( \\",
            [
                ("Parenthèses", "(ouverte \\ ) fermée"),
                ("Balise", "<script>alert(1)</script>"),
                ("PDF", "endstream endobj %%EOF trailer"),
                ("Alias", "{nb} pages"),
                ("Contrôle", "a\x00b\x07c\x1bd"),
                ("Sens", "\u202eenversé\u202c ok\u200b"),
                ("Lignes", "un\r\ndeux\rtrois\tquatre"),
            ],
        )
    ]
    text = pdf_text(render(case, summary))
    for expected in [
        "Section ) ( \\",
        "(ouverte \\ ) fermée",
        "<script>alert(1)</script>",
        "endstream endobj %%EOF trailer",
        "{nb} pages",
        "abcd",
        "enversé ok",
        "trois quatre",
    ]:
        assert expected in text, expected
    assert "\u202e" not in text
    assert "\x00" not in text


def test_long_values_wrap(case: Case) -> None:
    """A long text and a word longer than a line wrap inside the page."""
    word = "A" * 400
    prose = "Mon enfant a besoin d'un accueil adapté. " * 60
    text = pdf_text(render(case, [("Détails", [("Mot", word), ("Texte", prose)])]))
    assert word not in text.split("\n")
    assert text.count("A") >= 400
    assert "accueil adapté" in text


def test_two_hundred_answers_fill_several_pages_with_numbered_footers(case: Case) -> None:
    """200 answers go on over several pages, each footed with its number and the total."""
    summary = [
        (f"Partie {part}", [(f"Question {part}.{n}", f"Réponse {part}.{n}") for n in range(20)])
        for part in range(10)
    ]
    pdf = render(case, summary)
    pages = page_count(pdf)
    assert pages >= 3
    text = pdf_text(pdf)
    assert "Réponse 0.0" in text
    assert "Réponse 9.19" in text
    for page in range(1, pages + 1):
        assert f"Créteil — Accusé de dépôt D-2026-000123 — page {page} sur {pages}" in text


def test_metadata(case: Case) -> None:
    """The PDF has a title with the reference and Guichet as producer."""
    pdf = render(case)
    assert pdf_info(pdf, "Title") == "Accusé de dépôt D-2026-000123"
    assert pdf_info(pdf, "Producer") == "Guichet"
    assert pdf_info(pdf, "Author") == "Créteil"


def test_empty_summary(case: Case) -> None:
    """Without answers, the receipt has no answers heading."""
    text = pdf_text(render(case, []))
    assert "D-2026-000123" in text
    assert "Vos réponses" not in text


def test_without_dejavu_fonts_falls_back_to_helvetica(
    case: Case, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the TTF fonts, the receipt uses Helvetica and brings text down to Latin-1."""
    monkeypatch.setattr(receipt, "FONT_DIRECTORY", tmp_path)
    summary = [("Enfant", [("Nom", "Lefèvre-Œuvre"), ("Adresse", "rue de l’Église 漢")])]
    pdf = render(case, summary)
    assert pdf.startswith(b"%PDF-")
    assert b"/BaseFont /Helvetica" in pdf
    assert b"DejaVu" not in pdf
    text = pdf_text(pdf)
    assert "Accusé de dépôt" in text
    assert "D-2026-000123" in text
    assert "Lefèvre-OEuvre" in text
    assert "rue de l'Église ?" in text
    assert "Réponse au plus tard le lundi 18 mai 2026." in text


def test_latin1_transliteration() -> None:
    """Characters outside Latin-1 take their nearest Latin-1 form, else a question mark."""
    assert receipt._latin1("cœur – « ça » … ŝ ő 1 000 € 漢") == "coeur - « ça » ... s o 1 000 EUR ?"
