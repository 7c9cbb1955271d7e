"""Who may use the residents' account pages, and which accounts an email address designates."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from guichet.organisation.models import User
from guichet.residents.actions import normalize_email
from guichet.residents.models import Resident


def require_resident(user: object) -> Resident:
    """Return the logged-in resident's file, or raise 404 (agents, accounts without a file)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        raise Http404
    # Agents have their own console and password policy: the residents' pages are not theirs,
    # even for an agent who also has a resident file.
    if user.agent_or_none is not None:
        raise Http404
    try:
        return Resident.objects.get(user=user, is_active=True)
    except Resident.DoesNotExist:
        raise Http404 from None


def resident_accounts() -> QuerySet[User]:
    """Return the logins of residents' accounts (agents excluded, whatever else they have)."""
    return User.objects.filter(resident__isnull=False, agent__isnull=True)


def accounts_with_email(email: str) -> QuerySet[User]:
    """Return every login whose email or identifier is ``email`` (any case), agents included."""
    email = normalize_email(email)
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))


def active_resident_accounts_with_email(email: str) -> QuerySet[User]:
    """Return the usable residents' accounts an emailed link may be sent to for ``email``."""
    return resident_accounts().filter(is_active=True, email__iexact=normalize_email(email))


def pending_accounts_with_email(email: str) -> QuerySet[User]:
    """Return the accounts signed up with ``email`` and still waiting for its confirmation."""
    return User.objects.filter(
        pending_account__isnull=False, is_active=False, email__iexact=normalize_email(email)
    )
