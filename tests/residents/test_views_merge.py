import datetime

import pytest

from guichet.residents.models import Resident, ResidentMerge
from tests.conftest import PERSONAS
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin(make_resident) -> Resident:
    return make_resident(
        first_names="Helene", usage_name="Dupond", birth_date=datetime.date(1980, 3, 12)
    )


def url(resident) -> str:
    return f"/agents/usagers/{resident.uuid}/fusionner/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_supervisors_and_admins_merge(persona_client, helene, twin, persona: str) -> None:
    """The merge pages exist for supervisors and administrators only."""
    response = persona_client.as_(persona).get(url(helene))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in {"supervisor", "admin_agent"} else 404)


def test_choose_page_lists_possible_duplicates(persona_client, helene, twin) -> None:
    """The duplicates of the file are offered, with a link to compare."""
    content = persona_client.as_("supervisor").get(url(helene)).content.decode()
    assert f"?doublon={twin.uuid}" in content
    assert "même date de naissance et nom proche" in content


def test_choose_page_searches_other_files(persona_client, helene, make_resident) -> None:
    """Another file can be found by search."""
    other = make_resident(first_names="H.", usage_name="Martin")
    content = persona_client.as_("supervisor").get(url(helene), {"q": "martin"}).content.decode()
    assert f"?doublon={other.uuid}" in content


def test_preview_shows_what_moves(persona_client, helene, twin) -> None:
    """The confirmation page compares the files and counts what will move."""
    ContactFactory.create_batch(2, resident=twin)
    content = (
        persona_client.as_("supervisor")
        .get(url(helene), {"doublon": str(twin.uuid)})
        .content.decode()
    )
    assert "Comparaison des deux fiches" in content
    assert "Contacts : 2" in content
    assert not ResidentMerge.objects.exists()


def test_confirm_is_required(persona_client, helene, twin) -> None:
    """Without ticking the box, nothing is merged and the page says why."""
    response = persona_client.as_("supervisor").post(url(helene), {"duplicate": str(twin.uuid)})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer" in response.content.decode()
    assert not ResidentMerge.objects.exists()


def test_merge_and_go_back_to_the_kept_file(persona_client, helene, twin, supervisor) -> None:
    """Confirming merges and opens the kept file."""
    ContactFactory(resident=twin)
    response = persona_client.as_("supervisor").post(
        url(helene), {"duplicate": str(twin.uuid), "confirm": "on"}
    )
    assert response.status_code == 302
    assert response.url == helene.get_absolute_url()
    merge = ResidentMerge.objects.get()
    assert (merge.source, merge.target, merge.actor) == (twin, helene, supervisor.user)
    twin.refresh_from_db()
    assert not twin.is_active


def test_merging_a_file_into_itself_or_a_merged_file_is_404(persona_client, helene, twin) -> None:
    """Forged requests do not merge the wrong files."""
    client = persona_client.as_("supervisor")
    assert client.get(url(helene), {"doublon": str(helene.uuid)}).status_code == 404
    client.post(url(helene), {"duplicate": str(twin.uuid), "confirm": "on"})
    assert client.get(url(helene), {"doublon": str(twin.uuid)}).status_code == 404
    assert client.get(url(helene), {"doublon": "n'importe quoi"}).status_code == 404
