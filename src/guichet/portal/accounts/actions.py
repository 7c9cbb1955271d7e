"""State changes of residents' accounts; their emails are queued in the notifications outbox
within the same transaction, and leave only once it has committed.

None of these tells its caller whether an account exists for an address: the pages built on
them answer the same whatever happened, and the emails say the rest to the address's owner.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.portal.accounts import emails
from guichet.portal.accounts.access import (
    accounts_with_email,
    active_resident_accounts_with_email,
    pending_accounts_with_email,
)
from guichet.portal.accounts.links import AccountLinks
from guichet.portal.models import ExternalIdentity, PendingAccount
from guichet.residents import merging
from guichet.residents.actions import (
    create_resident,
    link_portal_account,
    normalize_email,
    unlink_portal_account,
    update_resident,
)
from guichet.residents.models import Resident

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignUp:
    """What a person gives to create their account (already validated by the form)."""

    civility: str
    first_names: str
    usage_name: str
    birth_date: datetime.date
    email: str
    password: str
    language: str


class EmailAlreadyUsed(Exception):
    """Another account already uses the address an email change was confirming."""


@transaction.atomic
def sign_up_resident(sign_up: SignUp, *, links: AccountLinks) -> None:
    """Create an inactive account and its resident file, and email the confirmation link.

    An address that already has an account gets an email telling its owner that someone tried
    to sign up with it. An address still waiting for confirmation is given the new details and
    password and a new link (older links stop working): whoever reads that mailbox decides.
    """
    email = normalize_email(sign_up.email)
    # Lock the accounts with this address so two sign-ups at once cannot both refresh one.
    existing = list(accounts_with_email(email).select_for_update().order_by("pk"))
    active = [user for user in existing if user.is_active]
    if active:
        emails.send_sign_up_attempt_email(active[0], login_url=links.login())
        return
    waiting = PendingAccount.objects.filter(user__in=existing).select_related("user").first()
    if waiting is not None:
        pending = waiting.user
        _refresh_pending_account(pending, sign_up)
        # Made after the refresh: the new password retires the links sent before.
        emails.send_verification_email(pending, links.verification(pending))
        return
    if existing:
        # Only deactivated accounts use this address: the city closed them, nothing is sent.
        logger.info("Sign-up refused for an address of a deactivated account")
        return
    user = User(
        username=email,
        email=email,
        first_name=sign_up.first_names[:150],
        last_name=sign_up.usage_name[:150],
        is_active=False,
    )
    user.set_password(sign_up.password)
    try:
        # Another sign-up with the same address may have just created it: it sends the link.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        return
    resident = create_resident(
        actor=None,
        channel=Channel.WEB,
        civility=sign_up.civility,
        first_names=sign_up.first_names,
        usage_name=sign_up.usage_name,
        birth_date=sign_up.birth_date,
        email=email,
        preferred_language=sign_up.language,
    )
    link_portal_account(resident, user=user, actor=None, channel=Channel.WEB)
    PendingAccount.objects.create(user=user)
    emails.send_verification_email(user, links.verification(user))


def _refresh_pending_account(user: User, sign_up: SignUp) -> None:
    user.first_name = sign_up.first_names[:150]
    user.last_name = sign_up.usage_name[:150]
    user.set_password(sign_up.password)
    user.save(update_fields=["first_name", "last_name", "password"])
    update_resident(
        Resident.objects.get(user=user),
        actor=None,
        channel=Channel.WEB,
        civility=sign_up.civility,
        first_names=sign_up.first_names,
        usage_name=sign_up.usage_name,
        birth_date=sign_up.birth_date,
        preferred_language=sign_up.language,
    )


@transaction.atomic
def confirm_sign_up(user: User) -> bool:
    """Activate an account waiting for its address's confirmation; return False if it was not."""
    deleted, _rows = PendingAccount.objects.filter(user=user).delete()
    if not deleted:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


@transaction.atomic
def resend_verification(email: str, *, links: AccountLinks) -> None:
    """Send a new confirmation link to the accounts waiting for ``email``'s confirmation."""
    for user in pending_accounts_with_email(email):
        emails.send_verification_email(user, links.verification(user))


@transaction.atomic
def send_magic_links(email: str, *, links: AccountLinks) -> None:
    """Send a sign-in link to each usable resident account with this address."""
    for user in active_resident_accounts_with_email(email):
        emails.send_magic_link_email(user, links.magic_link(user))


@transaction.atomic
def request_email_change(user: User, new_email: str, *, links: AccountLinks) -> None:
    """Send the link confirming ``new_email`` to that address; nothing changes before."""
    new_email = normalize_email(new_email)
    emails.send_email_change_email(user, new_email, links.email_change(user, new_email))


@transaction.atomic
def change_account_email(user: User, new_email: str) -> None:
    """Give the account and the resident's file the confirmed ``new_email``.

    Raise EmailAlreadyUsed if another account took the address meanwhile. The former address
    is told, so a change its owner did not make does not go unnoticed.
    """
    new_email = normalize_email(new_email)
    if accounts_with_email(new_email).exclude(pk=user.pk).exists():
        raise EmailAlreadyUsed(new_email)
    old_email = user.email
    user.email = new_email
    update_fields = ["email"]
    # Accounts made by sign-up log in with their address: the identifier follows it.
    if user.username.lower() == old_email.lower():
        user.username = new_email
        update_fields.append("username")
    user.save(update_fields=update_fields)
    update_resident(
        Resident.objects.get(user=user), actor=user, channel=Channel.WEB, email=new_email
    )
    if old_email and old_email.lower() != new_email:
        emails.send_email_changed_notice(user, old_email)


