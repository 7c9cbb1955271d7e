"""API: downloading a conversation's files, marking messages read, a resident withdrawing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.cases.actions import send_message, transition_case
from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case, CaseMessage
from tests.cases.api_fixtures import CONVERSATION, messages_url, status_for, transitions_url, write
from tests.conftest import PERSONAS
from tests.residents.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _with_file(case: Case, author, *, from_resident: bool, name: str = "decision.pdf"):  # type: ignore[no-untyped-def]
    return send_message(
        case=case,
        author=author,
        body="Voici le document.",
        from_resident=from_resident,
        channel="web" if from_resident else "",
        attachments=[SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")],
    )


def _file_url(case: Case, message: CaseMessage) -> str:
    return reverse("api-case-attachment", args=[case.uuid, message.attachments.get().uuid])


def _read_url(case: Case) -> str:
    return reverse("api-case-messages-read", args=[case.uuid])


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_download_a_file(api, persona, population_case, supervisor):
    """Whoever reads the conversation downloads its files; everyone else gets a 404."""
    message = _with_file(population_case, supervisor.user, from_resident=False)
    response = api(persona).get(_file_url(population_case, message))
    assert response.status_code == status_for(persona, CONVERSATION)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="decision.pdf"' in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_ccas_file_stays_with_the_ccas(api, persona, ccas_case, ccas_agent):
    message = _with_file(ccas_case, ccas_agent.user, from_resident=False)
    response = api(persona).get(_file_url(ccas_case, message))
    assert response.status_code == status_for(persona, {"resident", "ccas_agent"})


def test_a_file_is_served_under_its_own_case_only(api, population_case, make_case, population_form):
    """A file of another case named under this one is a 404, not a leak."""
    other = make_case(population_form)
    message = _with_file(other, other.resident.user, from_resident=True)
    url = reverse(
        "api-case-attachment", args=[population_case.uuid, message.attachments.get().uuid]
    )
    assert api("supervisor").get(url).status_code == 404
    missing = reverse("api-case-attachment", args=[population_case.uuid, population_case.uuid])
    assert api("resident").get(missing).status_code == 404


def test_a_file_missing_from_the_storage_is_a_404(api, population_case, supervisor):
    message = _with_file(population_case, supervisor.user, from_resident=False)
    attachment = message.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    assert api("resident").get(_file_url(population_case, message)).status_code == 404


def test_messages_name_where_to_download_their_files(api, population_case, supervisor):
    message = _with_file(population_case, supervisor.user, from_resident=False)
    listed = api("resident").get(messages_url(population_case)).json()["results"][0]
    (attachment,) = listed["attachments"]
    assert attachment["url"] == f"http://testserver{_file_url(population_case, message)}"
    assert api("resident").get(attachment["url"]).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_mark_messages_read(api, persona, population_case, supervisor):
    write(population_case, supervisor.user, "Bonjour")
    response = api(persona).post(_read_url(population_case))
    assert response.status_code == status_for(persona, CONVERSATION)


def test_each_side_marks_what_was_written_to_it(api, population_case, supervisor, resident):
    """The resident reads the department's messages; the agent the resident's; once each."""
    write(population_case, supervisor.user, "Question ?")
    write(population_case, resident.user, "Réponse.", from_resident=True)
    assert api("resident").post(_read_url(population_case)).json() == {"marked": 1}
    assert api("resident").post(_read_url(population_case)).json() == {"marked": 0}
    from_city = CaseMessage.objects.get(from_resident=False)
    assert from_city.read_at is not None
    assert CaseMessage.objects.get(from_resident=True).read_at is None
    assert api("supervisor").post(_read_url(population_case)).json() == {"marked": 1}
    assert not CaseMessage.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_withdraw_a_case(api, persona, population_case):
    """Only the resident withdraws their case; an agent's cancel still needs a reason."""
    response = api(persona).post(
        transitions_url(population_case), {"status": "cancelled"}, format="json"
    )
    allowed = {"resident"}
    if persona in {"supervisor", "admin_agent"}:
        assert response.status_code == 400  # agents give the reason the resident will read
        return
    assert response.status_code == status_for(persona, allowed)
    status = Case.objects.get(pk=population_case.pk).status
    assert status == (CaseStatus.CANCELLED if persona == "resident" else population_case.status)


def test_the_resident_withdraws_with_or_without_a_reason(api, population_case, resident):
    response = api("resident").post(
        transitions_url(population_case),
        {"status": "cancelled", "reason": "J'ai trouvé une autre solution."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    event = population_case.events.get(to_status=CaseStatus.CANCELLED)
    assert (event.actor, event.channel, event.reason) == (
        resident.user,
        "web",
        "J'ai trouvé une autre solution.",
    )
    assert event.kind == CaseEventKind.STATUS_CHANGED


def test_a_resident_may_not_decide_their_own_case(api, population_case):
    for target in ("accepted", "in_progress", "rejected"):
        response = api("resident").post(
            transitions_url(population_case), {"status": target}, format="json"
        )
        assert response.status_code == 400
        assert "retirer" in response.json()["status"][0]
    assert Case.objects.get(pk=population_case.pk).status == CaseStatus.SUBMITTED


def test_a_closed_case_cannot_be_withdrawn(api, population_case, supervisor):
    transition_case(
        case=population_case,
        to_status=CaseStatus.ACCEPTED,
        actor=supervisor.user,
        channel="",
        reason="Acte délivré.",
    )
    response = api("resident").post(
        transitions_url(population_case), {"status": "cancelled"}, format="json"
    )
    assert response.status_code == 400
    assert "close" in response.json()["detail"]
    assert Case.objects.get(pk=population_case.pk).status == CaseStatus.ACCEPTED


@pytest.mark.parametrize("body", [{}, {"status": "nimporte"}, {"status": ["cancelled"]}, []])
def test_a_malformed_withdrawal_is_400(api, population_case, body):
    response = api("resident").post(transitions_url(population_case), body, format="json")
    assert response.status_code == 400
    assert Case.objects.get(pk=population_case.pk).status == CaseStatus.SUBMITTED
