"""The cases' part of the resident timeline, and the cases block of the resident page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.cases import actions
from guichet.cases.choices import CaseStatus
from guichet.cases.timeline import timeline_entries
from guichet.organisation.choices import Channel
from tests.cases.backoffice_fixtures import file
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _decide(case, agent, status=CaseStatus.ACCEPTED, reason="Dossier complet."):  # type: ignore[no-untyped-def]
    actions.transition_case(
        case=case, to_status=status, actor=agent.user, channel="", reason=reason
    )


@pytest.mark.parametrize("persona", ["resident", "other_resident"])
def test_residents_get_no_entries(persona, request, resident, school_case):
    """The back-office timeline is for agents: residents (even the owner) get nothing."""
    viewer = request.getfixturevalue(persona).user
    assert timeline_entries(resident, viewer) == []


def test_anonymous_gets_no_entries(resident, school_case):
    """Nobody logged in: nothing."""
    from django.contrib.auth.models import AnonymousUser

    assert timeline_entries(resident, AnonymousUser()) == []


def test_one_entry_per_case_and_per_decision(resident, school_case, education_agent):
    """A decided case gives its filing entry and its decision entry, both of kind "case"."""
    _decide(school_case, education_agent, reason="Inscription confirmée.")
    entries = timeline_entries(resident, education_agent.user)
    assert [entry.kind for entry in entries] == ["case", "case"]
    filed, decision = sorted(entries, key=lambda entry: entry.occurred_at)
    assert filed.title == f"Demande {school_case.reference} — Inscription scolaire"
    assert filed.occurred_at == school_case.submitted_at
    assert filed.badges == ("Acceptée",)
    assert (filed.channel, filed.channel_label) == (Channel.WEB, "En ligne")
    assert filed.department == "Éducation"
    assert filed.url == reverse("cases:agent_case", args=[school_case.uuid])
    assert decision.title == f"Décision : Acceptée — demande {school_case.reference}"
    assert decision.summary == "Inscription confirmée."
    assert decision.agent == education_agent.user.display_name()
    assert not filed.restricted and not decision.restricted


def test_entry_names_the_agent_who_filed_on_behalf(resident, school_form, reception_agent, city):
    """A case filed at the counter shows the agent and the site; one filed online does not."""
    at_desk = file(
        school_form, resident, actor=reception_agent.user, channel=Channel.COUNTER, site=city.annex
    )
    online = file(school_form, resident)
    entries = {entry.url: entry for entry in timeline_entries(resident, reception_agent.user)}
    desk_entry = entries[reverse("cases:agent_case", args=[at_desk.uuid])]
    assert desk_entry.agent == reception_agent.user.display_name()
    assert desk_entry.site == "Mairie annexe Nord"
    assert entries[reverse("cases:agent_case", args=[online.uuid])].agent == ""


@pytest.mark.parametrize("persona", ["ccas_agent"])
def test_ccas_agent_reads_ccas_entries(persona, request, resident, social_case, ccas_agent):
    """The CCAS sees its case in full, with its link and decision reason."""
    _decide(social_case, ccas_agent, CaseStatus.REJECTED, "Ressources au-dessus du plafond.")
    entries = timeline_entries(resident, ccas_agent.user)
    assert all(not entry.restricted and entry.url for entry in entries)
    assert any(entry.summary == "Ressources au-dessus du plafond." for entry in entries)


@pytest.mark.parametrize(
    "persona",
    ["education_agent", "reception_agent", "helper_agent", "supervisor", "admin_agent", "dpo"],
)
def test_others_see_ccas_entries_restricted(persona, request, resident, social_case, ccas_agent):
    """Outside the CCAS, a confidential case shows only dates, status and the department."""
    _decide(social_case, ccas_agent, CaseStatus.REJECTED, "Ressources au-dessus du plafond.")
    viewer = request.getfixturevalue(persona).user
    entries = timeline_entries(resident, viewer)
    assert len(entries) == 2
    for entry in entries:
        assert entry.restricted
        assert entry.title == "Demande confidentielle (CCAS)"
        assert entry.url == "" and entry.summary == "" and entry.agent == ""
        assert entry.channel == "" and entry.site == ""
        assert social_case.reference not in entry.title
        assert entry.badges == ("Refusée",)


def test_agent_who_filed_a_ccas_case_reads_its_entry(resident, social_form, reception_agent):
    """Alice filed the CCAS request with the resident: she keeps reading it."""
    case = file(social_form, resident, actor=reception_agent.user, channel=Channel.COUNTER)
    (entry,) = timeline_entries(resident, reception_agent.user)
    assert not entry.restricted
    assert entry.url == reverse("cases:agent_case", args=[case.uuid])


@pytest.mark.parametrize(
    ("persona", "linked"),
    [
        ("education_agent", True),
        ("reception_agent", True),
        ("helper_agent", True),
        ("supervisor", True),
        ("ccas_agent", False),
        ("dpo", False),
    ],
)
def test_link_only_for_those_who_may_open_the_case(persona, linked, request, resident, school_case):
    """A non-confidential case is titled for every agent, linked for those who may open it."""
    viewer = request.getfixturevalue(persona).user
    (entry,) = timeline_entries(resident, viewer)
    assert not entry.restricted
    assert entry.title.startswith(f"Demande {school_case.reference}")
    assert bool(entry.url) == linked


def test_query_count_is_constant(
    resident, school_form, social_form, education_agent, ccas_agent, django_assert_num_queries
):
    """Twenty decided cases need as many queries as one."""
    first = file(school_form, resident)
    _decide(first, education_agent)
    timeline_entries(resident, education_agent.user)  # the agent's departments, cached
    with CaptureQueriesContext(connection) as one:
        timeline_entries(resident, education_agent.user)
    expected = len(one.captured_queries)
    for number in range(20):
        form = social_form if number % 3 == 0 else school_form
        case = file(form, resident)
        _decide(case, ccas_agent if form is social_form else education_agent)
    with django_assert_num_queries(expected):
        entries = timeline_entries(resident, education_agent.user)
    assert len(entries) == 42


# Through the resident page of the back office


def _resident_page(persona_client, persona, resident, **query):  # type: ignore[no-untyped-def]
    return (
        persona_client.as_(persona)
        .get(reverse("backoffice:resident", args=[resident.uuid]), query)
        .content.decode()
    )


def test_resident_page_timeline_has_the_cases(persona_client, resident, school_case, social_case):
    """The resident page lists cases in its timeline, restricted where confidential."""
    html = _resident_page(persona_client, "education_agent", resident)
    assert f"Demande {school_case.reference} — Inscription scolaire" in html
    assert "Demande confidentielle (CCAS)" in html
    assert social_case.reference not in html
    assert '<option value="case">Demandes</option>' in html


def test_resident_page_filters_the_timeline_on_cases(persona_client, resident, school_case):
    """The kind filter "Demandes" keeps the case entries."""
    html = _resident_page(persona_client, "reception_agent", resident, type="case")
    assert f"Demande {school_case.reference}" in html


@pytest.mark.parametrize(
    "persona", [p for p in PERSONAS if p not in {"anonymous", "resident", "other_resident"}]
)
def test_resident_page_cases_block(persona, persona_client, resident, school_case, social_case):
    """The "Demandes" block lists the cases the viewer may read, with the filing button."""
    html = _resident_page(persona_client, persona, resident)
    readable = {
        "education_agent": {school_case},
        "reception_agent": {school_case},
        "helper_agent": {school_case},
        "supervisor": {school_case},
        "admin_agent": {school_case},
        "ccas_agent": {social_case},
        "dpo": set(),
    }[persona]
    block = html[html.index('id="resident-cases-title"') :]
    block = block[: block.index("</section>")]
    for case in (school_case, social_case):
        assert (reverse("cases:agent_case", args=[case.uuid]) in block) == (case in readable)
    new_case = reverse("cases:new_for_resident", args=[resident.uuid])
    assert (new_case in block) == (persona != "dpo")
    assert "Déposer une demande pour cet usager" in block or persona == "dpo"


def test_resident_page_cases_block_shows_status_and_due_date(persona_client, resident, school_case):
    """Each case of the block shows its status and due date."""
    html = _resident_page(persona_client, "education_agent", resident)
    block = html[html.index('id="resident-cases-title"') :]
    assert "Déposée" in block
    assert school_case.due_date.strftime("%d/%m/%Y") in block
