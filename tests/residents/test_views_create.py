import datetime

import pytest
from django.urls import reverse

from guichet.residents.models import Resident, ResidentChange
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

URL = "/agents/usagers/nouveau/"
EDITORS = {
    "reception_agent",
    "ccas_agent",
    "education_agent",
    "helper_agent",
    "supervisor",
    "admin_agent",
}


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "civility": "mme",
        "first_names": "Hélène",
        "usage_name": "Dupont",
        "birth_name": "",
        "birth_date": "1980-03-12",
        "birth_place": "Lyon",
        "email": "helene@example.org",
        "phone": "06 12 34 56 78",
        "address": "3 rue des Écoles",
        "postal_code": "94000",
        "city": "Créteil",
        "preferred_channel": "",
        "preferred_language": "fr",
        "digital_autonomy": "",
        "channel": "counter",
    }
    data.update(overrides)
    return data


def test_url_name() -> None:
    """The page is residents:create under /agents/usagers/."""
    assert reverse("residents:create") == URL


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_create_page(persona_client, persona: str) -> None:
    """Agents who edit files get the form; the DPO and residents get 404; anonymous log in."""
    response = persona_client.as_(persona).get(URL)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/connexion/")
    else:
        assert response.status_code == (200 if persona in EDITORS else 404)


def test_create_redirects_to_the_new_file(persona_client, reception_agent) -> None:
    """A valid form creates the file (history with actor and channel) and opens it."""
    response = persona_client.as_("reception_agent").post(URL, form_data(channel="phone"))
    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response.url == resident.get_absolute_url()
    assert resident.phone == "+33612345678"
    assert resident.birth_date == datetime.date(1980, 3, 12)
    change = ResidentChange.objects.get()
    assert (change.actor, change.channel) == (reception_agent.user, "phone")


def test_birth_date_accepts_the_french_format(persona_client) -> None:
    """14/07/1985 is understood as well as the date widget's 1985-07-14."""
    persona_client.as_("reception_agent").post(URL, form_data(birth_date="14/07/1985"))
    assert Resident.objects.get().birth_date == datetime.date(1985, 7, 14)


def test_date_widget_is_a_date_input(persona_client) -> None:
    """The birth date field uses the browser's date picker."""
    content = persona_client.as_("reception_agent").get(URL).content.decode()
    assert 'type="date" name="birth_date"' in content


def test_possible_duplicates_are_shown_before_creating(persona_client, helene) -> None:
    """A look-alike file is shown with a link; nothing is created; what was typed stays."""
    response = persona_client.as_("reception_agent").post(
        URL, form_data(first_names="Helene", usage_name="Dupond", email="autre@example.org")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert Resident.objects.count() == 1
    assert "Cette personne a peut-être déjà une fiche" in content
    assert helene.get_absolute_url() in content
    assert "même date de naissance et nom proche" in content
    assert 'value="Dupond"' in content
    assert 'name="confirm_not_duplicate"' in content
    assert 'role="alert"' in content


def test_confirming_another_person_creates_the_file(persona_client, helene) -> None:
    """« C'est une autre personne » creates the file anyway."""
    response = persona_client.as_("reception_agent").post(
        URL, form_data(first_names="Helene", usage_name="Dupond", confirm_not_duplicate="on")
    )
    assert response.status_code == 302
    assert Resident.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_names", "", "Saisissez le ou les prénoms"),
        ("usage_name", "<script>alert(1)</script>", "ne peut contenir que des lettres"),
        ("usage_name", "D" * 500, "au plus 200 caractères"),
        ("birth_date", "31/02/1980", "Cette date n&#x27;existe pas"),
        ("birth_date", "2999-01-01", "dans le futur"),
        ("birth_date", "12/03/1780", "trop ancienne"),
        ("phone", "12 34", "numéro de téléphone n&#x27;est pas valide"),
        ("phone", "9" * 200, "au plus 40 caractères"),
        ("email", "helene@", "adresse électronique n&#x27;est pas valide"),
        ("civility", "roi", "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_explained_and_kept(
    persona_client, field: str, value: str, message: str
) -> None:
    """Each mistake gives a French message next to the field; the other fields are kept."""
    response = persona_client.as_("reception_agent").post(URL, form_data(**{field: value}))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert not Resident.objects.exists()
    assert 'value="3 rue des Écoles"' in content
    assert f'aria-describedby="id_{field}_' in content or field == "civility"
    assert "<script>alert(1)</script>" not in content


def test_get_prefills_from_the_console_search(persona_client) -> None:
    """A link from the console may pass the names already typed."""
    content = persona_client.as_("reception_agent").get(URL + "?usage_name=Dupont").content.decode()
    assert 'value="Dupont"' in content


def test_a_french_date_is_shown_back_in_the_date_widget(persona_client, helene) -> None:
    """After a refusal, 12/03/1980 comes back as 1980-03-12 so the date picker shows it."""
    response = persona_client.as_("reception_agent").post(
        URL, form_data(first_names="Helene", usage_name="Dupond", birth_date="12/03/1980")
    )
    assert 'name="birth_date" value="1980-03-12"' in response.content.decode()
