"""Load the catalogue's YAML files (departments, life events, procedures, articles, vocabulary).

Loading is idempotent: rows are matched by slug, created or updated, and nothing is written for
content that did not change. A procedure, an article or a vocabulary entry edited by an agent
since it was last loaded keeps the agent's version unless ``overwrite_local_edits`` is set.
Invalid entries are reported, with the file and the reason, and skipped; valid ones are loaded.

The file formats are described in docs/catalogue.md.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext_lazy

from guichet.catalogue import actions
from guichet.catalogue.choices import RevisionSource
from guichet.catalogue.models import Article, ContentRevision, LifeEvent, Procedure
from guichet.catalogue.vocabulary_file import load_vocabulary_file
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, User

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"
SLUG_MAX_LENGTH = 50
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IMPORT = RevisionSource.IMPORT

# The load summary, per kind: its name, then its created, updated and unchanged counts. French
# participles agree with the kind's gender, so each kind has its own texts (context: the kind).
_SUMMARY_TEXTS = {
    "departments": (
        gettext_lazy("services"),
        npgettext_lazy("services", "%(count)d créé", "%(count)d créés", "count"),
        npgettext_lazy("services", "%(count)d mis à jour", "%(count)d mis à jour", "count"),
        npgettext_lazy("services", "%(count)d inchangé", "%(count)d inchangés", "count"),
    ),
    "life_events": (
        gettext_lazy("événements de vie"),
        npgettext_lazy("événements de vie", "%(count)d créé", "%(count)d créés", "count"),
        npgettext_lazy(
            "événements de vie", "%(count)d mis à jour", "%(count)d mis à jour", "count"
        ),
        npgettext_lazy("événements de vie", "%(count)d inchangé", "%(count)d inchangés", "count"),
    ),
    "procedures": (
        gettext_lazy("démarches"),
        npgettext_lazy("démarches", "%(count)d créée", "%(count)d créées", "count"),
        npgettext_lazy("démarches", "%(count)d mise à jour", "%(count)d mises à jour", "count"),
        npgettext_lazy("démarches", "%(count)d inchangée", "%(count)d inchangées", "count"),
    ),
    "articles": (
        gettext_lazy("fiches réflexes"),
        npgettext_lazy("fiches réflexes", "%(count)d créée", "%(count)d créées", "count"),
        npgettext_lazy(
            "fiches réflexes", "%(count)d mise à jour", "%(count)d mises à jour", "count"
        ),
        npgettext_lazy("fiches réflexes", "%(count)d inchangée", "%(count)d inchangées", "count"),
    ),
    "vocabulary": (
        gettext_lazy("vocabulaire"),
        npgettext_lazy(
            "vocabulaire", "%(count)d entrée créée", "%(count)d entrées créées", "count"
        ),
        npgettext_lazy("vocabulaire", "%(count)d mise à jour", "%(count)d mises à jour", "count"),
        npgettext_lazy("vocabulaire", "%(count)d inchangée", "%(count)d inchangées", "count"),
    ),
}


@dataclass(frozen=True)
class LoadError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class LoadReport:
    """What a load did, by kind ("departments", "life_events", "procedures", "articles",
    "vocabulary"); only shipped vocabulary entries that left the file are ever deleted."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    kept_local_edits: list[str] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [
            _("%(kind)s : %(created)s, %(updated)s, %(unchanged)s")
            % {
                "kind": label,
                "created": created % {"count": self.created[kind]},
                "updated": updated % {"count": self.updated[kind]},
                "unchanged": unchanged % {"count": self.unchanged[kind]},
            }
            for kind, (label, created, updated, unchanged) in _SUMMARY_TEXTS.items()
        ]
        if self.deleted["vocabulary"]:
            count = self.deleted["vocabulary"]
            lines.append(
                ngettext(
                    "Vocabulaire : %(count)d entrée retirée du fichier supprimée",
                    "Vocabulaire : %(count)d entrées retirées du fichier supprimées",
                    count,
                )
                % {"count": count}
            )
        if self.kept_local_edits:
            lines.append(
                _("Modifications des agents conservées (non écrasées) : %(slugs)s")
                % {"slugs": ", ".join(self.kept_local_edits)}
            )
        if self.errors:
            count = len(self.errors)
            lines.append(
                ngettext("%(count)d erreur :", "%(count)d erreurs :", count) % {"count": count}
            )
            lines.extend(f"  {error}" for error in self.errors)
        return "\n".join(lines)


