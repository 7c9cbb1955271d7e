from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from guichet.notifications.message_templates import shipped_templates
from guichet.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db


def test_demo_loads_the_notification_templates() -> None:
    """The demo city has every shipped message template in the database, ready to edit."""
    with override_settings(GUICHET_DEMO=True):
        call_command("demo", residents=10, contacts=10, stdout=StringIO(), stderr=StringIO())
    loaded = set(MessageTemplate.objects.values_list("event", "channel", "language"))
    assert loaded == set(shipped_templates())
