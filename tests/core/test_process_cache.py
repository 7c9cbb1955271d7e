"""Reference tables kept in memory: read once, read again when they change, in every process."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.core.cache import cache
from pytest_django.fixtures import DjangoAssertNumQueries

from guichet.core import process_cache
from guichet.core.process_cache import KeptValue
from guichet.organisation.models import CityClosure
from guichet.organisation.working_days import closures

pytestmark = pytest.mark.django_db


def _closure_count() -> int:
    return CityClosure.objects.count()


def _two_processes(name: str) -> tuple[KeptValue[int], KeptValue[int]]:
    """Two kept values of one name: what two processes sharing the cache each hold."""
    cache.delete(process_cache._GENERATION_PREFIX + name)
    return (
        KeptValue(name, _closure_count, check_interval=0),
        KeptValue(name, _closure_count, check_interval=0),
    )


def test_read_once_then_kept(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    here, _elsewhere = _two_processes("test-kept-once")
    with django_assert_num_queries(1):
        assert here.get() == 0
    with django_assert_num_queries(0):
        assert here.get() == 0


def test_a_change_committed_elsewhere_counts_at_once_with_a_shared_cache() -> None:
    """Another process changes the rows and bumps the generation: this one reads them again."""
    here, elsewhere = _two_processes("test-kept-shared")
    assert here.get() == 0
    assert elsewhere.get() == 0
    CityClosure.objects.bulk_create(
        [CityClosure(start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont")]
    )
    assert here.get() == 0  # no signal from a bulk insert: nothing told this process yet
    elsewhere.changed()
    assert here.get() == 1


def test_without_a_shared_generation_the_rows_are_read_again_after_ttl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here, _elsewhere = _two_processes("test-kept-ttl")
    assert here.get() == 0
    CityClosure.objects.bulk_create(
        [CityClosure(start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont")]
    )
    assert here.get() == 0
    later = time.monotonic() + here.ttl + 1
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    assert here.get() == 1


def test_an_evicted_generation_means_reading_again() -> None:
    here, _elsewhere = _two_processes("test-kept-evicted")
    assert here.get() == 0
    CityClosure.objects.bulk_create(
        [CityClosure(start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont")]
    )
    cache.delete(process_cache._GENERATION_PREFIX + "test-kept-evicted")
    assert here.get() == 1


@pytest.mark.django_db(transaction=True)
def test_a_saved_row_is_seen_here_at_once_and_everywhere_after_commit() -> None:
    """The process that saves sees its change before the commit; others after it."""
    from django.db import transaction

    assert closures.get() == ()
    elsewhere = KeptValue(
        "closures", lambda: tuple(CityClosure.objects.values_list("reason")), check_interval=0
    )
    assert elsewhere.get() == ()
    generation = cache.get(process_cache._GENERATION_PREFIX + "closures")
    with transaction.atomic():
        CityClosure.objects.create(
            start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont"
        )
        assert closures.get() == ((date(2026, 5, 15), date(2026, 5, 15)),)
        # Not committed yet: the others are not told (they would read the old rows).
        assert cache.get(process_cache._GENERATION_PREFIX + "closures") == generation
    assert cache.get(process_cache._GENERATION_PREFIX + "closures") != generation
    assert elsewhere.get() == (("Pont",),)


def test_the_shared_generation_is_asked_at_most_once_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Asking the cache costs as much as the query saved: a process asks once a second."""
    here = KeptValue("test-kept-interval", _closure_count)
    elsewhere = KeptValue("test-kept-interval", _closure_count)
    assert here.get() == 0
    CityClosure.objects.bulk_create(
        [CityClosure(start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont")]
    )
    elsewhere.changed()
    assert here.get() == 0  # asked less than a second ago
    later = time.monotonic() + here.check_interval + 0.1
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    assert here.get() == 1
