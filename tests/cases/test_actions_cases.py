"""The cases' actions: filing, transitions, messages, assignment, transfer and notes."""

from __future__ import annotations

import datetime
import re
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from guichet.cases import actions, draft_actions
from guichet.cases.access import get_case_by_tracking_code
from guichet.cases.choices import (
    REASON_REQUIRED,
    TRANSITIONS,
    CaseEventKind,
    CaseStatus,
    DeadlineState,
)
from guichet.cases.deadlines import deadline_state
from guichet.cases.models import Case, CaseDraft, CaseEvent, CaseMessage, CaseNote
from guichet.notifications.models import Notification
from guichet.organisation.choices import Channel
from tests.cases.backoffice_fixtures import file
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

CODE = "[23456789ABCDEFGHJKMNPQRSTUVWXYZ]"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Filing


def test_filing_records_the_case_its_history_and_the_acknowledgement(school_form, resident):
    """Filing makes a submitted case in the form's department, with history and a receipt."""
    case = file(school_form, resident)
    assert case.status == CaseStatus.SUBMITTED
    assert case.department.slug == "education"
    assert case.commitment_days == 10
    assert case.filed_by == resident.user
    assert not case.filed_on_behalf
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [CaseEventKind.SUBMITTED, CaseEventKind.ACKNOWLEDGED]
    notice = Notification.objects.get(dedupe_key=f"case:{case.uuid}:received")
    assert notice.event == "case_received"
    assert notice.recipient == "helene@example.org"


def test_receipt_goes_to_the_address_the_resident_just_gave(school_form, resident):
    """A new email copied to the file with the filing (tell us once) receives the receipt."""
    case = actions.file_case(
        case_form=school_form,
        resident=resident,
        data={"objet": "A"},
        actor=resident.user,
        channel=Channel.WEB,
        profile_updates={"email": "helene.nouvelle@example.org"},
    ).case
    notice = Notification.objects.get(dedupe_key=f"case:{case.uuid}:received")
    assert notice.recipient == "helene.nouvelle@example.org"


def test_filing_without_automatic_acknowledgement_sends_nothing(school_form, resident):
    """A form that does not acknowledge automatically files silently."""
    school_form.acknowledge_automatically = False
    school_form.save()
    case = file(school_form, resident)
    assert list(case.events.values_list("kind", flat=True)) == [CaseEventKind.SUBMITTED]
    assert not Notification.objects.exists()


def test_filing_on_behalf_records_the_agent(school_form, resident, reception_agent, city):
    """A case filed by an agent is marked as filed on the resident's behalf, with the site."""
    case = file(
        school_form, resident, actor=reception_agent.user, channel=Channel.COUNTER, site=city.annex
    )
    assert case.filed_by == reception_agent.user
    assert case.filed_on_behalf
    assert case.channel == Channel.COUNTER
    assert case.site == city.annex
    assert case.events.get(kind=CaseEventKind.SUBMITTED).actor == reception_agent.user


def test_filing_in_a_confidential_department_makes_a_confidential_case(social_form, resident):
    """A CCAS case is confidential from the start."""
    assert file(social_form, resident).confidential


def test_same_submission_key_files_once(school_form, resident):
    """A retry with the same key returns the first case instead of filing another."""
    key = uuid.uuid4()
    first = actions.file_case(
        case_form=school_form,
        resident=resident,
        data={"objet": "A"},
        actor=resident.user,
        channel=Channel.WEB,
        submission_key=key,
    )
    again = actions.file_case(
        case_form=school_form,
        resident=resident,
        data={"objet": "B"},
        actor=resident.user,
        channel=Channel.WEB,
        submission_key=key,
    )
    assert first.created and not again.created
    assert again.case.pk == first.case.pk
    assert Case.objects.count() == 1
    assert Notification.objects.filter(event="case_received").count() == 1


