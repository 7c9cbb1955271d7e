"""Queueing messages: channel choice, language, idempotency, delivery after the commit."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy

from guichet.notifications.actions import _queue, notify_resident, notify_user, send_email_now
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.message_templates import resolve_template
from guichet.notifications.models import MessageTemplate, Notification, NotificationChange
from guichet.notifications.rendering import render_message
from guichet.organisation.models import Agent
from guichet.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

MOBILE = "+33612345678"
LANDLINE = "+33145678901"
CONTEXT = {
    "reference": "DEM-2025-00042",
    "procedure": "Inscription scolaire",
    "tracking_url": "https://guichet.example.fr/suivi/K7M2P9QX",
}


def make_resident(**fields: object) -> Resident:
    values: dict[str, object] = {"email": "", "phone": "", **fields}
    resident: Resident = ResidentFactory(first_names="Hélène", usage_name="Dupont", **values)
    return resident


def notify(resident: Resident, key: str = "case:1:received", **context: object) -> list:
    return notify_resident(
        resident=resident,
        event="case_received",
        context={**CONTEXT, **context},
        dedupe_key=key,
        related_label="DEM-2025-00042",
    )


@pytest.mark.parametrize(
    ("preferred", "email", "phone", "consent_sms", "expected"),
    [
        ("sms", "h@example.org", MOBILE, True, ("sms", MOBILE)),
        ("sms", "", MOBILE, True, ("sms", MOBILE)),
        ("sms", "h@example.org", MOBILE, False, ("email", "h@example.org")),
        ("sms", "h@example.org", "", True, ("email", "h@example.org")),
        ("sms", "h@example.org", LANDLINE, True, ("email", "h@example.org")),
        ("email", "h@example.org", MOBILE, True, ("email", "h@example.org")),
        ("", "h@example.org", MOBILE, True, ("email", "h@example.org")),
        ("phone", "h@example.org", "", False, ("email", "h@example.org")),
        ("email", "", MOBILE, True, ("sms", MOBILE)),
        ("", "", MOBILE, True, ("sms", MOBILE)),
        ("sms", "", MOBILE, False, None),
        ("sms", "", LANDLINE, True, None),
        ("", "", "", False, None),
    ],
)
def test_channel_follows_preference_consent_and_addresses(
    preferred: str, email: str, phone: str, consent_sms: bool, expected: tuple[str, str] | None
) -> None:
    """SMS needs consent and a mobile; the preferred channel wins, the other is the fallback."""
    resident = make_resident(
        preferred_channel=preferred, email=email, phone=phone, consent_sms=consent_sms
    )
    queued = notify(resident)
    if expected is None:
        assert queued == []
        assert not Notification.objects.exists()
    else:
        (notification,) = queued
        assert (notification.channel, notification.recipient) == expected
        assert notification.resident == resident
        assert notification.status == NotificationStatus.PENDING


def test_email_row_holds_the_rendered_message(
    templates: None, django_capture_on_commit_callbacks: Any
) -> None:
    """The row stores subject and text rendered with the context and the city's name; the
    email sent has the HTML version too."""
    resident = make_resident(email="helene@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(resident, tracking_code="K7M2P9QX")
    assert notification.event == "case_received"
    assert notification.language == "fr"
    assert notification.subject == "Votre demande DEM-2025-00042 a bien été reçue"
    assert notification.body_text.startswith("Bonjour Hélène Dupont,\n\nNous avons bien reçu")
    assert "Votre code de suivi : K7M2P9QX" in notification.body_text
    assert "Ville de Créteil" in notification.body_text
    # The HTML is laid out from the text when the email is sent.
    assert notification.body_html == ""
    (sent,) = [email for email in mail.outbox if email.to == ["helene@example.org"]]
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://guichet.example.fr/suivi/K7M2P9QX">' in html
    assert "Votre code de suivi : K7M2P9QX" in html
    assert notification.related_label == "DEM-2025-00042"
    assert list(notification.changes.order_by("id").values_list("status", flat=True)) == [
        NotificationStatus.PENDING,
        NotificationStatus.SENDING,
        NotificationStatus.SENT,
    ]


def test_english_speaker_gets_the_english_template(templates: None) -> None:
    """A resident who prefers English gets the English text."""
    resident = make_resident(email="h@example.org", preferred_language="en")
    (notification,) = notify(resident)
    assert notification.language == "en"
    assert notification.subject == "We have received your request DEM-2025-00042"


def test_language_without_template_falls_back_to_french(templates: None) -> None:
    """No Arabic template: the message goes out in French."""
    resident = make_resident(email="h@example.org", preferred_language="ar")
    (notification,) = notify(resident)
    assert notification.language == "fr"
    assert notification.subject.startswith("Votre demande")


def test_deactivated_translation_falls_back_to_french(templates: None) -> None:
    """An English template switched off by a supervisor: French is used instead."""
    MessageTemplate.objects.filter(event="case_received", language="en").update(is_active=False)
    resident = make_resident(email="h@example.org", preferred_language="en")
    (notification,) = notify(resident)
    assert notification.language == "fr"


def test_message_switched_off_on_a_channel_uses_the_other(templates: None) -> None:
    """All SMS templates of an event switched off: the resident who prefers SMS gets an email."""
    MessageTemplate.objects.filter(event="case_received", channel="sms").update(is_active=False)
    resident = make_resident(
        email="h@example.org", phone=MOBILE, consent_sms=True, preferred_channel="sms"
    )
    (notification,) = notify(resident)
    assert notification.channel == "email"


def test_message_switched_off_everywhere_queues_nothing(templates: None) -> None:
    """An event switched off on every channel and language queues nothing."""
    MessageTemplate.objects.filter(event="case_received").update(is_active=False)
    assert notify(make_resident(email="h@example.org")) == []


def test_shipped_file_is_used_when_templates_were_never_loaded() -> None:
    """Before the load command runs, the templates shipped with Guichet are used."""
    assert not MessageTemplate.objects.exists()
    (notification,) = notify(make_resident(email="h@example.org"))
    assert notification.subject == "Votre demande DEM-2025-00042 a bien été reçue"


def test_database_template_wins_over_the_file(templates: None) -> None:
    """A supervisor's text in the database is the one used."""
    MessageTemplate.objects.filter(event="case_received", channel="email", language="fr").update(
        subject="Accusé de réception {{ reference }}"
    )
    (notification,) = notify(make_resident(email="h@example.org"))
    assert notification.subject == "Accusé de réception DEM-2025-00042"


