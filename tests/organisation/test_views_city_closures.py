import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from guichet.organisation.choices import ChangeKind
from guichet.organisation.models import Agent, CityClosure, OrganisationChange
from guichet.organisation.working_days import add_working_days
from tests.conftest import PERSONAS, City, PersonaClient

URL = "/agents/administration/fermetures/"


def _bridge_day() -> CityClosure:
    return CityClosure.objects.create(
        start_date=datetime.date(2026, 5, 15),
        end_date=datetime.date(2026, 5, 15),
        reason="Pont de l'Ascension",
    )


def test_url_is_in_the_administration_area() -> None:
    """The closures page lives under /agents/administration/."""
    assert reverse("organisation:city_closures") == URL


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_see_city_closures(
    persona_client: PersonaClient, city: City, persona: str
) -> None:
    """Administrators get the page, anonymous users the login page, everyone else 404."""
    response = persona_client.as_(persona).get(URL)
    if persona == "admin_agent":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in {"admin_agent", "anonymous"}])
def test_non_administrators_cannot_add_or_remove_closures(
    persona_client: PersonaClient, city: City, persona: str
) -> None:
    """Adding or removing a closure answers 404 to everyone else and changes nothing."""
    closure = _bridge_day()
    client = persona_client.as_(persona)
    add = client.post(
        URL, {"start_date": "2026-12-24", "end_date": "2026-12-24", "reason": "Veille de Noël"}
    )
    remove = client.post(reverse("organisation:city_closure_delete", args=[closure.pk]))
    assert (add.status_code, remove.status_code) == (404, 404)
    assert list(CityClosure.objects.all()) == [closure]
    assert not OrganisationChange.objects.exists()


def test_administrator_adds_a_closure(admin_client: Client, admin_agent: Agent) -> None:
    """A valid closure is stored with a history row, and deadlines skip it from then on."""
    response = admin_client.post(
        URL, {"start_date": "2026-05-15", "end_date": "2026-05-15", "reason": "Pont"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    closure = CityClosure.objects.get()
    assert (closure.start_date, closure.end_date, closure.reason) == (
        datetime.date(2026, 5, 15),
        datetime.date(2026, 5, 15),
        "Pont",
    )
    change = OrganisationChange.objects.get()
    assert change.kind == ChangeKind.CITY_CLOSURE_ADDED
    assert change.actor == admin_agent.user
    assert change.details == {"start": "2026-05-15", "end": "2026-05-15", "reason": "Pont"}
    assert add_working_days(datetime.date(2026, 5, 13), 1) == datetime.date(2026, 5, 18)
    page = admin_client.get(URL).content.decode()
    assert "La fermeture de l&#x27;administration a été ajoutée." in page
    assert "15/05/2026" in page


def test_administrator_removes_a_closure(admin_client: Client, admin_agent: Agent) -> None:
    """Removing a closure deletes it and records who did it and what it was."""
    closure = _bridge_day()
    response = admin_client.post(reverse("organisation:city_closure_delete", args=[closure.pk]))
    assert response.status_code == 302
    assert not CityClosure.objects.exists()
    change = OrganisationChange.objects.get()
    assert change.kind == ChangeKind.CITY_CLOSURE_REMOVED
    assert change.actor == admin_agent.user
    assert change.details["reason"] == "Pont de l'Ascension"
    assert add_working_days(datetime.date(2026, 5, 13), 1) == datetime.date(2026, 5, 15)


def test_end_before_start_is_refused_and_input_kept(admin_client: Client) -> None:
    """An end before the start gives a French message tied to the field; typed values stay."""
    response = admin_client.post(
        URL, {"start_date": "2026-05-15", "end_date": "2026-05-14", "reason": "Pont à l'envers"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "La date de fin doit être le même jour que le début ou après." in html
    assert 'aria-describedby="id_end_date_errors"' in html
    assert 'role="alert"' in html
    assert 'value="2026-05-15"' in html
    assert 'value="2026-05-14"' in html
    assert 'value="Pont à l&#x27;envers"' in html
    assert not CityClosure.objects.exists()
    assert not OrganisationChange.objects.exists()


def test_unreadable_date_and_missing_reason_are_refused(admin_client: Client) -> None:
    """A date that is not one and an empty reason each get their message."""
    response = admin_client.post(URL, {"start_date": "15 mai", "end_date": "", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une date valide, par exemple 24/12/2026." in html
    assert 'value="15 mai"' in html
    assert not CityClosure.objects.exists()


def test_closure_longer_than_a_year_is_refused(admin_client: Client) -> None:
    """A closure of more than a year is refused with a message about the administration."""
    response = admin_client.post(
        URL, {"start_date": "2026-01-01", "end_date": "2027-06-01", "reason": "Trop long"}
    )
    assert response.status_code == 400
    assert "Une fermeture de l&#x27;administration dure au plus un an." in response.content.decode()


def test_removing_an_unknown_closure_is_not_found(admin_client: Client) -> None:
    """An unknown closure id answers 404, and the removal only accepts POST."""
    closure = _bridge_day()
    url = reverse("organisation:city_closure_delete", args=[closure.pk + 1])
    assert admin_client.post(url).status_code == 404
    assert admin_client.get(url).status_code == 405


def test_page_lists_closures_and_holidays_in_constant_queries(
    admin_client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """The page shows every closure and the public holidays, with as many queries for 1 or 20."""
    _bridge_day()
    admin_client.get(URL)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(URL)
    for month in range(1, 20):
        CityClosure.objects.create(
            start_date=datetime.date(2027, 1, 1) + datetime.timedelta(days=month * 15),
            end_date=datetime.date(2027, 1, 1) + datetime.timedelta(days=month * 15),
            reason=f"Fermeture {month}",
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = admin_client.get(URL)
    html = response.content.decode()
    assert "Pont de l&#x27;Ascension" in html
    assert "Fermeture 19" in html
    assert "Lundi de Pentecôte" in html


def test_navigation_shows_the_closures_page(admin_client: Client) -> None:
    """The administration navigation links to the closures page, marked current there."""
    html = admin_client.get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">' in html
