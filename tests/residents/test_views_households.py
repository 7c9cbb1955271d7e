import pytest

from guichet.residents.actions import create_household
from guichet.residents.choices import Relation
from guichet.residents.models import Household, HouseholdMember
from tests.conftest import PERSONAS
from tests.residents.test_views_create import EDITORS

pytestmark = pytest.mark.django_db


def url(resident) -> str:
    return f"/agents/usagers/{resident.uuid}/foyers/"


@pytest.fixture
def household(helene) -> Household:
    return create_household(
        name="Foyer Dupont", members=[(helene, Relation.HEAD)], actor=None, channel=""
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_manage_households(persona_client, helene, persona: str) -> None:
    """Agents who edit files manage households; the DPO and residents get 404."""
    response = persona_client.as_(persona).get(url(helene))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in EDITORS else 404)


def test_create_a_household(persona_client, helene) -> None:
    """The form creates a household with the resident in it, at their address."""
    response = persona_client.as_("reception_agent").post(
        url(helene), {"name": "Foyer Dupont", "relation": Relation.HEAD, "channel": "counter"}
    )
    assert response.status_code == 302
    membership = HouseholdMember.objects.get()
    assert (membership.resident, membership.relation) == (helene, Relation.HEAD)
    assert membership.household.city == "Créteil"


def test_household_form_errors_are_shown(persona_client, helene) -> None:
    """A household without a name is explained; nothing is created."""
    response = persona_client.as_("reception_agent").post(
        url(helene), {"name": "", "relation": "roi", "channel": "counter"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Donnez un nom au foyer" in content
    assert not Household.objects.exists()


def test_search_and_add_a_member(persona_client, helene, household, make_resident) -> None:
    """Searching shows people with an add button; adding puts them in the household."""
    child = make_resident(first_names="Léo", usage_name="Dupont")
    client = persona_client.as_("reception_agent")
    content = client.get(
        url(helene), {"q": "léo dupont", "foyer": str(household.uuid)}
    ).content.decode()
    assert "Ajouter DUPONT Léo" in content
    response = client.post(
        f"{url(helene)}{household.uuid}/ajouter/",
        {"resident": str(child.uuid), "relation": Relation.CHILD},
    )
    assert response.status_code == 302
    assert household.members.filter(resident=child, relation=Relation.CHILD).exists()
    page = client.get(url(helene)).content.decode()
    assert "DUPONT Léo" in page


def test_add_member_with_bad_input_does_not_fail(persona_client, helene, household) -> None:
    """A forged form is answered with a message, not an error page."""
    client = persona_client.as_("reception_agent")
    response = client.post(f"{url(helene)}{household.uuid}/ajouter/", {"resident": "pas-un-uuid"})
    assert response.status_code == 302
    assert household.members.count() == 1


def test_remove_a_member(persona_client, helene, household, make_resident) -> None:
    """Removing someone takes them out of this household only."""
    child = make_resident(first_names="Léo")
    HouseholdMember.objects.create(household=household, resident=child, relation=Relation.CHILD)
    response = persona_client.as_("reception_agent").post(
        f"{url(helene)}{household.uuid}/retirer/{child.uuid}/"
    )
    assert response.status_code == 302
    assert list(household.members.values_list("resident", flat=True)) == [helene.pk]


def test_households_of_other_residents_are_404(persona_client, helene, make_resident) -> None:
    """A household the resident is not in cannot be changed from their page."""
    stranger = make_resident(first_names="Zoé", usage_name="Bernard")
    other = create_household(
        name="Autre", members=[(stranger, Relation.HEAD)], actor=None, channel=""
    )
    client = persona_client.as_("reception_agent")
    response = client.post(
        f"{url(helene)}{other.uuid}/ajouter/", {"resident": str(helene.uuid), "relation": "child"}
    )
    assert response.status_code == 404
    assert client.post(f"{url(helene)}{other.uuid}/retirer/{stranger.uuid}/").status_code == 404


def test_get_on_post_only_pages_is_refused(persona_client, helene, household) -> None:
    """Adding and removing are POST only."""
    assert (
        persona_client.as_("reception_agent")
        .get(f"{url(helene)}{household.uuid}/ajouter/")
        .status_code
        == 405
    )
