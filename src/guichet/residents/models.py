from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.organisation.choices import Channel
from guichet.residents.choices import (
    Civility,
    DigitalAutonomy,
    DocumentKind,
    Language,
    Relation,
)


class ResidentQuerySet(models.QuerySet["Resident"]):
    def active(self) -> ResidentQuerySet:
        return self.filter(is_active=True)

    def with_page_relations(self) -> ResidentQuerySet:
        """Prefetch what the identity, household and document partials display."""
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=HouseholdMember.objects.select_related("household").prefetch_related(
                    models.Prefetch(
                        "household__members",
                        queryset=HouseholdMember.objects.select_related("resident"),
                    )
                ),
            ),
            models.Prefetch("documents", queryset=Document.objects.select_related("verified_by")),
        )


class Resident(models.Model):
    """A usager: one file per person, whatever channel or site they use."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(
        _("identifiant externe"), max_length=100, unique=True, null=True, blank=True
    )
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200)
    usage_name = models.CharField(_("nom d'usage"), max_length=200)
    birth_name = models.CharField(_("nom de naissance"), max_length=200, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=200, blank=True)
    # db_index (rather than Meta.indexes) also gives PostgreSQL the pattern index that the
    # search's prefix lookups ("helene@") use.
    email = models.EmailField(_("courriel"), blank=True, db_index=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, help_text=_("Format E.164"))
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    preferred_channel = models.CharField(
        _("canal préféré"), max_length=10, choices=Channel.choices, blank=True
    )
    preferred_language = models.CharField(
        _("langue préférée"), max_length=5, choices=Language.choices, default=Language.FRENCH
    )
    needs_hearing = models.BooleanField(_("besoin lié à l'audition"), default=False)
    needs_sight = models.BooleanField(_("besoin lié à la vue"), default=False)
    needs_mobility = models.BooleanField(_("mobilité réduite"), default=False)
    needs_interpreter = models.BooleanField(_("interprète nécessaire"), default=False)
    digital_autonomy = models.CharField(
        _("autonomie numérique"), max_length=20, choices=DigitalAutonomy.choices, blank=True
    )
    consent_email = models.BooleanField(_("accepte d'être contacté par courriel"), default=False)
    consent_sms = models.BooleanField(_("accepte d'être contacté par SMS"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("compte en ligne"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Normalised (lower-case, unaccented) copies kept by the actions, for fast indexed search
    # (see names.search_fields). The "tail" columns hold the last word of a compound usage name
    # ("martin dupont" -> "dupont", "de la fontaine" -> "fontaine") so it can be found by it too;
    # the "head" ones the first word of the usage name and of the first names.
    search_last = models.CharField(max_length=200, editable=False, default="", db_index=True)
    search_last_head = models.CharField(max_length=200, editable=False, default="")
    search_last_tail = models.CharField(max_length=200, editable=False, default="", db_index=True)
    search_birth = models.CharField(max_length=200, editable=False, default="", db_index=True)
    search_first = models.CharField(max_length=200, editable=False, default="", db_index=True)
    search_first_head = models.CharField(max_length=200, editable=False, default="")
    phonetic_last = models.CharField(max_length=50, editable=False, default="", db_index=True)
    phonetic_last_tail = models.CharField(max_length=50, editable=False, default="", db_index=True)
    phonetic_birth = models.CharField(max_length=50, editable=False, default="", db_index=True)
    phonetic_first = models.CharField(max_length=50, editable=False, default="", db_index=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["usage_name", "first_names"]
        verbose_name = _("usager")
        indexes = [
            models.Index(fields=["birth_date"]),
            models.Index(fields=["phone"]),
            # A first name and a last name looked up together (names.search_fields): each
            # pair of typed words is an equality lookup, however common each name alone. Few
            # files have a compound last name or a birth name: those indexes hold only them.
            models.Index(fields=["search_first_head", "search_last_head"]),
            models.Index(
                fields=["search_last_tail", "search_first_head"],
                condition=~models.Q(search_last_tail=""),
                name="resident_tail_first_idx",
            ),
            models.Index(
                fields=["search_birth", "search_first_head"],
                condition=~models.Q(search_birth=""),
                name="resident_birth_first_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("backoffice:resident", args=[self.uuid])

    @property
    def display_name(self) -> str:
        name = f"{self.usage_name.upper()} {self.first_names}".strip()
        if self.birth_name and self.birth_name.lower() != self.usage_name.lower():
            if self.civility == Civility.MADAME:
                return gettext("%(name)s (née %(birth_name)s)") % {
                    "name": name,
                    "birth_name": self.birth_name.upper(),
                }
            return gettext("%(name)s (né %(birth_name)s)") % {
                "name": name,
                "birth_name": self.birth_name.upper(),
            }
        return name


class NameKey(models.Model):
    """One key of the dictionary of residents' names, for lookups that forgive typos.

    Every name term (a word, or a name of several words) known from a resident file is stored
    under its SymSpell keys (``names.fuzzy_keys``): a typed word finds the names within one or
    two edits by equality on ``key``. Terms point to no file: residents are then found by their
    own search columns.
    """

    key = models.CharField(max_length=200)
    term = models.CharField(max_length=200)

    class Meta:
        constraints = [
            # Its index also serves the lookups by key.
            models.UniqueConstraint(fields=["key", "term"], name="name_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.term}"


class Household(models.Model):
    """A foyer: people living together; a child may belong to two households."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nom du foyer"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("foyer")

    def __str__(self) -> str:
        return self.name


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("lien"), max_length=10, choices=Relation.choices)
    joined_at = models.DateField(_("depuis le"), default=timezone.localdate)

    class Meta:
        ordering = ["household", "relation", "resident__birth_date"]
        verbose_name = _("membre du foyer")
        constraints = [
            models.UniqueConstraint(fields=["household", "resident"], name="household_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.household}"


def document_upload_to(instance: Document, filename: str) -> str:
    # Never keep the resident's file name in the path: it may hold personal data.
    return f"documents/{instance.resident.uuid}/{instance.uuid}"


class Document(models.Model):
    """A pièce justificative, stored once and reused for later requests while valid."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type de pièce"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifiée par"),
    )
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pièce justificative")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.resident}"

    @property
    def is_valid(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()


class ResidentMerge(models.Model):
    """The trace of a merge: which duplicate was folded into which file, by whom, what moved."""

    target = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="merges_received")
    source = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="merges_given")
    # The source's fields as they were just before the merge.
    source_snapshot = models.JSONField(default=dict)
    # How many rows of each relation ("contacts.contact.resident") moved to the target…
    moved = models.JSONField(default=dict)
    # …which ones (primary keys), so other apps can tell what arrived by this merge…
    moved_ids = models.JSONField(default=dict)
    # …how many stayed on the source (access log, its history)…
    kept = models.JSONField(default=dict)
    # …and how many were deleted as duplicates (a household both files belonged to).
    removed = models.JSONField(default=dict)
    # The target's fields that were empty and were filled from the source.
    filled_fields = models.JSONField(default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class ResidentChange(models.Model):
    """One change to a resident's file: who, on which channel, which fields from what to what."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Fiche créée")
        UPDATED = "updated", _("Fiche modifiée")
        IMPORTED = "imported", _("Fiche importée")
        HOUSEHOLD_JOINED = "household_joined", _("Ajout à un foyer")
        HOUSEHOLD_LEFT = "household_left", _("Départ d'un foyer")
        DOCUMENT_ADDED = "document_added", _("Pièce ajoutée")
        DOCUMENT_VERIFIED = "document_verified", _("Pièce vérifiée")
        MERGED = "merged", _("Doublon fusionné")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    # Blank when nobody stood in front of the resident (import, command line).
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, blank=True)
    # {"field": [old, new]} with JSON-friendly values (dates as ISO strings).
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("modification d'une fiche usager")
        indexes = [models.Index(fields=["resident", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.resident_id}"
