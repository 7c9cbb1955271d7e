"""The French analyser shared by indexing and queries, and the highlighting of matched words.

Text is cut into words (letters and digits; an abbreviation typed with dots, "C.N.I.", is one
word), folded (lower case, no accents, no ligatures), elided articles and pronouns ("l'", "d'",
"qu'"… also with the typographic apostrophe) are split off, stop words are dropped — French
grammatical words and the fillers of requests typed in a hurry ("bonjour", "svp", "je voudrais",
"comment faire") — and what remains is reduced to its Snowball French stem. Numbers are kept
("16 ans" → "16", "an").

The analysed form of a document and of a query are compared stem by stem; a vocabulary phrase
("éclairage public", "carte d'identité") is its sequence of stems, matched as a phrase.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guichet.core.text import fold

# A word is a run of letters or digits; an abbreviation written with dots ("C.N.I.") is one.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}(?:[^\W\d_](?![^\W_]))?|[^\W_]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Longer "words" are noise (a pasted hash, a key held down); they are cut to this length.
MAX_WORD_LENGTH = 30

# What an apostrophe elides: "l'école", "qu'il", "jusqu'à", "aujourd'hui" is no elision.
ELISIONS = frozenset(("l", "d", "j", "m", "n", "s", "t", "c", "qu"))

# Snowball's French stop words (folded), then the words requests are wrapped in: greetings,
# politeness, "I would like", "how do I", question words, SMS spellings of all these. Words that
# carry a need ("aide", "demande", "inscription", "renouveler", "refaire", "perte") are kept,
# and so are words that are frequent in the catalogue but telling ("carte", "acte", "mairie").
_SNOWBALL_STOP_WORDS = """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
    aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants
    ayez ayons c ce ces d dans de des du elle en es est et etaient etais etait etant etante
    etantes etants ete etee etees etes etiez etions eu eue eues eumes eurent eus eusse eussent
    eusses eussiez eussions eut eutes eux furent fus fusse fussent fusses fussiez fussions fut
    fumes futes il ils j je l la le les leur lui m ma mais me meme mes moi mon n ne nos notre
    nous on ont ou par pas pour qu que qui s sa se sera serai seraient serais serait seras serez
    seriez serions serons seront ses soient sois soit sommes son sont soyez soyons suis sur t ta
    te tes toi ton tu un une vos votre vous y
"""
_REQUEST_FILLERS = """
    bonjour bonsoir salut hello coucou bjr bsr slt cc merci mrc svp stp sil plait please
    madame monsieur mme mr mlle
    voudrais voudrait voudrions voudriez vouloir veux veut voulons voulez veulent
    souhaite souhaiterais souhaiterait souhaitons souhaitez souhaiter aimerais aimerait
    peux peut pouvons pouvez peuvent pourrais pourrait pourriez pouvoir puis
    dois doit devons devez doivent devoir faut falloir
    faire fais fait faites font
    comment quoi quel quelle quels quelles quand combien pourquoi lequel laquelle
    cherche cherches cherchons cherchez chercher trouver savoir sais sait connaitre
    besoin renseignement renseignements info infos
    aller vais vas va allons allez vont
    ceci cela ca celui celle ceux celles cet cette
    aussi encore deja tres trop bien plus moins peu beaucoup tout tous toute toutes rien
    chose choses truc trucs genre etc voila voici oui non ok daccord alors donc car
    ici aujourd hui svp jsp jveux jvoudrais jsuis chui jpeux jpourrais jai jsais cest ct
    koi kel kelle kels ke ki kan pk pq pcq pr ds dc bcp tjr tjrs mm qd qq qqn qlq ya
    jusqu lorsqu puisqu quoiqu presqu
"""
STOP_WORDS = frozenset(_SNOWBALL_STOP_WORDS.split()) | frozenset(_REQUEST_FILLERS.split())

# Words naming the person a request is for ("le décès de mon père", "ma fille a 3 ans"): they
# say who, not what is needed, so search counts them less (they still count).
_PERSON_WORDS = """
    pere mere papa maman parent parents fils fille filles enfant enfants bebe bebes
    frere freres soeur soeurs mari femme epoux epouse conjoint conjointe compagnon compagne
    oncle tante neveu niece cousin cousine voisin voisine voisins ami amie amis copain copine
