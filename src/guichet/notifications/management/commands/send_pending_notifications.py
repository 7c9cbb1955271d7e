from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from guichet.notifications.models import Notification
from guichet.notifications.tasks import retry_due_notifications


class Command(BaseCommand):
    help = (
        "Queue the notifications whose next attempt is due (what Celery beat does every "
        "minute; run it from cron when there is no beat). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = retry_due_notifications()
        self.stdout.write(
            ngettext(
                "%(count)d notification remise en file d'envoi.",
                "%(count)d notifications remises en file d'envoi.",
                queued,
            )
            % {"count": queued}
        )
        stuck = Notification.objects.stuck().count()
        if stuck:
            self.stderr.write(
                ngettext(
                    "%(count)d notification bloquée en cours d'envoi : un superviseur doit la "
                    "renvoyer ou l'annuler (/agents/notifications/).",
                    "%(count)d notifications bloquées en cours d'envoi : un superviseur doit les "
                    "renvoyer ou les annuler (/agents/notifications/).",
                    stuck,
                )
                % {"count": stuck}
            )
