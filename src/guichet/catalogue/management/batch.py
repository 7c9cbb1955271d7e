"""``--batch FILE`` for the search commands: one query per line, one JSON array per line out."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

STDIN = "-"


def add_query_arguments(parser: ArgumentParser, *, query_help: str) -> None:
    """Add the positional QUERY and ``--batch FILE``; exactly one of them must be given."""
    parser.add_argument("query", nargs="?", help=query_help)
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="Read one query per line from FILE (UTF-8, blank lines skipped; '-' for standard "
        "input) and print one JSON array per line, in the same order.",
    )


def queries_from_options(options: dict[str, Any]) -> list[str] | None:
    """Return the batch's queries, or None for a single query; raise CommandError on misuse."""
    query, batch = options.get("query"), options.get("batch")
    if batch is not None and query is not None:
        raise CommandError(_("Donnez soit une recherche, soit --batch FICHIER, pas les deux."))
    if batch is None:
        if query is None or not query.strip():
            raise CommandError(
                _("Indiquez ce qu'il faut chercher, par exemple « cantine », ou --batch FICHIER.")
            )
        return None
    stdin: IO[str] = options.get("stdin") or sys.stdin
    text = _read_stdin(stdin) if batch == STDIN else _read_file(Path(batch))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _read_stdin(stdin: IO[str]) -> str:
    raw = getattr(stdin, "buffer", None)
    if raw is None:
        return stdin.read()
    return _decode(raw.read(), _("l'entrée standard"))


def _read_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(
            _("Le fichier « %(path)s » n'existe pas : vérifiez son chemin.") % {"path": path}
        ) from None
    except IsADirectoryError:
        raise CommandError(
            _("« %(path)s » est un dossier : donnez un fichier texte, une recherche par ligne.")
            % {"path": path}
        ) from None
    except OSError as error:
        raise CommandError(
            _("Impossible de lire « %(path)s » (%(reason)s) : vérifiez ses droits d'accès.")
            % {"path": path, "reason": error.strerror or error}
        ) from None
    return _decode(data, str(path))


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CommandError(
            _(
                "%(source)s n'est pas en UTF-8 (ligne %(line)d) : enregistrez-le en UTF-8 et "
                "recommencez."
            )
            % {"source": source, "line": line}
        ) from None
