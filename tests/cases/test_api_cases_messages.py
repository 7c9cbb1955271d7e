import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.cases.actions import send_message, transition_case
from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case, CaseMessage
from tests.cases.api_fixtures import CONVERSATION, messages_url, status_for, write
from tests.conftest import PERSONAS
from tests.residents.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_read_the_conversation(api, persona, population_case, supervisor):
    """The resident and agents who may process the case read it; front desk and others 404."""
    write(population_case, supervisor.user, "Bonjour")
    response = api(persona).get(messages_url(population_case))
    assert response.status_code == status_for(persona, CONVERSATION)
    if response.status_code == 200:
        assert [m["body"] for m in response.json()["results"]] == ["Bonjour"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_write(api, persona, population_case):
    """The same people write; nobody else can add a message."""
    response = api(persona).post(messages_url(population_case), {"body": "Merci"}, format="json")
    assert response.status_code == status_for(persona, CONVERSATION, ok=201)
    assert CaseMessage.objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_confidential_conversation(api, persona, ccas_case):
    """A CCAS case's messages: its resident and the CCAS only."""
    response = api(persona).get(messages_url(ccas_case))
    assert response.status_code == status_for(persona, {"resident", "ccas_agent"})


def test_agent_message_is_recorded_and_notified(api, population_case, supervisor):
    """The department's message is a history row and the answer names its author."""
    response = api("supervisor").post(
        messages_url(population_case), {"body": "  Votre acte est prêt.  "}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["body"] == "Votre acte est prêt."
    assert body["from_resident"] is False
    assert body["author"]["username"] == "elise"
    message = CaseMessage.objects.get()
    assert str(message.uuid) == body["id"]
    event = population_case.events.get(kind=CaseEventKind.MESSAGE_FROM_AGENT)
    assert event.actor == supervisor.user


def test_resident_answer_resumes_a_waiting_case(api, population_case, supervisor, resident):
    """The resident's answer to a request for information puts the case back in progress."""
    transition_case(
        case=population_case,
        to_status=CaseStatus.WAITING,
        actor=supervisor.user,
        channel="",
        reason="Joignez un justificatif.",
    )
    response = api("resident").post(
        messages_url(population_case), {"body": "Le voici."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["from_resident"] is True
    assert response.json()["author"]["username"] == "helene"
    assert Case.objects.get(pk=population_case.pk).status == CaseStatus.IN_PROGRESS
    event = population_case.events.get(kind=CaseEventKind.MESSAGE_FROM_RESIDENT)
    assert (event.actor, event.channel) == (resident.user, "web")


def test_resident_does_not_see_agent_names(api, population_case, supervisor):
    """Messages from the department reach the resident without the agent's name."""
    write(population_case, supervisor.user, "Bonjour")
    message = api("resident").get(messages_url(population_case)).json()["results"][0]
    assert message["author"] is None
    assert api("supervisor").get(messages_url(population_case)).json()["results"][0]["author"]


def test_closed_case_takes_no_message(api, population_case, supervisor):
    """After the decision, writing is refused with a French message."""
    transition_case(
        case=population_case,
        to_status=CaseStatus.REJECTED,
        actor=supervisor.user,
        channel="",
        reason="Pièce manquante.",
    )
    for persona in ("resident", "supervisor"):
        response = api(persona).post(messages_url(population_case), {"body": "?"}, format="json")
        assert response.status_code == 400
        assert "close" in response.json()["detail"]
    assert not CaseMessage.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"body": ""},
        {"body": "   "},
        {"body": ["x"]},
        {"body": "x" * 10001},
        {"body": "a\u0000"},
    ],
)
def test_bad_messages_are_400(api, population_case, body):
    """Empty, wrongly typed, over-long or unstorable messages are refused."""
    response = api("resident").post(messages_url(population_case), body, format="json")
    assert response.status_code == 400
    assert not CaseMessage.objects.exists()


def test_multipart_message_with_an_attachment(api, population_case):
    """Files come with a multipart message, checked by content; the answer lists them."""
    upload = SimpleUploadedFile("justificatif.pdf", PDF_BYTES, content_type="application/pdf")
    response = api("resident").post(
        messages_url(population_case),
        {"body": "Voici le justificatif.", "attachments": [upload]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    attachments = response.json()["attachments"]
    assert [(a["name"], a["content_type"]) for a in attachments] == [
        ("justificatif.pdf", "application/pdf")
    ]
    stored = CaseMessage.objects.get().attachments.get()
    assert stored.size == len(PDF_BYTES)
    assert "justificatif" not in stored.file.name


def test_attachment_alone_is_a_message(api, population_case):
    """A file without text is enough."""
    upload = SimpleUploadedFile("piece.pdf", PDF_BYTES, content_type="application/pdf")
    response = api("supervisor").post(
        messages_url(population_case), {"attachments": [upload]}, format="multipart"
    )
    assert response.status_code == 201


def test_fake_pdf_attachment_is_refused(api, population_case):
    """A text file named .pdf is refused: the content is checked, not the name."""
    fake = SimpleUploadedFile("piece.pdf", b"pas un pdf", content_type="application/pdf")
    response = api("resident").post(
        messages_url(population_case),
        {"body": "Voici", "attachments": [fake]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "attachments" in response.json()
    assert not CaseMessage.objects.exists()


def test_oversized_attachment_is_refused(api, population_case, settings):
    """A file over the city's limit is refused with what to do."""
    settings.GUICHET_MAX_UPLOAD_BYTES = 50
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * 100, content_type="application/pdf")
    response = api("resident").post(
        messages_url(population_case), {"body": "Voici", "attachments": [big]}, format="multipart"
    )
    assert response.status_code == 400
    assert "limite" in response.json()["attachments"][0]


def test_too_many_attachments_are_refused(api, population_case):
    """At most five files per message."""
    files = [
        SimpleUploadedFile(f"p{n}.pdf", PDF_BYTES, content_type="application/pdf") for n in range(6)
    ]
    response = api("resident").post(
        messages_url(population_case), {"body": "Tout", "attachments": files}, format="multipart"
    )
    assert response.status_code == 400
    assert not CaseMessage.objects.exists()


def test_conversation_list_has_constant_queries(
    api, population_case, supervisor, django_assert_max_num_queries
):
    """Listing messages costs the same few queries however long the conversation."""
    client = api("supervisor")
    for n in range(12):
        send_message(
            case=population_case,
            author=supervisor.user,
            body=f"Message {n}",
            from_resident=False,
            channel="",
        )
    with django_assert_max_num_queries(10):
        response = client.get(messages_url(population_case))
    assert response.json()["count"] == 12
