from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    """The channels the outbox delivers on (a subset of organisation.Channel, same values)."""

    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyée")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulée")


class Event(models.TextChoices):
    """What a message is about: each event has its templates and its variables (events.py)."""

    CASE_RECEIVED = "case_received", _("Accusé de réception d'une demande")
    CASE_INFORMATION_NEEDED = "case_information_needed", _("Informations demandées à l'usager")
    CASE_DECIDED = "case_decided", _("Décision sur une demande")
    CASE_MESSAGE = "case_message", _("Nouveau message du service")
    CASE_DEADLINE_WARNING = "case_deadline_warning", _("Échéance proche (agents)")
    CASE_OVERDUE = "case_overdue", _("Demande en retard (agents)")
    ACCOUNT_VERIFY_EMAIL = "account_verify_email", _("Vérification de l'adresse électronique")
    ACCOUNT_MAGIC_LINK = "account_magic_link", _("Lien de connexion")
    ACCOUNT_PASSWORD_RESET = "account_password_reset", _("Nouveau mot de passe")
    ACCOUNT_SIGNUP_ATTEMPT = (
        "account_signup_attempt",
        _("Inscription tentée avec une adresse qui a déjà un compte"),
    )
    ACCOUNT_EMAIL_CHANGE = "account_email_change", _("Confirmation d'une nouvelle adresse")
    ACCOUNT_EMAIL_CHANGED = (
        "account_email_changed",
        _("Adresse du compte changée (avis à l'ancienne adresse)"),
    )


class TemplateChangeSource(models.TextChoices):
    """Where a template's version comes from, for its history."""

    EDITOR = "editor", _("Modification par un superviseur")
    LOAD = "load", _("Chargement des modèles par défaut")
    RESTORE = "restore", _("Retour au texte par défaut")