def test_same_dedupe_key_never_queues_twice(templates: None) -> None:
    """A second call with the same key creates nothing and returns the first row."""
    resident = make_resident(email="h@example.org")
    first = notify(resident, key="case:7:received")
    second = notify(resident, key="case:7:received", reference="AUTRE")
    assert second == first
    assert Notification.objects.count() == 1


def test_concurrent_insert_of_the_same_key_returns_the_existing_row(templates: None) -> None:
    """When the unique key refuses a concurrent insert, the caller's transaction goes on."""
    resident = make_resident(email="h@example.org")
    (existing,) = notify(resident, key="case:8:received")
    text = resolve_template("case_received", "email", "fr")
    assert text is not None
    with transaction.atomic():
        again = _queue(
            text=text,
            rendered=render_message(text, CONTEXT),
            recipient="h@example.org",
            dedupe_key="case:8:received",
            related_label="",
            resident=resident,
        )
        # The transaction is still usable after the refused insert (savepoint).
        assert Notification.objects.count() == 1
    assert again == existing


def test_delivery_runs_after_commit(
    templates: None, django_capture_on_commit_callbacks: object
) -> None:
    """The email is sent once the caller's transaction commits."""
    resident = make_resident(email="h@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        (notification,) = notify(resident)
        assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["h@example.org"]


def test_nothing_is_queued_when_the_caller_rolls_back(templates: None) -> None:
    """A notification belongs to the caller's transaction: rolled back with it."""
    resident = make_resident(email="h@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(resident)
        raise RuntimeError("the case could not be filed")
    assert not Notification.objects.exists()
    assert not NotificationChange.objects.exists()


def test_lazy_texts_and_dates_are_rendered_in_the_recipient_language(templates: None) -> None:
    """Lazy translations and dates given in the context take the recipient's language."""
    english = make_resident(email="en@example.org", preferred_language="en")
    french = make_resident(email="fr@example.org")
    context = {**CONTEXT, "reason": gettext_lazy("Monday"), "status": "ok"}
    due = datetime.date(2026, 3, 16)
    (en,) = notify(english, key="en", due_date=due)
    (fr,) = notify(french, key="fr", due_date=due)
    assert "au plus tard le 16 mars 2026." in fr.body_text
    assert "by 16 March 2026 at the latest." in en.body_text
    for resident, key, expected in ((english, "en2", "Monday"), (french, "fr2", "lundi")):
        (decided,) = notify_resident(
            resident=resident, event="case_decided", context=context, dedupe_key=key
        )
        assert f":\n{expected}" in decided.body_text


def test_context_values_for_other_events_are_left_out(templates: None) -> None:
    """One context may serve several events: variables this event does not use are ignored."""
    (notification,) = notify(make_resident(email="h@example.org"), message="Texte")
    assert "Texte" not in notification.body_text


def test_unknown_variable_is_a_programming_error() -> None:
    """A misspelt variable name raises instead of silently rendering nothing."""
    with pytest.raises(ValueError, match="tracking_link"):
        notify(make_resident(email="h@example.org"), tracking_link="https://x")


def test_objects_are_refused_in_the_context() -> None:
    """Only text and dates reach templates: an object is refused."""
    resident = make_resident(email="h@example.org")
    with pytest.raises(TypeError):
        notify(resident, procedure=resident)  # type: ignore[arg-type]


def test_unknown_event_is_refused() -> None:
    """An event without templates is a programming error."""
    with pytest.raises(ValueError, match="case_exploded"):
        notify_resident(
            resident=make_resident(email="h@example.org"),
            event="case_exploded",
            context={},
            dedupe_key="x",
        )


def test_agent_notice_goes_to_the_agent_email_in_french(templates: None, ccas_agent: Agent) -> None:
    """notify_user emails the agent, in French, with their name."""
    ccas_agent.user.first_name, ccas_agent.user.last_name = "Bruno", "Leroy"
    (notification,) = notify_user(
        user=ccas_agent.user,
        event="case_overdue",
        context={
            "reference": "DEM-2025-00042",
            "procedure": "Aide sociale",
            "due_date": "3 mars 2026",
            "case_url": "https://guichet.example.fr/agents/demandes/1/",
        },
        dedupe_key="case:1:overdue:bruno",
        related_label="DEM-2025-00042",
    )
    assert notification.user == ccas_agent.user
    assert notification.resident is None
    assert notification.recipient == ccas_agent.user.email
    assert notification.language == "fr"
    assert notification.subject.startswith("En retard : demande DEM-2025-00042")
    assert notification.body_text.startswith("Bonjour Bruno Leroy,")


def test_agent_without_email_gets_nothing(templates: None) -> None:
    """An agent account without an email address: nothing is queued."""
    user = UserFactory(username="sans-courriel", email="")
    assert (
        notify_user(
            user=user,
            event="case_deadline_warning",
            context={"reference": "DEM-1"},
            dedupe_key="case:1:near:x",
        )
        == []
    )


def test_account_email_without_resident_goes_through_the_outbox(
    templates: None, django_capture_on_commit_callbacks: object
) -> None:
    """send_email_now queues an email to a bare address and delivers it after the commit."""
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notification = send_email_now(
            to="nouveau@example.org",
            event="account_verify_email",
            context={
                "link": "https://guichet.example.fr/compte/verifier/abc",
                "valid_for": "24 heures",
            },
            language="fr",
            dedupe_key="account:verify:abc",
        )
    assert notification is not None
    assert notification.resident is None and notification.user is None
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre adresse électronique"
    assert "https://guichet.example.fr/compte/verifier/abc" in message.body
    assert "Ce lien est valable 24 heures." in message.body
    again = send_email_now(
        to="nouveau@example.org",
        event="account_verify_email",
        context={},
        language="fr",
        dedupe_key="account:verify:abc",
    )
    assert again == notification


def test_account_email_switched_off_returns_none(templates: None) -> None:
    """An account email switched off in every language is not queued."""
    MessageTemplate.objects.filter(event="account_magic_link").update(is_active=False)
    assert (
        send_email_now(
            to="x@example.org",
            event="account_magic_link",
            context={"link": "https://x"},
            language="en",
            dedupe_key="magic:1",
        )
        is None
    )