def test_refused_duplicate_leaves_nothing_of_the_loser(school_form, resident):
    """The key is checked by the insert: the loser's whole filing is rolled back, history,
    message and the file update it asked for included, and it answers with the winner."""
    key = uuid.uuid4()
    winner = actions.file_case(
        case_form=school_form,
        resident=resident,
        data={"objet": "A"},
        actor=resident.user,
        channel=Channel.WEB,
        submission_key=key,
    ).case
    loser = actions.file_case(
        case_form=school_form,
        resident=resident,
        data={"objet": "B"},
        actor=resident.user,
        channel=Channel.WEB,
        submission_key=key,
        profile_updates={"phone": "0601020304"},
    )
    assert not loser.created
    assert loser.case.pk == winner.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(kind=CaseEventKind.SUBMITTED).count() == 1
    assert Notification.objects.count() == 1
    resident.refresh_from_db()
    assert resident.phone != "+33601020304"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the write lock when the transaction begins: filings cannot overlap",
)
def test_truly_concurrent_filings_with_one_key_make_one_case(school_form, resident, monkeypatch):
    """Two threads filing with the same key at the same moment end with one case, both told."""
    key = uuid.uuid4()
    both_inside = threading.Barrier(2, timeout=10)
    real_file_case = actions._file_case

    def file_together(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Both transactions are open before either inserts.
        both_inside.wait()
        return real_file_case(*args, **kwargs)

    monkeypatch.setattr(actions, "_file_case", file_together)
    results: list[actions.Filing] = []

    def submit() -> None:
        try:
            results.append(
                actions.file_case(
                    case_form=school_form,
                    resident=resident,
                    data={"objet": "A"},
                    actor=resident.user,
                    channel=Channel.WEB,
                    submission_key=key,
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result.created for result in results) == [False, True]
    assert len({result.case.pk for result in results}) == 1
    assert Case.objects.count() == 1


def test_submitting_a_draft_twice_files_once(school_form, resident):
    """A double click on "submit" files one case; the draft points to it."""
    draft = draft_actions.start_draft(
        form_version=school_form.current_version(),
        resident=resident,
        owner=resident.user,
        channel=Channel.WEB,
    )
    first = draft_actions.submit_draft(draft=draft, data={"objet": "A"}, actor=resident.user)
    again = draft_actions.submit_draft(draft=draft, data={"objet": "A"}, actor=resident.user)
    assert first.created and not again.created
    assert first.case.pk == again.case.pk
    assert CaseDraft.objects.get(pk=draft.pk).submitted_case == first.case
    assert first.case.submission_key == draft.submission_key


def test_start_draft_for_an_agent_keeps_channel_and_site(
    school_form, resident, reception_agent, city
):
    """An agent's draft for a resident keeps who fills it, the channel and the site."""
    draft = draft_actions.start_draft(
        form_version=school_form.current_version(),
        resident=resident,
        owner=reception_agent.user,
        channel=Channel.PHONE,
        site=city.annex,
    )
    assert (draft.owner, draft.resident, draft.channel, draft.site) == (
        reception_agent.user,
        resident,
        Channel.PHONE,
        city.annex,
    )


def test_reference_and_tracking_code_formats(school_form, resident):
    """References read YEAR-XXXXXX and tracking codes XXXX-XXXX-XXXX, unambiguous letters."""
    case = file(school_form, resident)
    year = timezone.localdate(case.submitted_at).year
    assert re.fullmatch(rf"{year}-{CODE}{{6}}", case.reference)
    assert re.fullmatch(rf"{CODE}{{4}}-{CODE}{{4}}-{CODE}{{4}}", case.tracking_code)
    assert not set("01ILO") & set(case.reference[5:] + case.tracking_code.replace("-", ""))


def test_codes_are_random():
    """Two codes drawn in a row differ (60 bits of randomness each)."""
    assert len({actions.new_tracking_code() for _ in range(50)}) == 50
    assert len({actions.new_reference(2026) for _ in range(50)}) == 50


def test_tracking_code_is_found_however_it_is_typed(school_form, resident):
    """A tracking code typed in lower case, without dashes or with spaces finds the case."""
    case = file(school_form, resident)
    typed = case.tracking_code.replace("-", " ").lower()
    assert get_case_by_tracking_code(typed) == case


def test_reference_collision_draws_again(school_form, resident, monkeypatch):
    """A reference already taken is drawn again instead of failing the filing."""
    taken = CaseFactory(reference="2026-AAAAAA")
    drawn = iter(["2026-AAAAAA", "2026-BBBBBB"])
    monkeypatch.setattr(actions, "new_reference", lambda year: next(drawn))
    case = file(school_form, resident)
    assert case.reference == "2026-BBBBBB"
    assert taken.reference == "2026-AAAAAA"


# Transitions


def _case_in(status: str, **fields: object) -> Case:
    case: Case = CaseFactory(status=status, **fields)
    if status == CaseStatus.WAITING:
        Case.objects.filter(pk=case.pk).update(paused_at=timezone.now())
        case.refresh_from_db()
    return case


@pytest.mark.parametrize("from_status", CaseStatus.values)
@pytest.mark.parametrize("to_status", CaseStatus.values)
def test_transition_matrix(from_status, to_status, education_agent):
    """A case moves only along the workflow; anything else is refused with a French message."""
    case = _case_in(from_status)
    if to_status in TRANSITIONS[from_status]:
        event = actions.transition_case(
            case=case, to_status=to_status, actor=education_agent.user, channel="", reason="Motif"
        )
        case.refresh_from_db()
        assert case.status == to_status
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert event.actor == education_agent.user
    else:
        with pytest.raises(actions.TransitionNotAllowed) as refusal:
            actions.transition_case(
                case=case,
                to_status=to_status,
                actor=education_agent.user,
                channel="",
                reason="Motif",
            )
        assert "ne peut pas passer" in refusal.value.message
        case.refresh_from_db()
        assert case.status == from_status
        assert not case.events.exists()


@pytest.mark.parametrize("to_status", sorted(REASON_REQUIRED))
def test_decisions_and_requests_need_a_reason(to_status, school_case, education_agent):
    """Deciding, cancelling or asking for information without a reason is refused."""
    with pytest.raises(actions.TransitionNotAllowed) as refusal:
        actions.transition_case(
            case=school_case,
            to_status=to_status,
            actor=education_agent.user,
            channel="",
            reason="  ",
        )
    assert refusal.value.message.startswith("Indiquez")
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.SUBMITTED
    assert not school_case.events.filter(kind=CaseEventKind.STATUS_CHANGED).exists()


def test_taking_up_a_case_needs_no_reason(school_case, education_agent):
    """Moving a case to "in progress" needs no reason."""
    actions.transition_case(
        case=school_case, to_status=CaseStatus.IN_PROGRESS, actor=education_agent.user, channel=""
    )
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.IN_PROGRESS


def test_decision_closes_the_case_and_tells_the_resident(school_case, education_agent):
    """Accepting records the reason, closes the case and notifies the resident once."""
    event = actions.transition_case(
        case=school_case,
        to_status=CaseStatus.ACCEPTED,
        actor=education_agent.user,
        channel="",
        reason=" Inscription confirmée à l'école Jean-Jaurès. ",
    )
    school_case.refresh_from_db()
    assert school_case.is_closed and school_case.closed_at is not None
    assert school_case.decision_reason == "Inscription confirmée à l'école Jean-Jaurès."
    notice = Notification.objects.get(dedupe_key=f"case:{school_case.uuid}:event:{event.pk}")
    assert notice.event == "case_decided"


def test_asking_for_information_pauses_and_notifies(school_case, education_agent):
    """WAITING stops the clock and sends the resident what is missing."""
    event = actions.transition_case(
        case=school_case,
        to_status=CaseStatus.WAITING,
        actor=education_agent.user,
        channel="",
        reason="Merci de joindre un justificatif de domicile.",
    )
    school_case.refresh_from_db()
    assert school_case.is_paused
    assert deadline_state(school_case) == DeadlineState.PAUSED
    notice = Notification.objects.get(dedupe_key=f"case:{school_case.uuid}:event:{event.pk}")
    assert notice.event == "case_information_needed"
    assert "justificatif de domicile" in notice.body_text


def _pause_since(case: Case, days_ago: int) -> None:
    """Backdate the filing and the current pause, as if the resident had been slow."""
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        submitted_at=now - datetime.timedelta(days=days_ago + 3),
        paused_at=now - datetime.timedelta(days=days_ago),
    )
    case.refresh_from_db()


# Messages


def test_resident_message_resumes_a_waiting_case(school_case, education_agent, resident):
    """The resident's answer moves a waiting case back to processing, clock restarted."""
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.WAITING,
        actor=education_agent.user,
        channel="",
        reason="Pièce manquante",
    )
    _pause_since(school_case, 7)
    actions.send_message(
        case=school_case,
        author=resident.user,
        body="Voici la pièce.",
        from_resident=True,
        channel=Channel.WEB,
    )
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.IN_PROGRESS
    assert school_case.paused_at is None and school_case.paused_working_days > 0
    last = school_case.events.order_by("-id")[:2]
    assert [event.kind for event in reversed(last)] == [
        CaseEventKind.MESSAGE_FROM_RESIDENT,
        CaseEventKind.STATUS_CHANGED,
    ]


