"""Factories of the notification models (kept here: no other app builds them directly)."""

import factory
from django.utils import timezone

from guichet.notifications.choices import Event, MessageChannel, NotificationStatus
from guichet.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    channel = MessageChannel.EMAIL
    recipient = factory.Sequence(lambda n: f"destinataire{n}@example.org")
    language = "fr"
    event = Event.CASE_RECEIVED
    subject = "Votre demande DEM-2025-00001 a bien été reçue"
    body_text = "Bonjour,\n\nNous avons bien reçu votre demande."
    body_html = "<p>Bonjour,</p><p>Nous avons bien reçu votre demande.</p>"
    status = NotificationStatus.PENDING
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    related_label = factory.Sequence(lambda n: f"DEM-2025-{n:05d}")
    next_attempt_at = factory.LazyFunction(timezone.now)
