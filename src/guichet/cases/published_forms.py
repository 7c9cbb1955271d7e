"""The parsed definition of a published form version, kept in memory: versions never change.

Parsing and checking a definition costs about a millisecond; filing, validating and displaying a
case each need it. A version is immutable once published, so its parse is cached per process,
keyed by its id and publication time (a test database that reuses ids gets fresh entries).
"""

from __future__ import annotations

from guichet.cases.form_definition import parse_definition
from guichet.cases.form_schema import FormDefinition
from guichet.cases.models import FormVersion

MAX_CACHED = 512
_parsed: dict[tuple[int | None, str], FormDefinition] = {}


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
