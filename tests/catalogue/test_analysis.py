"""The French analyser: folding, elisions, stop words, stems, numbers, sound keys, highlighting."""

import pytest

from guichet.catalogue.analysis import analyse, highlight, phrase, sound_key, stem, tokens
from guichet.core.text import fold


def words(text: str) -> list[str]:
    return [token.word for token in tokens(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Carte d'IDENTITÉ", ["carte", "identite"]),
        ("l'école de l’œuvre", ["ecole", "oeuvre"]),
        ("qu'il n'a pas l’acte", ["acte"]),
        ("jusqu'à aujourd'hui", []),
        ("Naïve Æsthétique", ["naive", "aesthetique"]),
        ("porte-monnaie", ["porte", "monnaie"]),
    ],
)
def test_text_is_folded_and_elisions_split(text: str, expected: list[str]) -> None:
    """Case, accents and ligatures are folded; l', d', qu' (both apostrophes) are split off."""
    assert words(text) == expected


def test_request_fillers_are_stop_words() -> None:
    """Greetings, politeness and "how do I" fillers, SMS spellings included, are dropped."""
    text = "Bonjour, je voudrais savoir comment faire svp stp merci jveux koi"
    assert words(text) == []


@pytest.mark.parametrize(
    "word", ["aide", "demande", "inscription", "renouveler", "refaire", "perte", "carte", "acte"]
)
def test_meaningful_words_are_kept(word: str) -> None:
    """Words that carry a need are not mistaken for fillers."""
    assert words(f"je voudrais {word}") == [word]


def test_numbers_are_kept() -> None:
    """Numbers of two digits or more are words: "16 ans" keeps its 16."""
    assert analyse("mon fils a 16 ans") == ["fil", "16", "an"]


def test_single_letters_are_dropped() -> None:
    """A single letter says nothing on its own."""
    assert words("vitamine c et x") == ["vitamine"]


def test_abbreviation_with_dots_is_one_word() -> None:
    """An abbreviation with dots ("C.N.I.") is read as one word, "cni"."""
    assert words("refaire ma C.N.I. vite") == ["refaire", "cni", "vite"]


def test_stems_group_word_families() -> None:
    """Plural and feminine forms share a stem; accents do not matter."""
    assert stem("passeports") == stem("passeport")
    assert analyse("Inscriptions scolaires") == analyse("inscription scolaire")
    assert analyse("déménagement") == analyse("demenagement")
    assert stem("vélos") == stem("vélo") and stem("nounous") == stem("nounou")
    assert stem("pacser") == stem("pacs")


def test_phrase_is_the_sequence_of_stems() -> None:
    """A vocabulary term is matched as the stems of its meaningful words, in order."""
    assert phrase("carte d'identité") == (stem("carte"), stem("identite"))
    assert phrase("éclairage public") == (stem("eclairage"), stem("public"))
    assert phrase("de la") == ()


def test_tokens_keep_their_place_in_the_text() -> None:
    """Each token knows where it was typed, to rebuild a corrected query."""
    text = "Un pasport svp"
    (token,) = tokens(text)
    assert text[token.start : token.end] == "pasport"


def test_very_long_words_are_cut() -> None:
    """A pasted run of letters does not make a huge term."""
    (token,) = tokens("é" * 5000)
    assert len(token.word) == 30


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lampadère", "lampadaire"),
        ("cantinne", "cantine"),
        ("fotocopie", "photocopie"),
        ("kantine", "cantine"),
        ("guichè", "guichet"),
        ("bébés", "bebe"),
    ],
)
def test_sound_key_brings_spellings_of_the_same_sound_together(typed: str, meant: str) -> None:
    """Words written as they sound share a key with the right spelling."""
    assert sound_key(fold(typed)) == sound_key(fold(meant))


@pytest.mark.parametrize(("first", "second"), [("chat", "cheval"), ("cantine", "cartine")])
def test_sound_key_keeps_different_words_apart(first: str, second: str) -> None:
    """The key does not merge words that sound different."""
    assert sound_key(first) != sound_key(second)


def test_highlight_marks_words_by_their_analysed_form() -> None:
    """Words whose stem is a term are marked, whatever their case, accents or plural."""
    html = highlight("Les Passeports et la carte d’identité", [stem("passeport"), stem("identite")])
    assert html == "Les <mark>Passeports</mark> et la carte d’<mark>identité</mark>"


def test_highlight_accepts_plain_words() -> None:
    """Terms given as typed words are analysed too."""
    assert highlight("Inscription scolaire", ["inscriptions"]) == (
        "<mark>Inscription</mark> scolaire"
    )


def test_highlight_never_marks_stop_words() -> None:
    """A stop word given as a term is not marked."""
    assert highlight("la carte de la ville", ["la", "de"]) == "la carte de la ville"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<script>alert('carte')</script>",
            "&lt;script&gt;alert(&#x27;<mark>carte</mark>&#x27;)&lt;/script&gt;",
        ),
        ('carte" onmouseover="x', "<mark>carte</mark>&quot; onmouseover=&quot;x"),
        ("<b>carte</b> & co", "&lt;b&gt;<mark>carte</mark>&lt;/b&gt; &amp; co"),
    ],
)
def test_highlight_escapes_hostile_text(text: str, expected: str) -> None:
    """Markup in the text is escaped; only our <mark> tags are HTML."""
    assert highlight(text, [stem("carte")]) == expected


def test_highlight_escapes_hostile_terms() -> None:
    """Markup in the terms never reaches the output."""
    html = highlight("une carte", ["<script>", "carte"])
    assert html == "une <mark>carte</mark>"
    assert highlight("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
