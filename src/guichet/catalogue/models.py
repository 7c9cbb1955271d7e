from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.choices import (
    RevisionSource,
    SearchSurface,
    VocabularyChange,
    VocabularyKind,
    VocabularySource,
)
from guichet.organisation.models import Department


class LifeEvent(models.Model):
    """An event of life (birth, moving house…) under which procedures are grouped for residents."""

    slug = models.SlugField(_("identifiant"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("événement de vie")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:life_event", args=[self.slug])


class ReviewedContent(models.Model):
    """Fields shared by editable content: who changed it last and when it must be reviewed."""

    review_before = models.DateField(
        _("à revoir avant le"),
        null=True,
        blank=True,
        help_text=_("Après cette date, le contenu est signalé comme à vérifier."),
    )
    # Indexed: search reads the latest change on every query (search_backends.catalogue_state).
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )
    search_document = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def is_stale(self) -> bool:
        return self.review_before is not None and self.review_before < timezone.localdate()

    def review_due_within(self, days: int) -> bool:
        if self.review_before is None:
            return False
        return self.review_before <= timezone.localdate() + datetime.timedelta(days=days)


class Procedure(ReviewedContent):
    """A démarche: what a resident can ask the city (or be oriented for)."""

    slug = models.SlugField(_("identifiant"), unique=True)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.CharField(_("résumé"), max_length=500)
    body = models.TextField(_("présentation pour l'usager"))
    agent_note = models.TextField(_("note pour les agents"), blank=True)
    who_can_ask = models.TextField(_("qui peut faire la demande"), blank=True)
    documents = models.JSONField(_("pièces à fournir"), default=list, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("service")
    )
    channels = models.JSONField(_("canaux"), default=list, blank=True)
    appointment_required = models.BooleanField(_("sur rendez-vous"), default=False)
    cost = models.CharField(_("coût"), max_length=300, blank=True)
    commitment_days = models.PositiveSmallIntegerField(
        _("délai d'engagement (jours ouvrés)"), null=True, blank=True
    )
    handled_by_city = models.BooleanField(_("traitée par la ville"), default=True)
    orient_to = models.TextField(_("orientation"), blank=True)
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)
    life_events = models.ManyToManyField(
        LifeEvent, blank=True, related_name="procedures", verbose_name=_("événements de vie")
    )
    is_published = models.BooleanField(_("publiée"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("démarche")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:procedure", args=[self.slug])


class Article(ReviewedContent):
    """A fiche réflexe of the agents' knowledge base."""

    slug = models.SlugField(_("identifiant"), unique=True)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.CharField(_("résumé"), max_length=500, blank=True)
    body = models.TextField(_("contenu"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("service"),
    )
    procedures = models.ManyToManyField(
        Procedure, blank=True, related_name="articles", verbose_name=_("démarches liées")
    )
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)
    is_published = models.BooleanField(_("publiée"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("fiche réflexe")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:article", args=[self.slug])


class ContentRevision(models.Model):
    """One saved edit of a procedure or an article: who changed which fields, and the result."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_fields = models.JSONField(default=list)
    snapshot = models.JSONField(default=dict)
    comment = models.CharField(max_length=300, blank=True)
    source = models.CharField(
        max_length=10, choices=RevisionSource.choices, default=RevisionSource.EDITOR
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.content_type} #{self.object_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class VocabularyEntry(models.Model):
    """Words of the public service: synonyms, residents' own words, words evoking a life event.

    - an **equivalent** group: ``terms`` all mean the same thing ("CNI", "carte d'identité");
    - an **expansion**: the one term in ``terms`` means ``means`` ("nounou" → "assistante
      maternelle") and may point to ``procedures`` and knowledge ``articles`` directly;
    - a **life event cue**: ``terms`` evoke ``life_event``, whose procedures rank higher.

    ``key`` identifies an entry across loads of the vocabulary file.
    """

    key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=VocabularyKind.choices)
    terms = models.JSONField(_("termes"), default=list)
    means = models.JSONField(_("signifie"), default=list, blank=True)
    procedures = models.ManyToManyField(
        Procedure, blank=True, related_name="+", verbose_name=_("démarches visées")
    )
    articles = models.ManyToManyField(
        Article, blank=True, related_name="+", verbose_name=_("fiches réflexes visées")
    )
    life_event = models.ForeignKey(
        LifeEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("événement de vie"),
    )
    source = models.CharField(
        _("origine"),
        max_length=10,
        choices=VocabularySource.choices,
        default=VocabularySource.EDITED,
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("entrée de vocabulaire")
        verbose_name_plural = _("vocabulaire")

    def __str__(self) -> str:
        text = " = ".join(self.terms)
        if self.kind == VocabularyKind.EXPANSION:
            return f"{text} → {', '.join(self.means)}" if self.means else text
        if self.kind == VocabularyKind.LIFE_EVENT_CUE and self.life_event is not None:
            return f"{self.life_event.slug} : {', '.join(self.terms)}"
        return text


class VocabularyRevision(models.Model):
    """One change to the vocabulary: who created, changed or deleted which entry, and the result."""

    entry = models.ForeignKey(
        VocabularyEntry,
        on_delete=models.SET_NULL,
        null=True,
        related_name="revisions",
    )
    key = models.CharField(max_length=200)
    change = models.CharField(max_length=10, choices=VocabularyChange.choices)
    snapshot = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(
        max_length=10, choices=RevisionSource.choices, default=RevisionSource.EDITOR
    )
    comment = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["key", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.key} {self.change} @ {self.created_at:%Y-%m-%d %H:%M}"


class SearchDataVersion(models.Model):
    """A single row whose token changes with every change to searchable content or vocabulary.

    Search keeps the data it derives from the whole catalogue (term statistics, vocabulary) in
    the cache under this token, so every process sees a change at once.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.token


class SearchQuery(models.Model):
    """A search typed in the console, on the portal or through the API, without personal data.

    Kept so that supervisors see the searches that found nothing or that nobody followed.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.CharField(_("recherche"), max_length=200)
    surface = models.CharField(_("où"), max_length=10, choices=SearchSurface.choices)
    result_count = models.PositiveIntegerField(_("résultats"), default=0)
    clicked_slugs = models.JSONField(_("démarches ouvertes"), default=list, blank=True)
    clicked_at = models.DateTimeField(_("première ouverture"), null=True, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"]), models.Index(fields=["text"])]
        verbose_name = _("recherche")

    def __str__(self) -> str:
        return self.text
