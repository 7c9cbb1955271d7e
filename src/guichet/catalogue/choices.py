from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionSource(models.TextChoices):
    """Where a content revision comes from: an agent's edit or the catalogue files."""

    EDITOR = "editor", _("Modification par un agent")
    IMPORT = "import", _("Chargement du catalogue")
