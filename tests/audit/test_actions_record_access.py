import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.audit.actions import record_access
from guichet.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def test_record_access_is_one_insert(reception_agent, resident):
    """Recording an access costs a single INSERT and keeps who, which resident, which page."""
    with CaptureQueriesContext(connection) as queries:
        entry = record_access(
            user=reception_agent.user, resident=resident, page="resident", path="/agents/usagers/x/"
        )
    assert len(queries) == 1
    assert queries[0]["sql"].upper().startswith("INSERT")
    entry = AccessLog.objects.get(pk=entry.pk)
    assert (entry.user, entry.resident, entry.page, entry.via_api) == (
        reception_agent.user,
        resident,
        "resident",
        False,
    )


def test_long_paths_are_cut(reception_agent, resident):
    """A very long address is cut to the column's size instead of failing."""
    entry = record_access(
        user=reception_agent.user, resident=resident, page="resident", path="/" + "a" * 2000
    )
    assert len(entry.path) == 500
