"""Indexed lookups on the normalised search columns, fast on SQLite and PostgreSQL alike."""

from django.db import connection
from django.db.models import Q


def prefix_q(column: str, prefix: str) -> Q:
    """Match values of ``column`` starting with ``prefix`` using the column's B-tree index.

    On SQLite, LIKE is case-insensitive and cannot use a plain index, so the prefix becomes a
    range (``>= 'dup' AND < 'duq'``), exact there since SQLite compares bytes. On PostgreSQL a
    range would follow the database's collation, which may ignore spaces and punctuation, so
    Django's ``startswith`` is used instead: a left-anchored LIKE served by the
    ``varchar_pattern_ops`` index Django creates next to every indexed CharField.
    """
    if connection.vendor == "sqlite":
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"{column}__gte": prefix, f"{column}__lt": upper})
    return Q(**{f"{column}__startswith": prefix})


def word_q(column: str, word: str) -> Q:
    """Match values of ``column`` that are ``word`` or begin with ``word`` then a space."""
    return Q(**{column: word}) | prefix_q(column, word + " ")
