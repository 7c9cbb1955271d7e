from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.organisation.choices import ChangeKind, Role, SiteKind, Weekday


class User(AbstractUser):
    """Anyone who logs in: agents (with an ``agent`` profile) and residents of the portal."""

    class Meta:
        verbose_name = _("utilisateur")

    @property
    def agent_or_none(self) -> Agent | None:
        try:
            return self.agent
        except Agent.DoesNotExist:
            return None

    @property
    def is_agent(self) -> bool:
        agent = self.agent_or_none
        return agent is not None and agent.is_active and self.is_active

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Department(models.Model):
    """A service (direction) of the city: population, éducation, CCAS…"""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    confidential = models.BooleanField(
        _("confidentiel"),
        default=False,
        help_text=_("Le contenu des échanges n'est visible que des agents de ce service."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place where residents are received: city hall, neighbourhood office, relais numérique…"""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=SiteKind.choices)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    accessibility = models.TextField(_("accessibilité"), blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")

    def __str__(self) -> str:
        return self.name

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Return whether the site receives the public at ``moment`` (an aware datetime)."""
        local = timezone.localtime(moment)
        day = local.date()
        if self.closures.filter(start_date__lte=day, end_date__gte=day).exists():
            return False
        return self.opening_hours.filter(
            weekday=local.weekday(), opens_at__lte=local.time(), closes_at__gt=local.time()
        ).exists()

    def weekly_hours(self) -> list[DayHours]:
        """Return the seven days of the week with their opening periods (empty when closed)."""
        periods: dict[int, list[OpeningHours]] = {day.value: [] for day in Weekday}
        for period in self.opening_hours.all():
            periods[period.weekday].append(period)
        return [
            DayHours(weekday=day.value, label=str(day.label), periods=periods[day.value])
            for day in Weekday
        ]

    def upcoming_closures(self, today: datetime.date | None = None) -> models.QuerySet[SiteClosure]:
        """Return the closures that have not ended yet, soonest first."""
        return self.closures.filter(end_date__gte=today or timezone.localdate())


@dataclass(frozen=True)
class DayHours:
    """One weekday of a site's timetable, as shown to residents and agents."""

    weekday: int
    label: str
    periods: list[OpeningHours]

    @property
    def is_closed(self) -> bool:
        return not self.periods


class OpeningHours(models.Model):
    """One opening period of a site on a weekday (a site may open twice a day)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens_at = models.TimeField(_("ouverture"))
    closes_at = models.TimeField(_("fermeture"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("horaire d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="opening_hours_opens_before_closes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class SiteClosure(models.Model):
    """An exceptional closure of a site (holiday, works, strike), inclusive dates."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("fermeture exceptionnelle")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="site_closure_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.start_date}–{self.end_date}"


class CityClosure(models.Model):
    """A day or days when the whole administration is closed (bridge day), inclusive dates.

    No department works then, so these days do not count as working days for deadlines.
    """

    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("fermeture de l'administration")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="city_closure_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date} {self.reason}"


class Agent(models.Model):
    """An agent's profile: role, sites where they work and departments they belong to."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    sites = models.ManyToManyField(Site, blank=True, related_name="agents", verbose_name=_("sites"))
    departments = models.ManyToManyField(
        Department, blank=True, related_name="agents", verbose_name=_("services")
    )
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("agent")

    def __str__(self) -> str:
        return self.user.display_name()

    @property
    def is_supervisor(self) -> bool:
        return self.role in {Role.SUPERVISOR, Role.ADMIN}

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_dpo(self) -> bool:
        return self.role == Role.DPO


class OrganisationChange(models.Model):
    """One change made in the administration area: who changed which site, service or agent."""

    kind = models.CharField(_("modification"), max_length=30, choices=ChangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("modification de l'organisation")

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def target(self) -> Site | Department | Agent | None:
        return self.site or self.department or self.agent
