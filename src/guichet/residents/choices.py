from django.db import models
from django.utils.translation import gettext_lazy as _


class Civility(models.TextChoices):
    MADAME = "mme", _("Madame")
    MONSIEUR = "m", _("Monsieur")
    UNSPECIFIED = "", _("Non précisée")


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    ARABIC = "ar", _("Arabe")
    PORTUGUESE = "pt", _("Portugais")
    SPANISH = "es", _("Espagnol")
    OTHER = "other", _("Autre")


class DigitalAutonomy(models.TextChoices):
    UNKNOWN = "", _("Non renseignée")
    AUTONOMOUS = "autonomous", _("Autonome")
    NEEDS_HELP = "needs_help", _("A besoin d'aide")
    NOT_AUTONOMOUS = "not_autonomous", _("Non autonome")


class Relation(models.TextChoices):
    HEAD = "head", _("Référent du foyer")
    SPOUSE = "spouse", _("Conjoint ou conjointe")
    CHILD = "child", _("Enfant")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Autre membre")


class DocumentKind(models.TextChoices):
    IDENTITY_CARD = "identity_card", _("Carte nationale d'identité")
    PASSPORT = "passport", _("Passeport")
    RESIDENCE_PERMIT = "residence_permit", _("Titre de séjour")
    PROOF_OF_ADDRESS = "proof_of_address", _("Justificatif de domicile")
    FAMILY_RECORD_BOOK = "family_record_book", _("Livret de famille")
    BIRTH_CERTIFICATE = "birth_certificate", _("Acte de naissance")
    TAX_NOTICE = "tax_notice", _("Avis d'imposition")
    CAF_CERTIFICATE = "caf_certificate", _("Attestation CAF")
    INCOME_PROOF = "income_proof", _("Justificatif de ressources")
    VACCINATION = "vaccination", _("Carnet de vaccination")
    PHOTO = "photo", _("Photo d'identité")
    OTHER = "other", _("Autre pièce")
