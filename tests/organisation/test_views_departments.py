from django.test import Client
from django.urls import reverse

from guichet.organisation.models import Department
from tests.conftest import City


def test_create_department(admin_client: Client, city: City) -> None:
    """A valid form creates a department and lists it."""
    response = admin_client.post(
        reverse("organisation:department_create"),
        {"slug": "urbanisme", "name": "Urbanisme", "email": "urbanisme@example.org"},
        follow=True,
    )
    assert Department.objects.filter(slug="urbanisme", confidential=False).exists()
    assert "Le service « Urbanisme » a été créé." in response.content.decode()


def test_duplicate_or_malformed_slug_is_refused(admin_client: Client, city: City) -> None:
    """An existing slug and a slug with accents are refused, the name is kept."""
    url = reverse("organisation:department_create")
    html = admin_client.post(url, {"slug": "ccas", "name": "Autre CCAS"}).content.decode()
    assert "Un autre service utilise déjà cet identifiant" in html
    assert 'value="Autre CCAS"' in html
    html = admin_client.post(url, {"slug": "état civil", "name": "État civil"}).content.decode()
    assert "L&#x27;identifiant ne peut contenir que des lettres minuscules" in html


def test_invalid_email_is_refused(admin_client: Client, city: City) -> None:
    """A malformed email gets an example of a valid one."""
    html = admin_client.post(
        reverse("organisation:department_create"),
        {"slug": "sport", "name": "Sport", "email": "pas-une-adresse"},
    ).content.decode()
    assert "Saisissez une adresse courriel valide" in html


def test_edit_department_keeps_its_slug(admin_client: Client, city: City) -> None:
    """The edit form changes the name and confidentiality but never the slug."""
    url = reverse("organisation:department_edit", args=["education"])
    assert 'name="slug"' not in admin_client.get(url).content.decode()
    admin_client.post(url, {"slug": "autre", "name": "Éducation et jeunesse", "confidential": "on"})
    department = Department.objects.get(pk=city.education.pk)
    assert department.slug == "education"
    assert department.name == "Éducation et jeunesse"
    assert department.confidential
