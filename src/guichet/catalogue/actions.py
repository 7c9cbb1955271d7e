"""Every change to catalogue content and vocabulary, and the search log.

Each content or vocabulary change writes a revision and refreshes what search knows.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.catalogue.choices import (
    RevisionSource,
    SearchSurface,
    VocabularyChange,
    VocabularySource,
)
from guichet.catalogue.indexing import build_search_document, index, search_data_changed
from guichet.catalogue.models import (
    Article,
    ContentRevision,
    LifeEvent,
    Procedure,
    SearchQuery,
    VocabularyEntry,
    VocabularyRevision,
)
from guichet.catalogue.search_log import loggable_text
from guichet.catalogue.vocabulary import check_entry, clean_terms
from guichet.organisation.models import User

PROCEDURE_FIELDS = (
    "title",
    "summary",
    "body",
    "agent_note",
    "who_can_ask",
    "documents",
    "department",
    "channels",
    "appointment_required",
    "cost",
    "commitment_days",
    "handled_by_city",
    "orient_to",
    "keywords",
    "life_events",
    "is_published",
    "review_before",
)
ARTICLE_FIELDS = (
    "title",
    "summary",
    "body",
    "department",
    "procedures",
    "keywords",
    "is_published",
    "review_before",
)
MANY_TO_MANY = {"life_events", "procedures"}
REVIEW_PERIOD = datetime.timedelta(days=365)

Content = TypeVar("Content", Procedure, Article)


def default_review_date() -> datetime.date:
    """Return the date content is due for review when nobody chose one: a year from today."""
    return timezone.localdate() + REVIEW_PERIOD


def _editable_fields(obj: Procedure | Article) -> tuple[str, ...]:
    return PROCEDURE_FIELDS if isinstance(obj, Procedure) else ARTICLE_FIELDS


def _slugs(objects: Iterable[models.Model]) -> list[str]:
    return sorted(str(obj.slug) for obj in objects)  # type: ignore[attr-defined]


def _json_value(obj: Procedure | Article, field: str) -> Any:
    if field in MANY_TO_MANY:
        return _slugs(getattr(obj, field).all())
    if field == "department":
        return obj.department.slug if obj.department else None
    value = getattr(obj, field)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def snapshot(obj: Procedure | Article) -> dict[str, Any]:
    """Return the editable content of ``obj`` as JSON-ready values (relations by slug)."""
    return {"slug": obj.slug} | {field: _json_value(obj, field) for field in _editable_fields(obj)}


def _new_json_value(field: str, value: Any) -> Any:
    if field in MANY_TO_MANY:
        return _slugs(value)
    if field == "department":
        return value.slug if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def changed_fields(obj: Procedure | Article, changes: dict[str, Any]) -> list[str]:
    """Return the fields whose value in ``changes`` differs from ``obj`` (in field order)."""
    allowed = _editable_fields(obj)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable on {type(obj).__name__}: {', '.join(sorted(unknown))}")
    current = snapshot(obj) if obj.pk else {}
    return [
        field
        for field in allowed
        if field in changes and _new_json_value(field, changes[field]) != current.get(field)
    ]


def _record(
    obj: Procedure | Article,
    *,
    actor: User | None,
    fields: list[str],
    comment: str,
    source: RevisionSource,
) -> ContentRevision:
    return ContentRevision.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=actor,
        changed_fields=fields,
        snapshot=snapshot(obj),
        comment=comment[:300],
        source=source,
    )


def _save(
    obj: Content,
    changes: dict[str, Any],
    *,
    actor: User | None,
    comment: str,
    source: RevisionSource,
    always_record: bool = False,
) -> Content:
    with transaction.atomic():
        if obj.pk is not None:
            # Two supervisors saving at once: the second works on the first one's result.
            obj.refresh_from_db(from_queryset=type(obj).objects.select_for_update())
        fields = changed_fields(obj, changes)
        if obj.pk is not None and not fields and not always_record:
            return obj
        for field in fields:
            if field not in MANY_TO_MANY:
                setattr(obj, field, changes[field])
        obj.updated_at = timezone.now()
        obj.updated_by = actor
        obj.search_document = build_search_document(obj)
        obj.save()
        for field in fields:
            if field in MANY_TO_MANY:
                getattr(obj, field).set(changes[field])
        _record(obj, actor=actor, fields=fields, comment=comment, source=source)
        index(obj)
    return obj


def create_procedure(
    *,
    actor: User | None,
    values: dict[str, Any],
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
) -> Procedure:
    """Create a procedure from ``values`` (``slug`` and the editable fields)."""
    values = dict(values)
    procedure = Procedure(slug=values.pop("slug"))
    values.setdefault("review_before", default_review_date())
    return _save(procedure, values, actor=actor, comment=comment, source=source)


def update_procedure(
    procedure: Procedure,
    *,
    actor: User | None,
    changes: dict[str, Any],
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
) -> Procedure:
    """Apply ``changes`` to a procedure; record a revision when something actually changed."""
    return _save(procedure, changes, actor=actor, comment=comment, source=source)


def _free_article_slug(title: str) -> str:
    base = slugify(title)[:40].strip("-") or "fiche"
    slug, suffix = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def create_article(
    *,
    actor: User | None,
    values: dict[str, Any],
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
) -> Article:
    """Create a knowledge article; its slug comes from ``values["slug"]`` or from the title."""
    values = dict(values)
    with transaction.atomic():
        slug = values.pop("slug", None) or _free_article_slug(values["title"])
        article = Article(slug=slug)
        values.setdefault("review_before", default_review_date())
        return _save(article, values, actor=actor, comment=comment, source=source)


def update_article(
    article: Article,
    *,
    actor: User | None,
    changes: dict[str, Any],
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
) -> Article:
    """Apply ``changes`` to an article; record a revision when something actually changed."""
    return _save(article, changes, actor=actor, comment=comment, source=source)


def mark_reviewed(obj: Content, *, actor: User, review_before: datetime.date) -> Content:
    """Record that ``obj`` was read and is correct, and set the date of its next review."""
    return _save(
        obj,
        {"review_before": review_before},
        actor=actor,
        comment=_("Contenu relu et validé"),
        source=RevisionSource.EDITOR,
        always_record=True,
    )


# Vocabulary.

VOCABULARY_FIELDS = ("terms", "means", "procedures", "articles", "life_event")


def vocabulary_snapshot(
    entry: VocabularyEntry,
    procedures: Iterable[Procedure] | None = None,
    articles: Iterable[Article] | None = None,
) -> dict[str, Any]:
    """Return the content of a vocabulary entry as JSON-ready values (relations by slug).

    ``procedures`` and ``articles``, when given, are used instead of the saved ones.
    """
    return {
        "kind": entry.kind,
        "terms": list(entry.terms),
        "means": list(entry.means),
        "procedures": _slugs(entry.procedures.all() if procedures is None else procedures),
        "articles": _slugs(entry.articles.all() if articles is None else articles),
        "life_event": entry.life_event.slug if entry.life_event else None,
        "source": entry.source,
    }


def _record_vocabulary(
    entry: VocabularyEntry,
    change: VocabularyChange,
    *,
    actor: User | None,
    comment: str,
    source: RevisionSource,
    snapshot: dict[str, Any] | None = None,
) -> VocabularyRevision:
    return VocabularyRevision.objects.create(
        entry=entry if change != VocabularyChange.DELETED else None,
        key=entry.key,
        change=change,
        snapshot=snapshot if snapshot is not None else vocabulary_snapshot(entry),
        actor=actor,
        source=source,
        comment=comment[:300],
    )


def _entry_source(source: RevisionSource) -> VocabularySource:
    return VocabularySource.SHIPPED if source == RevisionSource.IMPORT else VocabularySource.EDITED


def create_vocabulary_entry(
    *,
    actor: User | None,
    kind: str,
    terms: Sequence[str],
    means: Sequence[str] = (),
    procedures: Sequence[Procedure] = (),
    articles: Sequence[Article] = (),
    life_event: LifeEvent | None = None,
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
    key: str | None = None,
) -> VocabularyEntry:
    """Create a vocabulary entry (see ``VocabularyEntry``); search uses it at once.

    Raise ``vocabulary.InvalidVocabulary`` when the values do not make a valid entry (forms
    check them first with ``vocabulary.clean_terms`` and ``vocabulary.check_entry``). ``key``
    identifies an entry of the vocabulary file; a supervisor's entry gets a key of its own.
    """
    terms, means = clean_terms("terms", terms), clean_terms("means", means)
    check_entry(
        kind=kind,
        terms=terms,
        means=means,
        procedures=procedures,
        articles=articles,
        life_event=life_event,
    )
    with transaction.atomic():
        entry = VocabularyEntry.objects.create(
            key=key or f"local:{uuid.uuid4().hex}",
            kind=kind,
            terms=terms,
            means=means,
            life_event=life_event,
            source=_entry_source(source),
            updated_by=actor,
        )
        if procedures:
            entry.procedures.set(procedures)
        if articles:
            entry.articles.set(articles)
        _record_vocabulary(
            entry,
            VocabularyChange.CREATED,
            actor=actor,
            comment=comment,
            source=source,
            snapshot=vocabulary_snapshot(entry, procedures, articles),
        )
        search_data_changed()
    return entry


def update_vocabulary_entry(
    entry: VocabularyEntry,
    *,
    actor: User | None,
    changes: dict[str, Any],
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
) -> VocabularyEntry:
    """Apply ``changes`` (``terms``, ``means``, ``procedures``, ``articles``, ``life_event``).

    Nothing is written when nothing changes. Raise ``vocabulary.InvalidVocabulary`` when the
    result would not be a valid entry.
    """
    unknown = set(changes) - set(VOCABULARY_FIELDS)
    if unknown:
        raise ValueError(f"Not editable on a vocabulary entry: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Two supervisors saving at once: the second works on the first one's result.
        entry.refresh_from_db(from_queryset=VocabularyEntry.objects.select_for_update())
        before = vocabulary_snapshot(entry)
        terms = clean_terms("terms", changes.get("terms", entry.terms))
        means = clean_terms("means", changes.get("means", entry.means))
        procedures: list[Procedure] = list(changes.get("procedures", entry.procedures.all()))
        articles: list[Article] = list(changes.get("articles", entry.articles.all()))
        life_event: LifeEvent | None = changes.get("life_event", entry.life_event)
        check_entry(
            kind=entry.kind,
            terms=terms,
            means=means,
            procedures=procedures,
            articles=articles,
            life_event=life_event,
        )
        entry.terms, entry.means, entry.life_event = terms, means, life_event
        entry.source = _entry_source(source)
        after = vocabulary_snapshot(entry, procedures, articles)
        if after == before:
            return entry
        entry.updated_at = timezone.now()
        entry.updated_by = actor
        entry.save()
        entry.procedures.set(procedures)
        entry.articles.set(articles)
        _record_vocabulary(
            entry,
            VocabularyChange.UPDATED,
            actor=actor,
            comment=comment,
            source=source,
            snapshot=after,
        )
        search_data_changed()
    return entry


def delete_vocabulary_entry(
    entry: VocabularyEntry,
    *,
    actor: User | None,
    comment: str = "",
    source: RevisionSource = RevisionSource.EDITOR,
) -> None:
    """Delete a vocabulary entry, keeping its last content in the history.

    A shipped entry deleted by a supervisor stays deleted when the vocabulary file is loaded
    again (unless local edits are overwritten).
    """
    with transaction.atomic():
        snapshot = vocabulary_snapshot(entry)
        _record_vocabulary(
            entry,
            VocabularyChange.DELETED,
            actor=actor,
            comment=comment,
            source=source,
            snapshot=snapshot,
        )
        entry.delete()
        search_data_changed()


# The search log.

MAX_CLICKED_SLUGS = 20


def record_search(*, query: str, surface: str, result_count: int) -> SearchQuery | None:
    """Keep a search for the supervisors' list, or return None when it is not kept.

    Searches that may identify a person (an e-mail, a phone number, a date…) are never kept;
    see ``search_log.loggable_text``. ``surface`` is "console", "portal" or "api". Call it once
    per search a person made (the results page, or the query sent with a chosen suggestion),
    not for every key typed.
    """
    text = loggable_text(query)
    if text is None:
        return None
    return SearchQuery.objects.create(
        text=text, surface=SearchSurface(surface), result_count=max(result_count, 0)
    )


def record_search_click(*, search_id: uuid.UUID, slug: str) -> None:
    """Note that the result ``slug`` of a kept search was opened (unknown searches are ignored)."""
    with transaction.atomic():
        search = SearchQuery.objects.select_for_update().filter(uuid=search_id).first()
        if search is None:
            return
        changed = []
        if slug not in search.clicked_slugs and len(search.clicked_slugs) < MAX_CLICKED_SLUGS:
            search.clicked_slugs = [*search.clicked_slugs, slug[:50]]
            changed.append("clicked_slugs")
        if search.clicked_at is None:
            search.clicked_at = timezone.now()
            changed.append("clicked_at")
        if changed:
            search.save(update_fields=changed)
