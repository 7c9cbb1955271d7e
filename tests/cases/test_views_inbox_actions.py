"""The inbox's own actions: saved views, bulk assignment, and the CSV export."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case, SavedView
from guichet.organisation.choices import Role
from tests.cases.backoffice_fixtures import case_for
from tests.conftest import PERSONAS
from tests.factories import AgentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("cases:inbox")
INBOX_PERSONAS = {"ccas_agent", "education_agent", "supervisor", "admin_agent"}


# Saved views


def test_save_list_and_open_a_view(persona_client, education_agent):
    """Saving keeps the filters (not the page); the view is listed and marked when open."""
    client = persona_client.as_("education_agent")
    response = client.post(
        reverse("cases:save_view"),
        {"name": "Mes retards", "query": "due=overdue&assignee=moi&page=3&bogus=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?due=overdue&assignee=moi"
    view = SavedView.objects.get(owner=education_agent.user)
    assert (view.name, view.query) == ("Mes retards", "due=overdue&assignee=moi")
    html = client.get(response["Location"]).content.decode()
    assert "La vue « Mes retards » est enregistrée." in html
    link = f'<a href="{INBOX}?due=overdue&amp;assignee=moi" aria-current="page">Mes retards</a>'
    assert link in html
    assert link not in client.get(INBOX).content.decode()


def test_saving_under_the_same_name_replaces(persona_client, education_agent):
    """A second save under a name updates that view instead of failing."""
    client = persona_client.as_("education_agent")
    client.post(reverse("cases:save_view"), {"name": "Ma vue", "query": "due=near"})
    response = client.post(reverse("cases:save_view"), {"name": "Ma vue", "query": "due=paused"})
    assert SavedView.objects.get().query == "due=paused"
    assert "mise à jour" in client.get(response["Location"]).content.decode()


def test_saving_without_a_name_says_so(persona_client):
    """A view needs a name: French message, filters kept."""
    client = persona_client.as_("education_agent")
    response = client.post(reverse("cases:save_view"), {"name": " ", "query": "due=near"})
    assert response["Location"] == f"{INBOX}?due=near"
    assert "Donnez un nom à la vue" in client.get(response["Location"]).content.decode()
    assert not SavedView.objects.exists()


def test_delete_own_view_only(persona_client, education_agent, ccas_agent):
    """An agent deletes their views; another agent's view is 404."""
    mine = SavedView.objects.create(owner=education_agent.user, name="A", query="")
    theirs = SavedView.objects.create(owner=ccas_agent.user, name="B", query="")
    client = persona_client.as_("education_agent")
    assert client.post(reverse("cases:delete_view", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("cases:delete_view", args=[mine.pk])).status_code == 302
    assert list(SavedView.objects.all()) == [theirs]


@pytest.mark.parametrize("persona", PERSONAS)
def test_saved_views_need_an_inbox(persona, persona_client, city):
    """Saving a view is for those with an inbox; others get 404."""
    response = persona_client.as_(persona).post(reverse("cases:save_view"), {"name": "X"})
    if persona == "anonymous":
        assert response.status_code == 302 and "connexion" in response["Location"]
    else:
        assert response.status_code == (302 if persona in INBOX_PERSONAS else 404)


# Bulk assignment


def test_bulk_assignment_counts_what_it_skipped(
    persona_client, school_form, social_form, education_agent
):
    """Cases are given to the agent; foreign and closed ones are skipped and counted."""
    colleague = AgentFactory(
        role=Role.DEPARTMENT, departments=[school_form.procedure.department]
    ).user
    colleague.first_name, colleague.last_name = "Paul", "Roux"
    colleague.save()
    open_cases = [case_for(school_form) for _ in range(3)]
    closed = case_for(school_form, status=CaseStatus.ACCEPTED)
    foreign = case_for(social_form)
    client = persona_client.as_("education_agent")
    response = client.post(
        reverse("cases:bulk_assign"),
        {
            "cases": [str(c.uuid) for c in [*open_cases, closed, foreign]],
            "assignee": colleague.pk,
            "query": "due=near",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?due=near"
    html = client.get(response["Location"]).content.decode()
    assert "3 demandes attribuées à Paul Roux." in html
    assert "1 demande ignorée : vous ne pouvez pas la traiter." in html
    assert "1 demande ignorée : elle est close" in html
    assert Case.objects.filter(assignee=colleague).count() == 3
    assert all(
        c.events.filter(kind=CaseEventKind.ASSIGNED, actor=education_agent.user).exists()
        for c in open_cases
    )
    assert foreign.events.filter(kind=CaseEventKind.ASSIGNED).count() == 0


def test_bulk_assignment_refuses_an_agent_of_another_department(
    persona_client, school_form, ccas_agent
):
    """A department agent may only hand cases to their department's agents."""
    case = case_for(school_form)
    response = persona_client.as_("education_agent").post(
        reverse("cases:bulk_assign"), {"cases": [str(case.uuid)], "assignee": ccas_agent.user.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez un agent dans la liste." in html
    assert f'value="{case.uuid}" id="select-{case.uuid}" checked' in html
    case.refresh_from_db()
    assert case.assignee is None


def test_supervisor_assigns_across_departments_to_their_members(
    persona_client, school_form, birth_form, education_agent
):
    """A supervisor gives Chloé her department's case; the population one is skipped."""
    school = case_for(school_form)
    birth = case_for(birth_form)
    response = persona_client.as_("supervisor").post(
        reverse("cases:bulk_assign"),
        {"cases": [str(school.uuid), str(birth.uuid)], "assignee": education_agent.user.pk},
    )
    html = persona_client.client.get(response["Location"]).content.decode()
    assert "1 demande attribuée à" in html
    assert "relève d&#x27;un service" in html
    assert Case.objects.get(pk=school.pk).assignee == education_agent.user
    assert Case.objects.get(pk=birth.pk).assignee is None


def test_supervisor_takes_cases_of_any_department(
    persona_client, school_form, birth_form, supervisor
):
    """Élise, in no department, gives herself an education and a population case."""
    cases = [case_for(school_form), case_for(birth_form)]
    persona_client.as_("supervisor").post(
        reverse("cases:bulk_assign"),
        {"cases": [str(case.uuid) for case in cases], "assignee": supervisor.user.pk},
    )
    assert Case.objects.filter(assignee=supervisor.user).count() == 2


def test_bulk_assignment_without_choice_keeps_the_filters(persona_client, school_form):
    """Nothing ticked: a French message, the page drawn again with its filters."""
    case_for(school_form, reference="2026-NEAR01", due_date=timezone.localdate())
    case_for(school_form, reference="2026-FINE01")
    response = persona_client.as_("education_agent").post(
        reverse("cases:bulk_assign"), {"query": "due=near"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Cochez au moins une demande dans la liste." in html
    assert "Choisissez l&#x27;agent à qui attribuer les demandes." in html
    assert "2026-NEAR01" in html and "2026-FINE01" not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_assignment_needs_an_inbox(persona, persona_client, city):
    """Bulk assignment is for those with an inbox; others get 404."""
    response = persona_client.as_(persona).post(reverse("cases:bulk_assign"), {})
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (400 if persona in INBOX_PERSONAS else 404)


# CSV


@pytest.mark.parametrize("persona", PERSONAS)
def test_csv_export_is_for_supervisors(persona, persona_client, city):
    """Only supervisors and administrators export the inbox."""
    response = persona_client.as_(persona).get(reverse("cases:inbox_csv"))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in {"supervisor", "admin_agent"} else 404)


def test_csv_export_follows_the_filters(persona_client, school_form, birth_form, education_agent):
    """The export holds the filtered cases, with their deadline state, safe for spreadsheets."""
    late = case_for(
        school_form,
        reference="2026-LATE01",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
        assignee=education_agent.user,
        resident=ResidentFactory(first_names="=cmd", usage_name="Hack"),
    )
    case_for(birth_form, reference="2026-POPU01")
    response = persona_client.as_("supervisor").get(
        reverse("cases:inbox_csv"), {"department": "education"}
    )
    assert response["Content-Type"] == "text/csv"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Référence;Démarche;Service;Statut")
    assert len(lines) == 2
    row = lines[1].split(";")
    assert row[0] == late.reference
    assert "En retard" in row
    assert education_agent.user.display_name() in row
    assert "2026-POPU01" not in text
