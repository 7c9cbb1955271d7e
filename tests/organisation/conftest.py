"""Fixtures of the organisation tests: a site with hours, and the administrator's client."""

import datetime

import pytest
from django.test import Client

from guichet.organisation.models import Agent, OpeningHours, Site
from tests.conftest import City


@pytest.fixture
def site_with_hours(city: City) -> Site:
    """The city hall, open Monday to Friday 8:30–12:00 and 13:30–17:00, Saturday morning."""
    site = city.city_hall
    for weekday in range(5):
        OpeningHours.objects.create(
            site=site, weekday=weekday, opens_at=datetime.time(8, 30), closes_at=datetime.time(12)
        )
        OpeningHours.objects.create(
            site=site,
            weekday=weekday,
            opens_at=datetime.time(13, 30),
            closes_at=datetime.time(17),
        )
    OpeningHours.objects.create(
        site=site, weekday=5, opens_at=datetime.time(9), closes_at=datetime.time(12)
    )
    return site


@pytest.fixture
def admin_client(client: Client, admin_agent: Agent) -> Client:
    client.force_login(admin_agent.user)
    return client
