"""The OpenAPI contract: generated without warnings and identical to the reviewed snapshot.

After an intended API change, refresh the snapshot with
``GUICHET_UPDATE_SNAPSHOT=1 pytest tests/api/test_openapi_schema.py`` and review its diff.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def _generate_schema() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_schema_matches_snapshot() -> None:
    """The generated schema is valid, warning-free and equal to docs/openapi.yaml."""
    schema, _ = _generate_schema()
    if os.environ.get("GUICHET_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(schema, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == schema, (
        "The API contract changed: review it and refresh docs/openapi.yaml "
        "(GUICHET_UPDATE_SNAPSHOT=1)."
    )


@pytest.mark.django_db
def test_schema_and_docs_pages_are_served(client: Client) -> None:
    """The schema and its documentation page answer at their stable addresses."""
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.mark.django_db
def test_docs_page_loads_nothing_from_outside(client: Client) -> None:
    """Swagger UI's scripts come from our static files (the machine may have no internet)."""
    html = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
