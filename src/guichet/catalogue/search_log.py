"""What the search log keeps of a search, and the searches supervisors should look at.

Only the words of a search are kept, folded (lower case, no accents), and never when they may
identify a person: a search with an e-mail address, a phone number, a run of five digits or
more, a date, a year of birth or a civility ("Mme Martin") is not stored at all.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from guichet.catalogue.models import SearchQuery
from guichet.core.text import fold

MAX_TEXT_LENGTH = 200

_PERSONAL = [
    re.compile(r"\S@\S"),  # an e-mail address
    re.compile(r"\d{5,}"),  # a phone number, a social security number, a postcode, an id
    re.compile(r"\d(?:[\s.\-/]*\d){7,}"),  # a phone number typed in groups
    re.compile(r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\b"),  # a date: 12/03, 12-03-1985, 1.3.85
    re.compile(r"\b(?:19|20)\d\d\b"),  # a year, perhaps of birth
    re.compile(r"^(?:m|mr|mme|mlle|monsieur|madame|mademoiselle)\b\.?\s+\w"),  # "Mme Martin"
]


def loggable_text(query: str) -> str | None:
    """Return the text the log keeps for ``query``, or None when it must not be kept."""
    text = " ".join(fold(query).replace("’", "'").split())
    if not text or any(pattern.search(text) for pattern in _PERSONAL):
        return None
    return text[:MAX_TEXT_LENGTH]


@dataclass(frozen=True)
class UnhelpfulQuery:
    """A search nobody followed: it found nothing, or none of its results was opened."""

    text: str
    count: int
    last_seen: datetime.datetime
    zero_results: bool  # True when none of these searches found anything


def unhelpful_queries(*, since: datetime.date, surface: str | None = None) -> list[UnhelpfulQuery]:
    """Return the searches since ``since`` that found nothing or led nowhere, most frequent first.

    Searches are grouped by their text; one whose results were opened at least once is left out.
    """
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    searches = SearchQuery.objects.filter(created_at__gte=start)
    if surface is not None:
        searches = searches.filter(surface=surface)
    rows = (
        searches.values("text")
        .annotate(
            count=Count("id"),
            last_seen=Max("created_at"),
            most_results=Max("result_count"),
            clicks=Count("id", filter=Q(clicked_at__isnull=False)),
        )
        .filter(clicks=0)
        .order_by("-count", "-last_seen", "text")
    )
    return [
        UnhelpfulQuery(row["text"], row["count"], row["last_seen"], row["most_results"] == 0)
        for row in rows
    ]
