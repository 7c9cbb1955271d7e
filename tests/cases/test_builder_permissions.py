"""Who may use the form builder: supervisors and administrators; everybody else gets 404."""

from typing import Any

import pytest
from django.urls import reverse

from guichet.cases.models import CaseForm
from guichet.catalogue.models import Procedure
from tests.conftest import PERSONAS, City, PersonaClient
from tests.factories import CaseFormFactory, ProcedureFactory

EDITORS = {"supervisor", "admin_agent"}
SLUG = "cantine"


@pytest.fixture
def case_form(city: City) -> CaseForm:
    form: CaseForm = CaseFormFactory(
        procedure=ProcedureFactory(slug=SLUG, title="Cantine", department=city.education)
    )
    return form


@pytest.fixture
def bare_procedure(city: City) -> Procedure:
    """A procedure without a form."""
    procedure: Procedure = ProcedureFactory(slug="sans-formulaire", department=city.population)
    return procedure


def url(name: str, *args: Any) -> str:
    return reverse(f"cases:{name}", args=[SLUG, *args])


PAGES = [
    ("builder_list", ()),
    ("builder_form", ()),
    ("builder_page_add", ()),
    ("builder_page_edit", ("demande",)),
    ("builder_section_add", ("demande",)),
    ("builder_section_edit", ("demande", 1)),
    ("builder_field_add", ("demande", 1)),
    ("builder_field_edit", ("objet",)),
    ("builder_preview", ()),
    ("builder_publish", ()),
    ("builder_export", ()),
    ("builder_import", ()),
    ("builder_versions", ()),
    ("builder_version", (1,)),
]


def page_url(name: str, args: tuple[Any, ...]) -> str:
    if name == "builder_list":
        return reverse("cases:builder_list")
    suffix = "?type=text" if name == "builder_field_add" else ""
    return url(name, *args) + suffix


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_builder_pages_are_for_supervisors(
    case_form: CaseForm, persona_client: PersonaClient, persona: str, name: str, args: tuple
) -> None:
    """Supervisors and administrators open every page; others get 404, anonymous log in."""
    response = persona_client.as_(persona).get(page_url(name, args))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == (200 if persona in EDITORS else 404)


POSTS = [
    ("builder_settings", (), {"is_online": "on"}),
    ("builder_step", (), {"step": "down", "field": "objet"}),
    ("builder_page_add", (), {"title": "Nouvelle"}),
    ("builder_field_edit", ("objet",), {"type": "text", "label": "Sujet"}),
    ("builder_publish", (), {"comment": ""}),
    ("builder_discard", (), {}),
    ("builder_version_restore", (1,), {}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args", "data"), POSTS)
def test_builder_changes_are_for_supervisors(
    case_form: CaseForm,
    persona_client: PersonaClient,
    persona: str,
    name: str,
    args: tuple,
    data: dict[str, str],
) -> None:
    """Only supervisors and administrators change a form; the form is untouched otherwise."""
    response = persona_client.as_(persona).post(url(name, *args), data)
    if persona in EDITORS:
        assert response.status_code == 302
        return
    assert response.status_code == (302 if persona == "anonymous" else 404)
    case_form.refresh_from_db()
    assert case_form.is_online and case_form.versions.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_a_form_is_for_supervisors(
    bare_procedure: Procedure, persona_client: PersonaClient, persona: str
) -> None:
    """Only supervisors and administrators create a procedure's form."""
    response = persona_client.as_(persona).post(
        reverse("cases:builder_create", args=[bare_procedure.slug])
    )
    assert response.status_code == (302 if persona in EDITORS | {"anonymous"} else 404)
    assert CaseForm.objects.filter(procedure=bare_procedure).exists() == (persona in EDITORS)


@pytest.mark.parametrize("persona", ["reception_agent", "education_agent", "supervisor", "dpo"])
def test_navigation_link_shows_for_supervisors_only(
    persona_client: PersonaClient, persona: str
) -> None:
    """The "Formulaires" link is in the back-office menu of supervisors and administrators."""
    response = persona_client.as_(persona).get(reverse("catalogue:agent_index"))
    link = f'href="{reverse("cases:builder_list")}"'
    assert (link in response.content.decode()) == (persona in EDITORS)


def test_list_page_query_count_does_not_grow(
    persona_client: PersonaClient, city: City, django_assert_max_num_queries: Any
) -> None:
    """The list of forms costs the same number of queries for 3 forms as for 30."""
    client = persona_client.as_("supervisor")
    for number in range(30):
        CaseFormFactory(procedure=ProcedureFactory(slug=f"demarche-liste-{number}"))
        ProcedureFactory(slug=f"sans-formulaire-{number}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:builder_list"))
    assert response.status_code == 200
    assert response.content.decode().count("Créer le formulaire") == 30
