"""Periodic jobs of the portal (scheduled in guichet/celery.py; each is also a command)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings

from guichet.portal.accounts.actions import purge_unconfirmed_accounts


@shared_task(name="portal.purge_unconfirmed_accounts")
def purge_unconfirmed_accounts_task() -> dict[str, int]:
    """Delete the sign-ups never confirmed in time (``guichet purge-unconfirmed-accounts``)."""
    days = settings.GUICHET_UNCONFIRMED_ACCOUNT_DAYS
    result = purge_unconfirmed_accounts(older_than=datetime.timedelta(days=days))
    return {
        "accounts": result.accounts,
        "files_deleted": result.files_deleted,
        "files_kept": result.files_kept,
    }
