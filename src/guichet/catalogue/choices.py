from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    AGENTS = "agents", _("Agents")
    PUBLIC = "public", _("Public")
