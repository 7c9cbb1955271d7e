"""The full-text indexes and the search data: kept in sync by the actions, rebuilt when stale."""

import pytest
from django.core.cache import cache
from django.db import connection

from guichet.catalogue import indexing
from guichet.catalogue.actions import update_procedure
from guichet.catalogue.models import Procedure
from guichet.catalogue.search import search_procedures
from guichet.catalogue.search_backends import SearchBackend, backend_for_connection
from tests.catalogue.conftest import SmallCatalogue
from tests.factories import ArticleFactory, ProcedureFactory


def slugs(query: str, backend: SearchBackend) -> list[str]:
    return [m.procedure.slug for m in search_procedures(query, backend=backend)]


def test_index_exists_for_the_database(db: None) -> None:
    """Migration 0006 made the FTS5 tables (SQLite) or the tsvector columns (PostgreSQL)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        columns = [
            column.name
            for column in connection.introspection.get_table_description(
                cursor, "catalogue_procedure"
            )
        ]
    if connection.vendor == "sqlite":
        assert {"catalogue_procedure_fts", "catalogue_article_fts"} <= set(tables)
    else:
        assert "search_vector" in columns


def test_actions_keep_the_index_in_sync(small_catalogue: SmallCatalogue) -> None:
    """The database's index finds a procedure by its new words once an action changed them."""
    backend = backend_for_connection()
    procedure = small_catalogue.cantine

    def found(stem: str) -> bool:
        return procedure.pk in backend.candidates(Procedure, [stem], False, 10)

    assert found("cantin")
    update_procedure(procedure, actor=None, changes={"title": "Goûter du mercredi", "keywords": []})
    assert found("gout")
    assert not found("cantin") or "cantine" in procedure.summary.lower()


def test_candidates_respect_publication(small_catalogue: SmallCatalogue) -> None:
    """Unpublished rows are candidates only when asked for."""
    backend = backend_for_connection()
    assert backend.candidates(Procedure, ["brouillon"], False, 10) == {}
    found = backend.candidates(Procedure, ["brouillon"], True, 10)
    assert list(found) == [small_catalogue.brouillon.pk]
    assert found[small_catalogue.brouillon.pk] == small_catalogue.brouillon.search_document


@pytest.mark.parametrize("stems", [['"; DROP TABLE x; --'], ["a OR b"], ["cni:*"], [], ["NEAR"]])
def test_candidates_ignore_what_is_no_stem(
    small_catalogue: SmallCatalogue, stems: list[str]
) -> None:
    """Anything but a plain stem is ignored rather than passed to the database's syntax."""
    backend = backend_for_connection()
    assert isinstance(backend.candidates(Procedure, stems, True, 10), dict)


def test_procedure_saved_without_actions_is_still_found(db: None, backend: SearchBackend) -> None:
    """A procedure created outside the actions (no search document) is indexed by search."""
    ProcedureFactory(slug="velo", title="Louer un vélo électrique", keywords=["bicyclette"])
    ArticleFactory(slug="fiche-velo", title="Les vélos")
    assert slugs("velos", backend) == ["velo"]
    assert slugs("bicyclette", backend) == ["velo"]
    document = Procedure.objects.get(slug="velo").search_document
    assert indexing.parse_search_document(document) is not None


def test_documents_of_an_older_format_are_reindexed(
    small_catalogue: SmallCatalogue, backend: SearchBackend
) -> None:
    """After an upgrade, documents in the previous format are rebuilt by the first search."""
    Procedure.objects.filter(pk=small_catalogue.cantine.pk).update(search_document="v1\ncantin")
    ProcedureFactory(slug="velo", title="Louer un vélo")  # a change search notices
    assert slugs("cantine", backend)[:1] == ["restauration-scolaire"]
    document = Procedure.objects.get(pk=small_catalogue.cantine.pk).search_document
    assert document.startswith(indexing.DOCUMENT_VERSION + "\n")


def test_search_data_is_reused_until_something_changes(small_catalogue: SmallCatalogue) -> None:
    """The data derived from the catalogue is built once, then rebuilt after any change."""
    data = indexing.search_data()
    assert indexing.search_data() is data
    update_procedure(small_catalogue.cantine, actor=None, changes={"keywords": ["goûter"]})
    rebuilt = indexing.search_data()
    assert rebuilt is not data
    assert "gouter" in rebuilt.words


def test_search_data_comes_from_the_shared_cache(
    small_catalogue: SmallCatalogue, django_assert_max_num_queries: object
) -> None:
    """A process that has not seen the data yet reads it from the cache, not the database."""
    data = indexing.search_data()
    indexing._last = None  # another process: nothing in its memory
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        again = indexing.search_data()
    assert again.words == data.words
    cache.clear()


def test_search_data_knows_the_life_events(small_catalogue: SmallCatalogue) -> None:
    """Each life event maps to its procedures; article links are kept."""
    data = indexing.search_data()
    papiers = data.life_event_procedures[small_catalogue.papiers.pk]
    assert small_catalogue.carte_identite.pk in papiers
    links = data.article_procedures[small_catalogue.fiche_cni.pk]
    assert links == {small_catalogue.carte_identite.pk}
