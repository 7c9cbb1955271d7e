"""Sign-ups never confirmed are deleted after GUICHET_UNCONFIRMED_ACCOUNT_DAYS, safely."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import AccessLog
from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.portal.accounts.actions import confirm_sign_up, purge_unconfirmed_accounts
from guichet.portal.accounts.tokens import VERIFY_EMAIL
from guichet.portal.models import PendingAccount
from guichet.portal.tasks import purge_unconfirmed_accounts_task
from guichet.residents.actions import create_resident, link_portal_account
from guichet.residents.models import Resident, ResidentChange
from tests.factories import ContactFactory, DocumentFactory

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(days=7)


def sign_up(email: str, *, days_ago: float) -> User:
    """An account waiting for its address's confirmation, made ``days_ago`` days ago."""
    user = User.objects.create(username=email, email=email, is_active=False)
    resident = create_resident(
        actor=None, channel=Channel.WEB, first_names="Inès", usage_name="Martin", email=email
    )
    link_portal_account(resident, user=user, actor=None, channel=Channel.WEB)
    PendingAccount.objects.create(
        user=user, created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return user


def test_an_old_unconfirmed_sign_up_goes_with_its_untouched_file() -> None:
    old = sign_up("ancienne@example.org", days_ago=8)
    recent = sign_up("recente@example.org", days_ago=2)
    file_id = Resident.objects.get(user=old).pk
    result = purge_unconfirmed_accounts(older_than=WEEK)
    assert (result.accounts, result.files_deleted, result.files_kept) == (1, 1, 0)
    assert not User.objects.filter(pk=old.pk).exists()
    assert not Resident.objects.filter(pk=file_id).exists()
    assert not ResidentChange.objects.filter(resident_id=file_id).exists()
    assert PendingAccount.objects.get().user == recent
    assert Resident.objects.get().user == recent


def test_confirmed_accounts_are_never_touched() -> None:
    user = sign_up("confirmee@example.org", days_ago=30)
    assert confirm_sign_up(user)
    assert purge_unconfirmed_accounts(older_than=WEEK).accounts == 0
    user.refresh_from_db()
    assert user.is_active and Resident.objects.get().user == user


@pytest.mark.parametrize("used_by_the_city", ["contact", "document", "opened"])
def test_a_file_the_city_used_is_kept_without_the_login(
    used_by_the_city: str, reception_agent
) -> None:  # type: ignore[no-untyped-def]
    user = sign_up("utilisee@example.org", days_ago=10)
    resident = Resident.objects.get(user=user)
    if used_by_the_city == "contact":
        ContactFactory(resident=resident)
    elif used_by_the_city == "document":
        DocumentFactory(resident=resident)
    else:
        AccessLog.objects.create(resident=resident, user=reception_agent.user, page="file")
    result = purge_unconfirmed_accounts(older_than=WEEK)
    assert (result.accounts, result.files_deleted, result.files_kept) == (1, 0, 1)
    resident.refresh_from_db()
    assert resident.user is None
    assert not User.objects.filter(pk=user.pk).exists()
    change = ResidentChange.objects.filter(resident=resident).latest("pk")
    assert change.changes == {"user": [user.pk, None]}


def test_a_dry_run_deletes_nothing() -> None:
    sign_up("essai@example.org", days_ago=9)
    result = purge_unconfirmed_accounts(older_than=WEEK, dry_run=True)
    assert (result.accounts, result.files_deleted) == (1, 1)
    assert User.objects.count() == Resident.objects.count() == PendingAccount.objects.count() == 1


def test_the_command_says_what_it_did(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GUICHET_UNCONFIRMED_ACCOUNT_DAYS = 7
    sign_up("une@example.org", days_ago=8)
    sign_up("deux@example.org", days_ago=8)
    out = StringIO()
    call_command("purge_unconfirmed_accounts", "--dry-run", stdout=out)
    assert "2 inscriptions non confirmées depuis 7 jours" in out.getvalue()
    assert "rien n'a été supprimé" in out.getvalue()
    assert User.objects.count() == 2
    out = StringIO()
    call_command("purge_unconfirmed_accounts", stdout=out)
    assert "fiches d'usager supprimées : 2" in out.getvalue()
    assert not User.objects.exists()


def test_the_nightly_task_uses_the_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GUICHET_UNCONFIRMED_ACCOUNT_DAYS = 30
    sign_up("patiente@example.org", days_ago=10)
    assert purge_unconfirmed_accounts_task() == {
        "accounts": 0,
        "files_deleted": 0,
        "files_kept": 0,
    }
    settings.GUICHET_UNCONFIRMED_ACCOUNT_DAYS = 9
    assert purge_unconfirmed_accounts_task()["accounts"] == 1


def test_the_link_of_a_purged_sign_up_says_it_no_longer_works(client) -> None:  # type: ignore[no-untyped-def]
    """No 500 and no account brought back: the page offers to sign up again."""
    user = sign_up("lien@example.org", days_ago=8)
    token = VERIFY_EMAIL.make(user)
    purge_unconfirmed_accounts(older_than=WEEK)
    response = client.get(reverse("portal:account:verify", args=[token]))
    assert response.status_code == 200
    assert "Ce lien ne fonctionne pas" in response.content.decode()
    assert not User.objects.exists()


def test_an_account_rows_point_at_is_left_and_the_job_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A protected row naming the login leaves that account alone, whole, and logs it."""
    stuck = sign_up("protegee@example.org", days_ago=8)
    sign_up("libre@example.org", days_ago=8)
    original = User.delete

    def delete(user: User, *args, **kwargs):  # type: ignore[no-untyped-def]
        if user.pk == stuck.pk:
            raise ProtectedError("protected", set())
        return original(user, *args, **kwargs)

    monkeypatch.setattr(User, "delete", delete)
    result = purge_unconfirmed_accounts(older_than=WEEK)
    assert (result.accounts, result.files_deleted) == (1, 1)
    assert list(User.objects.values_list("email", flat=True)) == ["protegee@example.org"]
    assert Resident.objects.get().user == stuck  # rolled back: file and link untouched
    assert PendingAccount.objects.get().user == stuck
    assert "rows point at it" in caplog.text
