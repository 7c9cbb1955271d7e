"""The outbox screen: who sees it, filters, failed and stuck rows, retry and cancel."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.notifications.choices import MessageChannel, NotificationStatus
from guichet.notifications.models import Notification
from guichet.organisation.models import Agent
from tests.conftest import PERSONAS, PersonaClient
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

SUPERVISORS = {"supervisor", "admin_agent"}
OUTBOX = reverse("notifications:outbox")


def expected(persona: str) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in SUPERVISORS else 404


def stuck_row(**fields: object) -> Notification:
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    notification: Notification = NotificationFactory(
        status=NotificationStatus.SENDING, attempts=1, last_attempt_at=long_ago, **fields
    )
    return notification


@pytest.fixture
def supervisor_client(client: Client, supervisor: Agent) -> Client:
    client.force_login(supervisor.user)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_outbox_pages_are_for_supervisors(persona_client: PersonaClient, persona: str) -> None:
    """Supervisors and administrators read the outbox; other agents and residents get 404."""
    notification = NotificationFactory()
    client = persona_client.as_(persona)
    for url in (OUTBOX, notification.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == expected(persona)
        if persona == "anonymous":
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["notifications:retry", "notifications:cancel"])
def test_retry_and_cancel_are_for_supervisors(
    persona_client: PersonaClient, persona: str, action: str
) -> None:
    """Only supervisors may retry or cancel; for others the row does not exist."""
    notification = NotificationFactory(status=NotificationStatus.FAILED)
    response = persona_client.as_(persona).post(reverse(action, args=[notification.uuid]))
    assert response.status_code == (302 if persona in SUPERVISORS | {"anonymous"} else 404)
    notification.refresh_from_db()
    if persona not in SUPERVISORS:
        assert notification.status == NotificationStatus.FAILED


def test_unknown_notification_is_404(supervisor_client: Client) -> None:
    """A uuid that matches nothing answers 404."""
    url = reverse("notifications:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert supervisor_client.get(url).status_code == 404


def test_retry_needs_post(supervisor_client: Client) -> None:
    """Retrying changes state: GET is refused."""
    notification = NotificationFactory(status=NotificationStatus.FAILED)
    response = supervisor_client.get(reverse("notifications:retry", args=[notification.uuid]))
    assert response.status_code == 405


def test_failed_and_stuck_rows_stand_out_with_a_retry_button(supervisor_client: Client) -> None:
    """Failed and stuck rows are highlighted, labelled and offer « Renvoyer »; others do not."""
    failed = NotificationFactory(status=NotificationStatus.FAILED, recipient="echec@example.org")
    stuck = stuck_row(recipient="bloque@example.org")
    NotificationFactory(status=NotificationStatus.SENT, recipient="ok@example.org")
    response = supervisor_client.get(OUTBOX)
    html = response.content.decode()
    assert html.count('class="needs-attention"') == 2
    assert "1 envoi en échec" in html
    assert "1 envoi bloqué" in html
    assert "Bloquée en cours d&#x27;envoi" in html
    assert reverse("notifications:retry", args=[failed.uuid]) in html
    assert reverse("notifications:retry", args=[stuck.uuid]) in html
    assert html.count(">Renvoyer<") == 2


@pytest.mark.parametrize(
    ("query", "expected_recipients"),
    [
        ("status=failed", {"echec@example.org"}),
        ("status=stuck", {"bloque@example.org"}),
        ("status=sending", {"bloque@example.org"}),
        ("channel=sms", {"+33612345678"}),
        ("event=case_overdue", {"agent@example.org"}),
        ("q=DEM-2025-777", {"agent@example.org"}),
        ("q=ECHEC@", {"echec@example.org"}),
        ("date_from=2020-01-01&date_to=2020-01-31", {"ancien@example.org"}),
    ],
)
def test_filters(supervisor_client: Client, query: str, expected_recipients: set[str]) -> None:
    """Each filter keeps the matching rows only."""
    NotificationFactory(status=NotificationStatus.FAILED, recipient="echec@example.org")
    stuck_row(recipient="bloque@example.org")
    NotificationFactory(channel=MessageChannel.SMS, recipient="+33612345678")
    NotificationFactory(
        event="case_overdue", recipient="agent@example.org", related_label="DEM-2025-777"
    )
    NotificationFactory(
        recipient="ancien@example.org",
        created_at=timezone.make_aware(datetime.datetime(2020, 1, 15, 10, 0)),
    )
    response = supervisor_client.get(f"{OUTBOX}?{query}")
    assert response.status_code == 200
    assert {n.recipient for n in response.context["page"].object_list} == expected_recipients


def test_invalid_dates_show_an_error_and_no_rows(supervisor_client: Client) -> None:
    """An end date before the start date is explained, and the typed values are kept."""
    NotificationFactory()
    response = supervisor_client.get(f"{OUTBOX}?date_from=2026-03-10&date_to=2026-03-01")
    html = response.content.decode()
    assert "La date de fin doit être après la date de début." in html
    assert 'value="2026-03-10"' in html
    assert list(response.context["page"].object_list) == []


def test_list_query_count_does_not_grow_with_rows(
    supervisor_client: Client, django_assert_max_num_queries: object
) -> None:
    """Listing 30 notifications of residents and agents takes a fixed number of queries."""
    for _ in range(30):
        NotificationFactory(resident=None)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = supervisor_client.get(OUTBOX)
    assert len(response.context["page"].object_list) == 30


def test_detail_shows_the_message_and_its_history(supervisor_client: Client) -> None:
    """The detail page shows the text sent and every status change with its error."""
    notification = NotificationFactory(
        status=NotificationStatus.PENDING,
        attempts=1,
        body_text="Bonjour,\nvotre demande <DEM-1>",
        last_error="SMTPDataError: 451",
    )
    notification.changes.create(status=NotificationStatus.PENDING, note="SMTPDataError: 451")
    html = supervisor_client.get(notification.get_absolute_url()).content.decode()
    assert "votre demande &lt;DEM-1&gt;" in html
    assert html.count("SMTPDataError: 451") == 2


def test_retry_from_the_list_sends_and_returns_to_the_filtered_list(
    supervisor_client: Client, supervisor: Agent, django_capture_on_commit_callbacks: object
) -> None:
    """« Renvoyer » queues the row, delivers it after the commit and comes back to the list."""
    notification = NotificationFactory(status=NotificationStatus.FAILED, attempts=5)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = supervisor_client.post(
            reverse("notifications:retry", args=[notification.uuid]),
            {"next": f"{OUTBOX}?status=failed"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == f"{OUTBOX}?status=failed"
    assert "est de nouveau en file d&#x27;envoi" in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.changes.filter(actor=supervisor.user).exists()


def test_retry_of_a_row_already_sent_explains_why(supervisor_client: Client) -> None:
    """A row sent meanwhile cannot be retried: a message says so, nothing breaks."""
    notification = NotificationFactory(status=NotificationStatus.SENT)
    response = supervisor_client.post(
        reverse("notifications:retry", args=[notification.uuid]), follow=True
    )
    assert response.status_code == 200
    assert "ne peut pas être renvoyée" in response.content.decode()


def test_next_pointing_elsewhere_is_ignored(supervisor_client: Client) -> None:
    """An outside address in « next » is not followed."""
    notification = NotificationFactory(status=NotificationStatus.FAILED)
    response = supervisor_client.post(
        reverse("notifications:cancel", args=[notification.uuid]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == notification.get_absolute_url()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED


def test_stuck_row_detail_explains_the_choice(supervisor_client: Client) -> None:
    """A stuck row's page says it may have gone out and offers retry and cancel."""
    notification = stuck_row()
    html = supervisor_client.get(notification.get_absolute_url()).content.decode()
    assert "Le message est peut-être parti" in html
    assert reverse("notifications:retry", args=[notification.uuid]) in html
    assert reverse("notifications:cancel", args=[notification.uuid]) in html