def test_resident_message_leaves_other_statuses_alone(school_case, resident):
    """A message on a case that is not waiting changes nothing but the conversation."""
    actions.send_message(
        case=school_case,
        author=resident.user,
        body="Une question.",
        from_resident=True,
        channel=Channel.WEB,
    )
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.SUBMITTED


def test_agent_message_is_sent_to_the_resident_with_attachments(school_case, education_agent):
    """A department message notifies the resident; attachments keep name, type and size."""
    upload = SimpleUploadedFile("courrier.pdf", PDF, content_type="text/plain")
    message = actions.send_message(
        case=school_case,
        author=education_agent.user,
        body="Votre dossier est complet.",
        from_resident=False,
        channel="",
        attachments=[upload],
    )
    attachment = message.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "courrier.pdf",
        "application/pdf",
        len(PDF),
    )
    assert str(school_case.uuid) in attachment.file.name
    assert "courrier" not in attachment.file.name
    notice = Notification.objects.get(dedupe_key=f"case:{school_case.uuid}:message:{message.uuid}")
    assert notice.event == "case_message"
    assert school_case.events.filter(kind=CaseEventKind.MESSAGE_FROM_AGENT).exists()


def test_mark_messages_read_counts_the_unread(school_case, education_agent, resident):
    """Reading marks the other side's messages only, and says how many were new."""
    for body in ("Un", "Deux"):
        actions.send_message(
            case=school_case,
            author=resident.user,
            body=body,
            from_resident=True,
            channel=Channel.WEB,
        )
    actions.send_message(
        case=school_case,
        author=education_agent.user,
        body="Réponse",
        from_resident=False,
        channel="",
    )
    assert actions.mark_messages_read(case=school_case, by_resident=False) == 2
    assert actions.mark_messages_read(case=school_case, by_resident=False) == 0
    assert CaseMessage.objects.filter(from_resident=False, read_at__isnull=True).count() == 1


