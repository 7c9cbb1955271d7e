"""What a merge of two resident files moves, keeps and fills — found generically.

Every relation pointing at ``Resident`` is discovered through ``Resident._meta`` (its reverse
relations, hidden ones included), so the rows of apps built on top of residents (contacts, cases,
appointments…) move with the file without this app importing them. Only the relations listed in
``KEPT_ON_SOURCE`` stay behind.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import models
from django.db.models import ForeignObjectRel, ManyToManyRel
from django.utils.translation import gettext_lazy as _

from guichet.residents.models import Resident

# Rows that record what happened to the source file itself stay on it: the access log (who
# opened that file), its own history, and the merge traces.
KEPT_ON_SOURCE = frozenset(
    {"audit.accesslog", "residents.residentchange", "residents.residentmerge"}
)
# Relations where a row that would duplicate one of the target's is deleted rather than kept on
# the source: being twice in the same household means nothing.
DROP_DUPLICATES = frozenset({"residents.householdmember"})
# Names for relations whose model name alone would not say what they are.
RELATION_NAMES = {"residents.resident.merged_into": _("fiches fusionnées auparavant dans celle-ci")}

# Fields copied from the source when the target's is empty.
FILLABLE_FIELDS = (
    "civility",
    "birth_name",
    "birth_date",
    "birth_place",
    "email",
    "phone",
    "preferred_channel",
    "digital_autonomy",
    "external_id",
    "user",
)
# Filled together or not at all, so an address never mixes two homes.
ADDRESS_FIELDS = ("address", "postal_code", "city")
# Accessibility needs known on either file are kept (never less care than before).
NEED_FIELDS = ("needs_hearing", "needs_sight", "needs_mobility", "needs_interpreter")
# Unique columns: the source must let go of them before the target takes them.
UNIQUE_FIELDS = frozenset({"external_id", "user"})
_SEARCH_COLUMNS = frozenset(
    f.name for f in Resident._meta.concrete_fields if f.name.startswith(("search_", "phonetic_"))
)


class MergeNotAllowed(Exception):
    """The two files cannot be merged; the message says why, in words for agents."""


@dataclass(frozen=True)
class Relation:
    """One kind of row attached to a resident: ``model.fk_name`` points at the resident."""

    label: str
    model: type[models.Model]
    fk_name: str
    verbose_name: str
    kept_on_source: bool
    drop_duplicates: bool


@dataclass
class MoveResult:
    moved: dict[str, int] = field(default_factory=dict)
    moved_ids: dict[str, list[object]] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MergePreview:
    """What a merge would do, for the confirmation page."""

    moving: list[tuple[str, int]]
    staying: list[tuple[str, int]]
    removed: list[tuple[str, int]]
    filled_fields: list[str]


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """Return the model's own field called ``name`` (not a reverse relation)."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return model_field


def check_can_merge(source: Resident, target: Resident) -> None:
    """Raise MergeNotAllowed unless ``source`` may be folded into ``target``."""
    if source.pk == target.pk:
        raise MergeNotAllowed(_("Une fiche ne peut pas être fusionnée avec elle-même."))
    if not source.is_active or not target.is_active:
        raise MergeNotAllowed(
            _("Une des deux fiches a déjà été fusionnée ou désactivée : rouvrez la fiche à jour.")
        )


def relations() -> list[Relation]:
    """Return every relation pointing at Resident, as found in the loaded apps."""
    found = []
    # include_hidden: foreign keys declared with related_name="+" (the access log…) count too.
    for rel in Resident._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel):
            continue
        owner = rel.related_model
        assert isinstance(owner, type) and issubclass(owner, models.Model)
        if owner._meta.auto_created:
            continue  # the hidden side of a many-to-many table, handled through its field
        label = f"{owner._meta.label_lower}.{rel.field.name}"
        model: type[models.Model]
        if isinstance(rel, ManyToManyRel):
            assert isinstance(rel.field, models.ManyToManyField) and rel.through is not None
            model, fk_name = rel.through, rel.field.m2m_reverse_field_name()
        else:
            model, fk_name = owner, rel.field.name
        found.append(
            Relation(
                label=label,
                model=model,
                fk_name=fk_name,
                verbose_name=str(RELATION_NAMES.get(label, owner._meta.verbose_name_plural)),
                kept_on_source=owner._meta.label_lower in KEPT_ON_SOURCE,
                drop_duplicates=owner._meta.label_lower in DROP_DUPLICATES,
            )
        )
    return found


