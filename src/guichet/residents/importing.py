"""Importing residents from a CSV file, in batches: create new files, update known ones.

The file is UTF-8 (with or without BOM), separated by commas or semicolons, with the header
``external_id,last_name,first_name,birth_name,birth_date,email,phone,address,postal_code,city``.
A line is matched to an existing file by ``external_id``; an empty cell never erases what the file
already holds. Invalid lines are reported (line number and reason) and skipped; valid lines are
imported in batches, each in its own transaction, with the same normalisation as the actions
(search keys, E.164 phones, lower-case emails) and one history row per created or changed file.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.organisation.models import User
from guichet.residents.actions import NAME_FIELDS, json_value, normalize_email
from guichet.residents.lookup_dictionary import remember_names
from guichet.residents.models import Resident, ResidentChange
from guichet.residents.names import search_fields
from guichet.residents.phones import InvalidPhoneNumber, to_e164

COLUMNS = (
    "external_id",
    "last_name",
    "first_name",
    "birth_name",
    "birth_date",
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
)
# CSV column → Resident field.
FIELD_OF_COLUMN = {
    "external_id": "external_id",
    "last_name": "usage_name",
    "first_name": "first_names",
    "birth_name": "birth_name",
    "birth_date": "birth_date",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "postal_code": "postal_code",
    "city": "city",
}
IMPORTED_FIELDS = tuple(FIELD_OF_COLUMN.values())
SEARCH_COLUMNS = tuple(search_fields("", "", ""))
BATCH_SIZE = 2000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class ImportFileError(Exception):
    """The whole file cannot be read (encoding, header); the message says how to fix it."""


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Ligne %(line)d : %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


@dataclass
class _Row:
    line: int
    values: dict[str, object]


def read_text(path: Path) -> str:
    """Return the file's text, or raise ImportFileError if it is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            _("Le fichier %(path)s ne peut pas être lu : %(reason)s")
            % {"path": path, "reason": exc.strerror or exc}
        ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (premier caractère illisible ligne "
                "%(line)d). Enregistrez-le au format « CSV UTF-8 » (dans le tableur : "
                "Enregistrer sous, type CSV, jeu de caractères UTF-8) puis recommencez."
            )
            % {"line": line}
        ) from exc


