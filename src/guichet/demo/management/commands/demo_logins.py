"""``guichet demo_logins``: print the demo accounts and their (public) password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.cases.models import Case
from guichet.demo.city import AGENTS, DEMO_PASSWORD
from guichet.demo.management.commands.demo import require_demo_mode
from guichet.demo.people import DEMO_ID_PREFIX
from guichet.organisation.models import Agent
from guichet.residents.models import Resident


class Command(BaseCommand):
    help = "Print the demo logins (username, role, site, password). Demo only."

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode()
        order = {spec.username: index for index, spec in enumerate(AGENTS)}
        agents = sorted(
            Agent.objects.select_related("user")
            .prefetch_related("sites")
            .filter(user__username__in=order, is_active=True),
            key=lambda agent: order[agent.user.username],
        )
        if not agents:
            self.stdout.write(_("La démo n'est pas chargée : lancez d'abord « guichet demo »."))
            return
        rows = [
            (
                agent.user.username,
                str(agent),
                str(agent.get_role_display()),
                _sites(agent),
            )
            for agent in agents
        ]
        residents = Resident.objects.select_related("user").filter(
            external_id__startswith=DEMO_ID_PREFIX, user__isnull=False
        )
        # Residents who filed online have an account too, without a password: only the demo
        # logins (the shared password) are listed.
        rows += [
            (resident.user.username, resident.display_name, _("Usager (portail)"), "")
            for resident in residents
            if resident.user is not None and resident.user.has_usable_password()
        ]
        header = (_("Identifiant"), _("Nom"), _("Rôle"), _("Sites"))
        widths = [max(len(row[i]) for row in [*rows, header]) for i in range(4)]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                _(
                    "Comptes de DÉMONSTRATION uniquement — mot de passe commun : %(password)s. "
                    "Ne chargez jamais la démo dans la base d'une vraie ville."
                )
                % {"password": DEMO_PASSWORD}
            )
        )
        self.stdout.write(line.format(*header))
        self.stdout.write(line.format(*("-" * width for width in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
        self.stdout.write("")
        self.stdout.write(_cases_line())
        self.stdout.write("")


def _cases_line() -> str:
    """Return "Demandes : N (dont M en retard)" for the demo's requests."""
    cases = Case.objects.filter(resident__external_id__startswith=DEMO_ID_PREFIX)
    overdue = cases.open().filter(paused_at__isnull=True, due_date__lt=timezone.localdate()).count()
    return _("Demandes : %(count)d (dont %(overdue)d en retard)") % {
        "count": cases.count(),
        "overdue": overdue,
    }


def _sites(agent: Agent) -> str:
    names = [site.name for site in agent.sites.all()]
    if len(names) > 2:
        others = len(names) - 1
        return ngettext(
            "%(first)s et %(count)d autre site", "%(first)s et %(count)d autres sites", others
        ) % {"first": names[0], "count": others}
    return ", ".join(names)
