"""Celery application.

With no broker configured (the embedded default), tasks run eagerly, in-process; actions schedule
them with ``transaction.on_commit`` so they still run only after the data they need is committed.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs run by `celery -A guichet beat`; each is idempotent and also a command for cron.
app.conf.beat_schedule = {
    # guichet send-pending-notifications
    "notifications-retry-due": {
        "task": "guichet.notifications.tasks.retry_due_notifications",
        "schedule": 60.0,
    },
    # guichet escalate-cases: every morning before the offices open (Europe/Paris). It warns
    # once per case, so a second run (a cron as well, a restarted beat) warns nobody twice.
    # guichet purge-unconfirmed-accounts: sign-ups never confirmed, every night.
    "portal-purge-unconfirmed-accounts": {
        "task": "portal.purge_unconfirmed_accounts",
        "schedule": crontab(hour=3, minute=40),
    },
    "cases-escalate-deadlines": {
        "task": "cases.escalate_deadlines",
        "schedule": crontab(hour=7, minute=30),
    },
}