"""
PERSON_WORDS = frozenset(_PERSON_WORDS.split())

_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    # Snowball stemmers keep state while they work: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Return the French stem of a folded word (numbers are their own stem).

    Snowball keeps the plural "s" of some words ("vélos", "nounous"): it is dropped, so that a
    plural always meets its singular.
    """
    if word.isdigit():
        return word
    result: str = _stemmer().stemWord(word)
    if len(result) > 3 and result.endswith("s") and not result.endswith("ss"):
        result = result[:-1]
    return result


@dataclass(frozen=True)
class Token:
    """One meaningful word of a text: its folded form, its stem and where it was in the text."""

    word: str
    stem: str
    start: int
    end: int


def _words(text: str) -> Iterable[tuple[str, int, int, bool]]:
    """Yield each folded word with its span, and whether an apostrophe follows it."""
    for match in _WORD.finditer(text):
        raw = match.group().replace(".", "")
        followed_by_apostrophe = text[match.end() : match.end() + 1] in ("'", "’", "ʼ")
        for word in _NON_ALNUM.split(fold(raw)):
            if word:
                yield word[:MAX_WORD_LENGTH], match.start(), match.end(), followed_by_apostrophe


def is_meaningful(word: str) -> bool:
    """Return whether a folded word is searched for: not a stop word nor a single letter."""
    return len(word) > 1 and word not in STOP_WORDS


def is_person_word(word: str) -> bool:
    """Return whether a folded word names a person rather than a need (see PERSON_WORDS)."""
    return word in PERSON_WORDS


def tokens(text: str) -> list[Token]:
    """Return the meaningful words of ``text``, in order, with their stems and spans."""
    result = []
    for word, start, end, elided in _words(text):
        if elided and word in ELISIONS:
            continue
        if is_meaningful(word):
            result.append(Token(word, stem(word), start, end))
    return result


def analyse(text: str) -> list[str]:
    """Return the stems of the meaningful words of ``text``, in order."""
    return [token.stem for token in tokens(text)]


def phrase(text: str) -> tuple[str, ...]:
    """Return a vocabulary term as the sequence of stems it is matched by."""
    return tuple(analyse(text))


def display_words(text: str) -> Iterable[tuple[str, str]]:
    """Yield (folded word, word as written, lower-cased) for the meaningful words of ``text``."""
    for token in tokens(text):
        yield token.word, text[token.start : token.end].lower().replace(".", "")


# Spelling variants that sound alike in French, applied in this order to build a sound key.
_SOUND_RULES = [
    (re.compile(r"ch|sh"), "S"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"(?<=[a-z])h|^h"), ""),
    (re.compile(r"qu|ck|q"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"g(?=[eiy])"), "j"),
    (re.compile(r"gu(?=[eiy])"), "g"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"eau|au"), "o"),
    (re.compile(r"ai|ei"), "e"),
    (re.compile(r"(?<=.)(?:er|ez|et|es|e|s|x|t|d)$"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]


@lru_cache(maxsize=100_000)
def sound_key(word: str) -> str:
    """Return a rough French pronunciation of a folded word ("lampadère" ≈ "lampadaire").

    Spellings compared by typo tolerance are compared on this key, so a word written as it
    sounds ("cantinne", "pasport", "fotocopie") is close to the right spelling.
    """
    if word.isdigit():
        return word
    key = word
    for pattern, replacement in _SOUND_RULES:
        key = pattern.sub(replacement, key)
    return key or word


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """Return ``text`` escaped, with the words whose analysed form is one of ``terms`` in <mark>.

    ``terms`` are analysed terms (stems, as in ``CatalogueResults.terms``); plain words are
    accepted too and analysed.
    """
    wanted: set[str] = set()
    for term in terms:
        for word in _NON_ALNUM.split(fold(term)):
            if word:
                wanted.update((word, stem(word)))
    if not wanted or not text:
        return escape(text)
    parts: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        words = [w for w in _NON_ALNUM.split(fold(match.group().replace(".", ""))) if w]
        if not any(is_meaningful(w) and stem(w[:MAX_WORD_LENGTH]) in wanted for w in words):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
