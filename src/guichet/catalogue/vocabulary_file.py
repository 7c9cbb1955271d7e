"""Bring the vocabulary in line with the vocabulary file (``content/vocabulary.yaml``).

The file has three sections (see docs/catalogue.md)::

    equivalents:        # each item: terms meaning the same thing
      - ["carte d'identité", "CNI", "carte nationale d'identité"]
    expansions:         # a term → what it means, and optionally what it points to
      - {term: "nounou", means: ["assistante maternelle"]}
      - {term: "lampadaire", means: ["éclairage public"], procedures: ["signalement-espace-public"]}
    life_event_cues:    # life event slug → words evoking it
      naissance: ["bébé", "accouchement"]

``procedures`` lists slugs of procedures or of knowledge articles (a procedure first when a slug
names both). Each entry has a key (its section and its first term, or the life event), so
loading again updates it rather than adding a copy. An entry a supervisor changed or deleted
keeps the supervisor's version unless local edits are overwritten; a shipped entry that left
the file is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from guichet.catalogue import actions
from guichet.catalogue.choices import RevisionSource, VocabularyKind, VocabularySource
from guichet.catalogue.models import (
    Article,
    LifeEvent,
    Procedure,
    VocabularyEntry,
    VocabularyRevision,
)
from guichet.catalogue.vocabulary import InvalidVocabulary, check_entry, clean_terms
from guichet.core.text import normalize
from guichet.organisation.models import User

SECTIONS = ("equivalents", "expansions", "life_event_cues")
_IMPORT = RevisionSource.IMPORT


@dataclass(frozen=True)
class ShippedEntry:
    """An entry of the vocabulary file, checked."""

    key: str
    label: str
    kind: str
    terms: list[str]
    means: list[str]
    procedures: list[Procedure]
    articles: list[Article]
    life_event: LifeEvent | None


@dataclass
class VocabularyLoad:
    """What loading the vocabulary file did (errors in French, each naming its entry)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_local_edits: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _key(kind: str, term: str) -> str:
    return f"{kind}:{normalize(term)}"


def _text_list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidVocabulary(_("« %(name)s » doit être une liste") % {"name": name})
    return value


@dataclass(frozen=True)
class _Targets:
    procedures: dict[str, Procedure]
    articles: dict[str, Article]

    def find(self, value: Any) -> tuple[list[Procedure], list[Article]]:
        procedures, articles = [], []
        for slug in _text_list("procedures", value or []):
            if isinstance(slug, str) and slug in self.procedures:
                procedures.append(self.procedures[slug])
            elif isinstance(slug, str) and slug in self.articles:
                articles.append(self.articles[slug])
            else:
                raise InvalidVocabulary(
                    _("ni démarche ni fiche réflexe ne porte l'identifiant %(slug)s")
                    % {"slug": slug}
                )
        return procedures, articles


def _equivalent(item: Any, label: str) -> ShippedEntry:
    terms = clean_terms("equivalents", _text_list("equivalents", item))
    kind = VocabularyKind.EQUIVALENT
    return ShippedEntry(_key(kind, terms[0]), label, kind, terms, [], [], [], None)


def _expansion(item: Any, label: str, targets: _Targets) -> ShippedEntry:
    if not isinstance(item, dict) or set(item) - {"term", "means", "procedures"}:
        raise InvalidVocabulary(_("une expansion s'écrit {term: …, means: […], procedures: […]}"))
    terms = clean_terms("term", [item.get("term")])
    means = clean_terms("means", _text_list("means", item.get("means") or []))
    procedures, articles = targets.find(item.get("procedures"))
    kind = VocabularyKind.EXPANSION
    label = f"{label} ({terms[0]})"
    return ShippedEntry(_key(kind, terms[0]), label, kind, terms, means, procedures, articles, None)


def _cue(slug: Any, words: Any, life_events: dict[str, LifeEvent]) -> ShippedEntry:
    if slug not in life_events:
        raise InvalidVocabulary(_("événement de vie inconnu : %(slug)s") % {"slug": slug})
    terms = clean_terms("life_event_cues", _text_list(str(slug), words))
    kind = VocabularyKind.LIFE_EVENT_CUE
    return ShippedEntry(f"{kind}:{slug}", str(slug), kind, terms, [], [], [], life_events[slug])


