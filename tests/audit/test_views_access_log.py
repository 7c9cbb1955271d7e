import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.audit.access import can_read_access_log
from guichet.audit.actions import record_access
from guichet.audit.models import AccessLog
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

URL = reverse("audit:access_log")
READERS = {"dpo", "admin_agent"}


@pytest.fixture
def log_rows(reception_agent, education_agent, resident, other_resident):
    record_access(user=reception_agent.user, resident=resident, page="resident", path="/a/")
    record_access(user=education_agent.user, resident=other_resident, page="resident", path="/b/")
    old = record_access(
        user=education_agent.user, resident=resident, page="contact", path="/c/", via_api=True
    )
    AccessLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_dpo_and_admins_read_the_log(persona, persona_client, city):
    """The DPO and administrators get the log; other agents and residents 404."""
    response = persona_client.as_(persona).get(URL)
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in READERS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_read_access_log(request, persona, city):
    """The access rule matches the page."""
    if persona == "anonymous":
        return
    user = request.getfixturevalue(persona).user
    assert can_read_access_log(user) is (persona in READERS)


def test_filter_by_agent(persona_client, log_rows, education_agent):
    """Filtering by agent keeps only that agent's openings."""
    html = persona_client.as_("dpo").get(URL, {"agent": education_agent.user.pk}).content.decode()
    assert "/b/" in html and "/c/" in html and "/a/" not in html


def test_filter_by_resident_name_with_a_typo(persona_client, log_rows):
    """Filtering by a resident's (misspelled) name keeps that resident's rows."""
    html = persona_client.as_("dpo").get(URL, {"resident": "Dupond"}).content.decode()
    assert "/a/" in html and "/c/" in html and "/b/" not in html


def test_filter_by_resident_uuid(persona_client, log_rows, other_resident):
    """A file's identifier selects exactly that resident."""
    html = (
        persona_client.as_("dpo").get(URL, {"resident": str(other_resident.uuid)}).content.decode()
    )
    assert "/b/" in html and "/a/" not in html


def test_filter_by_dates(persona_client, log_rows):
    """A date range keeps the openings of those days."""
    start = (timezone.localdate() - datetime.timedelta(days=11)).isoformat()
    end = (timezone.localdate() - datetime.timedelta(days=9)).isoformat()
    html = persona_client.as_("admin_agent").get(URL, {"date_from": start, "date_to": end}).content
    assert b"/c/" in html and b"/a/" not in html


def test_bad_filters_say_what_to_do(persona_client, log_rows):
    """Malformed filters give French messages and keep what was typed, never a 500."""
    response = persona_client.as_("dpo").get(
        URL, {"date_from": "2025-13-45", "agent": "abc", "resident": "<script>"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une date valide" in html
    assert 'value="&lt;script&gt;"' in html
    assert "Aucun accès ne correspond" in html


def test_csv_export(persona_client, log_rows):
    """The CSV export holds every filtered row."""
    response = persona_client.as_("dpo").get(URL, {"format": "csv", "resident": "Dupont"})
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="journal-des-acces.csv"'
    lines = text.strip().splitlines()
    assert lines[0].startswith("\ufeffDate;Identifiant de l'agent;")
    assert len(lines) == 3
    assert "helene" not in text  # usernames of residents never appear: only agents open files


def test_pagination(persona_client, reception_agent, resident):
    """The log is paginated by 50."""
    AccessLog.objects.bulk_create(
        AccessLog(user=reception_agent.user, resident=resident, page="resident", path=f"/{i}/")
        for i in range(60)
    )
    html = persona_client.as_("dpo").get(URL).content.decode()
    assert "Page 1 sur 2" in html
    assert "Page 2 sur 2" in persona_client.as_("dpo").get(URL, {"page": 2}).content.decode()
