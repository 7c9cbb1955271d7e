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