# Assignment, transfer, notes


def test_assign_and_release(school_case, education_agent, supervisor):
    """Assigning records who gave the case to whom; None puts it back in the pool."""
    actions.assign_case(case=school_case, assignee=education_agent.user, actor=supervisor.user)
    school_case.refresh_from_db()
    assert school_case.assignee == education_agent.user
    actions.assign_case(case=school_case, assignee=None, actor=supervisor.user)
    school_case.refresh_from_db()
    assert school_case.assignee is None
    events = list(school_case.events.filter(kind=CaseEventKind.ASSIGNED))
    assert [(e.actor, e.assignee) for e in events] == [
        (supervisor.user, education_agent.user),
        (supervisor.user, None),
    ]


def test_transfer_to_the_ccas_makes_the_case_confidential(school_case, education_agent, city):
    """A transfer changes the department and its confidentiality, and unassigns the case."""
    actions.assign_case(case=school_case, assignee=education_agent.user, actor=education_agent.user)
    event = actions.transfer_case(
        case=school_case,
        department=city.ccas,
        actor=education_agent.user,
        note="Situation de précarité : relève du CCAS.",
    )
    school_case.refresh_from_db()
    assert school_case.department == city.ccas
    assert school_case.confidential
    assert school_case.assignee is None
    assert (event.from_department, event.to_department) == (city.education, city.ccas)
    assert CaseNote.objects.get(case=school_case).body == "Situation de précarité : relève du CCAS."


def test_transfer_out_of_the_ccas_lifts_confidentiality(social_case, ccas_agent, city):
    """Sent to a department that is not confidential, the case is no longer confidential."""
    actions.transfer_case(
        case=social_case, department=city.education, actor=ccas_agent.user, note=""
    )
    social_case.refresh_from_db()
    assert not social_case.confidential
    assert not CaseNote.objects.exists()


def test_note_is_internal_history(school_case, education_agent):
    """A note is stored stripped and leaves a history row, and no notification."""
    before = Notification.objects.count()
    note = actions.add_note(case=school_case, author=education_agent.user, body=" Appelé le père. ")
    assert note.body == "Appelé le père."
    assert school_case.events.filter(kind=CaseEventKind.NOTE_ADDED).exists()
    assert Notification.objects.count() == before


def test_resident_cancels_their_case(school_case, resident):
    """The resident may withdraw; a default reason is recorded when none is given."""
    actions.cancel_by_resident(case=school_case, actor=resident.user, reason="")
    school_case.refresh_from_db()
    assert school_case.status == CaseStatus.CANCELLED
    assert school_case.decision_reason == "Demande retirée par l'usager."
