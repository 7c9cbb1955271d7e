"""The case page of the back office, its actions, and filing on a resident's behalf."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.audit.models import AccessLog
from guichet.cases import actions
from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case, CaseMessage, CaseNote
from guichet.organisation.choices import Channel
from guichet.residents.actions import add_document
from guichet.residents.choices import DocumentKind
from tests.cases.backoffice_fixtures import file
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROCESSORS = {"education_agent", "supervisor", "admin_agent"}
FRONT_DESK = {"reception_agent", "helper_agent"}


def page_url(case: Case) -> str:
    return reverse("cases:agent_case", args=[case.uuid])


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


# Who sees what


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_page_permission_matrix(persona, persona_client, school_case):
    """Its department, supervisors and the front desk read an education case; others 404."""
    response = persona_client.as_(persona).get(page_url(school_case))
    assert response.status_code == expected(persona, PROCESSORS | FRONT_DESK)


@pytest.mark.parametrize("persona", PERSONAS)
def test_confidential_case_is_for_the_ccas_only(persona, persona_client, social_case):
    """A CCAS case opens for CCAS agents only: 404 for everybody else, supervisors included."""
    response = persona_client.as_(persona).get(page_url(social_case))
    assert response.status_code == expected(persona, {"ccas_agent"})


def test_confidential_case_opens_for_the_agent_who_filed_it(
    persona_client, social_form, resident, reception_agent
):
    """Alice filed the CCAS request at the counter: she reads it, without action forms."""
    case = file(social_form, resident, actor=reception_agent.user, channel=Channel.COUNTER)
    html = persona_client.as_("reception_agent").get(page_url(case)).content.decode()
    assert "Rentrée de septembre" in html
    assert "Consultation" in html
    assert reverse("cases:agent_transition", args=[case.uuid]) not in html


def test_unknown_case_is_404(persona_client, city):
    """A case that does not exist is 404, like a forbidden one."""
    url = reverse("cases:agent_case", args=["00000000-0000-0000-0000-000000000000"])
    assert persona_client.as_("supervisor").get(url).status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("agent_transition", {"to_status": CaseStatus.IN_PROGRESS}),
        ("agent_assign", {"assignee": ""}),
        ("agent_transfer", {"department": "population", "note": "Erreur d'aiguillage"}),
        ("agent_message", {"body": "Bonjour"}),
        ("agent_note", {"body": "Appel du père"}),
    ],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_action_permission_matrix(persona, action, data, persona_client, school_case, city):
    """Only those who process the case may act on it; everybody else gets 404."""
    if data.get("department"):
        data = {**data, "department": city.population.pk}
    response = persona_client.as_(persona).post(
        reverse(f"cases:{action}", args=[school_case.uuid]), data
    )
    if persona == "anonymous":
        assert response.status_code == 302 and "connexion" in response["Location"]
    elif persona in PROCESSORS:
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    acted = school_case.events.exclude(
        kind__in=[CaseEventKind.SUBMITTED, CaseEventKind.ACKNOWLEDGED]
    ).exists()
    assert acted == (persona in PROCESSORS)


@pytest.mark.parametrize("persona", ["education_agent", "supervisor", "reception_agent"])
def test_no_action_on_a_confidential_case_from_outside(persona, persona_client, social_case):
    """Agents outside the CCAS cannot act on its cases (404)."""
    response = persona_client.as_(persona).post(
        reverse("cases:agent_note", args=[social_case.uuid]), {"body": "Intrusion"}
    )
    assert response.status_code == 404
    assert not CaseNote.objects.exists()


# The page


def test_page_shows_the_case_facts_answers_and_history(persona_client, school_case, resident):
    """Header, link to the file, answers and history rows are on the page."""
    html = persona_client.as_("education_agent").get(page_url(school_case)).content.decode()
    assert f"Demande {school_case.reference} — Inscription scolaire" in html
    assert resident.get_absolute_url() in html
    assert "Éducation" in html
    assert "Non attribuée (file du service)" in html
    assert ", par l'usager" in html
    assert "Rentrée de septembre" in html
    assert "Demande déposée" in html and "Réception accusée" in html
    assert school_case.tracking_code in html


def test_page_says_who_filed_on_behalf(
    persona_client, school_form, resident, reception_agent, city
):
    """A case filed at the counter names the agent and the site."""
    reception_agent.user.first_name, reception_agent.user.last_name = "Alice", "Bernard"
    reception_agent.user.save()
    case = file(
        school_form, resident, actor=reception_agent.user, channel=Channel.COUNTER, site=city.annex
    )
    html = persona_client.as_("education_agent").get(page_url(case)).content.decode()
    assert "déposée par Alice Bernard pour l'usager" in html
    assert "Mairie annexe Nord" in html
    assert "Accueil physique" in html


def test_page_links_the_documents_of_the_answers(persona_client, school_form, resident):
    """A document referenced by an answer is linked to the document download."""
    document = add_document(
        resident=resident,
        kind=DocumentKind.PROOF_OF_ADDRESS,
        uploaded_file=SimpleUploadedFile("facture.pdf", PDF),
        valid_until=None,
        actor=None,
    )
    case = file(
        school_form, resident, data={"objet": "X", "domicile": {"document": str(document.uuid)}}
    )
    html = persona_client.as_("education_agent").get(page_url(case)).content.decode()
    assert reverse("residents:document_download", args=[document.uuid]) in html
    assert "Justificatif de domicile" in html


def test_opening_a_case_is_logged(persona_client, school_case, education_agent, resident):
    """Opening a case records an access to the resident's file."""
    persona_client.as_("education_agent").get(page_url(school_case))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.resident, entry.page) == (education_agent.user, resident, "case")


