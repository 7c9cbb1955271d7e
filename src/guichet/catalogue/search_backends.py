"""The full-text indexes search finds candidates in: the part of search the database does.

Every backend stores the analysed fields of each procedure and article (``store``, called by
``indexing.index``) and returns the rows that contain at least one of a set of stems, the most
promising first, with their search documents (``candidates``). Stems come from our own analyser
(``analysis.py``), so the databases never analyse text themselves and every backend finds the
same rows; ranking is done in Python, the same way for all (``search.py``).

- ``SqliteBackend``: an FTS5 table per model (``catalogue_procedure_fts``,
  ``catalogue_article_fts``, created by migration 0006), rowid = the row's id.
- ``PostgresBackend``: a weighted ``search_vector`` tsvector column with a GIN index (migration
  0006), built with the ``simple`` configuration since the text is already analysed.
- ``GenericBackend``: any other database; it reads the stored search documents in Python, which
  is fine for a catalogue of a few hundred rows. Tests compare it with the native backend.

This module and the migrations are the only places with raw SQL.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from django.db import connection

from guichet.catalogue.models import Article, Procedure, SearchDataVersion

SearchableModel = type[Procedure] | type[Article]
# Weights the databases rank candidates with, title first (ranking proper is in search.py).
NATIVE_WEIGHTS = (4.0, 3.0, 2.0, 1.0, 0.5)


class SearchBackend(Protocol):
    name: str

    def store(self, model: SearchableModel, pk: int, fields: Sequence[str]) -> None:
        """Index the five analysed field groups of row ``pk`` (replacing what it had)."""

    def candidates(
        self, model: SearchableModel, stems: Collection[str], include_unpublished: bool, limit: int
    ) -> dict[int, str]:
        """Return up to ``limit`` rows containing one of ``stems``, best first: id → document."""


def backend_for_connection() -> SearchBackend:
    """Return the backend of the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    return GenericBackend()


def available_backends() -> list[SearchBackend]:
    """Return every backend that works on the default database (for tests and benchmarks)."""
    native = backend_for_connection()
    return [GenericBackend()] if isinstance(native, GenericBackend) else [GenericBackend(), native]


def catalogue_state() -> tuple[object, ...]:
    """Return what tells whether the searchable content changed, in one cheap query.

    The token the actions change (``SearchDataVersion``), then the highest id and the latest
    change of the procedures and of the articles (for rows saved without the actions); every
    value is read from an index.
    """
    version = connection.ops.quote_name(SearchDataVersion._meta.db_table)
    procedures, articles = _table(Procedure), _table(Article)
    sql = f"""
        SELECT (SELECT token FROM {version} WHERE id = 1),
            (SELECT MAX(id) FROM {procedures}), (SELECT MAX(updated_at) FROM {procedures}),
            (SELECT MAX(id) FROM {articles}), (SELECT MAX(updated_at) FROM {articles})
    """  # noqa: S608 - identifiers are ours
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _table(model: SearchableModel) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _valid_stems(stems: Collection[str]) -> list[str]:
    # Our stems are folded letters and digits; anything else cannot come from the analyser.
    return sorted(stem for stem in stems if stem.isascii() and stem.isalnum())


class GenericBackend:
    """Read the stored search documents in Python: no index, for any database."""

    name = "generic"

    def store(self, model: SearchableModel, pk: int, fields: Sequence[str]) -> None:
        """Do nothing: the search document saved with the row is all this backend reads."""

    def candidates(
        self, model: SearchableModel, stems: Collection[str], include_unpublished: bool, limit: int
    ) -> dict[int, str]:
        wanted = set(_valid_stems(stems))
        rows = (
            model.objects.all() if include_unpublished else model.objects.filter(is_published=True)
        )
        found: dict[int, str] = {}
        for pk, document in rows.order_by("id").values_list("id", "search_document"):
            lines = document.split("\n")[1:6]  # the five field lines (see indexing.py)
            if any(wanted.intersection(line.split()) for line in lines):
                found[pk] = document
                if len(found) == limit:
                    break
        return found


class SqliteBackend:
    """SQLite's FTS5 full-text index."""

    name = "sqlite"

    @staticmethod
    def _fts(model: SearchableModel) -> str:
        return connection.ops.quote_name(f"{model._meta.db_table}_fts")

    def store(self, model: SearchableModel, pk: int, fields: Sequence[str]) -> None:
        fts = self._fts(model)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {fts} WHERE rowid = %s", [pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {fts} (rowid, title, keywords, summary, body, agent_note) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [pk, *fields],
            )

    def candidates(
        self, model: SearchableModel, stems: Collection[str], include_unpublished: bool, limit: int
    ) -> dict[int, str]:
        valid = _valid_stems(stems)
        if not valid:
            return {}
        fts, table = self._fts(model), _table(model)
        weights = ", ".join(str(weight) for weight in NATIVE_WEIGHTS)
        sql = f"""
            SELECT {table}.id, {table}.search_document
            FROM {fts} JOIN {table} ON {table}.id = {fts}.rowid
            WHERE {fts} MATCH %s AND ({table}.is_published OR %s)
            ORDER BY bm25({fts}, {weights}) LIMIT %s
        """  # noqa: S608 - identifiers are ours; every value is a parameter
        match = " OR ".join(f'"{stem}"' for stem in valid)
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, include_unpublished, limit])
            return dict(cursor.fetchall())


class PostgresBackend:
    """PostgreSQL full-text search on a weighted tsvector column with a GIN index."""

    name = "postgresql"

    def store(self, model: SearchableModel, pk: int, fields: Sequence[str]) -> None:
        title, keywords, summary, body, agent_note = fields
        sql = f"""
            UPDATE {_table(model)} SET search_vector =
                setweight(to_tsvector('simple', %s), 'A')
                || setweight(to_tsvector('simple', %s), 'B')
                || setweight(to_tsvector('simple', %s), 'C')
                || setweight(to_tsvector('simple', %s), 'D')
            WHERE id = %s
        """  # noqa: S608 - identifiers are ours; every value is a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, [title, keywords, summary, f"{body}\n{agent_note}", pk])

    def candidates(
        self, model: SearchableModel, stems: Collection[str], include_unpublished: bool, limit: int
    ) -> dict[int, str]:
        valid = _valid_stems(stems)
        if not valid:
            return {}
        # ts_rank's weights are given for D, C, B, A.
        weights = "{0.1, 0.4, 0.6, 1.0}"
        sql = f"""
            SELECT id, search_document FROM {_table(model)}, to_tsquery('simple', %s) AS query
            WHERE search_vector @@ query AND (is_published OR %s)
            ORDER BY ts_rank(%s::float4[], search_vector, query) DESC, id LIMIT %s
        """  # noqa: S608 - identifiers are ours; every value is a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, [" | ".join(valid), include_unpublished, weights, limit])
            return dict(cursor.fetchall())
