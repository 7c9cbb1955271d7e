"""Every change to catalogue content: each writes a revision and refreshes the search document."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.catalogue.choices import RevisionSource
from guichet.catalogue.indexing import build_search_document
from guichet.catalogue.models import Article, ContentRevision, Procedure
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