def test_processor_reading_marks_resident_messages_read(persona_client, school_case, resident):
    """The department's opening marks the resident's messages read; new ones are flagged once."""
    actions.send_message(
        case=school_case,
        author=resident.user,
        body="J'ai une question",
        from_resident=True,
        channel=Channel.WEB,
    )
    persona_client.as_("reception_agent").get(page_url(school_case))
    assert CaseMessage.objects.get().read_at is None
    client = persona_client.as_("education_agent")
    assert "Nouveau" in client.get(page_url(school_case)).content.decode()
    assert CaseMessage.objects.get().read_at is not None
    assert "Nouveau</span>" not in client.get(page_url(school_case)).content.decode()


def test_front_desk_reads_without_action_forms(persona_client, school_case):
    """Alice sees status, answers and conversation, and no form to change anything."""
    html = persona_client.as_("reception_agent").get(page_url(school_case)).content.decode()
    assert "Rentrée de septembre" in html
    assert "Consultation" in html
    for action in (
        "agent_transition",
        "agent_assign",
        "agent_transfer",
        "agent_message",
        "agent_note",
    ):
        assert reverse(f"cases:{action}", args=[school_case.uuid]) not in html


def test_processor_sees_the_allowed_transitions_only(persona_client, school_case):
    """The status select offers the moves of the workflow from the current status."""
    html = persona_client.as_("education_agent").get(page_url(school_case)).content.decode()
    assert "Demander un complément à l&#x27;usager" in html
    assert "Accepter la demande" in html
    assert '<option value="submitted"' not in html


def test_internal_notes_are_marked(persona_client, school_case, education_agent):
    """Notes are shown apart, marked as never visible to the resident."""
    actions.add_note(case=school_case, author=education_agent.user, body="Fratrie déjà inscrite.")
    html = persona_client.as_("reception_agent").get(page_url(school_case)).content.decode()
    assert "Note interne — non visible par l'usager" in html
    assert "Fratrie déjà inscrite." in html


def test_page_queries_do_not_grow_with_history(
    persona_client, school_case, resident, education_agent, django_assert_num_queries
):
    """A long case (messages, attachments, notes, events) needs as many queries as a short one."""
    client = persona_client.as_("education_agent")

    def grow() -> None:
        actions.send_message(
            case=school_case,
            author=resident.user,
            body="Question",
            from_resident=True,
            channel=Channel.WEB,
            attachments=[SimpleUploadedFile("piece.pdf", PDF)],
        )
        actions.add_note(case=school_case, author=education_agent.user, body="Note")
        actions.assign_case(
            case=school_case, assignee=education_agent.user, actor=education_agent.user
        )

    grow()
    client.get(page_url(school_case))
    with CaptureQueriesContext(connection) as short:
        client.get(page_url(school_case))
    # Read now: every request clears the connection's query log.
    expected_count = len(short.captured_queries)
    for _ in range(15):
        grow()
    client.get(page_url(school_case))  # marks the new messages read, like the first time
    with django_assert_num_queries(expected_count):
        client.get(page_url(school_case))


