"""``guichet create-api-token USERNAME``: print a new API token for an agent."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from guichet.organisation.actions import create_api_token
from guichet.organisation.models import User


class Command(BaseCommand):
    help = (
        "Print a new API token for an active agent (the agent's previous token stops working). "
        "Integrations send it as 'Authorization: Token <key>'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the agent's login")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.select_related("agent").filter(username=username).first()
        if user is None:
            raise CommandError(
                _(
                    "Aucun utilisateur « %(username)s » : vérifiez l'identifiant (la liste des "
                    "agents est dans Administration > Agents)."
                )
                % {"username": username}
            )
        agent = user.agent_or_none
        if agent is None:
            raise CommandError(
                _(
                    "« %(username)s » n'est pas un agent : seuls les agents reçoivent un jeton "
                    "d'API (créez d'abord son profil dans Administration > Agents)."
                )
                % {"username": username}
            )
        if not agent.is_active or not user.is_active:
            raise CommandError(
                _(
                    "Le compte de l'agent « %(username)s » est désactivé : réactivez-le avant de "
                    "lui créer un jeton d'API."
                )
                % {"username": username}
            )
        had_token = hasattr(user, "auth_token")
        key = create_api_token(agent, actor=None)
        if had_token:
            self.stderr.write(_("Le jeton précédent de cet agent est révoqué."))
        self.stdout.write(key)
