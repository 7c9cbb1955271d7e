"""Filing a request on a resident's behalf from the back office."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.cases.models import CaseDraft, CaseForm
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

ON_BEHALF_AGENTS = {
    "reception_agent",
    "ccas_agent",
    "education_agent",
    "helper_agent",
    "supervisor",
    "admin_agent",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_on_behalf_page_permission_matrix(persona, persona_client, resident, school_form):
    """Every agent but the DPO may file for a resident; residents get 404."""
    response = persona_client.as_(persona).get(
        reverse("cases:new_for_resident", args=[resident.uuid])
    )
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in ON_BEHALF_AGENTS else 404)


def test_on_behalf_page_lists_online_forms_by_department(
    persona_client, resident, school_form, birth_form, city
):
    """Online, published forms are grouped by department; closed ones are not offered."""
    CaseForm.objects.create(
        procedure=ProcedureFactory(
            slug="hors-ligne", title="Hors ligne", department=city.education
        ),
        is_online=False,
    )
    html = (
        persona_client.as_("reception_agent")
        .get(reverse("cases:new_for_resident", args=[resident.uuid]))
        .content.decode()
    )
    assert '<optgroup label="Éducation">' in html and '<optgroup label="Population">' in html
    assert "Inscription scolaire" in html and "Acte de naissance" in html
    assert "Hors ligne" not in html
    assert '<option value="counter" selected>' in html
    assert "Relais numérique Centre" not in html  # not one of Alice's sites


def test_on_behalf_starts_a_draft_for_the_agent(
    persona_client, resident, school_form, reception_agent, city
):
    """Choosing a procedure starts a draft owned by the agent, and opens the form."""
    response = persona_client.as_("reception_agent").post(
        reverse("cases:new_for_resident", args=[resident.uuid]),
        {"case_form": school_form.pk, "channel": Channel.PHONE, "site": city.annex.pk},
    )
    draft = CaseDraft.objects.get()
    assert response["Location"] == reverse("cases:draft", args=[draft.uuid])
    assert (draft.owner, draft.resident, draft.channel, draft.site) == (
        reception_agent.user,
        resident,
        Channel.PHONE,
        city.annex,
    )
    assert draft.form_version == school_form.current_version()


def test_on_behalf_refuses_bad_choices(persona_client, resident, school_form, city):
    """An unknown procedure, the web channel or another agent's site are refused in French."""
    response = persona_client.as_("reception_agent").post(
        reverse("cases:new_for_resident", args=[resident.uuid]),
        {"case_form": "999999", "channel": Channel.WEB, "site": city.relais.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez une démarche dans la liste." in html
    assert "Le formulaire contient 3 erreurs" in html
    assert not CaseDraft.objects.exists()


def test_on_behalf_for_an_unknown_resident_is_404(persona_client, school_form, city):
    """No such resident file: 404."""
    url = reverse("cases:new_for_resident", args=["00000000-0000-0000-0000-000000000000"])
    assert persona_client.as_("reception_agent").get(url).status_code == 404
