"""The quality benchmark's metrics, evaluation-set loading and targets, on toy data."""

from pathlib import Path

import pytest
import yaml

from benchmarks.bench_search_quality import (
    QUERIES_FILE,
    Query,
    Target,
    load_queries,
    markdown_table,
    percentile,
    quality,
    quality_by_kind,
    rank_of,
    recall_at,
    targets_of,
)
from guichet.catalogue.loader import DEFAULT_CONTENT_DIR


def _slugs(kind: str) -> set[str]:
    return {
        (yaml.safe_load(path.read_text()) or {}).get("slug", path.stem)
        for path in (DEFAULT_CONTENT_DIR / kind).glob("*.yaml")
    }


def test_rank_of_returns_the_first_expected_position() -> None:
    """The rank is 1-based and counts the first of several acceptable slugs."""
    assert rank_of(["a", "b", "c"], {"c", "b"}) == 2
    assert rank_of(["a"], {"a"}) == 1


def test_rank_of_a_miss_is_none() -> None:
    """A slug absent from the results has no rank."""
    assert rank_of(["a", "b"], {"z"}) is None
    assert rank_of([], {"a"}) is None


def test_quality_on_toy_ranks() -> None:
    """Top-1, top-3 and MRR count misses as zero."""
    measured = quality([1, 2, 4, None])
    assert measured.n == 4
    assert measured.top1 == pytest.approx(0.25)
    assert measured.top3 == pytest.approx(0.5)
    assert measured.mrr == pytest.approx((1 + 0.5 + 0.25) / 4)


def test_quality_of_nothing_is_zero() -> None:
    """An empty list of ranks gives zeros, not a division error."""
    assert quality([]).top3 == 0.0


def test_quality_by_kind_splits_and_totals() -> None:
    """Each kind is measured on its own queries, and "all" on every query."""
    queries = [
        Query("a", ("x",), "procedure"),
        Query("b", ("y",), "procedure"),
        Query("c", ("z",), "article"),
    ]
    measured = quality_by_kind(queries, [1, None, 3])
    assert measured["procedure"].top1 == pytest.approx(0.5)
    assert measured["article"].top1 == 0.0
    assert measured["article"].top3 == 1.0
    assert measured["all"].n == 3


def test_recall_at_counts_ranks_within_k() -> None:
    """Recall@5 is the share of lookups whose resident is in the top 5."""
    assert recall_at([1, 5, 6, None], 5) == pytest.approx(0.5)


def test_percentile_is_nearest_rank() -> None:
    """The 95th percentile of 1..100 is 95 and of one value is that value."""
    assert percentile([float(v) for v in range(100, 0, -1)], 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0


def test_markdown_table_escapes_pipes() -> None:
    """A query holding a pipe does not break the table."""
    table = markdown_table(["q", "n"], [["a|b", 1]])
    assert table.splitlines() == ["| q | n |", "|---|---|", "| a\\|b | 1 |"]


def test_targets_missed_and_met() -> None:
    """Scores must reach their goal; latencies must stay under theirs."""
    results = {
        "catalogue": {
            "quality": {
                "procedure": {"n": 10, "top3": 0.96},
                "article": {"n": 10, "top3": 0.94},
                "all": {"n": 20, "top3": 0.955},
            },
            "latency": {"p95_ms": 30.0},
        },
        "residents": {"overall": {"recall": 0.99, "p95_ms": 12.0}},
    }
    verdicts = {target.name: target.met for target in targets_of(results)}
    assert verdicts == {
        "top-3, procedure queries": True,
        "top-3, article queries": False,
        "top-3, all queries": True,
        "p95 per procedure query (ms)": False,
        "resident recall@5": True,
        "p95 per resident lookup (ms)": True,
    }
    assert Target("x", 0.5, 0.95, True).met is False


def test_kinds_without_queries_have_no_target() -> None:
    """A run without article queries is not judged on articles."""
    results = {
        "catalogue": {
            "quality": {
                "procedure": {"n": 3, "top3": 1.0},
                "article": {"n": 0, "top3": 0.0},
                "all": {"n": 3, "top3": 1.0},
            },
            "latency": {"p95_ms": 1.0},
        }
    }
    assert all(target.met for target in targets_of(results))
    assert "top-3, article queries" not in {target.name for target in targets_of(results)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "non-empty list"),
        ("- {query: '', expected: [a], kind: procedure}", "item 1: the query is empty"),
        ("- {query: q, expected: [a], kind: form}", "item 1: kind must be"),
        ("- {query: q, expected: a, kind: article}", "item 1: expected must be a list"),
        ("- {query: q, expected: [], kind: article}", "item 1: expected must be a list"),
        ("- {query: q, expected: [a], kind: article, slug: b}", "item 1: expected keys"),
    ],
)
def test_load_queries_rejects_bad_items(tmp_path: Path, content: str, message: str) -> None:
    """A malformed evaluation set is refused with the item at fault."""
    path = tmp_path / "queries.yaml"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_queries(path)


def test_shipped_set_is_large_and_varied() -> None:
    """The evaluation set has at least 200 distinct queries of both kinds."""
    queries = load_queries(QUERIES_FILE)
    assert len(queries) >= 200
    assert len({query.text.lower() for query in queries}) == len(queries)
    assert {query.kind for query in queries} == {"procedure", "article"}


def test_shipped_set_points_at_existing_content() -> None:
    """Every expected slug is a procedure or an article of the shipped catalogue, by kind."""
    known = {"procedure": _slugs("procedures"), "article": _slugs("articles")}
    unknown = [
        (query.text, slug)
        for query in load_queries(QUERIES_FILE)
        for slug in query.expected
        if slug not in known[query.kind]
    ]
    assert unknown == []


def test_shipped_set_covers_every_procedure_twice() -> None:
    """Each shipped procedure is the expected answer of at least two queries."""
    queries = load_queries(QUERIES_FILE)
    counts = dict.fromkeys(_slugs("procedures"), 0)
    for query in queries:
        if query.kind == "procedure":
            for slug in query.expected:
                counts[slug] += 1
    assert [slug for slug, count in counts.items() if count < 2] == []
