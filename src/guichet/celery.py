"""Celery application.

With no broker configured (the embedded default), tasks run eagerly, in-process; actions schedule
them with ``transaction.on_commit`` so they still run only after the data they need is committed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
