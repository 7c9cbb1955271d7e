"""The search log: what is kept (never personal data), clicks, and the supervisors' list."""

import datetime
import uuid

import pytest
from django.utils import timezone

from guichet.catalogue.actions import record_search, record_search_click
from guichet.catalogue.models import SearchQuery
from guichet.catalogue.search_log import loggable_text, unhelpful_queries


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("  Carte   d’Identité ", "carte d'identite"),
        ("JE CHERCHE UNE NOUNOU", "je cherche une nounou"),
        ("mon fils a 16 ans", "mon fils a 16 ans"),
        ("x" * 300, "x" * 200),
    ],
)
def test_kept_text_is_normalised(query: str, kept: str) -> None:
    """The log keeps the folded words, single-spaced, at most 200 characters."""
    assert loggable_text(query) == kept


@pytest.mark.parametrize(
    "query",
    [
        "jean.dupont@example.org",
        "dupont jean@exemple",
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "0612345678",
        "dossier 1234567",
        "75012",
        "Martin 12/03/1985",
        "martin 12-03-85",
        "dupont 1985",
        "Mme Martin",
        "monsieur durand",
        "",
        "   ",
    ],
)
def test_personal_data_is_never_kept(db: None, query: str) -> None:
    """E-mails, phone numbers, long numbers, dates, years and civilities: nothing is stored."""
    assert loggable_text(query) is None
    assert record_search(query=query, surface="console", result_count=0) is None
    assert not SearchQuery.objects.exists()


def test_record_search_keeps_the_search(db: None) -> None:
    """A search is kept with its surface and result count, under a UUID."""
    search = record_search(query="Passeport perdu", surface="portal", result_count=3)
    assert search is not None
    stored = SearchQuery.objects.get(uuid=search.uuid)
    assert (stored.text, stored.surface, stored.result_count) == ("passeport perdu", "portal", 3)
    assert stored.clicked_slugs == [] and stored.clicked_at is None


def test_record_search_rejects_an_unknown_surface(db: None) -> None:
    """The surface is one of console, portal and api."""
    with pytest.raises(ValueError):
        record_search(query="passeport", surface="kiosque", result_count=1)


def test_clicks_are_recorded_once_each(db: None) -> None:
    """Opening results adds their slugs once; the time of the first opening is kept."""
    search = record_search(query="passeport", surface="console", result_count=2)
    assert search is not None
    record_search_click(search_id=search.uuid, slug="passeport")
    first = SearchQuery.objects.get(pk=search.pk).clicked_at
    record_search_click(search_id=search.uuid, slug="passeport")
    record_search_click(search_id=search.uuid, slug="carte-identite")
    search.refresh_from_db()
    assert search.clicked_slugs == ["passeport", "carte-identite"]
    assert search.clicked_at == first


def test_click_on_an_unknown_search_is_ignored(db: None) -> None:
    """A click for a search that was not kept changes nothing."""
    record_search_click(search_id=uuid.uuid4(), slug="passeport")
    assert not SearchQuery.objects.exists()


def _search(text: str, *, results: int, days_ago: int = 0, surface: str = "portal") -> SearchQuery:
    search = record_search(query=text, surface=surface, result_count=results)
    assert search is not None
    SearchQuery.objects.filter(pk=search.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return search


def test_unhelpful_queries_lists_searches_nobody_followed(db: None) -> None:
    """Searches with no result or whose results nobody opened, grouped, most frequent first."""
    _search("nounou", results=0)
    _search("Nounou", results=0)
    _search("trottinette", results=2)
    opened = _search("passeport", results=3)
    record_search_click(search_id=opened.uuid, slug="passeport")
    _search("passeport", results=3)  # another one, not opened: the text was helpful once
    _search("vieux", results=0, days_ago=40)
    found = unhelpful_queries(since=timezone.localdate() - datetime.timedelta(days=30))
    assert [(q.text, q.count, q.zero_results) for q in found] == [
        ("nounou", 2, True),
        ("trottinette", 1, False),
    ]
    assert found[0].last_seen <= timezone.now()


def test_unhelpful_queries_by_surface(db: None) -> None:
    """The list may be limited to one surface."""
    _search("nounou", results=0, surface="console")
    _search("cantoche", results=0, surface="portal")
    found = unhelpful_queries(since=timezone.localdate(), surface="console")
    assert [q.text for q in found] == ["nounou"]
