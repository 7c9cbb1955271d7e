from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionSource(models.TextChoices):
    """Where a content revision comes from: an agent's edit or the catalogue files."""

    EDITOR = "editor", _("Modification par un agent")
    IMPORT = "import", _("Chargement du catalogue")


class VocabularyKind(models.TextChoices):
    """What a vocabulary entry says about the words residents use."""

    EQUIVALENT = "equivalent", _("Équivalents")
    EXPANSION = "expansion", _("Mot courant → termes du catalogue")
    LIFE_EVENT_CUE = "life_event_cue", _("Mots évoquant un événement de vie")


class VocabularySource(models.TextChoices):
    """Whether a vocabulary entry is the shipped one or was written or changed by a supervisor."""

    SHIPPED = "shipped", _("Livré avec Guichet")
    EDITED = "edited", _("Modifié localement")


class VocabularyChange(models.TextChoices):
    CREATED = "created", _("Créée")
    UPDATED = "updated", _("Modifiée")
    DELETED = "deleted", _("Supprimée")


class SearchSurface(models.TextChoices):
    """Where a search was typed."""

    CONSOLE = "console", _("Console des agents")
    PORTAL = "portal", _("Portail")
    API = "api", _("API")