def _unique_sets(model: type[models.Model], fk_name: str) -> list[tuple[str, ...]]:
    """Return the unique field sets that include the foreign key (rows may collide on them)."""
    sets: list[tuple[str, ...]] = []
    if concrete_field(model, fk_name).unique:
        sets.append((fk_name,))
    sets += [tuple(names) for names in model._meta.unique_together if fk_name in names]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and fk_name in constraint.fields
    ]
    return sets


def _collides(
    relation: Relation, row: models.Model, target: Resident, unique_sets: list[tuple[str, ...]]
) -> bool:
    manager = relation.model._base_manager
    for names in unique_sets:
        lookup: dict[str, object] = {relation.fk_name: target}
        for name in names:
            if name != relation.fk_name:
                attname = concrete_field(relation.model, name).attname
                lookup[attname] = getattr(row, attname)
        if manager.filter(**lookup).exclude(pk=row.pk).exists():
            return True
    return False


def move_related(*, source: Resident, target: Resident, dry_run: bool = False) -> MoveResult:
    """Re-point every row attached to ``source`` at ``target`` (only count them if dry_run)."""
    result = MoveResult()
    for relation in relations():
        manager = relation.model._base_manager
        rows = manager.filter(**{relation.fk_name: source})
        if relation.kept_on_source:
            count = rows.count()
            if count:
                result.kept[relation.label] = count
            continue
        unique_sets = _unique_sets(relation.model, relation.fk_name)
        if not unique_sets:
            ids = list(rows.values_list("pk", flat=True))
            if ids and not dry_run:
                manager.filter(pk__in=ids).update(**{relation.fk_name: target})
            moved_ids = ids
        else:
            moved_ids = []
            for row in rows:
                if _collides(relation, row, target, unique_sets):
                    bucket = result.removed if relation.drop_duplicates else result.kept
                    bucket[relation.label] = bucket.get(relation.label, 0) + 1
                    if relation.drop_duplicates and not dry_run:
                        row.delete()
                    continue
                if not dry_run:
                    manager.filter(pk=row.pk).update(**{relation.fk_name: target})
                moved_ids.append(row.pk)
        if moved_ids:
            result.moved[relation.label] = len(moved_ids)
            result.moved_ids[relation.label] = [_json_pk(pk) for pk in moved_ids]
    return result


def _json_pk(pk: object) -> object:
    return str(pk) if isinstance(pk, uuid.UUID) else pk


def _is_empty(value: object) -> bool:
    return value in ("", None)


def fillable_fields(*, source: Resident, target: Resident) -> list[str]:
    """Return the target's fields to fill from the source (empty on target, set on source)."""
    filled = []
    for name in FILLABLE_FIELDS:
        attname = concrete_field(Resident, name).attname
        if _is_empty(getattr(target, attname)) and not _is_empty(getattr(source, attname)):
            filled.append(name)
    if all(_is_empty(getattr(target, name)) for name in ADDRESS_FIELDS) and any(
        not _is_empty(getattr(source, name)) for name in ADDRESS_FIELDS
    ):
        filled += list(ADDRESS_FIELDS)
    filled += [name for name in NEED_FIELDS if getattr(source, name) and not getattr(target, name)]
    return filled


def snapshot(resident: Resident) -> dict[str, object]:
    """Return the file's fields and household memberships, as stored in the merge trace."""
    data: dict[str, object] = {}
    for model_field in Resident._meta.concrete_fields:
        if model_field.name in _SEARCH_COLUMNS:
            continue
        value = getattr(resident, model_field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif isinstance(value, uuid.UUID):
            value = str(value)
        data[model_field.name] = value
    data["household_memberships"] = [
        {"household": str(uuid_), "relation": relation}
        for uuid_, relation in resident.memberships.values_list("household__uuid", "relation")
    ]
    return data


def preview(*, source: Resident, target: Resident) -> MergePreview:
    """Return what merging ``source`` into ``target`` would move, keep, remove and fill."""
    result = move_related(source=source, target=target, dry_run=True)
    names = {relation.label: relation.verbose_name for relation in relations()}

    def named(counts: dict[str, int]) -> list[tuple[str, int]]:
        return [(names[label], count) for label, count in counts.items()]

    return MergePreview(
        moving=named(result.moved),
        staying=named(result.kept),
        removed=named(result.removed),
        filled_fields=[
            str(concrete_field(Resident, name).verbose_name)
            for name in fillable_fields(source=source, target=target)
        ],
    )