# Changing the status


def test_ask_for_information_then_accept(persona_client, school_case):
    """The department asks for a piece (deadline paused), then accepts with a reason."""
    client = persona_client.as_("education_agent")
    url = reverse("cases:agent_transition", args=[school_case.uuid])
    response = client.post(url, {"to_status": "waiting", "reason": "Joignez un justificatif."})
    assert response["Location"] == page_url(school_case)
    html = client.get(page_url(school_case)).content.decode()
    assert "le délai est suspendu" in html
    assert "Délai suspendu" in html
    assert "<strong>En attente de l&#x27;usager</strong>" in html
    assert "Déposée → En attente de l&#x27;usager" in html
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.WAITING and school_case.is_paused
    client.post(url, {"to_status": "accepted", "reason": "Inscription confirmée."})
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.ACCEPTED
    assert school_case.decision_reason == "Inscription confirmée."


def test_missing_reason_is_explained_and_the_choice_kept(persona_client, school_case):
    """Rejecting without a reason: French message by the field, the choice still selected."""
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_transition", args=[school_case.uuid]),
        {"to_status": "rejected", "reason": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le motif : il sera communiqué à l&#x27;usager." in html
    assert '<option value="rejected" selected>' in html
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.SUBMITTED


def test_unknown_status_is_refused_and_the_text_kept(persona_client, school_case):
    """A status that does not exist is refused; the reason typed stays in the box."""
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_transition", args=[school_case.uuid]),
        {"to_status": "perdue", "reason": "Mon long motif"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sélectionnez un choix valide" in html
    assert "Mon long motif</textarea>" in html


def test_transition_refused_by_the_workflow_shows_why(persona_client, school_case, education_agent):
    """A case decided meanwhile cannot be moved: the action's message is shown, text kept."""
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.ACCEPTED,
        actor=education_agent.user,
        channel="",
        reason="Déjà fait",
    )
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_transition", args=[school_case.uuid]),
        {"to_status": "rejected", "reason": "Finalement non"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ne peut pas passer de « Acceptée » à « Refusée »" in html
    assert "Finalement non" in html


# Assigning and transferring


def test_assign_to_me_and_back_to_the_pool(persona_client, school_case, education_agent):
    """ "M'attribuer" gives the case to the agent; an empty choice puts it back."""
    client = persona_client.as_("education_agent")
    url = reverse("cases:agent_assign", args=[school_case.uuid])
    assert "M'attribuer la demande" in client.get(page_url(school_case)).content.decode()
    client.post(url, {"assignee": education_agent.user.pk})
    school_case.refresh_from_db()
    assert school_case.assignee == education_agent.user
    response = client.post(url, {"assignee": ""})
    assert "remise dans la file" in client.get(response["Location"]).content.decode()
    school_case.refresh_from_db()
    assert school_case.assignee is None


def test_assign_outside_the_department_is_refused(persona_client, school_case, ccas_agent):
    """An agent of another department is not offered and refused if posted."""
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_assign", args=[school_case.uuid]), {"assignee": ccas_agent.user.pk}
    )
    assert response.status_code == 400
    assert "Choisissez un agent du service Éducation dans la liste." in response.content.decode()
    school_case.refresh_from_db()
    assert school_case.assignee is None


def test_supervisor_may_take_a_case_of_any_department(persona_client, school_case, supervisor):
    """Élise, in no department, may assign herself an education case."""
    persona_client.as_("supervisor").post(
        reverse("cases:agent_assign", args=[school_case.uuid]), {"assignee": supervisor.user.pk}
    )
    school_case.refresh_from_db()
    assert school_case.assignee == supervisor.user


def test_transfer_to_an_unknown_department_keeps_the_note(persona_client, school_case):
    """A department id that does not exist is refused; the note typed is kept."""
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_transfer", args=[school_case.uuid]),
        {"department": "999999", "note": "Relève d'un autre service"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez un service dans la liste." in html
    assert "Relève d&#x27;un autre service</textarea>" in html


def test_transfer_needs_a_note(persona_client, school_case, city):
    """A transfer says why."""
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_transfer", args=[school_case.uuid]),
        {"department": city.population.pk, "note": ""},
    )
    assert response.status_code == 400
    school_case.refresh_from_db()
    assert school_case.department.slug == "education"


def test_transfer_to_the_ccas_leaves_the_agents_sight(persona_client, school_case, city):
    """Sent to the CCAS, the case becomes confidential; Chloé is taken back to her inbox."""
    client = persona_client.as_("education_agent")
    response = client.post(
        reverse("cases:agent_transfer", args=[school_case.uuid]),
        {"department": city.ccas.pk, "note": "Demande d'aide en réalité"},
    )
    assert response["Location"] == reverse("cases:inbox")
    assert "transférée au service CCAS" in client.get(response["Location"]).content.decode()
    assert client.get(page_url(school_case)).status_code == 404
    assert persona_client.as_("ccas_agent").get(page_url(school_case)).status_code == 200


# Messages and notes


def test_message_with_an_attachment_reaches_the_conversation(persona_client, school_case):
    """The department writes with a PDF; the file is listed and downloadable by readers."""
    client = persona_client.as_("education_agent")
    response = client.post(
        reverse("cases:agent_message", args=[school_case.uuid]),
        {
            "body": "Voici le certificat.",
            "attachments": [SimpleUploadedFile("certificat.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    message = CaseMessage.objects.get()
    attachment = message.attachments.get()
    html = client.get(page_url(school_case)).content.decode()
    download = reverse("cases:agent_attachment", args=[school_case.uuid, attachment.uuid])
    assert "Voici le certificat." in html and download in html
    response = persona_client.as_("reception_agent").get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert persona_client.as_("ccas_agent").get(download).status_code == 404


def test_attachment_of_another_case_is_404(persona_client, school_case, school_form, resident):
    """An attachment is only served under its own case."""
    other = file(school_form, resident)
    message = actions.send_message(
        case=other,
        author=resident.user,
        body="Pièce",
        from_resident=True,
        channel=Channel.WEB,
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )
    url = reverse("cases:agent_attachment", args=[school_case.uuid, message.attachments.get().uuid])
    assert persona_client.as_("education_agent").get(url).status_code == 404


def test_fake_attachment_is_refused_and_the_text_kept(persona_client, school_case):
    """A text file named .pdf is refused in French; the message typed is kept."""
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_message", args=[school_case.uuid]),
        {
            "body": "Mon message important",
            "attachments": [SimpleUploadedFile("faux.pdf", b"bonjour")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "n&#x27;est pas un PDF, un JPEG ou un PNG" in html
    assert "Mon message important</textarea>" in html
    assert not CaseMessage.objects.exists()


def test_oversized_attachment_is_refused(persona_client, school_case, settings):
    """A file over the city's limit is refused with the limit stated."""
    settings.GUICHET_MAX_UPLOAD_BYTES = 20
    response = persona_client.as_("education_agent").post(
        reverse("cases:agent_message", args=[school_case.uuid]),
        {"body": "Texte", "attachments": [SimpleUploadedFile("gros.pdf", PDF)]},
    )
    assert response.status_code == 400
    assert "la limite est de" in response.content.decode()
    assert not CaseMessage.objects.exists()


def test_empty_message_and_note_are_refused(persona_client, school_case):
    """Nothing to send: the form says so."""
    client = persona_client.as_("education_agent")
    for action in ("agent_message", "agent_note"):
        response = client.post(reverse(f"cases:{action}", args=[school_case.uuid]), {"body": ""})
        assert response.status_code == 400
        assert "Le formulaire contient une erreur" in response.content.decode()
    assert not CaseMessage.objects.exists() and not CaseNote.objects.exists()


def test_closed_case_takes_no_message(persona_client, school_case, education_agent):
    """After the decision, writing is closed: a message says why, nothing is sent."""
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.REJECTED,
        actor=education_agent.user,
        channel="",
        reason="Hors secteur",
    )
    client = persona_client.as_("education_agent")
    response = client.post(
        reverse("cases:agent_message", args=[school_case.uuid]), {"body": "Encore un mot"}
    )
    assert response["Location"] == page_url(school_case)
    assert "Cette demande est close" in client.get(page_url(school_case)).content.decode()
    assert not CaseMessage.objects.exists()


def test_note_is_added(persona_client, school_case, education_agent):
    """A note is stored with its author."""
    persona_client.as_("education_agent").post(
        reverse("cases:agent_note", args=[school_case.uuid]), {"body": "Rappeler lundi"}
    )
    note = CaseNote.objects.get()
    assert (note.body, note.author) == ("Rappeler lundi", education_agent.user)