def _parse(data: Any) -> tuple[list[ShippedEntry], list[str]]:
    """Return the valid entries of the file's content, and the errors of the others."""
    if data is None:
        return [], []
    if not isinstance(data, dict):
        message = _("le fichier doit contenir les sections : %(sections)s")
        return [], [message % {"sections": ", ".join(SECTIONS)}]
    errors: list[str] = []
    unknown = sorted(set(map(str, data)) - set(SECTIONS))
    if unknown:
        errors.append(
            _("section inconnue : %(names)s (sections possibles : %(allowed)s)")
            % {"names": ", ".join(unknown), "allowed": ", ".join(SECTIONS)}
        )
    targets = _Targets(
        Procedure.objects.in_bulk(field_name="slug"), Article.objects.in_bulk(field_name="slug")
    )
    life_events = LifeEvent.objects.in_bulk(field_name="slug")
    cues = data.get("life_event_cues") or {}
    if not isinstance(cues, dict):
        errors.append(_("« life_event_cues » associe un événement de vie à une liste de mots"))
        cues = {}
    readers: list[tuple[str, Callable[[], ShippedEntry]]] = []
    for position, item in enumerate(_section(data, "equivalents", errors), start=1):
        label = _("équivalents n°%(n)d") % {"n": position}
        readers.append((label, partial(_equivalent, item, label)))
    for position, item in enumerate(_section(data, "expansions", errors), start=1):
        label = _("expansions n°%(n)d") % {"n": position}
        readers.append((label, partial(_expansion, item, label, targets)))
    for slug, words in cues.items():
        label = _("life_event_cues %(slug)s") % {"slug": slug}
        readers.append((label, partial(_cue, slug, words, life_events)))
    entries: list[ShippedEntry] = []
    for label, read in readers:
        try:
            entry = read()
            check_entry(
                kind=entry.kind,
                terms=entry.terms,
                means=entry.means,
                procedures=entry.procedures,
                articles=entry.articles,
                life_event=entry.life_event,
            )
        except InvalidVocabulary as exc:
            errors.append(f"{label} : {exc}")
        else:
            entries.append(entry)
    return entries, errors


def _section(data: dict[str, Any], name: str, errors: list[str]) -> list[Any]:
    items = data.get(name) or []
    if not isinstance(items, list):
        errors.append(_("la section « %(name)s » doit être une liste") % {"name": name})
        return []
    return items


def _values(entry: VocabularyEntry | ShippedEntry) -> tuple[Any, ...]:
    if isinstance(entry, VocabularyEntry):
        procedures, articles = list(entry.procedures.all()), list(entry.articles.all())
    else:
        procedures, articles = entry.procedures, entry.articles
    return (
        list(entry.terms),
        list(entry.means),
        sorted(p.slug for p in procedures),
        sorted(a.slug for a in articles),
        entry.life_event.slug if entry.life_event else None,
    )


def _locally_edited() -> set[str]:
    """Return the keys whose latest change is a supervisor's (deletions included)."""
    latest: dict[str, str] = {}
    for key, source in VocabularyRevision.objects.order_by("key", "-created_at", "-id").values_list(
        "key", "source"
    ):
        latest.setdefault(key, source)
    return {key for key, source in latest.items() if source == RevisionSource.EDITOR}


def load_vocabulary_file(
    data: Any, *, actor: User | None, overwrite_local_edits: bool
) -> VocabularyLoad:
    """Bring the vocabulary in line with the parsed content of the vocabulary file."""
    result = VocabularyLoad()
    entries, result.errors = _parse(data)
    seen: dict[str, ShippedEntry] = {}
    for entry in entries:
        if entry.key in seen:
            result.errors.append(
                _("%(label)s : même premier terme que %(other)s")
                % {"label": entry.label, "other": seen[entry.key].label}
            )
        else:
            seen[entry.key] = entry
    existing = (
        VocabularyEntry.objects.select_related("life_event")
        .prefetch_related("procedures", "articles")
        .in_bulk(field_name="key")
    )
    edited = set() if overwrite_local_edits else _locally_edited()
    comment = _("Chargé depuis le fichier de vocabulaire")
    for key, shipped in seen.items():
        current = existing.get(key)
        if current is not None and _values(current) == _values(shipped):
            result.unchanged += 1
        elif key in edited:
            result.kept_local_edits.append(shipped.label)
        elif current is None:
            actions.create_vocabulary_entry(
                actor=actor,
                kind=shipped.kind,
                terms=shipped.terms,
                means=shipped.means,
                procedures=shipped.procedures,
                articles=shipped.articles,
                life_event=shipped.life_event,
                comment=comment,
                source=_IMPORT,
                key=key,
            )
            result.created += 1
        else:
            actions.update_vocabulary_entry(
                current,
                actor=actor,
                changes={
                    "terms": shipped.terms,
                    "means": shipped.means,
                    "procedures": shipped.procedures,
                    "articles": shipped.articles,
                    "life_event": shipped.life_event,
                },
                comment=comment,
                source=_IMPORT,
            )
            result.updated += 1
    if not result.errors:
        # Entries are only removed when the whole file was read: an entry with an error must
        # not lose its current version.
        for key, current in existing.items():
            if key not in seen and current.source == VocabularySource.SHIPPED and key not in edited:
                actions.delete_vocabulary_entry(
                    current, actor=actor, comment=comment, source=_IMPORT
                )
                result.deleted += 1
    return result
