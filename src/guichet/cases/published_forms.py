"""Published form versions, kept in memory: a version never changes once published.

Parsing and checking a definition costs about a millisecond; filing, validating and displaying a
case each need it. A version is immutable once published, so its row and its parse are cached per
process, keyed by its id and publication time (a test database that reuses ids gets fresh
entries). Which version is current is always asked of the database (``with_current_version``).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from guichet.cases.form_definition import parse_definition
from guichet.cases.form_schema import FormDefinition
from guichet.cases.models import CaseForm, FormVersion
from guichet.core.process_cache import KeptValue

MAX_CACHED = 512
_parsed: dict[tuple[int | None, str], FormDefinition] = {}
_rows: dict[tuple[int, str], dict[str, Any]] = {}
_VERSION_FIELDS = ("id", "form_id", "number", "definition", "published_at", "published_by_id")


def with_current_version(forms: QuerySet[CaseForm]) -> QuerySet[CaseForm]:
    """Annotate each form with the id and publication time of its newest version."""
    newest = FormVersion.objects.filter(form=OuterRef("pk")).order_by("-number")
    return forms.annotate(
        current_version_id=Subquery(newest.values("pk")[:1]),
        current_version_published_at=Subquery(newest.values("published_at")[:1]),
    )


def _online_forms() -> dict[str, CaseForm]:
    forms = CaseForm.objects.select_related("procedure__department", "routing_department")
    forms = forms.filter(procedure__is_published=True, is_online=True)
    return {form.procedure.slug: form for form in with_current_version(forms)}


# The forms open online, by procedure slug, with their current version: every filing and every
# form page starts here. Kept by each process until a form, a version, a procedure or a
# department changes (cases.apps, KeptValue).
online_forms = KeptValue("online-forms", _online_forms)


def online_form(slug: str) -> CaseForm | None:
    """Return the form of the published procedure ``slug`` if it is open online, else None."""
    form = online_forms.get().get(slug)
    # A copy: each request has its own instance (the related rows read are shared, read-only).
    return copy.copy(form) if form is not None else None


def current_version(case_form: CaseForm) -> FormVersion | None:
    """Return the newest version of ``case_form``: from this process's memory when the form was
    read ``with_current_version`` and the version seen before, else from the database."""
    if "current_version_id" not in case_form.__dict__:
        return case_form.current_version()
    version_id: int | None = case_form.current_version_id  # type: ignore[attr-defined]
    if version_id is None:
        return None
    published_at: datetime.datetime = case_form.current_version_published_at  # type: ignore[attr-defined]
    key = (version_id, published_at.isoformat())
    row = _rows.get(key)
    if row is None:
        version = FormVersion.objects.get(pk=version_id)
        if len(_rows) >= MAX_CACHED:
            _rows.clear()
        _rows[key] = {name: getattr(version, name) for name in _VERSION_FIELDS}
    else:
        version = FormVersion(**row)
        version._state.adding = False
        version._state.db = case_form._state.db
    # The form as this request read it (its settings may have changed since the version).
    version.form = case_form
    return version


def definition_of(version: FormVersion) -> FormDefinition:
    """Return the parsed definition of ``version`` (parsed once per process)."""
    key = (version.pk, version.published_at.isoformat() if version.published_at else "")
    definition = _parsed.get(key)
    if definition is None:
        definition = parse_definition(version.definition)
        if len(_parsed) >= MAX_CACHED:
            # A city has a few hundred versions at most: starting over is simpler than LRU.
            _parsed.clear()
        # Two threads may both parse the same version: harmless, they store equal values.
        _parsed[key] = definition
    return definition
