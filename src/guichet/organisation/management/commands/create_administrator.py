"""``guichet create-administrator USERNAME``: create the first administrator of an installation."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from guichet.organisation.actions import create_agent
from guichet.organisation.choices import Role
from guichet.organisation.forms import USERNAME_PATTERN
from guichet.organisation.models import User


class Command(BaseCommand):
    help = (
        "Create an agent with the administrator role and print a temporary password, shown once. "
        "The administrator then creates sites, departments and agents in Administration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="login of the new administrator")
        parser.add_argument("--first-name", default="", help="first name")
        parser.add_argument("--last-name", default="", help="last name")
        parser.add_argument("--email", default="", help="professional email")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        if not re.fullmatch(USERNAME_PATTERN, username):
            raise CommandError(
                _(
                    "L'identifiant ne peut contenir que des lettres minuscules sans accents, des "
                    "chiffres et les signes . _ - @, par exemple « marie.durand »."
                )
            )
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                _("L'identifiant « %(username)s » est déjà pris.") % {"username": username}
            )
        if options["email"]:
            try:
                validate_email(options["email"])
            except ValidationError:
                raise CommandError(_("Adresse courriel invalide.")) from None
        account = create_agent(
            actor=None,
            username=username,
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
            role=Role.ADMIN,
            job_title=str(_("Administrateur")),
        )
        self.stderr.write(
            _(
                "Administrateur « %(username)s » créé. Mot de passe provisoire (affiché une "
                "seule fois) :"
            )
            % {"username": username}
        )
        self.stdout.write(str(account.temporary_password))
