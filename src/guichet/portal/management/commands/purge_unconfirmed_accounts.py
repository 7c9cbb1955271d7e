import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.portal.accounts.actions import purge_unconfirmed_accounts


class Command(BaseCommand):
    help = (
        "Delete the portal sign-ups whose email address was not confirmed within "
        "GUICHET_UNCONFIRMED_ACCOUNT_DAYS days, with their resident file when the city never "
        "used it (what Celery beat does every night; run it daily from cron without beat)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be deleted, delete nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.GUICHET_UNCONFIRMED_ACCOUNT_DAYS
        result = purge_unconfirmed_accounts(
            older_than=datetime.timedelta(days=days), dry_run=options["dry_run"]
        )
        summary = ngettext(
            "%(count)d inscription non confirmée depuis %(days)d jours",
            "%(count)d inscriptions non confirmées depuis %(days)d jours",
            result.accounts,
        ) % {"count": result.accounts, "days": days}
        files = _("fiches d'usager supprimées : %(deleted)d, conservées sans compte : %(kept)d") % {
            "deleted": result.files_deleted,
            "kept": result.files_kept,
        }
        verdict = _("rien n'a été supprimé (essai)") if options["dry_run"] else _("supprimées")
        self.stdout.write(f"{summary} — {verdict} ; {files}.")
