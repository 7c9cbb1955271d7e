import pytest

from guichet.residents.models import ResidentChange
from tests.conftest import PERSONAS
from tests.residents.test_views_create import EDITORS, form_data

pytestmark = pytest.mark.django_db


def url(resident) -> str:
    return f"/agents/usagers/{resident.uuid}/modifier/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_edit(persona_client, helene, persona: str) -> None:
    """Agents who edit files get the form; the DPO and residents get 404."""
    response = persona_client.as_(persona).get(url(helene))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in EDITORS else 404)


def test_edit_form_shows_the_current_values(persona_client, helene) -> None:
    """The form is filled with the file's values, the date in the widget's format."""
    content = persona_client.as_("reception_agent").get(url(helene)).content.decode()
    assert 'value="Dupont"' in content
    assert 'value="1980-03-12"' in content
    assert 'value="+33612345678"' in content


def test_edit_saves_through_the_action(persona_client, helene, reception_agent) -> None:
    """Saving updates the file, writes the history and goes back to the file."""
    response = persona_client.as_("reception_agent").post(
        url(helene), form_data(usage_name="Martin", birth_name="Dupont", channel="phone")
    )
    assert response.status_code == 302
    assert response.url == helene.get_absolute_url()
    helene.refresh_from_db()
    assert (helene.usage_name, helene.birth_name) == ("Martin", "Dupont")
    change = ResidentChange.objects.get(kind=ResidentChange.Kind.UPDATED)
    assert change.actor == reception_agent.user
    assert change.channel == "phone"
    assert change.changes["usage_name"] == ["Dupont", "Martin"]


def test_edit_errors_keep_what_was_typed(persona_client, helene) -> None:
    """A bad phone is explained, and the new name typed is still there."""
    response = persona_client.as_("reception_agent").post(
        url(helene), form_data(usage_name="Martin", phone="abc")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Martin"' in content
    assert "numéro de téléphone" in content
    helene.refresh_from_db()
    assert helene.usage_name == "Dupont"


def test_unknown_or_merged_file_is_404(persona_client, helene, make_resident, supervisor) -> None:
    """A merged file or a made-up UUID cannot be edited."""
    from guichet.residents.actions import merge_residents

    twin = make_resident()
    merge_residents(source=twin, target=helene, actor=supervisor.user)
    client = persona_client.as_("reception_agent")
    assert client.get(url(twin)).status_code == 404
    assert (
        client.get("/agents/usagers/00000000-0000-0000-0000-000000000000/modifier/").status_code
        == 404
    )