@dataclass(frozen=True)
class ProviderIdentity:
    """A person as an OpenID Connect provider vouched for them, with the claims we use."""

    issuer: str
    subject: str
    first_names: str = ""
    usage_name: str = ""
    birth_date: datetime.date | None = None
    email: str = ""
    # The signed ID token itself: shown back to the provider to end the session there.
    id_token: str = ""


@transaction.atomic
def create_account_from_identity(identity: ProviderIdentity, *, language: str) -> User:
    """Create an active account, its resident file and the link to the provider's identity.

    The account has no password (the resident may set one later from the profile); it logs
    in with the provider, or with a link emailed to the address the provider gave.
    """
    email = normalize_email(identity.email)
    username = email
    if not email or User.objects.filter(username__iexact=email).exists():
        digest = hashlib.sha256(f"{identity.issuer}\x1f{identity.subject}".encode()).hexdigest()
        username = f"oidc-{digest[:24]}"
    user = User(
        username=username,
        email=email,
        first_name=identity.first_names[:150],
        last_name=identity.usage_name[:150],
    )
    user.set_unusable_password()
    user.save()
    resident = create_resident(
        actor=None,
        channel=Channel.WEB,
        first_names=identity.first_names,
        usage_name=identity.usage_name,
        birth_date=identity.birth_date,
        email=email,
        preferred_language=language,
    )
    link_portal_account(resident, user=user, actor=None, channel=Channel.WEB)
    link_identity(user, identity)
    return user


@transaction.atomic
def link_identity(user: User, identity: ProviderIdentity) -> ExternalIdentity:
    """Tie the provider's identity to ``user``: later logins with it open this account."""
    return ExternalIdentity.objects.create(
        user=user,
        issuer=identity.issuer,
        subject=identity.subject,
        last_used_at=timezone.now(),
    )


def record_identity_use(external: ExternalIdentity) -> None:
    """Note when the identity last served to log in (shown on the profile)."""
    external.last_used_at = timezone.now()
    external.save(update_fields=["last_used_at"])


@dataclass
class UnconfirmedPurge:
    """What ``purge_unconfirmed_accounts`` did (or would do, in a dry run)."""

    accounts: int = 0
    files_deleted: int = 0
    files_kept: int = 0


def purge_unconfirmed_accounts(
    *, older_than: datetime.timedelta, now: datetime.datetime | None = None, dry_run: bool = False
) -> UnconfirmedPurge:
    """Delete the sign-ups whose address was never confirmed within ``older_than``.

    The login goes, and the resident file the sign-up made with it when nothing but its own
    history is attached (nobody confirmed the address: the file may well be someone else's
    name typed by a stranger). A file the city has used since — a contact, a request, a
    document, a household, an agent who opened it — is kept, without the login, and its history
    says so. Each account is decided in its own transaction, on its locked pending row: a
    confirmation arriving meanwhile wins, and the account stays.
    """
    cutoff = (now or timezone.now()) - older_than
    result = UnconfirmedPurge()
    candidates = PendingAccount.objects.filter(created_at__lt=cutoff).order_by("pk")
    for pending_id in list(candidates.values_list("pk", flat=True)):
        try:
            outcome = _purge_one(pending_id, dry_run=dry_run)
        except ProtectedError:
            # A row the city keeps names this login (it cannot act while unconfirmed, so this
            # is unexpected): leave the account to an administrator rather than stop the job.
            logger.warning(
                "Unconfirmed account of pending row %s kept: rows point at it", pending_id
            )
            continue
        if outcome is None:
            continue  # confirmed a moment ago
        result.accounts += 1
        result.files_deleted += int(outcome == "deleted")
        result.files_kept += int(outcome == "kept")
    return result


@transaction.atomic
def _purge_one(pending_id: int, *, dry_run: bool) -> str | None:
    """Delete one unconfirmed login (and its untouched file); say what became of the file."""
    pending = (
        PendingAccount.objects.select_for_update()
        .select_related("user")
        .filter(pk=pending_id)
        .first()
    )
    if pending is None:
        return None
    user = pending.user
    resident = Resident.objects.filter(user=user).first()
    outcome = "none"
    if resident is not None and _only_its_own_history(resident):
        resident.delete()
        outcome = "deleted"
    elif resident is not None:
        unlink_portal_account(resident, actor=None, channel="")
        outcome = "kept"
    user.delete()
    if dry_run:
        transaction.set_rollback(True)
    return outcome


def _only_its_own_history(resident: Resident) -> bool:
    """Return whether nothing but the file's own history rows points at it."""
    for relation in merging.relations():
        if relation.label == "residents.residentchange.resident":
            continue
        if relation.model._default_manager.filter(**{relation.fk_name: resident}).exists():
            return False
    return True
