from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from guichet.catalogue.models import Article, Procedure
from guichet.contacts.choices import Outcome
from guichet.contacts.models import Callback, Contact, ContactEvent
from guichet.demo.build import STALE_ARTICLES, STALE_PROCEDURES
from guichet.demo.city import AGENTS, DEMO_PASSWORD, SITES
from guichet.organisation.choices import Role
from guichet.organisation.models import Agent, Department, Site, User
from guichet.residents.models import Document, Household, HouseholdMember, Resident
from guichet.residents.names import search_fields
from guichet.residents.uploads import sniff_content_type

pytestmark = pytest.mark.django_db

SMALL = {"residents": 200, "contacts": 1500}


def run_demo(**options: int) -> str:
    out = StringIO()
    with override_settings(GUICHET_DEMO=True):
        call_command("demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def small_demo() -> str:
    return run_demo(**SMALL)


@override_settings(GUICHET_DEMO=False, DEBUG=False)
def test_demo_refuses_to_run_outside_demo_mode() -> None:
    """Without GUICHET_DEMO or DEBUG the command explains why it stops, and writes nothing."""
    with pytest.raises(CommandError, match="GUICHET_DEMO=true"):
        call_command("demo", residents=10, contacts=10)
    assert not User.objects.exists()


def test_demo_builds_the_city_at_small_scale(small_demo: str) -> None:
    """The requested numbers of residents and contacts are created, with the whole organisation."""
    assert "200 usagers" in small_demo
    assert Resident.objects.count() == 200
    assert Contact.objects.count() == 1500
    assert Site.objects.count() == len(SITES)
    assert all(site.opening_hours.exists() for site in Site.objects.all())
    assert Department.objects.count() == 8
    assert Procedure.objects.count() >= 40


def test_a_tiny_city_has_exactly_the_requested_counts() -> None:
    """With 50 residents and 300 contacts, the counts are exact (look-alikes included)."""
    run_demo(residents=50, contacts=300)
    assert Resident.objects.count() == 50
    assert Contact.objects.count() == 300


def test_every_role_has_a_demo_agent(small_demo: str) -> None:
    """Reception, helper, department, supervisor, administrator and DPO all exist."""
    roles = set(Agent.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Agent.objects.count() == len(AGENTS)
    assert Agent.objects.filter(departments__slug="ccas", role=Role.DEPARTMENT).exists()


def test_running_the_demo_twice_adds_nothing(small_demo: str) -> None:
    """The second run reports that the city is loaded and duplicates nothing."""
    counts = (Resident.objects.count(), Contact.objects.count(), User.objects.count())
    second = run_demo(**SMALL)
    assert "déjà chargée" in second
    assert (Resident.objects.count(), Contact.objects.count(), User.objects.count()) == counts


def test_demo_accounts_log_in_with_the_demo_password(small_demo: str) -> None:
    """Agents and portal residents share the documented demo password."""
    assert Client().login(username="admin", password=DEMO_PASSWORD)
    portal_user = User.objects.filter(resident__isnull=False).first()
    assert portal_user is not None
    assert Client().login(username=portal_user.username, password=DEMO_PASSWORD)


def test_residents_carry_the_derived_fields_of_the_actions(small_demo: str) -> None:
    """Search columns match names.search_fields, phones are E.164, emails lower-case."""
    for resident in Resident.objects.all()[:100]:
        expected = search_fields(resident.first_names, resident.usage_name, resident.birth_name)
        assert {name: getattr(resident, name) for name in expected} == expected
        assert resident.phone == "" or (
            resident.phone.startswith("+33") and len(resident.phone) == 12
        )
        assert resident.email == resident.email.lower()


def test_households_include_children_in_two_homes(small_demo: str) -> None:
    """Some children of separated parents belong to two households."""
    assert Household.objects.count() > 50
    in_two = [
        member.resident_id
        for member in HouseholdMember.objects.filter(relation="child")
        if HouseholdMember.objects.filter(resident_id=member.resident_id).count() == 2
    ]
    assert in_two


def test_documents_are_real_pdf_or_png_files(small_demo: str) -> None:
    """Each document's stored file is a PDF or PNG by its content, of the recorded size."""
    documents = list(Document.objects.all()[:20])
    assert documents
    for document in documents:
        with document.file.open("rb") as file:
            assert sniff_content_type(file) == document.content_type
            assert file.size == document.size


def test_contacts_are_in_the_past_year_with_callbacks(small_demo: str) -> None:
    """No contact is in the future or older than a year; callbacks match their outcome."""
    now = timezone.now()
    assert not Contact.objects.filter(occurred_at__gt=now).exists()
    assert not Contact.objects.filter(occurred_at__lt=now - timezone.timedelta(days=366)).exists()
    callback_contacts = Contact.objects.filter(outcome=Outcome.CALLBACK)
    assert Callback.objects.count() == callback_contacts.count() > 0
    assert Callback.objects.filter(done_at__isnull=True).exists()
    assert (
        ContactEvent.objects.filter(kind=ContactEvent.Kind.CREATED).count()
        == Contact.objects.count()
    )


def test_contacts_mix_channels_and_concern_the_ccas(small_demo: str) -> None:
    """Counter and phone dominate, other channels exist, and some contacts are confidential."""
    channels = {c: Contact.objects.filter(channel=c).count() for c in ("counter", "phone", "email")}
    assert channels["counter"] > channels["email"] and channels["phone"] > channels["email"] > 0
    assert Contact.objects.filter(department__slug="ccas").exists()
    assert Contact.objects.filter(resident__isnull=True).exists()


def test_demo_logins_prints_every_account_with_a_warning(small_demo: str) -> None:
    """The table lists every demo agent and warns that the accounts are for the demo only."""
    out = StringIO()
    with override_settings(GUICHET_DEMO=True):
        call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "DÉMONSTRATION uniquement" in text
    assert DEMO_PASSWORD in text
    for spec in AGENTS:
        assert spec.username in text
    assert "Usager (portail)" in text


@override_settings(GUICHET_DEMO=False, DEBUG=False)
def test_demo_logins_refuses_outside_demo_mode() -> None:
    """The logins are not printed unless the demo mode is on."""
    with pytest.raises(CommandError, match="GUICHET_DEMO=true"):
        call_command("demo_logins")


def test_invalid_counts_are_refused() -> None:
    """Zero residents is refused with a message."""
    with override_settings(GUICHET_DEMO=True), pytest.raises(CommandError, match="--residents"):
        call_command("demo", residents=0, contacts=10)


def test_some_content_is_due_for_review_and_survives_a_reload(small_demo: str) -> None:
    """A few procedures and an article are flagged "à revoir", even after the demo runs again."""
    stale = [p.slug for p in Procedure.objects.all() if p.is_stale]
    assert sorted(stale) == sorted(STALE_PROCEDURES)
    assert [a.slug for a in Article.objects.all() if a.is_stale] == list(STALE_ARTICLES)
    run_demo(**SMALL)
    assert sorted(p.slug for p in Procedure.objects.all() if p.is_stale) == sorted(STALE_PROCEDURES)