class InvalidEntry(Exception):
    """An entry of a content file that cannot be loaded; the message says why, in French."""


# Field validators: each returns the cleaned value or raises InvalidEntry.


def _text(name: str, value: Any, *, required: bool, max_length: int | None = None) -> str:
    if value is None:
        if required:
            raise InvalidEntry(_("le champ « %(name)s » est obligatoire") % {"name": name})
        return ""
    if not isinstance(value, str):
        raise InvalidEntry(
            _("le champ « %(name)s » doit être un texte (mettez-le entre guillemets)")
            % {"name": name}
        )
    value = value.strip()
    if required and not value:
        raise InvalidEntry(_("le champ « %(name)s » est vide") % {"name": name})
    if max_length is not None and len(value) > max_length:
        raise InvalidEntry(
            _("le champ « %(name)s » dépasse %(max)d caractères (%(length)d)")
            % {"name": name, "max": max_length, "length": len(value)}
        )
    return value


def _flag(name: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidEntry(_("le champ « %(name)s » doit valoir true ou false") % {"name": name})
    return value


def _text_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidEntry(
            _("le champ « %(name)s » doit être une liste (une ligne « - » par élément)")
            % {"name": name}
        )
    items = []
    for item in value:
        # YAML reads 3949 as a number: accept it as text. It reads yes/no/on/off as booleans:
        # those must be quoted.
        if isinstance(item, int | float) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            raise InvalidEntry(
                _("le champ « %(name)s » contient un élément qui n'est pas un texte : %(item)r")
                % {"name": name, "item": item}
            )
        items.append(item.strip())
    return items


def _slug(name: str, value: Any) -> str:
    text = _text(name, value, required=True, max_length=SLUG_MAX_LENGTH)
    if not all(c.isascii() and (c.isalnum() or c == "-") for c in text) or text != text.lower():
        raise InvalidEntry(
            _("« %(value)s » n'est pas un identifiant valide (minuscules, chiffres et tirets)")
            % {"value": text}
        )
    return text


def _date(name: str, value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidEntry(_("le champ « %(name)s » doit être une date AAAA-MM-JJ") % {"name": name})


def _days(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
        raise InvalidEntry(
            _("le champ « %(name)s » doit être un nombre de jours ouvrés entre 0 et 365, ou null")
            % {"name": name}
        )
    return value


def _check_keys(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidEntry(
            ngettext(
                "champ inconnu : %(names)s (champs possibles : %(allowed)s)",
                "champs inconnus : %(names)s (champs possibles : %(allowed)s)",
                len(unknown),
            )
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )


def _slugs_of(name: str, value: Any, known: dict[str, Any], kind: str) -> list[Any]:
    objects = []
    for slug in _text_list(name, value):
        if slug not in known:
            raise InvalidEntry(
                _("le champ « %(name)s » cite « %(slug)s », qui n'est pas %(kind)s")
                % {"kind": kind, "name": name, "slug": slug}
            )
        objects.append(known[slug])
    return objects


class _Load:
    def __init__(self, content_dir: Path, actor: User | None, overwrite_local_edits: bool) -> None:
        self.dir = content_dir
        self.actor = actor
        self.overwrite = overwrite_local_edits
        self.report = LoadReport()

    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.dir))
        except ValueError:
            return str(path)

    def _error(self, path: Path, message: str) -> None:
        self.report.errors.append(LoadError(self._relative(path), message))

    def _read(self, path: Path) -> Any:
        try:
            with path.open(encoding="utf-8") as stream:
                return yaml.load(stream, Loader=_Loader)  # noqa: S506 - a safe loader
        except UnicodeDecodeError:
            self._error(path, _("le fichier n'est pas encodé en UTF-8"))
        except yaml.YAMLError as exc:
            self._error(path, _("YAML invalide : %(error)s") % {"error": exc})
        except OSError as exc:
            self._error(path, _("lecture impossible : %(error)s") % {"error": exc})
        return None

    def _list_file(self, name: str) -> list[tuple[Path, dict[str, Any]]]:
        path = self.dir / name
        if not path.exists():
            return []
        data = self._read(path)
        if data is None:
            return []
        if not isinstance(data, list):
            self._error(path, _("le fichier doit contenir une liste d'éléments (« - slug: … »)"))
            return []
        entries = []
        for position, entry in enumerate(data, start=1):
            if isinstance(entry, dict):
                entries.append((path, entry))
            else:
                message = _("l'élément n°%(n)d n'est pas un dictionnaire") % {"n": position}
                self._error(path, message)
        return entries

    def _dir_files(self, name: str) -> list[tuple[Path, dict[str, Any]]]:
        entries = []
        for path in sorted((self.dir / name).glob("*.yaml")):
            data = self._read(path)
            if data is None:
                continue
            if not isinstance(data, dict):
                self._error(path, _("le fichier doit décrire un seul élément (« slug: … »)"))
                continue
            entries.append((path, data))
        return entries

    def _entries(
        self,
        entries: list[tuple[Path, dict[str, Any]]],
        clean: Callable[[dict[str, Any]], dict[str, Any]],
        *,
        slug_from_file_name: bool,
    ) -> list[dict[str, Any]]:
        cleaned: list[dict[str, Any]] = []
        seen: dict[str, Path] = {}
        for path, data in entries:
            try:
                values = clean(data)
                if slug_from_file_name and values["slug"] != path.stem:
                    raise InvalidEntry(
                        _("le slug « %(slug)s » ne correspond pas au nom du fichier")
                        % {"slug": values["slug"]}
                    )
                if values["slug"] in seen:
                    raise InvalidEntry(
                        _("le slug « %(slug)s » est déjà utilisé dans %(other)s")
                        % {"slug": values["slug"], "other": self._relative(seen[values["slug"]])}
                    )
            except InvalidEntry as exc:
                slug = data.get("slug")
                in_list = not slug_from_file_name and isinstance(slug, str)
                self._error(path, f"{slug} : {exc}" if in_list else str(exc))
                continue
            seen[values["slug"]] = path
            cleaned.append(values)
        return cleaned

    # Departments and life events are reference data: they are simply kept in line with the files.

    def departments(self) -> None:
        def clean(data: dict[str, Any]) -> dict[str, Any]:
            _check_keys(data, {"slug", "name", "description", "confidential"})
            return {
                "slug": _slug("slug", data.get("slug")),
                "name": _text("name", data.get("name"), required=True, max_length=200),
                "description": _text("description", data.get("description"), required=False),
                "confidential": _flag("confidential", data.get("confidential"), False),
            }

        entries = self._entries(
            self._list_file("departments.yaml"), clean, slug_from_file_name=False
        )
        existing = Department.objects.in_bulk([e["slug"] for e in entries], field_name="slug")
        for values in entries:
            self._reference(Department, existing.get(values["slug"]), values, "departments")

    def life_events(self) -> None:
        def clean(data: dict[str, Any]) -> dict[str, Any]:
            _check_keys(data, {"slug", "title", "summary", "order"})
            order = data.get("order", 0)
            if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order < 32768:
                raise InvalidEntry(_("le champ « order » doit être un entier positif"))
            return {
                "slug": _slug("slug", data.get("slug")),
                "title": _text("title", data.get("title"), required=True, max_length=200),
                "summary": _text("summary", data.get("summary"), required=False, max_length=300),
                "order": order,
            }

        entries = self._entries(
            self._list_file("life_events.yaml"), clean, slug_from_file_name=False
        )
        existing = LifeEvent.objects.in_bulk([e["slug"] for e in entries], field_name="slug")
        for values in entries:
            self._reference(LifeEvent, existing.get(values["slug"]), values, "life_events")

    def _reference(
        self, model: type[Department] | type[LifeEvent], obj: Any, values: dict[str, Any], kind: str
    ) -> None:
        if obj is None:
            model.objects.create(**values)
            self.report.created[kind] += 1
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1

    def _locally_edited(self, model: type[Procedure] | type[Article]) -> set[int]:
        """Return the ids whose latest revision is an agent's edit rather than a load."""
        latest: dict[int, str] = {}
        revisions = ContentRevision.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).order_by("object_id", "-created_at", "-id")
        for object_id, source in revisions.values_list("object_id", "source"):
            latest.setdefault(object_id, source)
        return {pk for pk, source in latest.items() if source == RevisionSource.EDITOR}

    def procedures(self) -> None:
        departments = Department.objects.in_bulk(field_name="slug")
        life_events = LifeEvent.objects.in_bulk(field_name="slug")
        allowed = {
            "slug", "title", "summary", "department", "life_events", "handled_by_city",
            "orient_to", "channels", "appointment_required", "cost", "commitment_days",
            "who_can_ask", "documents", "body", "agent_note", "keywords", "review_before",
            "is_published",
        }  # fmt: skip

        def clean(data: dict[str, Any]) -> dict[str, Any]:
            _check_keys(data, allowed)
            channels = _text_list("channels", data.get("channels"))
            unknown = [c for c in channels if c not in Channel.values]
            if unknown:
                raise InvalidEntry(
                    _("canal inconnu : %(unknown)s (canaux possibles : %(known)s)")
                    % {"unknown": ", ".join(unknown), "known": ", ".join(Channel.values)}
                )
            department = _text("department", data.get("department"), required=True)
            if department not in departments:
                raise InvalidEntry(_("service inconnu : %(slug)s") % {"slug": department})
            events = _slugs_of(
                "life_events", data.get("life_events"), life_events, _("un événement de vie connu")
            )
            return {
                "slug": _slug("slug", data.get("slug")),
                "title": _text("title", data.get("title"), required=True, max_length=300),
                "summary": _text("summary", data.get("summary"), required=True, max_length=500),
                "body": _text("body", data.get("body"), required=True),
                "agent_note": _text("agent_note", data.get("agent_note"), required=False),
                "who_can_ask": _text("who_can_ask", data.get("who_can_ask"), required=False),
                "documents": _text_list("documents", data.get("documents")),
                "department": departments[department],
                "channels": channels,
                "appointment_required": _flag(
                    "appointment_required", data.get("appointment_required"), False
                ),
                "cost": _text("cost", data.get("cost"), required=False, max_length=300),
                "commitment_days": _days("commitment_days", data.get("commitment_days")),
                "handled_by_city": _flag("handled_by_city", data.get("handled_by_city"), True),
                "orient_to": _text("orient_to", data.get("orient_to"), required=False),
                "keywords": _text_list("keywords", data.get("keywords")),
                # A procedure for any situation (a general question) lists no life event.
                "life_events": events or list(life_events.values()),
                "is_published": _flag("is_published", data.get("is_published"), True),
                "review_before": _date("review_before", data.get("review_before")),
            }

        entries = self._entries(self._dir_files("procedures"), clean, slug_from_file_name=True)
        existing = Procedure.objects.prefetch_related("life_events").in_bulk(
            [e["slug"] for e in entries], field_name="slug"
        )
        self._content(Procedure, entries, existing, "procedures")

    def articles(self) -> None:
        departments = Department.objects.in_bulk(field_name="slug")
        procedures = Procedure.objects.in_bulk(field_name="slug")
        allowed = {
            "slug", "title", "summary", "department", "procedures", "keywords", "body",
            "review_before", "is_published",
        }  # fmt: skip

        def clean(data: dict[str, Any]) -> dict[str, Any]:
            _check_keys(data, allowed)
            department = _text("department", data.get("department"), required=False)
            if department and department not in departments:
                raise InvalidEntry(_("service inconnu : %(slug)s") % {"slug": department})
            return {
                "slug": _slug("slug", data.get("slug")),
                "title": _text("title", data.get("title"), required=True, max_length=300),
                "summary": _text("summary", data.get("summary"), required=False, max_length=500),
                "body": _text("body", data.get("body"), required=True),
                "department": departments[department] if department else None,
                "procedures": _slugs_of(
                    "procedures", data.get("procedures"), procedures, _("une démarche connue")
                ),
                "keywords": _text_list("keywords", data.get("keywords")),
                "is_published": _flag("is_published", data.get("is_published"), True),
                "review_before": _date("review_before", data.get("review_before")),
            }

        entries = self._entries(self._dir_files("articles"), clean, slug_from_file_name=True)
        existing = Article.objects.prefetch_related("procedures").in_bulk(
            [e["slug"] for e in entries], field_name="slug"
        )
        self._content(Article, entries, existing, "articles")

    def _content(
        self,
        model: type[Procedure] | type[Article],
        entries: list[dict[str, Any]],
        existing: dict[str, Any],
        kind: str,
    ) -> None:
        edited = self._locally_edited(model)
        comment = _("Chargé depuis les fichiers du catalogue")
        for values in entries:
            slug = values.pop("slug")
            obj = existing.get(slug)
            if obj is None:
                if values["review_before"] is None:
                    values["review_before"] = actions.default_review_date()
                values = {"slug": slug, **values}
                if model is Procedure:
                    actions.create_procedure(
                        actor=self.actor, values=values, comment=comment, source=_IMPORT
                    )
                else:
                    actions.create_article(
                        actor=self.actor, values=values, comment=comment, source=_IMPORT
                    )
                self.report.created[kind] += 1
                continue
            if values["review_before"] is None:
                del values["review_before"]
            if not actions.changed_fields(obj, values):
                self.report.unchanged[kind] += 1
                continue
            if obj.pk in edited and not self.overwrite:
                self.report.kept_local_edits.append(slug)
                continue
            # Content refreshed from the files counts as reviewed, unless they set a date.
            values.setdefault("review_before", actions.default_review_date())
            if isinstance(obj, Procedure):
                actions.update_procedure(
                    obj, actor=self.actor, changes=values, comment=comment, source=_IMPORT
                )
            else:
                actions.update_article(
                    obj, actor=self.actor, changes=values, comment=comment, source=_IMPORT
                )
            self.report.updated[kind] += 1

    def vocabulary(self) -> None:
        path = self.dir / "vocabulary.yaml"
        if not path.exists():
            return
        data = self._read(path)
        if data is None:
            return
        result = load_vocabulary_file(data, actor=self.actor, overwrite_local_edits=self.overwrite)
        self.report.created["vocabulary"] += result.created
        self.report.updated["vocabulary"] += result.updated
        self.report.unchanged["vocabulary"] += result.unchanged
        self.report.deleted["vocabulary"] += result.deleted
        self.report.kept_local_edits.extend(result.kept_local_edits)
        for message in result.errors:
            self._error(path, message)


def load_catalogue(
    content_dir: Path | None = None,
    *,
    actor: User | None = None,
    overwrite_local_edits: bool = False,
) -> LoadReport:
    """Load the catalogue from ``content_dir`` (the shipped content by default)."""
    directory = Path(content_dir) if content_dir is not None else DEFAULT_CONTENT_DIR
    load = _Load(directory, actor, overwrite_local_edits)
    if not directory.is_dir():
        load.report.errors.append(
            LoadError(str(directory), _("ce dossier de contenu n'existe pas"))
        )
        return load.report
    with transaction.atomic():
        load.departments()
        load.life_events()
        load.procedures()
        load.articles()
        load.vocabulary()
    return load.report