def detect_delimiter(header_line: str) -> str:
    """Return ";" or "," — whichever separates the header's columns."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_rows(text: str, report: ImportReport) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, cells) for each data line; check the header first."""
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(header_line))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportFileError(
            _("Le fichier est vide : il doit commencer par la ligne d'en-tête.")
        ) from None
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _(
                "Colonnes manquantes dans l'en-tête : %(missing)s. La première ligne doit "
                "être : %(expected)s"
            )
            % {"missing": ", ".join(missing), "expected": ",".join(COLUMNS)}
        )
    extra = [name for name in header if name not in COLUMNS]
    if extra:
        report.warnings.append(
            _("Colonnes ignorées : %(columns)s.") % {"columns": ", ".join(extra)}
        )
    positions = {name: header.index(name) for name in COLUMNS}
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            report.errors.append(
                LineError(
                    start,
                    ngettext(
                        "%(found)d colonne au lieu de %(expected)d : vérifiez les séparateurs "
                        "et les guillemets.",
                        "%(found)d colonnes au lieu de %(expected)d : vérifiez les séparateurs "
                        "et les guillemets.",
                        len(cells),
                    )
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        yield start, {name: cells[index].strip() for name, index in positions.items()}


_MAX_LENGTHS = {
    name: Resident._meta.get_field(name).max_length  # type: ignore[union-attr]
    for name in IMPORTED_FIELDS
    if name != "birth_date"
}


def parse_date(value: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    return None


def clean_row(cells: dict[str, str], today: datetime.date) -> tuple[dict[str, object], str]:
    """Return the resident fields of one line, or ("", reason) when the line is invalid."""
    values: dict[str, object] = {}
    for column, name in FIELD_OF_COLUMN.items():
        value = " ".join(cells[column].split())
        if name != "birth_date" and len(value) > (_MAX_LENGTHS[name] or 0):
            return {}, _("%(column)s dépasse %(max)d caractères.") % {
                "column": column,
                "max": _MAX_LENGTHS[name],
            }
        values[name] = value
    if not values["external_id"]:
        return {}, _("external_id est vide : chaque ligne doit avoir un identifiant externe.")
    if not values["usage_name"]:
        return {}, _("last_name est vide : le nom est obligatoire.")
    if not values["first_names"]:
        return {}, _("first_name est vide : le prénom est obligatoire.")
    raw_date = str(values["birth_date"])
    if raw_date:
        birth_date = parse_date(raw_date)
        if birth_date is None:
            return {}, _(
                "date de naissance « %(value)s » invalide : utilisez AAAA-MM-JJ ou JJ/MM/AAAA."
            ) % {"value": raw_date}
        if birth_date > today:
            return {}, _("date de naissance « %(value)s » dans le futur.") % {"value": raw_date}
        values["birth_date"] = birth_date
    else:
        values["birth_date"] = None
    if values["email"]:
        email = normalize_email(str(values["email"]))
        try:
            validate_email(email)
        except ValidationError:
            return {}, _("adresse électronique « %(value)s » invalide.") % {
                "value": values["email"]
            }
        values["email"] = email
    if values["phone"]:
        try:
            values["phone"] = to_e164(str(values["phone"]))
        except InvalidPhoneNumber:
            return {}, _(
                "numéro de téléphone « %(value)s » invalide : utilisez un numéro français "
                "(06 12 34 56 78) ou international (+44 20 7946 0958)."
            ) % {"value": values["phone"]}
    return values, ""


def import_residents(
    path: Path,
    *,
    actor: User | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the CSV file at ``path``; raise ImportFileError if it cannot be read at all.

    ``on_progress`` is called with the number of lines handled after each batch.
    """
    report = ImportReport()
    text = read_text(path)
    today = timezone.localdate()
    seen: dict[str, int] = {}
    batch: list[_Row] = []
    handled = 0
    for line, cells in parse_rows(text, report):
        values, problem = clean_row(cells, today)
        if not problem:
            external_id = str(values["external_id"])
            if external_id in seen:
                problem = _(
                    "external_id « %(value)s » figure déjà ligne %(line)d : une seule ligne par "
                    "usager."
                ) % {"value": external_id, "line": seen[external_id]}
            else:
                seen[external_id] = line
        if problem:
            report.errors.append(LineError(line, problem))
        else:
            batch.append(_Row(line, values))
        handled += 1
        if len(batch) >= batch_size:
            _import_batch(batch, report, actor)
            batch = []
            if on_progress:
                on_progress(handled)
    if batch:
        _import_batch(batch, report, actor)
    if on_progress:
        on_progress(handled)
    report.errors.sort(key=lambda error: error.line)
    return report


@transaction.atomic
def _import_batch(batch: list[_Row], report: ImportReport, actor: User | None) -> None:
    existing = {
        resident.external_id: resident
        for resident in Resident.objects.filter(
            external_id__in=[row.values["external_id"] for row in batch]
        ).only("id", *IMPORTED_FIELDS, *SEARCH_COLUMNS)
    }
    now = timezone.now()
    to_create: list[Resident] = []
    to_update: list[Resident] = []
    history: list[ResidentChange] = []
    changes_of: dict[int, dict[str, list[object]]] = {}
    for row in batch:
        resident = existing.get(str(row.values["external_id"]))
        if resident is None:
            resident = Resident(**row.values, created_at=now, updated_at=now)
            _set_search_fields(resident)
            to_create.append(resident)
            continue
        changes: dict[str, list[object]] = {}
        for name, value in row.values.items():
            # An empty cell never erases what the file holds (a phone given at the counter…).
            if value in ("", None):
                continue
            old = getattr(resident, name)
            if old != value:
                changes[name] = [json_value(old), json_value(value)]
                setattr(resident, name, value)
        if not changes:
            report.unchanged += 1
            continue
        if any(name in NAME_FIELDS for name in changes):
            _set_search_fields(resident)
        to_update.append(resident)
        changes_of[resident.pk] = changes
    # SQLite (3.35+) and PostgreSQL both return the new ids, needed for the history rows.
    Resident.objects.bulk_create(to_create)
    for resident in to_update:
        # One UPDATE of the changed columns per file: much faster than bulk_update's CASE
        # expressions over every column, and it leaves the other columns alone.
        names = list(changes_of[resident.pk])
        if any(name in NAME_FIELDS for name in names):
            names += SEARCH_COLUMNS
        Resident.objects.filter(pk=resident.pk).update(
            updated_at=now, **{name: getattr(resident, name) for name in names}
        )
    for resident in to_create:
        history.append(
            ResidentChange(
                resident=resident,
                kind=ResidentChange.Kind.IMPORTED,
                actor=actor,
                # The values themselves are on the new row; the history says where it came from.
                changes={"external_id": [None, resident.external_id]},
                created_at=now,
            )
        )
    for resident in to_update:
        history.append(
            ResidentChange(
                resident=resident,
                kind=ResidentChange.Kind.IMPORTED,
                actor=actor,
                changes=changes_of[resident.pk],
                created_at=now,
            )
        )
    ResidentChange.objects.bulk_create(history)
    renamed = [r for r in to_update if any(name in NAME_FIELDS for name in changes_of[r.pk])]
    remember_names((r.first_names, r.usage_name, r.birth_name) for r in to_create + renamed)
    report.created += len(to_create)
    report.updated += len(to_update)


def _set_search_fields(resident: Resident) -> None:
    for name, value in search_fields(
        resident.first_names, resident.usage_name, resident.birth_name
    ).items():
        setattr(resident, name, value)
