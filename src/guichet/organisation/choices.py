from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The ways a resident reaches the city (shared by contacts, cases, appointments…)."""

    COUNTER = "counter", _("Accueil physique")
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("Courriel")
    WEB = "web", _("En ligne")
    MAIL = "mail", _("Courrier")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Messagerie instantanée")
    KIOSK = "kiosk", _("Borne")


class SiteKind(models.TextChoices):
    CITY_HALL = "city_hall", _("Hôtel de Ville")
    NEIGHBOURHOOD_OFFICE = "neighbourhood_office", _("Mairie annexe")
    DIGITAL_HELP_POINT = "digital_help_point", _("Relais numérique")
    SOCIAL_CENTRE = "social_centre", _("Centre social")
    OTHER = "other", _("Autre")


class Role(models.TextChoices):
    RECEPTION = "reception", _("Agent d'accueil")
    HELPER = "helper", _("Médiateur numérique")
    DEPARTMENT = "department", _("Agent de service")
    SUPERVISOR = "supervisor", _("Superviseur")
    ADMIN = "admin", _("Administrateur")
    DPO = "dpo", _("Délégué à la protection des données")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Lundi")
    TUESDAY = 1, _("Mardi")
    WEDNESDAY = 2, _("Mercredi")
    THURSDAY = 3, _("Jeudi")
    FRIDAY = 4, _("Vendredi")
    SATURDAY = 5, _("Samedi")
    SUNDAY = 6, _("Dimanche")


class ChangeKind(models.TextChoices):
    """What an administrator (or a command) changed in the organisation."""

    SITE_CREATED = "site_created", _("Site créé")
    SITE_UPDATED = "site_updated", _("Site modifié")
    HOURS_CHANGED = "hours_changed", _("Horaires modifiés")
    CLOSURE_ADDED = "closure_added", _("Fermeture exceptionnelle ajoutée")
    CLOSURE_REMOVED = "closure_removed", _("Fermeture exceptionnelle supprimée")
    CITY_CLOSURE_ADDED = "city_closure_added", _("Fermeture de l'administration ajoutée")
    CITY_CLOSURE_REMOVED = "city_closure_removed", _("Fermeture de l'administration supprimée")
    DEPARTMENT_CREATED = "department_created", _("Service créé")
    DEPARTMENT_UPDATED = "department_updated", _("Service modifié")
    AGENT_CREATED = "agent_created", _("Agent créé")
    AGENT_UPDATED = "agent_updated", _("Agent modifié")
    AGENT_DEACTIVATED = "agent_deactivated", _("Agent désactivé")
    AGENT_REACTIVATED = "agent_reactivated", _("Agent réactivé")
    PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
    API_TOKEN_CREATED = "api_token_created", _("Jeton d'API créé")
