"""What search sees of the catalogue: analysed documents, and the data derived from all of them.

Each procedure and article stores a **search document** (``search_document``): its five field
groups (title, keywords, summary, body, agents' note) analysed into stems, in order, with ``|``
between separate pieces (two keywords, two lines), then the words it contains as written. The
actions and the loader refresh it, and copy it into the database's full-text index (an FTS5 table
on SQLite, a weighted ``tsvector`` column on PostgreSQL) through the search backend.

**Search data** is what ranking needs from the whole catalogue: how many documents contain each
stem, the average length of each field, every word (for typos and completion), the vocabulary
and the procedures of each life event. It is built from the database and kept in Django's cache
under a key that changes with every change (``SearchDataVersion``, bumped by the actions, plus
the highest id and the last change of the rows, for rows saved without the actions).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from guichet.catalogue.analysis import analyse, display_words
from guichet.catalogue.models import Article, Procedure, SearchDataVersion
from guichet.catalogue.search_backends import backend_for_connection, catalogue_state
from guichet.catalogue.spelling import Spelling
from guichet.catalogue.vocabulary import Vocabulary, load_vocabulary
from guichet.core.text import fold

FIELDS = ("title", "keywords", "summary", "body", "agent_note")
# Change the version whenever the analysis or the document format changes: documents of another
# version are rebuilt by the next search, and cached search data is not reused.
DOCUMENT_VERSION = "v2"
BOUNDARY = "|"
CACHE_PREFIX = f"catalogue:search-data:{DOCUMENT_VERSION}"
CACHE_SECONDS = 24 * 3600
Searchable = Procedure | Article
SearchableModel = type[Procedure] | type[Article]


def field_pieces(obj: Searchable) -> tuple[list[str], ...]:
    """Return the texts of the five field groups, each as its separate pieces."""
    if isinstance(obj, Procedure):
        body = [obj.body, obj.who_can_ask, obj.orient_to, *(obj.documents or [])]
        agent_note = [obj.agent_note]
    else:
        body, agent_note = [obj.body], []
    return (
        [obj.title],
        list(obj.keywords or []),
        [obj.summary],
        [line for text in body for line in text.splitlines()],
        [line for text in agent_note for line in text.splitlines()],
    )


def _analysed_field(pieces: list[str]) -> str:
    analysed = (" ".join(analyse(piece)) for piece in pieces)
    return f" {BOUNDARY} ".join(text for text in analysed if text)


def build_search_document(obj: Searchable) -> str:
    """Return the search document of ``obj`` (see the module's docstring)."""
    pieces = field_pieces(obj)
    main: dict[str, str] = {}
    other: dict[str, str] = {}
    for index, texts in enumerate(pieces):
        words = main if index < 3 else other
        for text in texts:
            for folded, written in display_words(text):
                words.setdefault(folded, written)
    other = {folded: written for folded, written in other.items() if folded not in main}
    lines = [DOCUMENT_VERSION, *(_analysed_field(texts) for texts in pieces)]
    lines.append(" ".join(main.values()))
    lines.append(" ".join(other.values()))
    return "\n".join(lines)


@dataclass(frozen=True)
class SearchDocument:
    """A parsed search document."""

    fields: tuple[tuple[str, ...], ...]  # stems (and boundaries) of each field group
    main_words: tuple[str, ...]  # words of the title, keywords and summary, as written
    other_words: tuple[str, ...]  # the other words, as written

    def lengths(self) -> tuple[int, ...]:
        return tuple(sum(1 for stem in stems if stem != BOUNDARY) for stems in self.fields)


def parse_search_document(document: str) -> SearchDocument | None:
    """Return the parsed document, or None when it is missing or of an older format."""
    lines = document.split("\n")
    if len(lines) != len(FIELDS) + 3 or lines[0] != DOCUMENT_VERSION:
        return None
    return SearchDocument(
        fields=tuple(tuple(line.split()) for line in lines[1 : len(FIELDS) + 1]),
        main_words=tuple(lines[-2].split()),
        other_words=tuple(lines[-1].split()),
    )


def field_lines(document: str) -> list[str]:
    """Return the five analysed field lines of a search document, for the full-text index."""
    return document.split("\n")[1 : len(FIELDS) + 1]


def document_fields(document: str) -> tuple[tuple[str, ...], ...] | None:
    """Return the analysed fields of a search document, or None if it is not current."""
    lines = document.split("\n", len(FIELDS) + 1)
    if lines[0] != DOCUMENT_VERSION or len(lines) != len(FIELDS) + 2:
        return None
    return tuple(tuple(line.split()) for line in lines[1 : len(FIELDS) + 1])


def index(obj: Searchable) -> None:
    """Copy the saved search document of ``obj`` into the full-text index; note the change.

    Call it after saving ``obj`` with a fresh ``search_document``, in the same transaction.
    """
    backend_for_connection().store(type(obj), obj.pk, field_lines(obj.search_document))
    search_data_changed()


def search_data_changed() -> None:
    """Make every process rebuild its search data: call it in the transaction of a change."""
    values = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    if not SearchDataVersion.objects.filter(pk=1).update(**values):
        SearchDataVersion.objects.create(pk=1, **values)


@dataclass
class Statistics:
    """What ranking needs to know about all the documents of one model."""

    count: int
    average_lengths: tuple[float, ...]  # of each field group, in FIELDS order
    document_frequency: dict[str, int]  # stem -> number of documents containing it


@dataclass
class SearchData:
    """Everything search derives from the whole catalogue, rebuilt when the catalogue changes."""

    procedures: Statistics
    articles: Statistics
    words: dict[str, str]  # every folded word of the catalogue and vocabulary -> as written
    word_frequency: dict[str, int]  # folded word -> number of documents containing it
    sorted_words: list[str]
    typo_words: frozenset[str]  # the words typos are corrected to
    vocabulary: Vocabulary
    known_stems: frozenset[str]  # stems of every document and vocabulary term
    life_event_procedures: dict[int, frozenset[int]]  # life event id -> procedure ids
    article_procedures: dict[int, frozenset[int]]  # article id -> linked procedure ids
    _spelling: Spelling | None = None

    def statistics(self, model: SearchableModel) -> Statistics:
        return self.procedures if model is Procedure else self.articles

    @property
    def spelling(self) -> Spelling:
        # Built on first use in each process: it is larger than the rest and quick to rebuild.
        if self._spelling is None:
            self._spelling = Spelling(self.typo_words, self.word_frequency)
        return self._spelling

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_spelling": None}


def _documents(model: SearchableModel) -> dict[int, SearchDocument]:
    """Return the parsed document of every row; index rows saved without the actions."""
    documents: dict[int, SearchDocument] = {}
    stale: list[int] = []
    for pk, document in model.objects.values_list("id", "search_document"):
        parsed = parse_search_document(document)
        if parsed is None:
            stale.append(pk)
        else:
            documents[pk] = parsed
    if stale:
        backend = backend_for_connection()
        for obj in model.objects.filter(id__in=stale):
            text = build_search_document(obj)
            model.objects.filter(pk=obj.pk).update(search_document=text)
            parsed = parse_search_document(text)
            assert parsed is not None
            backend.store(model, obj.pk, field_lines(text))
            documents[obj.pk] = parsed
    return documents


def _statistics(documents: dict[int, SearchDocument], words: Counter[str]) -> Statistics:
    frequency: Counter[str] = Counter()
    totals = [0] * len(FIELDS)
    for document in documents.values():
        frequency.update({stem for stems in document.fields for stem in stems} - {BOUNDARY})
        for index, length in enumerate(document.lengths()):
            totals[index] += length
        words.update({fold(w) for w in (*document.main_words, *document.other_words)})
    count = len(documents)
    averages = tuple(total / count if count else 0.0 for total in totals)
    return Statistics(count, averages, dict(frequency))


def build_search_data() -> SearchData:
    """Return the search data of the catalogue as it is in the database."""
    procedure_documents = _documents(Procedure)
    article_documents = _documents(Article)
    frequency: Counter[str] = Counter()
    procedures = _statistics(procedure_documents, frequency)
    articles = _statistics(article_documents, frequency)
    words: dict[str, str] = {}
    typo_words: set[str] = set()
    for document in (*procedure_documents.values(), *article_documents.values()):
        for written in document.main_words:
            words.setdefault(fold(written), written)
            typo_words.add(fold(written))
        for written in document.other_words:
            words.setdefault(fold(written), written)
    vocabulary = load_vocabulary()
    for folded, written in vocabulary.words.items():
        words.setdefault(folded, written)
        typo_words.add(folded)
        frequency[folded] = max(frequency[folded], 1)
    words = {folded: written for folded, written in words.items() if folded.isalnum()}
    # A procedure for any situation is linked to every life event: no life event favours it.
    everything = Procedure.life_events.through.objects.values("lifeevent_id").distinct().count()
    by_procedure: dict[int, set[int]] = defaultdict(set)
    for procedure_id, event_id in Procedure.life_events.through.objects.values_list(
        "procedure_id", "lifeevent_id"
    ):
        by_procedure[procedure_id].add(event_id)
    life_events: dict[int, set[int]] = defaultdict(set)
    for procedure_id, events in by_procedure.items():
        if everything <= 1 or len(events) < everything:
            for event_id in events:
                life_events[event_id].add(procedure_id)
    linked: dict[int, set[int]] = defaultdict(set)
    for article_id, procedure_id in Article.procedures.through.objects.values_list(
        "article_id", "procedure_id"
    ):
        linked[article_id].add(procedure_id)
    return SearchData(
        procedures=procedures,
        articles=articles,
        words=words,
        word_frequency=dict(frequency),
        sorted_words=sorted(words),
        typo_words=frozenset(typo_words & words.keys()),
        vocabulary=vocabulary,
        known_stems=frozenset(
            set(procedures.document_frequency)
            | set(articles.document_frequency)
            | vocabulary.stems()
        ),
        life_event_procedures={k: frozenset(v) for k, v in life_events.items()},
        article_procedures={k: frozenset(v) for k, v in linked.items()},
    )


def _version_key() -> str:
    state = "|".join(str(value) for value in catalogue_state())
    return f"{CACHE_PREFIX}:{hashlib.sha256(state.encode()).hexdigest()}"


# The search data this process used last, with its version key. It saves unpickling the cached
# data on every search; the key is read from the database before each use, so a change made by
# any process is seen at once.
_last: tuple[str, SearchData] | None = None


def search_data() -> SearchData:
    """Return the search data of the catalogue, from the cache when it is up to date."""
    global _last
    key = _version_key()
    last = _last
    if last is not None and last[0] == key:
        return last[1]
    data = cache.get(key)
    if not isinstance(data, SearchData):
        data = build_search_data()
        cache.set(key, data, CACHE_SECONDS)
    _last = (key, data)
    return data
